from django.core.management.base import BaseCommand, CommandError

from balai.accounts.actions import ENROLMENT_CODE_MINUTES, issue_enrolment_code
from balai.accounts.models import User


class Command(BaseCommand):
    help = (
        "Issue a one-time code with which USERNAME sets up their first authenticator app "
        "(regency admins cannot without one). Printed alone on the last line; stored hashed, "
        "used once, and any earlier unused code of the account stops working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--minutes",
            type=int,
            default=ENROLMENT_CODE_MINUTES,
            help=f"valid for N minutes (default {ENROLMENT_CODE_MINUTES})",
        )

    def handle(self, *args, username, minutes, **options):
        if not 1 <= minutes <= 7 * 24 * 60:
            raise CommandError("--minutes must be between 1 and 10080 (a week)")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active account named {username!r}")
        value = issue_enrolment_code(user, minutes=minutes)
        self.stdout.write(
            f"enrolment code for {user.username}, valid for {minutes} minutes, usable once:"
        )
        self.stdout.write(value)
