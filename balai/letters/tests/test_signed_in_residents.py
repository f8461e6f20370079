"""A resident signed in with their PIN: their own and their family's data, a
request without typing NIK/KK/birth date, earlier documents reused; and the
PIN slip staff print. One resident never sees another family."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balai.accounts.models import AuditLog
from balai.letters import actions
from balai.letters.models import LetterRequest, RequestDocument
from balai.letters.tests.world import make_resident, png_bytes, submit

MY_DATA = reverse("letters:my-data")


@pytest.fixture
def family(world):
    """Siti's son in her KK; Budi's wife in his (village B)."""
    world.son = make_resident(
        world.village_a,
        "3508011203900003",
        world.siti.family.no_kk,
        name="Agus Prasetyo",
        birth=dt.date(1990, 3, 12),
        sex=1,
    )
    world.budis_wife = make_resident(
        world.village_b,
        "3508025507820004",
        world.budi.family.no_kk,
        name="Rina Lestari",
        birth=dt.date(1982, 7, 15),
    )
    return world


def sign_in(client, resident, operator):
    pin = actions.issue_pin(resident, operator)
    client.post(reverse("letters:pin-login"), {"nik": resident.nik, "pin": pin})
    client.post(reverse("letters:pin-change"), {"new_pin": "583920", "again": "583920"})


def request_url(village, code="domisili"):
    return reverse("letters:request", args=[village.code, code])


def test_a_signed_in_resident_sees_their_own_and_their_familys_data(client, family):
    sign_in(client, family.siti, family.operator_a)
    page = client.get(MY_DATA).content.decode()
    assert family.siti.nik in page and family.siti.family.no_kk in page
    assert "Agus Prasetyo" in page
    assert family.son.nik not in page  # family members' NIKs masked
    assert "Budi Santoso" not in page and "Rina Lestari" not in page
    row = AuditLog.objects.get(action="resident.data_read_by_self")
    assert row.object_id == str(family.siti.pk) and row.village_id == family.village_a.code
    assert row.user is None and row.detail["family_members"] == [family.son.masked_nik]


def test_another_resident_sees_only_their_own_family(client, family):
    sign_in(client, family.budi, family.operator_b)
    page = client.get(MY_DATA).content.decode()
    assert "Rina Lestari" in page and "Budi Santoso" in page
    assert "Siti Wahyuni" not in page and "Agus Prasetyo" not in page
    assert family.siti.nik not in page


def test_the_data_page_needs_a_pin_session_and_a_changed_pin(client, family):
    assert client.get(MY_DATA)["Location"] == reverse("letters:pin-login")
    pin = actions.issue_pin(family.siti, family.operator_a)
    client.post(reverse("letters:pin-login"), {"nik": family.siti.nik, "pin": pin})
    assert client.get(MY_DATA)["Location"] == reverse("letters:pin-change")
    assert not AuditLog.objects.filter(action="resident.data_read_by_self").exists()


def test_a_signed_in_resident_requests_a_letter_without_typing_nik_kk_or_birth_date(client, family):
    sign_in(client, family.siti, family.operator_a)
    page = client.get(request_url(family.village_a))
    form = page.context["form"]
    assert not {"nik", "no_kk", "birth_date"} & set(form.fields)
    html = page.content.decode()
    assert family.siti.nik in html and "02/07/1961" in html  # shown, locked
    assert 'name="nik"' not in html
    response = client.post(
        request_url(family.village_a),
        {
            # Whatever is posted for identity is ignored: the registry's is used.
            "nik": family.budi.nik,
            "purpose": "melamar pekerjaan",
            "phone": "0812 3456 7890",
            "idempotency_key": str(form.initial["idempotency_key"]),
            "syarat_ktp": SimpleUploadedFile("ktp.png", png_bytes()),
            "syarat_kk": SimpleUploadedFile("kk.png", png_bytes()),
        },
    )
    assert response.status_code == 302
    assert LetterRequest.objects.get().resident == family.siti


def test_in_another_village_the_resident_identifies_as_anyone_would(client, family):
    sign_in(client, family.siti, family.operator_a)
    form = client.get(request_url(family.village_b)).context["form"]
    assert {"nik", "no_kk", "birth_date"} <= set(form.fields)


def given(world, resident, content=b"", key="ktp"):
    req = submit(world, resident=resident)
    document = RequestDocument(request=req, key=key, label="Foto KTP-el")
    document.file.save("ktp.png", ContentFile(content or png_bytes()), save=True)
    return document


def test_documents_given_before_are_offered_again_and_attached(client, family):
    earlier = given(family, family.siti)
    sign_in(client, family.siti, family.operator_a)
    page = client.get(request_url(family.village_a))
    form = page.context["form"]
    choices = dict(form.fields["pakai_ktp"].choices)
    assert str(earlier.uuid) in choices and "pakai_kk" not in form.fields
    response = client.post(
        request_url(family.village_a),
        {
            "purpose": "melamar pekerjaan",
            "phone": "0812 3456 7890",
            "idempotency_key": str(form.initial["idempotency_key"]),
            "pakai_ktp": str(earlier.uuid),
            "syarat_kk": SimpleUploadedFile("kk.png", png_bytes()),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    new = LetterRequest.objects.exclude(pk=earlier.request_id).get()
    attached = new.documents.get(key="ktp")
    assert attached.file.name != earlier.file.name
    assert attached.file.read() == earlier.file.open("rb").read()


def test_nobody_can_attach_another_residents_document(client, family):
    own = given(family, family.siti)
    theirs = given(family, family.budi)
    sign_in(client, family.siti, family.operator_a)
    form = client.get(request_url(family.village_a)).context["form"]
    assert str(theirs.uuid) not in dict(form.fields["pakai_ktp"].choices)
    response = client.post(
        request_url(family.village_a),
        {
            "purpose": "melamar pekerjaan",
            "phone": "0812 3456 7890",
            "idempotency_key": str(form.initial["idempotency_key"]),
            "pakai_ktp": str(theirs.uuid),
            "syarat_kk": SimpleUploadedFile("kk.png", png_bytes()),
        },
    )
    assert response.context["form"].errors["pakai_ktp"]
    assert (
        not LetterRequest.objects.filter(letter_type__code="domisili")
        .exclude(pk__in=[own.request_id, theirs.request_id])
        .exists()
    )


def test_a_required_document_is_either_reused_or_uploaded(client, family):
    given(family, family.siti)
    sign_in(client, family.siti, family.operator_a)
    form = client.get(request_url(family.village_a)).context["form"]
    response = client.post(
        request_url(family.village_a),
        {
            "purpose": "melamar pekerjaan",
            "phone": "0812 3456 7890",
            "idempotency_key": str(form.initial["idempotency_key"]),
            "syarat_kk": SimpleUploadedFile("kk.png", png_bytes()),
        },
    )
    assert response.context["form"].errors["syarat_ktp"] == [
        "Pilih berkas yang pernah Anda kirim atau unggah yang baru."
    ]


def test_staff_print_a_pin_slip_shown_once(client, login_as, family):
    login_as(family.operator_a)
    url = reverse("letters:staff-pin")
    response = client.post(url, {"nik": family.siti.nik})
    pin = response.context["pin"]
    html = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    slip = html[html.index('class="slip"') :]
    assert pin in slip and family.siti.masked_nik in slip and family.siti.nik not in slip
    assert "/surat/saya/masuk/" in slip
    assert "letters/pin_slip.css" in html
    assert pin not in client.get(url).content.decode()
    assert AuditLog.objects.filter(action="letter_pin.issued").count() == 1
