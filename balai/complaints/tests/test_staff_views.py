"""The staff side: queues per unit, detail, actions, and who may see or do what."""

from datetime import timedelta

import pytest
from django.utils import timezone

from balai.accounts.models import AuditLog
from balai.complaints import actions
from balai.complaints.choices import Privacy, Status, UnitKind
from balai.complaints.models import Complaint


def test_each_role_sees_its_scope(cast, cats, file_report):
    road_a, _ = file_report()
    road_b, _ = file_report(village=cast.village_b)
    village_matter, _ = file_report(category=cats.village_road)
    bribery, _ = file_report(category=cats.bribery)

    def seen(user):
        return set(Complaint.objects.for_user(user).values_list("pk", flat=True))

    everyone = {road_a.pk, road_b.pk, village_matter.pk, bribery.pk}
    assert seen(cast.command_center) == everyone and seen(cast.admin) == everyone
    assert seen(cast.agency_officer) == {road_a.pk, road_b.pk}
    assert seen(cast.other_agency_officer) == set()
    assert seen(cast.operator_a) == {road_a.pk, village_matter.pk}
    assert seen(cast.operator_b) == {road_b.pk}
    assert seen(cast.district_a) == {road_a.pk, village_matter.pk}
    assert seen(cast.outsider) == set()


def test_the_unit_queue_is_sorted_by_due_time(client, login_as, cast, cats, file_report):
    now = timezone.now()
    later, _ = file_report(now=now - timedelta(hours=1))
    earlier, _ = file_report(now=now - timedelta(days=3))
    login_as(cast.agency_officer)
    page = client.get("/aduan/staf/").content.decode()
    assert page.index(earlier.public_id) < page.index(later.public_id)
    assert "terlambat" in page


def test_the_queue_uses_a_fixed_number_of_queries(
    client, login_as, cast, cats, file_report, django_assert_max_num_queries
):
    for _ in range(12):
        complaint, _ = file_report()
        actions.assign(complaint, cast.agency_officer, cast.agency_officer)
    login_as(cast.agency_officer)
    with django_assert_max_num_queries(12):
        response = client.get("/aduan/staf/?mine=on&overdue=")
    assert response.content.decode().count("/aduan/staf/") >= 12


def test_another_units_report_is_a_404_and_audited(client, login_as, cast, cats, file_report):
    complaint, _ = file_report()
    for user in (cast.other_agency_officer, cast.operator_b):
        client.logout()
        login_as(user)
        assert client.get(f"/aduan/staf/{complaint.public_id}/").status_code == 404
        response = client.post(f"/aduan/staf/{complaint.public_id}/verify/", {"note": ""})
        assert response.status_code == 404
    assert AuditLog.objects.filter(action="access_denied").count() >= 2
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_a_user_without_a_staff_role_gets_403(client, login_as, cast, cats, file_report):
    complaint, _ = file_report()
    login_as(cast.outsider)
    assert client.get("/aduan/staf/").status_code == 403
    assert client.get(f"/aduan/staf/{complaint.public_id}/").status_code == 403


def test_district_staff_may_read_and_note_but_not_act(client, login_as, cast, cats, file_report):
    complaint, _ = file_report()
    login_as(cast.district_a)
    assert client.get(f"/aduan/staf/{complaint.public_id}/").status_code == 200
    assert client.post(f"/aduan/staf/{complaint.public_id}/verify/").status_code == 403
    client.post(f"/aduan/staf/{complaint.public_id}/note/", {"note": "Dipantau kecamatan."})
    assert complaint.events.filter(is_internal=True).count() == 1


