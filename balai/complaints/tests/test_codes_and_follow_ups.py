"""Codes people can keep (a short reference and a link), a helpful page for a
mistyped code, and the reporter's follow-ups: comments, photos, a rating."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from balai.accounts.models import AuditLog
from balai.complaints import actions
from balai.complaints.choices import EventKind, PhotoKind, Status
from balai.lib import tracking

from .conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def test_every_report_gets_a_short_reference_that_checks_itself(file_report):
    complaint, _ = file_report()
    ref = complaint.short_ref
    assert len(ref) == 8 and tracking.normalise_short(ref.lower()) == ref
    typo = ref[:5] + ("A" if ref[5] != "A" else "B") + ref[6:]
    assert tracking.wrong_short_groups(typo) == [2]


def test_a_short_reference_clash_files_the_report_again_without_a_read_first(
    file_report, monkeypatch
):
    """The unique index refuses a taken short reference; the report is filed again,
    whole, with another. No SELECT asks beforehand whether a reference is free."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from balai.complaints.models import Complaint
    from balai.notifications.models import Notification

    first, _ = file_report()
    fresh = tracking.new_short_ref()
    refs = iter([first.short_ref, fresh])
    monkeypatch.setattr(tracking, "new_short_ref", lambda: next(refs))
    second, _ = file_report(reporter_email="budi@example.com")
    assert second.short_ref == fresh
    assert Complaint.objects.count() == 2
    assert AuditLog.objects.filter(action="complaint_submitted").count() == 2
    assert Notification.objects.count() == 2  # the first attempt's message rolled back
    monkeypatch.undo()
    with CaptureQueriesContext(connection) as queries:
        file_report()
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert [q for q in reads if '."short_ref" = ' in q] == []


def test_a_short_reference_opens_a_report_only_with_the_phone_digits(client, file_report):
    complaint, _ = file_report(reporter_phone="0812 3456 7890")
    ref = tracking.grouped(complaint.short_ref)
    refused = client.post("/aduan/lacak/", {"code": ref, "phone_tail": "1111"})
    assert refused.status_code == 200 and "Kode tidak dikenal" in refused.content.decode()
    opened = client.post("/aduan/lacak/", {"code": ref, "phone_tail": "7890"}, follow=True)
    assert complaint.description in opened.content.decode()
    # The page it lands on is keyed by the public id and opens only in this session.
    url = opened.redirect_chain[-1][0]
    assert complaint.public_id in url
    assert client.get(url).status_code == 200
    client.logout()
    client.cookies.clear()
    assert client.get(url).status_code == 404


def test_a_report_without_a_phone_is_not_opened_by_its_short_reference(client, file_report):
    complaint, _ = file_report()
    page = client.post("/aduan/lacak/", {"code": complaint.short_ref, "phone_tail": ""})
    assert complaint.description not in page.content.decode()


def test_a_link_with_the_long_code_reopens_the_tracking_page(client, file_report):
    complaint, code = file_report()
    page = client.get(f"/aduan/lacak/{tracking.grouped(code).lower()}/", follow=True)
    assert page.status_code == 200 and complaint.description in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")


def test_a_mistyped_code_gets_help_not_a_bare_404_and_no_one_elses_report(client, file_report):
    mine, code = file_report(description="Lampu jalan mati di RT 3.")
    other, _ = file_report(description="Laporan orang lain.")
    client.get(f"/aduan/lacak/{code}/")  # this browser opened its own report once
    typo = code[:9] + "U" + code[10:]
    page = client.get(f"/aduan/lacak/{typo}/")
    text = page.content.decode()
    assert page.status_code == 404
    assert "kelompok ke-3" in text
    assert mine.public_id in text and other.public_id not in text
    assert "Laporan orang lain." not in text
    typed = tracking.ALPHABET[(tracking.ALPHABET.index(other.short_ref[2]) + 1) % 31]
    short = other.short_ref[:2] + typed + other.short_ref[3:]
    helped = client.post("/aduan/lacak/", {"code": short, "phone_tail": "1234"}).content.decode()
    assert "kelompok ke-1" in helped and other.public_id not in helped


