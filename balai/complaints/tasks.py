from django_tasks import task

from balai.complaints import escalation, notify


@task()
def escalate_complaints() -> dict:
    """The periodic escalation check (also `balai escalate-complaints`)."""
    outcome = escalation.check()
    return {"reminders": outcome.reminders, "closed": outcome.closed}


@task()
def complaint_submitted(complaint_id: int, code: str) -> None:
    """Tell the reporter (with the tracking code) and the unit about a new report."""
    from balai.complaints.models import Complaint

    complaint = (
        Complaint.objects.select_related("category", "village", "agency")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is not None:
        notify.received(complaint, code)
        notify.unit_new(complaint)
