"""Complaint photos and their resized copies on S3-compatible storage (a real
S3 server on loopback)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from balai.complaints.choices import PhotoKind
from balai.complaints.tests.conftest import jpeg_bytes


def test_a_photo_and_its_resized_copies_are_stored_in_the_bucket(client, file_report, s3_media):
    complaint, code = file_report()
    photo = SimpleUploadedFile("f.jpg", jpeg_bytes((2000, 1500)), "image/jpeg")
    response = client.post(
        f"/aduan/lacak/{code}/", {"action": "follow-up", "note": "Foto.", "photo": photo}
    )
    assert response.status_code == 302
    added = complaint.photos.get(kind=PhotoKind.FOLLOW_UP)
    names = s3_media.names()
    assert {added.image.name, added.thumb.name, added.medium.name} <= set(names)
    for stored, side in ((added.thumb, 320), (added.medium, 1280)):
        with Image.open(stored.open("rb")) as image:
            assert max(image.size) == side
    served = client.get(f"/aduan/foto/{added.public_id}/?ukuran=kecil")
    assert b"".join(served.streaming_content) == s3_media.read(added.thumb.name)
