"""Overdue reports escalate: first a reminder to the unit, a working day later
to its head and the command center. Each reminder is sent once (a unique row
per report, clock, deadline and level), so the check can run as often as
wanted. Resolved reports whose reporter did not answer in time are closed.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from balai.accounts import audit
from balai.complaints import notify
from balai.complaints.actions import close_complaint, event_data
from balai.complaints.choices import OPEN, Clock, EventKind, Status
from balai.complaints.models import Complaint, ComplaintEvent, Reminder
from balai.lib.workdays import due_at
from balai.notifications.events import Kind, publish

BATCH = 500


@dataclass
class Outcome:
    reminders: int = 0
    closed: int = 0


def overdue_clocks(complaint: Complaint, now):
    """(clock, due) pairs whose deadline has passed on a running clock."""
    if complaint.status in (Status.RECEIVED, Status.VERIFIED):
        if complaint.verify_due and complaint.verify_due < now:
            yield Clock.VERIFY, complaint.verify_due
        return
    if complaint.status not in (Status.DISPATCHED, Status.IN_PROGRESS):
        return
    if (
        complaint.first_response_at is None
        and complaint.response_due
        and complaint.response_due < now
    ):
        yield Clock.RESPONSE, complaint.response_due
    if complaint.resolution_due and complaint.resolution_due < now:
        yield Clock.RESOLUTION, complaint.resolution_due


def levels_due(due, now) -> list[int]:
    return [1, 2] if due_at(due, 1) <= now else [1]


def _send_reminder(complaint, clock, due, level, now) -> bool:
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                complaint=complaint, clock=clock, due=due, level=level, sent_at=now
            )
            ComplaintEvent.objects.create(
                complaint=complaint,
                at=now,
                kind=EventKind.ESCALATION,
                note=f"{reminder.get_clock_display()} · {level}",
                reason=f"{clock}:{level}",
                is_internal=True,
                actor_label="Sistem",
            )
            audit.record("complaint_escalated", complaint, detail={"clock": clock, "level": level})
            data = {**event_data(complaint, now), "clock": clock, "level": level}
            publish(
                Kind.COMPLAINT_ESCALATED, data, village=complaint.village, agency=complaint.agency
            )
            notify.escalation(complaint, reminder)
    except IntegrityError:
        return False  # already sent
    return True


def check(now=None) -> Outcome:
    now = now or timezone.now()
    outcome = Outcome()
    overdue = (
        Complaint.objects.filter(next_due__lt=now, status__in=OPEN)
        .select_related("category", "village", "agency")
        .order_by("next_due")
    )
    sent = set(
        Reminder.objects.filter(complaint__in=overdue).values_list(
            "complaint_id", "clock", "due", "level"
        )
    )
    for complaint in overdue.iterator(chunk_size=BATCH):
        for clock, due in overdue_clocks(complaint, now):
            for level in levels_due(due, now):
                if (complaint.pk, clock, due, level) in sent:
                    continue
                if _send_reminder(complaint, clock, due, level, now):
                    outcome.reminders += 1
    expired = Complaint.objects.filter(status=Status.RESOLVED, confirm_due__lt=now)
    for complaint in expired.select_related("category", "village").iterator(chunk_size=BATCH):
        close_complaint(complaint, None, now=now)
        outcome.closed += 1
    return outcome
