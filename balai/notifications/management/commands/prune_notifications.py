from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from balai.notifications.models import Notification


class Command(BaseCommand):
    help = (
        "Delete sent and failed notifications older than N days (default 90): they hold "
        "residents' phone numbers and email addresses, kept no longer than needed (UU PDP)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, days, **options):
        before = timezone.now() - timedelta(days=days)
        deleted, _ = Notification.objects.due_for_pruning(before).delete()
        self.stdout.write(f"{deleted} notifications deleted")
