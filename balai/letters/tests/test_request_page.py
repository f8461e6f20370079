"""A resident requests a letter: identify, fill in, upload, submit once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from balai.accounts.models import AuditLog
from balai.letters.choices import RequestStatus
from balai.letters.models import LetterRequest, VillageLetterType
from balai.letters.tests.world import png_bytes

MISMATCH = "Data tidak cocok dengan data kependudukan desa"


def url(world, code="domisili", village=None):
    return reverse("letters:request", args=[(village or world.village_a).code, code])


def form_data(client, world, code="domisili", **overrides):
    page = client.get(url(world, code))
    key = page.context["form"].initial["idempotency_key"]
    data = {
        "nik": "3508014207610001",
        "no_kk": "3508010101090001",
        "birth_date": "1961-07-02",
        "purpose": "melamar pekerjaan",
        "phone": "0812-3456-7890",
        "email": "",
        "idempotency_key": str(key),
        "syarat_ktp": SimpleUploadedFile("ktp.png", png_bytes()),
        "syarat_kk": SimpleUploadedFile("kk.png", png_bytes()),
    }
    data.update(overrides)
    return data


def test_it_makes_a_request_and_shows_its_tracking_code(client, world):
    response = client.post(url(world), form_data(client, world))
    req = LetterRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("letters:track", args=[req.tracking_code]))
    assert req.resident == world.siti
    assert req.phone == "6281234567890"
    assert req.status == RequestStatus.SUBMITTED
    assert req.due_at is not None
    assert sorted(d.key for d in req.documents.all()) == ["kk", "ktp"]
    assert not req.steps.exists()  # the request row records its submission
    assert AuditLog.objects.filter(action="letter_request.submitted").exists()
    assert len(req.tracking_code) == 28


def test_the_browser_keeps_its_requests_without_a_session_write(client, world):
    """The lookup page's help lists this browser's requests from a signed cookie:
    a submission is one write transaction, with no session row to save."""
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = form_data(client, world)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url(world), data).status_code == 302
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    assert not Session.objects.exists()
    req = LetterRequest.objects.get()
    stranger = Client()
    stranger.cookies["balai_letters_mine"] = "1"  # unsigned: ignored
    typo = req.tracking_code[:26] + "UU"
    help_page = reverse("letters:track", args=[typo])
    assert req.tracking_code in client.get(help_page).content.decode()
    assert req.tracking_code not in stranger.get(help_page).content.decode()


def test_a_double_submission_makes_one_request(client, world):
    data = form_data(client, world)
    first = client.post(url(world), data)
    data["syarat_ktp"] = SimpleUploadedFile("ktp.png", png_bytes())
    data["syarat_kk"] = SimpleUploadedFile("kk.png", png_bytes())
    second = client.post(url(world), data)
    assert LetterRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    "wrong",
    [
        {"nik": "3508014207610009"},
        {"no_kk": "3508010101090009"},
        {"birth_date": "1961-07-03"},
    ],
)
def test_a_mismatch_never_says_which_part_was_wrong(client, world, wrong):
    response = client.post(url(world), form_data(client, world, **wrong))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and MISMATCH in errors[0]
    assert not response.context["form"].has_error("nik")
    assert not LetterRequest.objects.exists()


def test_a_resident_of_another_village_does_not_match(client, world):
    data = form_data(
        client, world, nik="3508021005800002", no_kk="3508020101090002", birth_date="1980-05-10"
    )
    response = client.post(url(world), data)
    assert MISMATCH in response.context["form"].non_field_errors()[0]


def test_field_errors_are_indonesian_and_beside_their_fields(client, world):
    data = form_data(client, world, nik="12345", purpose="", phone="", email="")
    data.pop("syarat_ktp")
    response = client.post(url(world), data)
    form = response.context["form"]
    assert form.errors["nik"]
    assert form.errors["purpose"] == ["Bidang ini tidak boleh kosong."]
    assert "nomor WhatsApp/telepon atau email" in form.errors["phone"][0]
    assert form.errors["syarat_ktp"]
    html = response.content.decode()
    assert 'id="id_nik_error"' in html


def test_a_bad_phone_number_is_refused_beside_the_field(client, world):
    response = client.post(url(world), form_data(client, world, phone="12ab"))
    assert "0812 3456 7890" in response.context["form"].errors["phone"][0]


def test_an_upload_that_is_not_a_photo_or_pdf_is_refused(client, world):
    bad = SimpleUploadedFile("ktp.png", b"MZ\x90\x00 not an image")
    response = client.post(url(world), form_data(client, world, syarat_ktp=bad))
    assert "JPG/PNG" in response.context["form"].errors["syarat_ktp"][0]
    assert not LetterRequest.objects.exists()


def test_identification_is_rate_limited_per_nik(client, world):
    for _ in range(5):
        client.post(url(world), form_data(client, world, birth_date="1999-01-01"))
    # Even the right data is refused now, with the same kind of message.
    response = client.post(url(world), form_data(client, world))
    assert "Terlalu banyak percobaan" in response.context["form"].non_field_errors()[0]
    assert not LetterRequest.objects.exists()


def test_identification_is_rate_limited_per_address(client, world, settings):
    settings.BALAI_LETTERS_IDENTIFY_IP_RATE = "3/h"
    for nik in ("3508014207610002", "3508014207610003", "3508014207610004"):
        client.post(url(world), form_data(client, world, nik=nik))
    response = client.post(url(world), form_data(client, world))
    assert "Terlalu banyak percobaan" in response.context["form"].non_field_errors()[0]


def test_the_extra_fields_of_a_type_are_asked_and_checked(client, world):
    data = form_data(client, world, "usaha", nama_usaha="")
    data["isian_mulai_usaha"] = "bukan tanggal"
    response = client.post(url(world, "usaha"), data)
    form = response.context["form"]
    assert form.errors["isian_nama_usaha"]
    assert form.errors["isian_mulai_usaha"]
    assert form.errors["syarat_foto_usaha"]


def test_the_extra_fields_are_stored(client, world):
    data = form_data(client, world, "usaha")
    data.update(
        isian_nama_usaha="Warung Siti",
        isian_jenis_usaha="warung makan",
        isian_alamat_usaha="Jl. Kenanga 12",
        isian_mulai_usaha="2020-01-15",
        syarat_foto_usaha=SimpleUploadedFile("usaha.png", png_bytes()),
    )
    client.post(url(world, "usaha"), data)
    req = LetterRequest.objects.get()
    assert req.values["nama_usaha"] == "Warung Siti"
    assert req.values["mulai_usaha"] == "2020-01-15"
    assert ("Mulai usaha sejak", "15 Januari 2020") in req.value_rows()


def test_an_inactive_village_is_refused_clearly(client, world):
    response = client.get(url(world, village=world.inactive_village))
    assert response.status_code == 403
    assert "belum melayani permohonan surat" in response.content.decode()


def test_a_village_of_another_regency_does_not_exist_here(client, world):
    assert client.get(url(world, village=world.foreign_village)).status_code == 404


def test_a_type_the_village_switched_off_is_refused_clearly(client, world):
    VillageLetterType.objects.filter(village=world.village_a, letter_type=world.domisili).update(
        enabled=False
    )
    response = client.get(url(world))
    assert response.status_code == 403
    assert "tidak dilayani oleh desa" in response.content.decode()
    response = client.post(url(world), {"nik": "3508014207610001"})
    assert response.status_code == 403
    assert not LetterRequest.objects.exists()


def test_the_offer_is_read_once_and_a_switch_off_is_seen_at_once_here_and_soon_elsewhere(
    client, world, monkeypatch
):
    """Submissions read the village's offer from this process's copy (letters.lookups):
    a save here clears it at once; a change it cannot see (another process's) counts
    once the copy is older than lookups.TTL_SECONDS."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from balai.letters import lookups

    assert client.get(url(world)).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(world)).status_code == 200
    assert not [q for q in queries.captured_queries if "letters_villagelettertype" in q["sql"]]

    offer = VillageLetterType.objects.get(village=world.village_a, letter_type=world.domisili)
    offer.enabled = False
    offer.save()  # as the village's settings page does
    assert client.get(url(world)).status_code == 403

    offer.enabled = True
    offer.save()
    assert client.get(url(world)).status_code == 200
    VillageLetterType.objects.filter(pk=offer.pk).update(enabled=False)  # unseen here
    assert client.get(url(world)).status_code == 200
    later = lookups.monotonic() + lookups.TTL_SECONDS + 1
    monkeypatch.setattr(lookups, "monotonic", lambda: later)
    assert client.get(url(world)).status_code == 403


