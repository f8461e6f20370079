from django.core.management.base import BaseCommand

from balai.complaints import escalation


class Command(BaseCommand):
    help = (
        "Send reminders for overdue complaints (level 1 to the unit, level 2 a working day "
        "later to its head and the command center) and close resolved complaints whose "
        "reporter did not answer within 10 working days. Idempotent: run it every few minutes."
    )

    def handle(self, *args, **options):
        outcome = escalation.check()
        self.stdout.write(f"{outcome.reminders} reminders sent, {outcome.closed} closed")
