"""Complaints publish dispatch, updates and escalations to the outbox, without personal data."""

from datetime import datetime
from zoneinfo import ZoneInfo

from balai.complaints import actions, escalation
from balai.complaints.routing import Unit
from balai.notifications.models import Event


def test_dispatch_update_and_escalation_are_published_without_the_reporter(cast, cats, file_report):
    wib = ZoneInfo("Asia/Jakarta")
    complaint, _ = file_report(category=cats.other, now=datetime(2026, 11, 27, 9, 0, tzinfo=wib))
    assert not Event.objects.exists()  # a new report is no one else's business yet
    actions.dispatch_complaint(complaint, cast.command_center, Unit("agency", cast.agency.pk))
    actions.start_progress(complaint, cast.agency_officer)
    escalation.check(now=datetime(2027, 3, 1, 10, 0, tzinfo=wib))
    kinds = list(Event.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds[:3] == ["complaint.updated", "complaint.dispatched", "complaint.updated"]
    assert "complaint.escalated" in kinds
    dispatched = Event.objects.get(kind="complaint.dispatched")
    assert dispatched.agency == cast.agency and dispatched.village == cast.village_a
    assert dispatched.data["complaint"] == complaint.public_id
    assert dispatched.data["agency"] == cast.agency.slug
    assert dispatched.data["status"] == "dispatched"
    everything = repr(list(Event.objects.values_list("data", flat=True)))
    for personal in ("Siti", "siti@example.com", "berlubang", "-8.25"):
        assert personal not in everything
