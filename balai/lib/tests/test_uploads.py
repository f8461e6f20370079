import io
import tracemalloc

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from balai.lib import uploads
from balai.lib.tests import pdfs
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


def test_documents_may_be_pdfs_or_photos_and_nothing_else():
    stored = clean_document(SimpleUploadedFile("ktp.pdf", pdfs.scan()))
    assert stored.name.endswith(".pdf")
    assert len(pypdf.PdfReader(io.BytesIO(stored.read())).pages) == 2
    with pytest.raises(UploadError, match="foto \\(JPG/PNG\\) atau PDF"):
        clean_document(SimpleUploadedFile("ktp.docx", b"PK\x03\x04 not a pdf"))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (pdfs.with_javascript, "skrip"),
        (pdfs.escaped_names, "skrip"),
        (pdfs.in_object_stream, "skrip"),
        (pdfs.with_open_action, "tindakan otomatis"),
        (pdfs.with_page_action, "tindakan otomatis"),
        (pdfs.with_launch, "menjalankan program"),
        (pdfs.with_attachment, "lampiran tersembunyi"),
        (pdfs.with_xfa, "formulir XFA"),
        (pdfs.with_rich_media, "media tersemat"),
        (pdfs.encrypted, "terkunci atau dienkripsi"),
    ],
)
def test_hostile_pdfs_are_refused_after_parsing(build, message):
    data = build()
    with pytest.raises(UploadError, match=message):
        clean_document(SimpleUploadedFile("surat.pdf", data))


def test_the_escaped_and_compressed_scripts_hide_from_a_byte_search():
    # What the old check searched for is not in these files' bytes.
    for data in (pdfs.escaped_names(), pdfs.in_object_stream()):
        assert b"/OpenAction" not in data.replace(b"/Open#41ction", b"")
        assert b"/JS " not in data and b"/JavaScript" not in data


def test_a_decompression_bomb_is_refused_within_bounded_memory():
    bomb = pdfs.in_object_stream(payload=b" " * (300 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024  # 300 MB of spaces packs into a few hundred KB
    tracemalloc.start()
    try:
        with pytest.raises(UploadError, match="terlalu rumit"):
            clean_document(SimpleUploadedFile("bomb.pdf", bomb))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024


def test_too_many_pages_are_refused_before_the_walk(monkeypatch):
    monkeypatch.setattr(uploads, "PDF_MAX_PAGES", 3)
    with pytest.raises(UploadError, match="terlalu rumit"):
        clean_document(SimpleUploadedFile("buku.pdf", pdfs.scan(pages=4, side=100)))
    assert clean_document(SimpleUploadedFile("ktp.pdf", pdfs.scan(pages=3, side=100)))


def test_a_truncated_or_fake_pdf_is_refused():
    data = pdfs.scan(pages=1, side=200)
    for broken in (data[:200], b"%PDF-1.7\nhalo\n%%EOF\n"):
        with pytest.raises(UploadError, match="bukan PDF yang utuh"):
            clean_document(SimpleUploadedFile("ktp.pdf", broken))


def test_the_stored_pdf_holds_only_what_was_checked():
    data = pdfs.hidden_after_the_end()
    stored = clean_document(SimpleUploadedFile("ktp.pdf", data)).read()
    assert b"JavaScript" in data and b"JavaScript" not in stored
    reader = pypdf.PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 1
