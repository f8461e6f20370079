from django.core.management.base import BaseCommand, CommandError

from balai.letters import pki


class Command(BaseCommand):
    help = (
        "Signing certificates for letters. `pki init` creates a DEMO regency CA and a "
        "certificate (PKCS#12) for each active village head, and for each secretary whose "
        "village lets them sign a.n. the head, under BALAI_DATA_DIR/pki/; "
        "idempotent, and it leaves production PKCS#12 files (e.g. from BSrE) alone. "
        "`pki status` lists each of these signers and whether their certificate loads."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{init,status}")
        init = sub.add_parser("init", help="demo CA and the signers' certificates")
        init.add_argument("usernames", nargs="*", help="only these signers (default: all)")
        sub.add_parser("status", help="which signers can sign")

    def handle(self, *args, action, **options):
        signers = pki.signing_users()
        if action == "init":
            wanted = options["usernames"]
            if wanted:
                signers = signers.filter(username__in=wanted)
                missing = set(wanted) - {u.username for u in signers}
                if missing:
                    raise CommandError(
                        "not signers (active village heads or secretaries allowed to sign): "
                        + ", ".join(sorted(missing))
                    )
            issued = pki.init_demo_pki(signers, stdout=self.stdout)
            self.stdout.write(
                f"{len(issued)} certificate(s) issued; CA at {pki.pki_dir() / 'ca.pem'}"
            )
            return
        for user in signers:
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
