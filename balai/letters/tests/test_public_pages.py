"""Tracking, verification, download and the PIN pages residents use."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balai.letters import actions
from balai.letters.choices import Step
from balai.letters.models import ResidentPin, VillageLetterSettings
from balai.letters.tests.world import submit
from balai.lib import tracking
from balai.residents.choices import Status


@pytest.fixture
def letter(world, demo_pki):
    req = actions.verify_request(submit(world), world.operator_a)
    return actions.sign_request(req, world.head_a)


def test_the_tracking_page_says_the_status_without_personal_data(client, world):
    req = submit(world)
    response = client.get(reverse("letters:track", args=[req.tracking_code]))
    html = response.content.decode()
    assert "Menunggu verifikasi" in html
    assert req.grouped_code in html
    assert "Siti" not in html and "SITI" not in html and world.siti.nik not in html


def test_a_typed_code_is_read_forgivingly(client, world):
    req = submit(world)
    typed = req.grouped_code.lower()
    response = client.get(reverse("letters:track-lookup"), {"kode": typed})
    assert response["Location"] == reverse("letters:track", args=[req.tracking_code])
    response = client.get(reverse("letters:track-lookup"), {"kode": "ABC"})
    assert "seharusnya berisi 8" in response.content.decode()


def test_a_short_reference_opens_the_request_with_the_phone_digits(client, world):
    req = submit(world)
    assert req.phone and len(req.short_ref) == 8
    tail = tracking.phone_tail(req.phone)
    lookup = reverse("letters:track-lookup")
    refused = client.get(lookup, {"kode": req.grouped_short_ref, "hp": "0000"})
    assert refused.status_code == 200 and req.tracking_code not in refused.content.decode()
    found = client.get(lookup, {"kode": req.grouped_short_ref.lower(), "hp": tail})
    assert found["Location"] == reverse("letters:track", args=[req.tracking_code])
    page = client.get(found["Location"]).content.decode()
    assert req.grouped_short_ref in page


def test_a_short_reference_clash_inserts_the_request_again_without_a_read_first(world, monkeypatch):
    """The unique index refuses a taken short reference; the request, its audit row
    and message are inserted again, whole, with another. No SELECT asks beforehand."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from balai.accounts.models import AuditLog
    from balai.letters.models import LetterRequest
    from balai.notifications.models import Notification

    first = submit(world)
    fresh = tracking.new_short_ref()
    refs = iter([first.short_ref, fresh])
    monkeypatch.setattr(tracking, "new_short_ref", lambda: next(refs))
    second = submit(world)
    assert second.short_ref == fresh
    assert LetterRequest.objects.count() == 2
    assert AuditLog.objects.filter(action="letter_request.submitted").count() == 2
    # The first attempt's message rolled back; the one sent says the new reference.
    messages = list(Notification.objects.order_by("pk"))
    assert len(messages) == 2 and tracking.grouped(fresh) in messages[1].body
    monkeypatch.undo()
    with CaptureQueriesContext(connection) as queries:
        submit(world)
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert [q for q in reads if '."short_ref" = ' in q] == []


def test_a_mistyped_code_is_explained_and_lists_only_this_browsers_requests(client, world):
    req = submit(world)
    other = submit(world)
    tail = tracking.phone_tail(req.phone)
    client.get(reverse("letters:track-lookup"), {"kode": req.grouped_short_ref, "hp": tail})
    typo = req.tracking_code[:26] + "UU"
    response = client.get(reverse("letters:track", args=[typo]))
    html = response.content.decode()
    assert response.status_code == 404 and "kelompok ke-7" in html
    assert req.tracking_code in html and other.tracking_code not in html


def test_the_resident_hears_the_short_reference_at_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = submit(world, email="siti@example.com")
    bodies = [m.body for m in mailoutbox if req.grouped_short_ref in m.body]
    assert bodies and req.tracking_code in bodies[0]


def test_an_unknown_code_is_404(client, world):
    assert client.get(reverse("letters:track", args=["A" * 28])).status_code == 404


