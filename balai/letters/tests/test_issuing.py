"""Signing a request: the number, the PDF, its signature and its SHA-256, all or nothing."""

import hashlib

import pytest
import time_machine

from balai.core.tests.media import stored_names
from balai.letters import actions
from balai.letters.choices import RequestStatus
from balai.letters.models import Letter, LetterRequest, NumberCounter, VillageLetterSettings
from balai.letters.signing import verify_pdf
from balai.letters.tests.world import submit


def sign_next(world, head=None):
    req = actions.verify_request(submit(world), world.operator_a)
    return actions.sign_request(req, head or world.head_a)


def test_it_issues_a_signed_numbered_pdf_with_its_hash(awaiting_signature, demo_pki, world):
    with time_machine.travel("2026-11-28 10:00 +07:00", tick=False):
        letter = actions.sign_request(awaiting_signature, world.head_a)
    assert letter.number == "470/001/35.08.01.2001/2026"
    pdf = letter.pdf.read()
    assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    result = verify_pdf(pdf)
    assert result.ok, result
    assert letter.request.status == RequestStatus.READY
    assert letter.resident_name == "SITI WAHYUNI"
    assert letter.masked_name == "S*** W******"
    assert letter.valid_until.isoformat() == "2027-02-26"


def test_it_numbers_letters_one_after_another(world, demo_pki):
    numbers = [sign_next(world).sequence for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_it_restarts_numbers_each_year_by_the_regencys_local_time(world, demo_pki):
    # 31 Dec 2026 17:30 UTC is already 1 Jan 2027 in Lumajang (UTC+7).
    with time_machine.travel("2026-12-31 16:30 +00:00", tick=False):
        last = sign_next(world)
    with time_machine.travel("2026-12-31 17:30 +00:00", tick=False):
        first = sign_next(world)
    assert (last.year, last.sequence) == (2026, 1)
    assert (first.year, first.sequence) == (2027, 1)
    assert first.number.endswith("/2027")


def test_it_numbers_per_type_where_the_village_chooses(world, demo_pki):
    VillageLetterSettings.objects.filter(village=world.village_a).update(numbers_per_type=True)
    a = sign_next(world)
    req = actions.verify_request(
        submit(
            world,
            letter_type=world.usaha,
            values={
                "nama_usaha": "Warung Siti",
                "jenis_usaha": "warung",
                "alamat_usaha": "Jl. Kenanga",
                "mulai_usaha": "",
            },
        ),
        world.operator_a,
    )
    b = actions.sign_request(req, world.head_a)
    assert (a.scope, a.sequence) == ("domisili", 1)
    assert (b.scope, b.sequence) == ("usaha", 1)
    assert b.number.startswith("503/001/")


def test_a_type_may_override_the_number_format(world, demo_pki):
    world.domisili.number_format = "{klasifikasi}/{nomor:04}/{kode_surat}/{bulan_romawi}/{tahun}"
    world.domisili.save()
    with time_machine.travel("2026-11-28 10:00 +07:00", tick=False):
        letter = sign_next(world)
    assert letter.number == "470/0001/SKD/XI/2026"


def test_a_failed_signing_burns_no_number_and_leaves_no_file(
    world, demo_pki, monkeypatch, settings
):
    req = actions.verify_request(submit(world), world.operator_a)

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    # The crash comes after the number is taken and the PDF file written.
    monkeypatch.setattr(Letter, "save", crash)
    with pytest.raises(RuntimeError):
        actions.sign_request(req, world.head_a)
    monkeypatch.undo()
    assert not Letter.objects.exists()
    assert NumberCounter.objects.filter(last__gt=0).count() == 0
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_SIGNATURE
    assert stored_names("letters/issued") == []
    assert actions.sign_request(req, world.head_a).sequence == 1


def test_a_head_without_a_certificate_is_refused_before_a_number_is_taken(world, data_dir):
    req = actions.verify_request(submit(world), world.operator_a)
    from balai.letters.pki import SignerUnavailable

    with pytest.raises(SignerUnavailable):
        actions.sign_request(req, world.head_a)
    assert not NumberCounter.objects.exists()
    assert LetterRequest.objects.get(pk=req.pk).status == RequestStatus.AWAITING_SIGNATURE


def test_signing_twice_makes_one_letter(awaiting_signature, world, demo_pki):
    actions.sign_request(awaiting_signature, world.head_a)
    with pytest.raises(actions.Refused):
        actions.sign_request(awaiting_signature, world.head_a)
    assert Letter.objects.count() == 1


def test_a_pdf_made_with_a_number_another_signer_took_is_made_again(
    world, demo_pki, monkeypatch, settings
):
    first = sign_next(world)
    # This signer read the counter before `first` committed: it guesses 1 again.
    monkeypatch.setattr(actions, "_peek_number", lambda *args: 1)
    second = sign_next(world)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.number == "470/002/35.08.01.2001/" + str(second.year)
    files = stored_names("letters/issued")
    assert sorted(name.rsplit("/", 1)[1] for name in files) == sorted(
        f"{letter.public_id}.pdf" for letter in (first, second)
    )
