"""Photos stored before resized copies existed get them from `balai
resize-complaint-photos`, once: lists and pages stop sending the originals."""

from io import StringIO

from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from balai.complaints.models import ComplaintPhoto
from balai.complaints.tests.conftest import jpeg_bytes


def resize() -> str:
    out = StringIO()
    call_command("resize_complaint_photos", stdout=out)
    return out.getvalue().strip()


def stored_before_copies(complaint, image: bytes) -> ComplaintPhoto:
    photo = ComplaintPhoto(complaint=complaint)
    photo.image.save("old.jpg", ContentFile(image), save=False)
    photo.save()
    return photo


def test_old_photos_get_their_copies_once(client, file_report):
    complaint, _ = file_report()
    old = stored_before_copies(complaint, jpeg_bytes((2000, 1500)))
    half = stored_before_copies(complaint, jpeg_bytes((2000, 1500)))
    half.thumb.save("t.jpg", ContentFile(jpeg_bytes((320, 240))))  # only the medium lacking
    thumb_before = half.thumb.name

    assert resize() == "photos: 2 given resized copies, 0 unreadable"

    old.refresh_from_db()
    half.refresh_from_db()
    for stored, side in ((old.thumb, 320), (old.medium, 1280), (half.medium, 1280)):
        with Image.open(stored.open("rb")) as image:
            assert max(image.size) == side
    assert half.thumb.name == thumb_before
    served = client.get(f"/aduan/foto/{old.public_id}/?ukuran=kecil")
    assert b"".join(served.streaming_content) == old.thumb.open("rb").read()
    names = (old.thumb.name, old.medium.name, half.medium.name)

    assert resize() == "photos: 0 given resized copies, 0 unreadable"  # idempotent
    old.refresh_from_db()
    half.refresh_from_db()
    assert (old.thumb.name, old.medium.name, half.medium.name) == names


def test_a_photo_that_cannot_be_read_keeps_its_original(file_report):
    complaint, _ = file_report()
    broken = stored_before_copies(complaint, b"not a jpeg at all")
    gone = stored_before_copies(complaint, jpeg_bytes((800, 600)))
    gone.image.storage.delete(gone.image.name)
    fine = stored_before_copies(complaint, jpeg_bytes((800, 600)))

    assert resize() == "photos: 1 given resized copies, 2 unreadable"

    for photo in (broken, gone):
        photo.refresh_from_db()
        assert not photo.thumb and not photo.medium
    fine.refresh_from_db()
    assert fine.thumb and fine.medium
