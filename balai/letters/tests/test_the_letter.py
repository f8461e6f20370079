"""The letter as a village clerk meets it (issue 11, item 7): read back with pdftotext.

The signer's real name, the profile's address, the regency logo, a preview before
signing, why a sign button is missing, what is shown at pickup, attachments only
when given, and the purpose in sentence case.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from balai.letters import actions
from balai.letters.choices import RequestStatus
from balai.letters.document import purpose_in_sentence, sentence_case
from balai.letters.models import Letter, LetterSettings
from balai.letters.tests.pdftools import pdftotext, reader
from balai.letters.tests.world import png_bytes, submit
from balai.portal.models import VillageProfile


def step_url(req, step):
    return reverse("letters:staff-step", args=[req.uuid, step])


def detail_url(req):
    return reverse("letters:staff-detail", args=[req.uuid])


def letter_text(req) -> str:
    letter = Letter.objects.get(request=req)
    with letter.pdf.open("rb") as f:
        return pdftotext(f.read())


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def image_count(pdf: bytes) -> int:
    page = reader(pdf).root["/Pages"]["/Kids"][0].get_object()
    objects = page["/Resources"].get("/XObject", {})
    return sum(1 for ref in objects.values() if ref.get_object()["/Subtype"] == "/Image")


@pytest.fixture
def profile(world):
    return VillageProfile.objects.create(
        village=world.village_a,
        head_name="Hj. Sulastri Wulandari",
        address="Jl. Raya Tempursari No. 9, Lumajang 67375",
    )


def test_the_letter_prints_the_heads_name_and_the_profiles_address(
    client, login_as, world, demo_pki, profile
):
    req = submit(world, purpose="MELAMAR PEKERJAAN DI PT SUMBER REJEKI.")
    actions.verify_request(req, world.operator_a)
    login_as(world.head_a)
    client.post(step_url(req, "tandatangani"))

    text = letter_text(req)
    assert "HJ. SULASTRI WULANDARI" in text
    assert "Jl. Raya Tempursari No. 9, Lumajang 67375" in text
    assert "Jl. Raya Tempursari 1" not in text  # the old letterhead setting gave way
    # Shouted purposes are lowered; inside the sentence it starts small.
    assert "untuk keperluan melamar pekerjaan di pt sumber rejeki." in text
    assert "Keperluan : Melamar pekerjaan di pt sumber rejeki" in text


def test_without_a_name_the_letter_is_not_signed_and_the_head_is_told_why(
    client, login_as, world, demo_pki
):
    world.head_a.first_name = world.head_a.last_name = ""
    world.head_a.save()
    req = actions.verify_request(submit(world), world.operator_a)
    login_as(world.head_a)

    page = client.get(detail_url(req)).content.decode()
    assert "nama kepala desa/lurah belum diisi" in page
    assert "Tandatangani dan beri nomor" not in page
    response = client.post(step_url(req, "tandatangani"), follow=True)
    assert "nama kepala desa/lurah belum diisi" in response.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_SIGNATURE
    assert not Letter.objects.filter(request=req).exists()


def test_the_account_name_serves_when_the_profile_names_nobody(client, login_as, world, demo_pki):
    req = actions.verify_request(submit(world), world.operator_a)
    login_as(world.head_a)
    client.post(step_url(req, "tandatangani"))
    assert world.head_a.get_full_name().upper() in letter_text(req)


def test_the_secretary_reads_why_there_is_no_sign_button(client, login_as, world):
    req = actions.verify_request(submit(world), world.operator_a)
    login_as(world.secretary_a)
    page = client.get(detail_url(req)).content.decode()
    assert "belum mengizinkan sekretaris menandatangani" in page
    assert "Tandatangani dan beri nomor" not in page
    login_as(world.operator_a)
    assert "Menunggu tanda tangan kepala desa" in client.get(detail_url(req)).content.decode()


def test_the_head_previews_the_exact_letter_unsigned(client, login_as, world, profile):
    req = actions.verify_request(submit(world, purpose="sekolah anak"), world.operator_a)
    login_as(world.head_a)
    assert (
        reverse("letters:staff-draft", args=[req.uuid])
        in client.get(detail_url(req)).content.decode()
    )
    response = client.get(reverse("letters:staff-draft", args=[req.uuid]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdftotext(pdf)
    assert "PRATINJAU" in pdftotext(pdf, "-raw").replace(" ", "")
    assert "HJ. SULASTRI WULANDARI" in text
    assert "untuk keperluan sekolah anak." in text
    assert not reader(pdf).embedded_signatures
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_SIGNATURE  # nothing numbered or taken
    login_as(world.operator_b)
    assert client.get(reverse("letters:staff-draft", args=[req.uuid])).status_code == 404


def test_only_the_attachments_given_are_claimed(client, login_as, world, demo_pki):
    from balai.letters.models import LetterType

    sktm = LetterType.objects.get(code="tidak-mampu")
    req, _ = actions.submit_request(
        village=world.village_a,
        letter_type=sktm,
        resident=world.siti,
        purpose="beasiswa",
        values={"penghasilan": "900000", "tanggungan": "3"},
        documents=[
            ("ktp", "Foto KTP-el", ContentFile(png_bytes(), name="a.png")),
            ("kk", "Foto Kartu Keluarga", ContentFile(png_bytes(), name="b.png")),
        ],
    )
    actions.verify_request(req, world.operator_a)
    login_as(world.head_a)
    client.post(step_url(req, "tandatangani"))
    text = letter_text(req)
    assert "Lampiran: Foto KTP-el; Foto Kartu Keluarga" in text
    assert "pengantar RT/RW" not in text  # optional, not uploaded: never claimed


def test_no_attachments_line_without_uploads(client, login_as, world, demo_pki):
    req = actions.verify_request(submit(world), world.operator_a)
    login_as(world.head_a)
    client.post(step_url(req, "tandatangani"))
    assert "Lampiran" not in letter_text(req)


def test_what_is_shown_at_pickup_is_listed(client, login_as, world):
    world.domisili.requirements = [
        *world.domisili.requirements,
        {"key": "ktp_asli", "label": "KTP-el asli", "upload": False},
        {"key": "kk_asli", "label": "Kartu Keluarga asli", "upload": False},
    ]
    world.domisili.save()
    req = submit(world)
    login_as(world.operator_a)
    page = client.get(detail_url(req)).content.decode()
    assert "Ditunjukkan saat pengambilan" in page
    assert "<li>KTP-el asli</li>" in page and "<li>Kartu Keluarga asli</li>" in page


def test_the_regency_uploads_a_logo_for_every_letterhead(client, login_as, world, demo_pki):
    login_as(world.admin)
    response = client.post(
        reverse("letters:type-list"),
        {
            "number_format": LetterSettings.current().number_format,
            "paper": "A4",
            "logo": SimpleUploadedFile("logo.png", logo_png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LetterSettings.current().logo
    assert client.get(reverse("letters:regency-logo")).status_code == 200

    req = actions.verify_request(submit(world), world.operator_a)
    login_as(world.head_a)
    client.post(step_url(req, "tandatangani"))
    with Letter.objects.get(request=req).pdf.open("rb") as f:
        assert image_count(f.read()) >= 1


def test_a_logo_that_is_not_an_image_is_refused(client, login_as, world):
    login_as(world.admin)
    response = client.post(
        reverse("letters:type-list"),
        {
            "number_format": LetterSettings.current().number_format,
            "paper": "A4",
            "logo": SimpleUploadedFile("logo.png", b"<html><script>x</script>", "image/png"),
        },
    )
    assert response.status_code == 200
    assert not LetterSettings.current().logo


def test_a_logo_upload_needs_the_regency_admin(client, login_as, world):
    login_as(world.head_a)
    assert client.post(reverse("letters:type-list"), {}).status_code == 403


@pytest.mark.parametrize(
    ("typed", "field", "inside"),
    [
        ("melamar pekerjaan", "Melamar pekerjaan", "melamar pekerjaan"),
        ("MELAMAR  PEKERJAAN.", "Melamar pekerjaan", "melamar pekerjaan"),
        ("SKCK untuk melamar", "SKCK untuk melamar", "SKCK untuk melamar"),
        ("Pendaftaran BPJS", "Pendaftaran BPJS", "pendaftaran BPJS"),
    ],
)
def test_sentence_case(typed, field, inside):
    assert sentence_case(typed) == field
    assert purpose_in_sentence(typed) == inside
