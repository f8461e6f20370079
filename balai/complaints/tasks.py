from django_tasks import task

from balai.complaints import escalation


@task()
def escalate_complaints() -> dict:
    """The periodic escalation check (also `balai escalate-complaints`)."""
    outcome = escalation.check()
    return {"reminders": outcome.reminders, "closed": outcome.closed}
