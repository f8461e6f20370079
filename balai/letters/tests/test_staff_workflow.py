"""Village staff work the queue: verify, check, sign, return, reject, record pickup."""

import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balai.letters import actions
from balai.letters.choices import RequestStatus, Step
from balai.letters.models import Letter, VillageLetterSettings
from balai.letters.tests.world import submit
from balai.lib.tests import pdfs
from balai.lib.uploads import clean_pdf


def step_url(req, step):
    return reverse("letters:staff-step", args=[req.uuid, step])


def detail_url(req):
    return reverse("letters:staff-detail", args=[req.uuid])


def test_the_queue_shows_open_requests_with_their_deadlines(
    client, login_as, world, django_assert_max_num_queries
):
    with time_machine.travel("2026-11-23 09:00 +07:00", tick=False):  # a Monday
        late = submit(world)
    with time_machine.travel("2026-11-27 09:00 +07:00", tick=False):
        fresh = submit(world)
        for _ in range(5):
            submit(world)
        login_as(world.operator_a)
        with django_assert_max_num_queries(8):
            response = client.get(reverse("letters:staff-queue"))
    rows = response.context["page"]
    assert rows[0] == late  # the oldest deadline first
    assert fresh in rows
    html = response.content.decode()
    assert "terlambat" in html and "sisa" in html


def test_sla_deadlines_count_working_days(world):
    with time_machine.travel("2026-11-27 09:00 +07:00", tick=False):  # a Friday
        req = submit(world)
    # three working days after a Friday morning: Wednesday morning
    assert req.due_at.isoformat().startswith("2026-12-02T09:00")


def test_the_queue_hides_other_villages_requests(client, login_as, world):
    mine = submit(world)
    theirs = submit(world, resident=world.budi)
    login_as(world.operator_b)
    rows = client.get(reverse("letters:staff-queue")).context["page"]
    assert theirs in rows and mine not in rows


def test_other_village_staff_get_404_on_a_request(client, login_as, world):
    req = submit(world)
    login_as(world.head_b)
    assert client.get(detail_url(req)).status_code == 404
    assert client.post(step_url(req, "verifikasi")).status_code == 404
    req.refresh_from_db()
    assert req.status == RequestStatus.SUBMITTED


def test_wrong_roles_get_403(client, login_as, world):
    req = submit(world)
    login_as(world.agency_officer)
    assert client.get(reverse("letters:staff-queue")).status_code == 403
    assert client.get(detail_url(req)).status_code == 403
    login_as(world.district_a)  # may read the district's requests, not act on them
    assert client.get(detail_url(req)).status_code == 200
    assert client.post(step_url(req, "verifikasi")).status_code == 403
    login_as(world.operator_a)
    actions.verify_request(req, world.operator_a)
    assert client.post(step_url(req, "tandatangani")).status_code == 403


def test_the_full_path_records_who_did_what_and_when(client, login_as, world, demo_pki):
    VillageLetterSettings.objects.filter(village=world.village_a).update(uses_secretary_check=True)
    req = submit(world)
    login_as(world.operator_a)
    client.post(step_url(req, "verifikasi"))
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_CHECK
    login_as(world.secretary_a)
    client.post(step_url(req, "periksa"))
    login_as(world.head_a)
    response = client.post(step_url(req, "tandatangani"), follow=True)
    assert "Surat ditandatangani dengan nomor" in response.content.decode()
    login_as(world.operator_a)
    client.post(step_url(req, "ambil"), {"collected_by": "Siti Wahyuni"})
    req.refresh_from_db()
    assert req.status == RequestStatus.COLLECTED
    assert req.collected_by_name == "Siti Wahyuni"
    steps = [(s.step, s.user) for s in req.steps.all()]
    assert steps == [
        (Step.VERIFIED, world.operator_a),
        (Step.CHECKED, world.secretary_a),
        (Step.SIGNED, world.head_a),
        (Step.COLLECTED, world.operator_a),
    ]


def test_a_village_without_verification_sends_requests_straight_to_the_head(world):
    VillageLetterSettings.objects.filter(village=world.village_a).update(uses_verification=False)
    assert submit(world).status == RequestStatus.AWAITING_SIGNATURE