def test_strangers_are_sent_to_log_in(client, cats, file_report):
    complaint, _ = file_report()
    response = client.post(f"/aduan/staf/{complaint.public_id}/verify/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_the_unit_works_a_report_through_the_pages(client, login_as, cast, cats, file_report):
    complaint, _ = file_report()
    login_as(cast.agency_officer)
    url = f"/aduan/staf/{complaint.public_id}/"
    client.post(url + "verify/", {"note": ""})
    client.post(url + "start/", {"note": "Survei besok."})
    client.post(url + "assign/", {"assignee": cast.agency_officer.pk})
    client.post(url + "resolve/", {"note": "Selesai ditambal."})
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    assert complaint.assignee == cast.agency_officer


def test_the_command_center_dispatches_and_rejects(client, login_as, cast, cats, file_report):
    complaint, _ = file_report(category=cats.other)
    duplicate, _ = file_report()
    login_as(cast.command_center)
    client.post(
        f"/aduan/staf/{complaint.public_id}/dispatch/", {"unit": f"agency:{cast.other_agency.pk}"}
    )
    complaint.refresh_from_db()
    assert complaint.unit_kind == UnitKind.AGENCY and complaint.agency == cast.other_agency
    client.post(
        f"/aduan/staf/{duplicate.public_id}/reject/",
        {"reason": "duplicate", "duplicate_of": complaint.get_absolute_url()},
    )
    duplicate.refresh_from_db()
    assert duplicate.status == Status.REJECTED and duplicate.duplicate_of == complaint


@pytest.mark.parametrize("privacy", [Privacy.ANONYMOUS, Privacy.CONFIDENTIAL])
def test_hidden_identities_are_not_shown_to_the_agency(
    client, login_as, cast, cats, file_report, privacy
):
    complaint, _ = file_report(privacy=privacy, reporter_name="Bambang Sutejo")
    login_as(cast.agency_officer)
    page = client.get(f"/aduan/staf/{complaint.public_id}/").content.decode()
    assert "Bambang" not in page and "siti@example.com" not in page
    client.logout()
    login_as(cast.command_center)
    assert "Bambang" in client.get(f"/aduan/staf/{complaint.public_id}/").content.decode()


def test_the_staff_home_links_the_queue_and_the_routing_table(client, login_as, cast):
    login_as(cast.admin)
    page = client.get("/staf/").content.decode()
    assert "/aduan/staf/" in page and "/admin/complaints/category/" in page
    client.logout()
    login_as(cast.agency_officer)
    page = client.get("/staf/").content.decode()
    assert "/aduan/staf/" in page and "/admin/complaints/" not in page


AUDIT_URL = "/akun/log-audit/"


def _post_report(client, cats, cast, category, privacy="public", ip="203.0.113.77"):
    return client.post(
        "/aduan/lapor/",
        {
            "category": category.code,
            "village": cast.village_a.code,
            "description": "Ada pungutan di kantor untuk surat pengantar.",
            "privacy": privacy,
            "reporter_name": "Budi Santoso",
            "reporter_email": "budi@example.com",
        },
        REMOTE_ADDR=ip,
    )


@pytest.mark.parametrize("viewer", ["operator_a", "head_a", "district_a"])
def test_village_and_district_audit_pages_hide_sensitive_reports(
    client, login_as, cast, cats, file_report, viewer
):
    bribery, _ = file_report(category=cats.bribery)
    actions.verify_complaint(bribery, cast.command_center, "")
    road, _ = file_report()
    login_as(getattr(cast, viewer))
    page = client.get(AUDIT_URL).content.decode()
    assert f"complaints.complaint {road.pk}<" in page
    assert f"complaints.complaint {bribery.pk}<" not in page
    assert "pungli" not in page


def test_the_unit_never_sees_the_ip_of_an_anonymous_reporter_in_the_audit_log(
    client, login_as, cast, cats
):
    _post_report(client, cats, cast, cats.village_road, privacy=Privacy.ANONYMOUS)
    complaint = Complaint.objects.get()
    assert AuditLog.objects.filter(action="complaint_submitted", ip="203.0.113.77").exists()
    login_as(cast.operator_a)
    page = client.get(AUDIT_URL).content.decode()
    assert "203.0.113.77" not in page
    login_as(cast.command_center)  # an address is personal data: the regency admin's alone
    assert "203.0.113.77" not in client.get(AUDIT_URL).content.decode()
    login_as(cast.admin)
    assert "203.0.113.77" in client.get(AUDIT_URL).content.decode()
    assert complaint.unit_kind == UnitKind.VILLAGE


def test_reading_a_reporters_identity_is_audited_and_hidden_identity_is_not(
    client, login_as, cast, cats, file_report
):
    shown, _ = file_report()
    hidden, _ = file_report(privacy=Privacy.ANONYMOUS)
    login_as(cast.agency_officer)
    client.get(f"/aduan/staf/{shown.public_id}/")
    client.get(f"/aduan/staf/{hidden.public_id}/")
    rows = AuditLog.objects.filter(action="complaint.identity_viewed")
    assert [(r.object_id, r.user) for r in rows] == [(str(shown.pk), cast.agency_officer)]
    assert "siti" not in str(rows[0].detail).lower()
