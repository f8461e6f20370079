"""The secretary signs a.n. the village head where the village allows it (Permendagri 1/2023)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from balai.accounts.models import AuditLog
from balai.letters import actions, document, pki
from balai.letters.choices import RequestStatus
from balai.letters.models import Letter, VillageLetterSettings, VillageLetterType
from balai.letters.signing import verify_pdf
from balai.letters.tests.pdftools import pdftotext
from balai.letters.tests.world import submit
from balai.regions.models import Village

API = "/api/v1"


@pytest.fixture
def secretary(world):
    """Village A's secretary, with a real name, allowed to sign every letter type."""
    world.secretary_a.first_name, world.secretary_a.last_name = "Rina", "Kusuma"
    world.secretary_a.save()
    VillageLetterSettings.objects.filter(village=world.village_a).update(secretary_signs=True)
    pki.init_demo_pki()
    return world.secretary_a


def awaiting(world, letter_type=None):
    return actions.verify_request(submit(world, letter_type=letter_type), world.operator_a)


def step_url(req):
    return reverse("letters:staff-step", args=[req.uuid, "tandatangani"])


def test_pki_init_gives_certificates_to_heads_and_to_secretaries_who_may_sign(world):
    VillageLetterType.objects.filter(village=world.village_b, letter_type=world.usaha).update(
        secretary_signs=True
    )
    issued = pki.init_demo_pki()
    assert issued == ["kades_a", "kades_b", "sekdes_b"]  # village A does not delegate
    VillageLetterSettings.objects.filter(village=world.village_a).update(secretary_signs=True)
    call_command("pki", "init", "sekdes_a")
    assert (pki.pki_dir() / "signers" / "sekdes_a.p12").exists()


def test_a_secretary_signs_an_the_head_and_the_pdf_says_so(client, login_as, world, secretary):
    req = awaiting(world)
    login_as(secretary)
    detail = client.get(reverse("letters:staff-detail", args=[req.uuid])).content.decode()
    assert step_url(req) in detail and "a.n. KEPALA DESA TEMPURSARI" in detail
    assert client.post(step_url(req)).status_code == 302

    letter = Letter.objects.get(request=req)
    assert letter.number == f"470/001/35.08.01.2001/{letter.year}"  # the village's one sequence
    assert letter.signed_by == secretary
    assert (letter.signer_name, letter.signer_position, letter.signer_authority) == (
        "RINA KUSUMA",
        "SEKRETARIS DESA",
        "a.n. KEPALA DESA TEMPURSARI",
    )
    pdf = letter.pdf.read()
    text = pdftotext(pdf)
    assert "a.n. KEPALA DESA TEMPURSARI SEKRETARIS DESA" in text
    assert "RINA KUSUMA" in text
    result = verify_pdf(pdf)
    assert result.ok, result
    assert result.signer_name == "Rina Kusuma"  # the secretary's own certificate
    audit = AuditLog.objects.get(action="letter.signed")
    assert audit.detail["authority"] == "a.n. KEPALA DESA TEMPURSARI"

    page = client.get(reverse("letters:verify", args=[letter.public_id])).content.decode()
    assert "RINA KUSUMA, SEKRETARIS DESA" in page and "(a.n. KEPALA DESA TEMPURSARI)" in page


def test_the_head_still_signs_in_their_own_name(world, secretary):
    letter = actions.sign_request(awaiting(world), world.head_a)
    assert (letter.signer_position, letter.signer_authority) == ("KEPALA DESA TEMPURSARI", "")
    text = pdftotext(letter.pdf.read())
    assert "KEPALA DESA TEMPURSARI" in text and "a.n." not in text and "SEKRETARIS" not in text