def test_the_verification_page_says_valid_with_a_masked_name(client, letter):
    response = client.get(reverse("letters:verify", args=[letter.public_id]))
    html = response.content.decode()
    assert 'data-verdict="valid"' in html
    assert "S*** W******" in html and "SITI" not in html
    assert letter.number in html


def test_the_verification_page_says_revoked(client, letter, world):
    actions.revoke_letter(letter, world.head_a, "Salah data tanggal lahir.")
    html = client.get(reverse("letters:verify", args=[letter.public_id])).content.decode()
    assert 'data-verdict="revoked"' in html and "Salah data tanggal lahir." in html


def test_the_verification_page_says_unknown(client, world):
    response = client.get(reverse("letters:verify", args=["tidak-ada-surat-ini"]))
    assert response.status_code == 404
    assert 'data-verdict="unknown"' in response.content.decode()


def test_an_uploaded_pdf_is_checked_against_the_issued_one(client, letter):
    url = reverse("letters:verify", args=[letter.public_id])
    pdf = letter.pdf.read()
    same = client.post(url, {"pdf": SimpleUploadedFile("s.pdf", pdf)}).content.decode()
    assert 'data-match="yes"' in same
    changed = pdf.replace(b"SITI", b"SITU", 1) if b"SITI" in pdf else pdf + b"\n%x"
    other = client.post(url, {"pdf": SimpleUploadedFile("s.pdf", changed)}).content.decode()
    assert 'data-match="no"' in other


def test_the_public_id_is_unguessable(letter):
    assert len(letter.public_id) >= 22  # 128 random bits, URL-safe base64


def test_download_needs_the_village_to_allow_it_and_identification(client, letter, world):
    req = letter.request
    track = reverse("letters:track", args=[req.tracking_code])
    url = reverse("letters:download", args=[req.tracking_code])
    assert "Unduh surat" not in client.get(track).content.decode()
    assert client.get(url).status_code == 302
    VillageLetterSettings.objects.filter(village=world.village_a).update(allows_download=True)
    assert "Unduh surat" in client.get(track).content.decode()
    bad = client.post(
        url, {"nik": world.siti.nik, "no_kk": world.siti.family.no_kk, "birth_date": "1961-07-03"}
    )
    assert "Data tidak cocok" in bad.content.decode()
    good = client.post(
        url, {"nik": world.siti.nik, "no_kk": world.siti.family.no_kk, "birth_date": "1961-07-02"}
    )
    assert good["Content-Type"] == "application/pdf"
    assert b"".join(good.streaming_content) == letter.pdf.open("rb").read()
    assert req.steps.filter(step=Step.DOWNLOADED).exists()


def test_a_revoked_letter_cannot_be_downloaded(client, letter, world):
    VillageLetterSettings.objects.filter(village=world.village_a).update(allows_download=True)
    actions.revoke_letter(letter, world.head_a, "Dicabut karena salah.")
    url = reverse("letters:download", args=[letter.request.tracking_code])
    assert client.get(url).status_code == 302


def test_a_pin_is_issued_once_hashed_and_must_be_changed(client, login_as, world):
    login_as(world.operator_a)
    response = client.post(reverse("letters:staff-pin"), {"nik": world.siti.nik})
    pin = response.context["pin"]
    assert len(pin) == 6 and pin.isdigit()
    record = ResidentPin.objects.get()
    assert record.pin_hash.startswith(("pbkdf2_sha256$", "argon2"))  # the tests' or production's
    assert pin not in record.pin_hash
    # A resident of another village cannot be given a PIN here.
    response = client.post(reverse("letters:staff-pin"), {"nik": world.budi.nik})
    assert response.context["form"].errors["nik"]
    client.logout()
    submit(world)
    login = client.post(reverse("letters:pin-login"), {"nik": world.siti.nik, "pin": pin})
    assert login["Location"] == reverse("letters:mine")
    assert client.get(reverse("letters:mine"))["Location"] == reverse("letters:pin-change")
    weak = client.post(reverse("letters:pin-change"), {"new_pin": "111111", "again": "111111"})
    assert weak.context["form"].errors["new_pin"]
    client.post(reverse("letters:pin-change"), {"new_pin": "583920", "again": "583920"})
    mine = client.get(reverse("letters:mine"))
    assert len(mine.context["requests"]) == 1