def test_a_step_out_of_order_is_refused_with_a_message(client, login_as, world):
    req = submit(world)
    login_as(world.secretary_a)
    response = client.post(step_url(req, "periksa"), follow=True)
    assert "tidak dapat dilakukan" in response.content.decode()


def test_return_needs_a_reason_and_the_resident_resubmits(client, login_as, world):
    req = submit(world)
    login_as(world.operator_a)
    response = client.post(step_url(req, "kembalikan"), {"reason": ""}, follow=True)
    assert "Tuliskan alasannya" in response.content.decode()
    client.post(step_url(req, "kembalikan"), {"reason": "Foto KTP buram, unggah ulang."})
    req.refresh_from_db()
    assert req.status == RequestStatus.RETURNED
    client.logout()
    track = client.get(reverse("letters:track", args=[req.tracking_code])).content.decode()
    assert "Foto KTP buram" in track
    correct = reverse("letters:correct", args=[req.tracking_code])
    data = {
        "nik": world.siti.nik,
        "no_kk": world.siti.family.no_kk,
        "birth_date": "1961-07-02",
        "purpose": "melamar kerja di pabrik gula",
        "phone": "081234567890",
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    from balai.letters.tests.world import png_bytes

    def files():
        return {
            "syarat_ktp": SimpleUploadedFile("k.png", png_bytes()),
            "syarat_kk": SimpleUploadedFile("kk.png", png_bytes()),
        }

    # Someone else's identity does not open the correction.
    wrong = client.post(correct, {**data, **files(), "nik": world.budi.nik})
    assert "Data tidak cocok" in wrong.content.decode()
    response = client.post(correct, {**data, **files()})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.SUBMITTED
    assert req.purpose == "melamar kerja di pabrik gula"
    assert req.steps.last().step == Step.RESUBMITTED


def test_reject_records_the_reason(client, login_as, world):
    req = submit(world)
    login_as(world.head_a)
    client.post(step_url(req, "tolak"), {"reason": "Bukan penduduk dusun ini."})
    req.refresh_from_db()
    assert req.status == RequestStatus.REJECTED
    assert req.reject_reason == "Bukan penduduk dusun ini."


def test_ready_notifies_by_email(world, demo_pki, smtp_server, django_capture_on_commit_callbacks):
    req = actions.verify_request(
        submit(world, phone="", email="siti@example.org"), world.operator_a
    )
    smtp_server.messages.clear()  # "received", queued with the request (sent at once here)
    with django_capture_on_commit_callbacks(execute=True):
        letter = actions.sign_request(req, world.head_a)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "siti@example.org"
    assert letter.number in message.get_payload()
    assert req.tracking_code in message.get_payload()


def test_ready_notifies_through_the_whatsapp_gateway(
    world, demo_pki, httpserver, settings, django_capture_on_commit_callbacks
):
    settings.BALAI_MESSAGE_GATEWAY_URL = httpserver.url_for("/send")
    settings.BALAI_MESSAGE_GATEWAY_TOKEN = "rahasia"
    httpserver.expect_request("/send", method="POST").respond_with_json({"ok": True})
    req = actions.verify_request(submit(world), world.operator_a)
    httpserver.clear_log()  # "received", queued with the request (sent at once here)
    with django_capture_on_commit_callbacks(execute=True):
        actions.sign_request(req, world.head_a)
    ((sent, _response),) = httpserver.log
    body = json.loads(sent.data)
    assert body["channel"] == "whatsapp" and body["to"] == "6281234567890"
    assert "siap diambil" in body["message"]
    assert sent.headers["Authorization"] == "Bearer rahasia"


def test_a_document_is_served_only_to_the_villages_staff(client, login_as, world):
    from django.core.files.base import ContentFile

    from balai.letters.tests.world import png_bytes

    req, _ = actions.submit_request(
        village=world.village_a,
        letter_type=world.domisili,
        resident=world.siti,
        purpose="x" * 6,
        values={},
        phone="6281234567890",
        documents=[
            ("ktp", "Foto KTP-el", ContentFile(png_bytes(), name="a.png")),
            ("kk", "Kartu Keluarga", clean_pdf(SimpleUploadedFile("kk.pdf", pdfs.scan(1, 300)))),
        ],
    )
    photo, scan = req.documents.get(key="ktp"), req.documents.get(key="kk")
    url = reverse("letters:staff-document", args=[req.uuid, photo.uuid])
    login_as(world.operator_b)
    assert client.get(url).status_code == 404
    login_as(world.operator_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # An image may show inline, but only as the image it is and in a sandbox.
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    # A PDF is always a download: never opened in the staff member's session.
    response = client.get(reverse("letters:staff-document", args=[req.uuid, scan.uuid]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"


def test_only_the_head_revokes_and_the_letter_shows_revoked(client, login_as, world, demo_pki):
    letter = actions.sign_request(
        actions.verify_request(submit(world), world.operator_a), world.head_a
    )
    url = reverse("letters:staff-revoke", args=[letter.public_id])
    login_as(world.operator_a)
    assert client.post(url, {"reason": "Data salah tulis."}).status_code == 403
    login_as(world.head_b)
    assert client.post(url, {"reason": "Data salah tulis."}).status_code == 404
    login_as(world.head_a)
    client.post(url, {"reason": "Data salah tulis."})
    letter = Letter.objects.get()
    assert letter.is_revoked and letter.revoked_by == world.head_a


def test_a_head_without_a_certificate_sees_a_clear_message(client, login_as, world, data_dir):
    req = actions.verify_request(submit(world), world.operator_a)
    login_as(world.head_a)
    response = client.post(step_url(req, "tandatangani"), follow=True)
    assert "Sertifikat tanda tangan elektronik" in response.content.decode()
    assert not Letter.objects.exists()


@pytest.mark.parametrize("role", ["head_a", "secretary_a"])
def test_the_village_chooses_its_steps_and_types(client, login_as, world, role):
    login_as(getattr(world, role))
    url = reverse("letters:staff-settings")
    response = client.post(
        url,
        {
            "address": "Jl. Raya 2",
            "uses_verification": "on",
            "uses_secretary_check": "on",
            "enabled_types": [world.usaha.pk],
        },
    )
    assert response.status_code == 302
    options = VillageLetterSettings.objects.get(village=world.village_a)
    assert options.uses_secretary_check and options.address == "Jl. Raya 2"
    from balai.letters.models import LetterType

    assert list(LetterType.objects.enabled_in(world.village_a)) == [world.usaha]


def test_an_operator_cannot_change_the_village_settings(client, login_as, world):
    login_as(world.operator_a)
    assert client.get(reverse("letters:staff-settings")).status_code == 403


def test_the_staff_pdf_is_for_the_villages_staff_only(client, login_as, world, demo_pki):
    letter = actions.sign_request(
        actions.verify_request(submit(world), world.operator_a), world.head_a
    )
    url = reverse("letters:staff-pdf", args=[letter.public_id])
    login_as(world.operator_b)
    assert client.get(url).status_code == 404
    login_as(world.agency_officer)
    assert client.get(url).status_code == 403
    login_as(world.operator_a)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"


def test_pins_are_given_by_village_staff_only(client, login_as, world):
    login_as(world.district_a)
    assert client.get(reverse("letters:staff-pin")).status_code == 403
    login_as(world.operator_b)
    response = client.post(reverse("letters:staff-pin"), {"nik": world.siti.nik})
    assert response.context["form"].errors["nik"]  # Siti is not of village B


def test_the_correction_page_shows_no_personal_data_before_identification(client, login_as, world):
    """Anyone holding the tracking code may open it: no contact details or answers."""
    req = submit(
        world,
        phone="6281299887766",
        email="siti.rahayu@contoh.id",
        purpose="mengurus warisan almarhum suami",
    )
    actions.send_back(
        req, world.operator_a, "Foto KTP buram, unggah ulang.", to=RequestStatus.RETURNED
    )
    client.logout()
    response = client.get(reverse("letters:correct", args=[req.tracking_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Foto KTP buram" in html
    assert "81299887766" not in html
    assert "siti.rahayu@contoh.id" not in html
    assert "warisan almarhum" not in html