def test_a_secretary_not_allowed_to_sign_gets_403(client, login_as, world, demo_pki):
    pki.init_demo_pki([world.secretary_a])  # a certificate alone does not allow signing
    req = awaiting(world)
    login_as(world.secretary_a)
    detail = client.get(reverse("letters:staff-detail", args=[req.uuid])).content.decode()
    assert step_url(req) not in detail
    assert client.post(step_url(req)).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.sign_request(req, world.secretary_a)
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_SIGNATURE
    assert not Letter.objects.exists()


def test_a_per_type_switch_allows_only_that_type(client, login_as, world, demo_pki):
    VillageLetterType.objects.filter(village=world.village_a, letter_type=world.domisili).update(
        secretary_signs=True
    )
    pki.init_demo_pki()
    domisili, usaha = awaiting(world), awaiting(world, world.usaha)
    login_as(world.secretary_a)
    assert client.post(step_url(usaha)).status_code == 403
    assert client.post(step_url(domisili)).status_code == 302
    assert Letter.objects.get().request == domisili


def test_another_villages_secretary_gets_404(client, login_as, world, secretary):
    VillageLetterSettings.objects.create(village=world.village_b, secretary_signs=True)
    req = awaiting(world)
    login_as(world.secretary_b)
    assert client.post(step_url(req)).status_code == 404
    with pytest.raises(PermissionDenied):  # the action checks the village too
        actions.sign_request(req, world.secretary_b)
    assert not Letter.objects.exists()


def test_the_api_follows_the_same_rule(client, world, api_token, secretary):
    allowed, refused = awaiting(world), awaiting(world)
    url = f"{API}/letter-requests/{{}}/sign"
    token = api_token(secretary, "letters:write")
    signed = client.post(url.format(allowed.tracking_code), headers=token)
    assert signed.status_code == 200 and signed.json()["status"] == "ready"
    assert Letter.objects.get().signer_authority == "a.n. KEPALA DESA TEMPURSARI"
    VillageLetterSettings.objects.filter(village=world.village_a).update(secretary_signs=False)
    assert client.post(url.format(refused.tracking_code), headers=token).status_code == 403
    other = api_token(world.secretary_b, "letters:write")
    assert client.post(url.format(refused.tracking_code), headers=other).status_code == 404
    refused.refresh_from_db()
    assert refused.status == RequestStatus.AWAITING_SIGNATURE


def test_only_the_head_decides_who_signs_in_their_name(client, login_as, world):
    url = reverse("letters:staff-settings")
    form = {
        "address": "Jl. Raya 2",
        "uses_verification": "on",
        "enabled_types": [world.domisili.pk, world.usaha.pk],
        "secretary_signs": "on",
        "secretary_types": [world.usaha.pk],
    }
    login_as(world.secretary_a)
    assert client.post(url, form).status_code == 302
    options = VillageLetterSettings.objects.get(village=world.village_a)
    assert options.address == "Jl. Raya 2" and not options.secretary_signs
    assert not VillageLetterType.objects.filter(secretary_signs=True).exists()

    login_as(world.head_a)
    form.pop("secretary_signs")
    assert client.post(url, form).status_code == 302
    options.refresh_from_db()
    assert not options.secretary_signs
    allowed = VillageLetterType.objects.filter(village=world.village_a, secretary_signs=True)
    assert [t.letter_type for t in allowed] == [world.usaha]
    VillageLetterType.objects.filter(village=world.village_b).update(secretary_signs=True)
    page = client.get(url)
    assert page.context["form"].initial["secretary_types"] == [world.usaha]  # A's own choice
    assert "a.n. kepala desa/lurah" in page.content.decode()


def test_in_a_kelurahan_the_secretary_signs_an_the_lurah(cast):
    kelurahan = Village.objects.get(code="35.08.02.1001")
    assert document.signer_authority(cast.secretary_a, kelurahan) == "a.n. LURAH ORO ORO OMBO"
    assert document.signer_position(cast.secretary_a, kelurahan) == "SEKRETARIS KELURAHAN"
    assert document.signer_authority(cast.head_a, kelurahan) == ""