def test_pins_hash_with_argon2_in_production_settings(world):
    from django.conf import settings as live

    assert (
        live.PASSWORD_HASHERS
    )  # tests use a one-iteration PBKDF2 for speed; production lists argon2 first
    from balai import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_a_wrong_pin_is_refused_and_rate_limited(client, world):
    actions.issue_pin(world.siti, world.operator_a)
    for _ in range(5):
        response = client.post(
            reverse("letters:pin-login"), {"nik": world.siti.nik, "pin": "000000"}
        )
        assert "NIK atau PIN tidak cocok" in response.content.decode()
    response = client.post(reverse("letters:pin-login"), {"nik": world.siti.nik, "pin": "1"})
    assert "Terlalu banyak percobaan" in response.content.decode()


def test_a_resident_recorded_dead_or_moved_cannot_sign_in_with_a_pin(client, world):
    pin = actions.issue_pin(world.siti, world.operator_a)
    world.siti.status = Status.MOVED
    world.siti.save(update_fields=["status"])
    response = client.post(reverse("letters:pin-login"), {"nik": world.siti.nik, "pin": pin})
    assert "NIK atau PIN tidak cocok" in response.content.decode()
    assert client.get(reverse("letters:mine")).status_code == 302


def test_the_pin_pages_need_a_pin_session(client, world):
    assert client.get(reverse("letters:mine"))["Location"] == reverse("letters:pin-login")


def test_the_tracking_page_is_one_query_even_for_a_ready_letter(
    client, letter, django_assert_num_queries
):
    url = reverse("letters:track", args=[letter.request.tracking_code])
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_the_tracking_page_speaks_english_on_request(client, world):
    req = submit(world)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("letters:track", args=[req.tracking_code])).content.decode()
    assert "Waiting for verification" in html
    assert "Village staff will check your details and documents." in html


def test_a_new_pin_ends_the_sessions_opened_with_the_old_one(client, world):
    """A PIN re-issued because it leaked must shut out whoever used the old one."""
    old = actions.issue_pin(world.siti, world.operator_a)
    client.post(reverse("letters:pin-login"), {"nik": world.siti.nik, "pin": old})
    client.post(reverse("letters:pin-change"), {"new_pin": "583920", "again": "583920"})
    assert client.get(reverse("letters:mine")).status_code == 200
    actions.issue_pin(world.siti, world.operator_a)  # the village gives a new PIN
    assert client.get(reverse("letters:mine"))["Location"] == reverse("letters:pin-login")
    taken = client.post(reverse("letters:pin-change"), {"new_pin": "740193", "again": "740193"})
    assert taken["Location"] == reverse("letters:pin-login")
    record = ResidentPin.objects.get()
    assert record.must_change  # the old session did not set a PIN of its own


def test_changing_a_chosen_pin_needs_the_current_one(client, world):
    """Whoever finds an open session cannot lock the resident out with a PIN of their own."""
    first = actions.issue_pin(world.siti, world.operator_a)
    client.post(reverse("letters:pin-login"), {"nik": world.siti.nik, "pin": first})
    client.post(reverse("letters:pin-change"), {"new_pin": "583920", "again": "583920"})
    change = reverse("letters:pin-change")
    blind = client.post(change, {"new_pin": "740193", "again": "740193"})
    assert blind.context["form"].errors["current_pin"]
    wrong = client.post(change, {"current_pin": "000000", "new_pin": "740193", "again": "740193"})
    assert "PIN saat ini salah" in wrong.content.decode()
    record = ResidentPin.objects.get()
    assert not record.must_change
    from django.contrib.auth.hashers import check_password

    assert check_password("583920", record.pin_hash)
    right = client.post(change, {"current_pin": "583920", "new_pin": "740193", "again": "740193"})
    assert right["Location"] == reverse("letters:mine")
    record.refresh_from_db()
    assert check_password("740193", record.pin_hash)
