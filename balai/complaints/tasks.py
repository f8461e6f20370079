"""Background work for complaints: messages after a submission, and the escalation check.

The escalation check keeps itself going: each run queues the next one
EVERY minutes later (on a backend with a worker: the database or RQ),
and the first report's task starts the chain if nothing is queued. `balai
escalate-complaints` runs it at once, e.g. from cron.
"""

from datetime import timedelta

from django_tasks import task

from balai.complaints import escalation, notify
from balai.lib.tasks import on_interrupted, schedule_once

EVERY = timedelta(minutes=5)


@task()
def escalate_complaints() -> dict:
    """The periodic escalation check (also `balai escalate-complaints`)."""
    outcome = escalation.check()
    schedule_escalation()
    return {"reminders": outcome.reminders, "closed": outcome.closed}


def schedule_escalation() -> bool:
    """Queue the next check unless one is waiting already; True if queued."""
    return schedule_once(escalate_complaints, EVERY)


@task()
def complaint_submitted(complaint_id: int, messages: list[int] | None = None) -> None:
    """Send the reporter's messages (written in submit_complaint, `messages`: their
    ids) and tell the unit about a new report."""
    from balai.complaints.models import Complaint
    from balai.notifications.tasks import deliver

    # Queued from here rather than each after the submission's commit: one task
    # row in the submission's transaction instead of another commit after it.
    for notification_id in messages or ():
        deliver.enqueue(notification_id)

    complaint = (
        Complaint.objects.select_related("category", "village", "agency")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is not None:
        notify.unit_new(complaint)
    schedule_escalation()


@on_interrupted(escalate_complaints)
def _resume() -> None:
    schedule_escalation()
