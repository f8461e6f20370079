"""The media disk full (a real tmpfs, filled): signing and submitting fail
cleanly, leaving no letter, no burnt number, no row and no partial file."""

import errno

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from balai.letters import actions
from balai.letters.choices import RequestStatus
from balai.letters.models import Letter, LetterRequest, NumberCounter
from balai.letters.tests.world import png_bytes, submit

pytestmark = pytest.mark.django_db(transaction=True)

# Room for a little, not for a signed PDF (about 55 KB) or the attachment below.
LEAVE = 8192


def test_signing_on_a_full_disk_leaves_no_letter_and_burns_no_number(
    world, demo_pki, small_media_disk
):
    req = actions.verify_request(submit(world), world.operator_a)
    small_media_disk.fill(leave=LEAVE)
    with pytest.raises(OSError) as raised:
        actions.sign_request(req, world.head_a)
    assert raised.value.errno == errno.ENOSPC
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_SIGNATURE
    assert not Letter.objects.exists()
    assert not NumberCounter.objects.filter(last__gt=0).exists()
    assert small_media_disk.files() == []  # not even the part of the PDF that fitted

    small_media_disk.empty()
    letter = actions.sign_request(req, world.head_a)
    assert letter.sequence == 1
    assert small_media_disk.files() == [letter.pdf.name]


def test_the_head_is_told_the_disk_is_full(world, demo_pki, small_media_disk):
    from conftest import login

    req = actions.verify_request(submit(world), world.operator_a)
    client = login(Client(raise_request_exception=False), world.head_a)
    small_media_disk.fill(leave=LEAVE)
    response = client.post(reverse("letters:staff-step", args=[req.uuid, "tandatangani"]))
    assert response.status_code == 507
    page = response.content.decode()
    assert "Ruang penyimpanan berkas penuh" in page and "belum tersimpan" in page
    assert 'rel="stylesheet"' in page
    assert not Letter.objects.exists()


def test_a_request_with_an_attachment_on_a_full_disk_is_not_kept(world, small_media_disk):
    small_media_disk.fill(leave=LEAVE)
    attachment = ContentFile(png_bytes() + b"\0" * 65536, name="ktp.png")
    with pytest.raises(OSError):
        actions.submit_request(
            village=world.village_a,
            letter_type=world.domisili,
            resident=world.siti,
            purpose="melamar pekerjaan",
            values={},
            documents=[("ktp", "KTP", attachment)],
        )
    assert not LetterRequest.objects.exists()
    assert small_media_disk.files() == []
