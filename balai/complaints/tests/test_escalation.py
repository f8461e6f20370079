"""Overdue reports escalate once per level; notifications reach reporter and unit."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from balai.complaints import actions, escalation
from balai.complaints.choices import Clock, Status
from balai.complaints.models import Reminder
from balai.notifications.models import Notification

WIB = ZoneInfo("Asia/Jakarta")
FRIDAY = datetime(2026, 11, 27, 9, 0, tzinfo=WIB)


@pytest.fixture
def staff_contacts(cast):
    for user, email in (
        (cast.agency_officer, "pupr@example.com"),
        (cast.command_center, "cc@example.com"),
        (cast.operator_a, "op@example.com"),
        (cast.head_a, "kades@example.com"),
    ):
        user.email = email
        user.save()


def recipients():
    return sorted(Notification.objects.values_list("recipient", flat=True))


def test_a_late_verification_reminds_the_unit_then_its_head_and_the_command_center(
    cast, cats, file_report, staff_contacts
):
    complaint, _ = file_report(now=FRIDAY, reporter_email="")
    Notification.objects.all().delete()
    # Due Monday 09:00; on Monday 10:00 only the first level is due.
    outcome = escalation.check(now=datetime(2026, 11, 30, 10, 0, tzinfo=WIB))
    assert outcome.reminders == 1
    assert recipients() == ["pupr@example.com"]
    assert escalation.check(now=datetime(2026, 11, 30, 11, 0, tzinfo=WIB)).reminders == 0
    outcome = escalation.check(now=datetime(2026, 12, 1, 10, 0, tzinfo=WIB))
    assert outcome.reminders == 1
    assert recipients() == ["cc@example.com", "pupr@example.com"]
    assert set(Reminder.objects.values_list("clock", "level")) == {
        (Clock.VERIFY, 1),
        (Clock.VERIFY, 2),
    }
    assert escalation.check(now=datetime(2026, 12, 2, 10, 0, tzinfo=WIB)).reminders == 0
    assert complaint.events.filter(kind="escalation", is_internal=True).count() == 2


def test_village_reports_escalate_to_the_village_head(cast, cats, file_report, staff_contacts):
    complaint, _ = file_report(category=cats.village_road, now=FRIDAY, reporter_email="")
    actions.verify_complaint(complaint, cast.operator_a, now=FRIDAY)
    Notification.objects.all().delete()
    escalation.check(now=datetime(2026, 12, 4, 10, 0, tzinfo=WIB))  # response due Wed 09:00
    assert "kades@example.com" in recipients() and "op@example.com" in recipients()


def test_paused_states_do_not_escalate(cast, cats, file_report):
    complaint, _ = file_report(now=FRIDAY)
    actions.verify_complaint(complaint, cast.command_center, now=FRIDAY)
    actions.resolve_complaint(complaint, cast.agency_officer, "Beres.", now=FRIDAY)
    assert escalation.check(now=datetime(2026, 12, 9, tzinfo=WIB)).reminders == 0


def test_resolved_reports_close_when_the_reporter_does_not_answer(cast, cats, file_report):
    complaint, _ = file_report(now=FRIDAY)
    actions.verify_complaint(complaint, cast.command_center, now=FRIDAY)
    actions.resolve_complaint(complaint, cast.agency_officer, "Beres.", now=FRIDAY)
    assert escalation.check(now=datetime(2026, 12, 10, tzinfo=WIB)).closed == 0
    assert escalation.check(now=datetime(2026, 12, 12, tzinfo=WIB)).closed == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.events.last().reason == "no_reply"


def test_the_management_command_and_the_task_run_the_check(cast, cats, file_report):
    from balai.complaints.tasks import escalate_complaints

    file_report(now=datetime(2026, 1, 5, 9, 0, tzinfo=WIB))
    call_command("escalate_complaints")
    assert Reminder.objects.count() == 2
    result = escalate_complaints.enqueue()
    assert result.return_value == {"reminders": 0, "closed": 0}


def test_the_reporter_hears_of_every_public_change_once(
    cast, cats, file_report, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _ = file_report(reporter_phone="081234567890")
        actions.verify_complaint(complaint, cast.command_center)
        actions.add_note(complaint, cast.agency_officer, "internal")
    sent = [m for m in mailoutbox if m.to == ["siti@example.com"]]
    subjects = [m.subject for m in sent]
    assert subjects[0] == "Aduan diterima"
    assert any("Didisposisikan" in s for s in subjects)
    assert not any("internal" in m.body for m in sent)
    assert Notification.objects.filter(recipient="6281234567890", channel="whatsapp").exists()
    codes = [m.body for m in sent if "Kode lacak:" in m.body]
    assert len(codes) == 1


def test_the_escalation_check_schedules_itself_once_on_the_database_backend(settings, db):
    from django_tasks_db.models import DBTaskResult

    from balai.complaints.tasks import schedule_escalation

    # django-tasks resets its backends when the TASKS setting changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    assert schedule_escalation() is True
    assert schedule_escalation() is False
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path.endswith("escalate_complaints")
    assert queued.run_after > timezone.now()