def test_the_type_list_shows_only_what_the_village_switched_on(client, world):
    VillageLetterType.objects.filter(village=world.village_a, letter_type=world.domisili).update(
        enabled=False
    )
    response = client.get(reverse("letters:types", args=[world.village_a.code]))
    names = [t.name for t in response.context["letter_types"]]
    assert "Surat Keterangan Usaha" in names
    assert "Surat Keterangan Domisili" not in names


def test_the_start_page_lists_only_onboarded_villages(client, world):
    response = client.get(reverse("letters:start"))
    codes = {v.code for v in response.context["villages"]}
    assert world.village_a.code in codes
    assert world.inactive_village.code not in codes
    assert world.foreign_village.code not in codes


def test_a_village_code_that_is_no_path_segment_is_not_found_not_an_error(client, world):
    response = client.get(reverse("letters:start"), {"desa": "35.08/../admin"})
    assert response.status_code == 404


def test_chosen_documents_survive_a_form_error(client, world):
    broken = form_data(client, world, purpose="")
    page = client.post(url(world), broken).content.decode()
    assert not LetterRequest.objects.exists()
    tokens = list(client.session["kept_uploads"])
    assert len(tokens) == 2 and all(f'value="{t}"' in page for t in tokens)
    fixed = form_data(client, world, kept_upload=tokens)
    del fixed["syarat_ktp"], fixed["syarat_kk"]
    assert client.post(url(world), fixed).status_code == 302
    req = LetterRequest.objects.get()
    assert sorted(d.key for d in req.documents.all()) == ["kk", "ktp"]
    assert client.session["kept_uploads"] == {}