def test_the_reporter_adds_a_comment_and_a_photo_which_staff_see(client, cast, file_report):
    complaint, code = file_report()
    url = f"/aduan/lacak/{code}/"
    photo = SimpleUploadedFile("f.jpg", jpeg_bytes((2000, 1500)), "image/jpeg")
    response = client.post(
        url, {"action": "follow-up", "note": "Lubangnya makin lebar.", "photo": photo}
    )
    assert response.status_code == 302
    event = complaint.events.get(kind=EventKind.REPORTER)
    assert event.note == "Lubangnya makin lebar." and not event.is_internal
    added = complaint.photos.get(kind=PhotoKind.FOLLOW_UP)
    assert added.thumb and added.medium
    assert AuditLog.objects.filter(action="complaint_follow_up").count() == 1
    client.force_login(cast.command_center)
    staff = client.get(f"/aduan/staf/{complaint.public_id}/").content.decode()
    assert "Lubangnya makin lebar." in staff
    assert f"/aduan/foto/{added.public_id}/?ukuran=kecil" in staff


def test_follow_ups_are_limited_per_report(client, file_report):
    complaint, code = file_report()
    for n in range(actions.FOLLOW_UPS_PER_DAY + 1):
        client.post(f"/aduan/lacak/{code}/", {"action": "follow-up", "note": f"Tambahan {n}"})
    assert complaint.events.filter(kind=EventKind.REPORTER).count() == actions.FOLLOW_UPS_PER_DAY


def test_the_reporter_rates_a_resolved_report_once(client, cast, file_report):
    complaint, code = file_report()
    url = f"/aduan/lacak/{code}/"
    client.post(url, {"action": "rate", "rating": "5"})
    complaint.refresh_from_db()
    assert complaint.rating is None  # not resolved yet
    actions.verify_complaint(complaint, cast.command_center)
    actions.resolve_complaint(complaint, cast.agency_officer, "Sudah ditambal.")
    assert "Nilai penanganan" in client.get(url).content.decode()
    client.post(url, {"action": "rate", "rating": "4", "rating_comment": "Cepat."})
    client.post(url, {"action": "rate", "rating": "1"})
    complaint.refresh_from_db()
    assert complaint.rating == 4 and complaint.rating_comment == "Cepat."
    assert complaint.status == Status.RESOLVED
    assert AuditLog.objects.filter(action="complaint_rated").count() == 1
    assert "Penilaian Anda: 4 dari 5" in client.get(url).content.decode()


def test_the_received_message_holds_the_short_reference_and_a_link(
    file_report, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint, code = file_report()
    [message] = [m for m in mailoutbox if m.subject == "Aduan diterima"]
    assert tracking.grouped(complaint.short_ref) in message.body
    assert f"/aduan/lacak/{code}/" in message.body


def test_photos_survive_a_form_error_and_are_sent_with_the_fixed_form(client, cast, cats):
    from balai.complaints.models import Complaint

    from .test_public_pages import form_data

    photo = SimpleUploadedFile("f.jpg", jpeg_bytes((1200, 900)), "image/jpeg")
    broken = form_data(cast, photos=[photo], description="")
    page = client.post("/aduan/lapor/", broken).content.decode()
    assert not Complaint.objects.exists()
    [token] = client.session["kept_uploads"]
    assert f'value="{token}"' in page
    fixed = form_data(cast, description="Jalan berlubang.", kept_upload=[token])
    response = client.post("/aduan/lapor/", fixed)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.photos.count() == 1 and complaint.photos.get().thumb
    assert client.session["kept_uploads"] == {}


def test_a_kept_file_of_another_session_is_never_used(client, cast, cats):
    from balai.complaints.models import Complaint

    from .test_public_pages import form_data

    photo = SimpleUploadedFile("f.jpg", jpeg_bytes(), "image/jpeg")
    client.post("/aduan/lapor/", form_data(cast, photos=[photo], description=""))
    [token] = client.session["kept_uploads"]
    client.cookies.clear()
    client.post("/aduan/lapor/", form_data(cast, kept_upload=[token]))
    assert Complaint.objects.get().photos.count() == 0
