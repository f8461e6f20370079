from django.core.management.base import BaseCommand, CommandError

from balai.accounts.actions import VillageCodeError, onboard_villages


class Command(BaseCommand):
    help = "Onboard villages of this regency by code (35.08.01.2001 ...), making them active."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", metavar="CODE")

    def handle(self, *args, codes, **options):
        try:
            villages = onboard_villages(codes)
        except VillageCodeError as exc:
            raise CommandError(str(exc)) from None
        for village in villages:
            self.stdout.write(f"{village.code} {village} active")
