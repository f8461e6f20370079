"""The life of a report: received, verified, dispatched, in progress, resolved, closed."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from balai.accounts.models import AuditLog
from balai.complaints import actions
from balai.complaints.choices import Privacy, RejectReason, Status, UnitKind
from balai.complaints.routing import Unit
from balai.lib import tracking

WIB = ZoneInfo("Asia/Jakarta")
FRIDAY = datetime(2026, 11, 27, 9, 0, tzinfo=WIB)


def test_a_report_gets_a_tracking_code_routing_and_a_verify_clock(cast, cats, file_report):
    complaint, code = file_report(now=FRIDAY)
    assert tracking.normalise(code) == code
    assert actions.find_by_tracking_code(tracking.grouped(code).lower()) == complaint
    assert complaint.unit_kind == UnitKind.AGENCY and complaint.agency == cast.agency
    assert complaint.status == Status.RECEIVED
    assert complaint.verify_due == datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
    assert complaint.next_due == complaint.verify_due
    assert len(complaint.public_id) >= 22
    assert [e.to_status for e in complaint.timeline()] == [Status.RECEIVED]
    assert AuditLog.objects.filter(action="complaint_submitted").count() == 1


def test_reports_for_villages_outside_the_regency_or_not_onboarded_are_refused(cast, file_report):
    for village in (cast.foreign_village, cast.inactive_village):
        with pytest.raises(ValidationError) as error:
            file_report(village=village)
        assert "village" in error.value.message_dict


def test_the_full_journey_records_who_when_and_the_note(cast, cats, file_report):
    complaint, _code = file_report(now=FRIDAY)
    actions.verify_complaint(complaint, cast.command_center, now=FRIDAY)
    assert complaint.status == Status.DISPATCHED  # routed, so dispatched at once
    assert complaint.response_due == datetime(2026, 12, 2, 9, 0, tzinfo=WIB)
    actions.start_progress(complaint, cast.agency_officer, "Tim survei berangkat.")
    assert complaint.first_response_at is not None
    actions.resolve_complaint(complaint, cast.agency_officer, "Lubang sudah ditambal.")
    assert complaint.status == Status.RESOLVED and complaint.next_due is None
    actions.confirm_resolution(complaint, "Terima kasih.")
    assert complaint.status == Status.CLOSED
    kinds = [(e.to_status, e.actor_label) for e in complaint.timeline()]
    assert kinds == [
        (Status.RECEIVED, "Pelapor"),
        (Status.VERIFIED, "Command center"),
        (Status.DISPATCHED, "Command center"),
        (Status.IN_PROGRESS, "Dinas PUPR"),
        (Status.RESOLVED, "Dinas PUPR"),
        (Status.CLOSED, "Pelapor"),
    ]
    assert all(e.at for e in complaint.events.all())


def test_strangers_and_other_units_cannot_change_a_report(cast, cats, file_report):
    complaint, _ = file_report()
    for user in (cast.outsider, cast.other_agency_officer, cast.operator_b, cast.district_a):
        with pytest.raises(PermissionDenied):
            actions.verify_complaint(complaint, user)
    actions.verify_complaint(complaint, cast.command_center)
    for user in (cast.outsider, cast.other_agency_officer, cast.operator_a):
        with pytest.raises(PermissionDenied):
            actions.resolve_complaint(complaint, user, "selesai")
    with pytest.raises(PermissionDenied):
        actions.dispatch_complaint(
            complaint, cast.agency_officer, Unit(UnitKind.VILLAGE), reason="x"
        )


def test_redispatch_needs_a_reason_and_restarts_the_response_clock(cast, cats, file_report):
    complaint, _ = file_report(category=cats.other, now=FRIDAY)
    assert complaint.unit_kind == UnitKind.COMMAND_CENTER
    actions.verify_complaint(complaint, cast.command_center, now=FRIDAY)
    assert complaint.status == Status.VERIFIED
    actions.dispatch_complaint(
        complaint, cast.command_center, Unit(UnitKind.AGENCY, cast.agency.pk)
    )
    with pytest.raises(ValidationError):
        actions.dispatch_complaint(complaint, cast.command_center, Unit(UnitKind.VILLAGE))
    actions.dispatch_complaint(
        complaint, cast.command_center, Unit(UnitKind.VILLAGE), reason="Jalan milik desa."
    )
    assert complaint.unit_kind == UnitKind.VILLAGE and complaint.agency is None
    assert complaint.events.last().reason == "Jalan milik desa."
    actions.start_progress(complaint, cast.operator_a)


def test_a_unit_can_return_a_report_that_is_not_its_duty(cast, cats, file_report):
    complaint, _ = file_report()
    actions.verify_complaint(complaint, cast.agency_officer)
    actions.return_to_triage(
        complaint, cast.agency_officer, "Jalan nasional, bukan kewenangan kami."
    )
    assert complaint.unit_kind == UnitKind.COMMAND_CENTER
    assert complaint.status == Status.VERIFIED


@pytest.mark.parametrize("reason", list(RejectReason))
def test_rejections_need_their_reason(cast, cats, file_report, reason):
    complaint, _ = file_report()
    other, _ = file_report()
    with pytest.raises(ValidationError):
        actions.reject_complaint(complaint, cast.command_center, reason)
    actions.reject_complaint(
        complaint, cast.command_center, reason, note="Alasan untuk pelapor.", duplicate_of=other
    )
    assert complaint.status == Status.REJECTED and complaint.reject_reason == reason
    assert complaint.is_public == (reason != RejectReason.NOT_COMPLAINT)


def test_confidential_reports_are_never_public(cast, cats, file_report):
    complaint, _ = file_report(privacy=Privacy.CONFIDENTIAL)
    assert not complaint.is_public


def test_the_reporter_can_reopen_within_ten_working_days_and_the_clock_resumes(
    cast, cats, file_report
):
    complaint, _ = file_report(now=FRIDAY)
    actions.verify_complaint(complaint, cast.command_center, now=FRIDAY)
    actions.resolve_complaint(complaint, cast.agency_officer, "Sudah.", now=FRIDAY)
    assert complaint.confirm_due == datetime(2026, 12, 11, 9, 0, tzinfo=WIB)
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=WIB), tick=False):
        actions.reopen_complaint(complaint, "Lubang masih ada.")
    assert complaint.status == Status.IN_PROGRESS and complaint.reopened_count == 1
    # Resolved on the day of dispatch with 10 working days left: 10 more from the reopening.
    assert complaint.resolution_due == datetime(2026, 12, 18, 9, 0, tzinfo=WIB)


def test_after_ten_working_days_the_reporter_can_no_longer_reopen(cast, cats, file_report):
    complaint, _ = file_report(now=FRIDAY)
    actions.verify_complaint(complaint, cast.command_center, now=FRIDAY)
    actions.resolve_complaint(complaint, cast.agency_officer, "Sudah.", now=FRIDAY)
    with pytest.raises(ValidationError):
        actions.reopen_complaint(complaint, "Belum.", now=datetime(2026, 12, 12, tzinfo=WIB))


def test_assignment_only_to_members_of_the_unit(cast, cats, file_report):
    complaint, _ = file_report()
    actions.verify_complaint(complaint, cast.command_center)
    with pytest.raises(ValidationError):
        actions.assign(complaint, cast.agency_officer, cast.other_agency_officer)
    actions.assign(complaint, cast.agency_officer, cast.agency_officer)
    assert complaint.assignee == cast.agency_officer


def test_the_tracking_code_is_not_kept_in_the_task_queue(settings, cast, cats, file_report):
    from django_tasks_db.models import DBTaskResult

    from balai.notifications.models import Notification

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    _complaint, code = file_report()
    stored = [str(row.args_kwargs) for row in DBTaskResult.objects.all()]
    assert stored and not any(code in args for args in stored)
    # The reporter still gets the code, in the one message that must carry it.
    message = Notification.objects.get(recipient="siti@example.com")
    assert tracking.grouped(code) in message.body
