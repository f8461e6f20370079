import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from balai.lib.uploads import UploadError, clean_document, clean_image


def photo(fmt="JPEG", size=(800, 600), exif=True):
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretPhoneMaker"  # Make
        data[0x8825] = {2: (7.0, 59.0, 0.0), 1: "S"}  # GPSInfo: a latitude
        kwargs["exif"] = data
    image.save(out, fmt, **kwargs)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), "image/jpeg")


def test_a_photo_is_reencoded_without_exif_or_gps():
    upload = photo()
    assert b"SecretPhoneMaker" in upload.read()
    cleaned = clean_image(upload)
    data = cleaned.read()
    assert b"SecretPhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    assert cleaned.name.endswith(".jpg") and "foto" not in cleaned.name


def test_large_photos_are_scaled_down():
    with Image.open(clean_image(photo(size=(4000, 3000), exif=False))) as image:
        assert max(image.size) == 2560


def test_a_script_named_jpg_is_refused_clearly():
    upload = SimpleUploadedFile("foto.jpg", b"<script>alert(1)</script>", "image/jpeg")
    with pytest.raises(UploadError, match="bukan foto"):
        clean_image(upload)


def test_other_image_formats_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(UploadError, match="JPG atau PNG"):
        clean_image(SimpleUploadedFile("a.gif", out.getvalue()))


def test_too_large_files_are_refused_before_decoding():
    with pytest.raises(UploadError, match="terlalu besar"):
        clean_image(photo(), max_bytes=100)


def test_a_pixel_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (10000, 10000)).save(out, "PNG")  # tiny file, 100 megapixels
    with pytest.raises(UploadError, match="megapiksel"):
        clean_image(SimpleUploadedFile("bomb.png", out.getvalue()))


def test_documents_may_be_pdfs_but_not_active_ones():
    plain = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert clean_document(SimpleUploadedFile("ktp.pdf", plain)).name.endswith(".pdf")
    active = b"%PDF-1.4\n1 0 obj<</OpenAction<</JS(app.alert(1))>>>>endobj\n%%EOF\n"
    with pytest.raises(UploadError, match="skrip"):
        clean_document(SimpleUploadedFile("ktp.pdf", active))
    with pytest.raises(UploadError, match="foto \\(JPG/PNG\\) atau PDF"):
        clean_document(SimpleUploadedFile("ktp.docx", b"PK\x03\x04 not a pdf"))
