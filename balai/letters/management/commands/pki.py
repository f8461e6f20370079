from django.core.management.base import BaseCommand, CommandError

from balai.accounts.choices import Role
from balai.accounts.models import User
from balai.letters import pki


class Command(BaseCommand):
    help = (
        "Signing certificates for letters. `pki init` creates a DEMO regency CA and a "
        "certificate (PKCS#12) for each active village head under BALAI_DATA_DIR/pki/; "
        "idempotent, and it leaves production PKCS#12 files (e.g. from BSrE) alone. "
        "`pki status` lists each village head and whether their certificate loads."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{init,status}")
        init = sub.add_parser("init", help="demo CA and village heads' certificates")
        init.add_argument(
            "usernames", nargs="*", help="only these village heads (default: all active ones)"
        )
        sub.add_parser("status", help="which village heads can sign")

    def handle(self, *args, action, **options):
        heads = User.objects.filter(role=Role.VILLAGE_HEAD, is_active=True).select_related(
            "village"
        )
        if action == "init":
            wanted = options["usernames"]
            if wanted:
                heads = heads.filter(username__in=wanted)
                missing = set(wanted) - {u.username for u in heads}
                if missing:
                    raise CommandError(f"not active village heads: {', '.join(sorted(missing))}")
            issued = pki.init_demo_pki(heads, stdout=self.stdout)
            self.stdout.write(
                f"{len(issued)} certificate(s) issued; CA at {pki.pki_dir() / 'ca.pem'}"
            )
            return
        for user in heads:
            try:
                cert = pki.load_signer(user).signing_cert
            except pki.SignerUnavailable as exc:
                self.stdout.write(f"{user.username}: NOT READY: {exc}")
                continue
            self.stdout.write(
                f"{user.username}: {cert.subject.human_friendly}; "
                f"issuer {cert.issuer.human_friendly}; valid until "
                f"{cert['tbs_certificate']['validity']['not_after'].native:%Y-%m-%d}"
            )
