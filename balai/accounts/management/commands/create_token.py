from django.core.management.base import BaseCommand, CommandError

from balai.accounts.actions import TokenError, create_token
from balai.accounts.choices import Scope


class Command(BaseCommand):
    help = (
        "Create an API token for a staff user or an API client and print it, alone, on "
        "the last line. The token is stored hashed and cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("owner", metavar="USERNAME_OR_CLIENT")
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=Scope.values,
            help="repeat for several scopes",
        )
        parser.add_argument("--days", type=int, default=90, help="valid for N days (default 90)")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, owner, scope, days, name, **options):
        try:
            token, value = create_token(owner, scope, days, name=name)
        except TokenError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"token for {token.user} ({', '.join(token.scopes)}), "
            f"valid until {token.expires_at:%Y-%m-%d}"
        )
        self.stdout.write(value)
