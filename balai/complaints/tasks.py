"""Background work for complaints: messages after a submission, and the escalation check.

The escalation check keeps itself going: each run queues the next one
EVERY minutes later (on the database backend, the one `balai serve` runs),
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
def complaint_submitted(complaint_id: int) -> None:
    """Tell the unit about a new report (the reporter is told in submit_complaint)."""
    from balai.complaints.models import Complaint

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
