from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from balai.notifications.channels import SENDERS
from balai.notifications.choices import Status
from balai.notifications.models import Notification

MAX_ATTEMPTS = 5


@task()
def deliver(notification_id: int) -> str:
    """Send one queued notification; on failure try again later, up to five times."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Status.QUEUED:
            return "skipped"
        notification.attempts += 1
        try:
            SENDERS[notification.channel](notification)
        except Exception as exc:  # any channel failure is recorded, never raised to the caller
            notification.error = str(exc)[:300]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = Status.FAILED
                notification.erase_body()
            notification.save(update_fields=["attempts", "error", "status", "sealed_body"])
            if notification.status == Status.QUEUED:
                delay = timedelta(minutes=2**notification.attempts)
                transaction.on_commit(lambda: retry_later(notification_id, delay))
            return "failed"
        notification.status = Status.SENT
        notification.sent_at = timezone.now()
        notification.error = ""
        notification.erase_body()
        notification.save(update_fields=["attempts", "error", "status", "sent_at", "sealed_body"])
        return "sent"


def retry_later(notification_id: int, delay: timedelta) -> None:
    # A backend that cannot defer (the immediate one in tests) retries at once.
    retry = deliver
    if deliver.get_backend().supports_defer:
        retry = deliver.using(run_after=timezone.now() + delay)
    retry.enqueue(notification_id)
