import io
import tracemalloc

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
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


def jpeg_segments(data: bytes) -> tuple[list[str], bytes]:
    """The JPEG's markers in order (APPn and COM with their first bytes), and what
    follows the end marker."""
    assert data[:2] == b"\xff\xd8"
    found, at = ["SOI"], 2
    while at < len(data):
        assert data[at] == 0xFF, f"no marker at {at}"
        marker = data[at + 1]
        if marker == 0xD9:
            return [*found, "EOI"], data[at + 2 :]
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        segment = data[at + 4 : at + 2 + length]
        found.append(f"{marker:02X}:{segment[:5]!r}" if marker >= 0xE0 else f"{marker:02X}")
        at += 2 + length
        if marker == 0xDA:  # entropy-coded data runs to the next marker that is not RSTn
            while data[at] != 0xFF or data[at + 1] == 0 or 0xD0 <= data[at + 1] <= 0xD7:
                at += 1
    raise AssertionError("no end marker")


def png_chunks(data: bytes) -> tuple[list[str], bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8].decode("latin-1")
        found.append(kind)
        at += 12 + length
        if kind == "IEND":
            return found, data[at:]
    raise AssertionError("no IEND")


HOSTILE_TEXT = b"<html><script>alert(1)</script>Siti Wahyuni, Jl. Mawar 3</html>"


def test_a_jpeg_keeps_only_its_pixels_no_comment_or_app_segment():
    image = Image.new("RGB", (320, 240), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        comment=HOSTILE_TEXT,
        exif=exif,
        icc_profile=b"\0" * 128 + b"profile with personal text",
        xmp=b"<x:xmpmeta>Siti Wahyuni</x:xmpmeta>",
    )
    polyglot = out.getvalue() + b"%PDF-1.4\n1 0 obj<</OpenAction 2 0 R>>endobj\n%%EOF\n"
    before, _after = jpeg_segments(polyglot)
    assert {"FE", "E1", "E2"} <= {m[:2] for m in before}  # the test file has them all

    stored = clean_image(SimpleUploadedFile("foto.jpg", polyglot)).read()
    markers, trailing = jpeg_segments(stored)
    assert trailing == b""
    assert [m for m in markers if m[:2] in ("FE", *(f"E{n:X}" for n in range(16)))] == [
        "E0:b'JFIF\\x00'"  # the JFIF header every baseline JPEG writer puts first
    ]
    for secret in (b"Siti", b"<html", b"%PDF-", b"SecretPhoneMaker", b"personal"):
        assert secret not in stored


def test_a_png_keeps_only_its_pixels_no_text_exif_or_profile_chunk():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", HOSTILE_TEXT.decode())
    info.add_text("Author", "Siti Wahyuni", zip=True)  # zTXt
    info.add_itxt("Description", "Rumah Siti Wahyuni", lang="id")
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"
    out = io.BytesIO()
    Image.new("RGBA", (200, 100), (10, 20, 30, 128)).save(
        out, "PNG", pnginfo=info, exif=exif, icc_profile=b"\0" * 128 + b"personal"
    )
    polyglot = out.getvalue() + b"<html><body>halo</body></html>"
    assert {"tEXt", "zTXt", "iTXt", "eXIf", "iCCP"} <= set(png_chunks(polyglot)[0])

    stored = clean_image(SimpleUploadedFile("foto.png", polyglot)).read()
    chunks, trailing = png_chunks(stored)
    assert trailing == b""
    assert set(chunks) <= {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}, chunks
    with Image.open(io.BytesIO(stored)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0)) == (10, 20, 30, 128)


def test_a_real_colour_profile_is_applied_then_dropped():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(out, "JPEG", icc_profile=profile)
    assert "E2" in {m[:2] for m in jpeg_segments(out.getvalue())[0]}
    stored = clean_image(SimpleUploadedFile("foto.jpg", out.getvalue())).read()
    assert "E2" not in {m[:2] for m in jpeg_segments(stored)[0]}
    with Image.open(io.BytesIO(stored)) as image:
        red, green, blue = image.getpixel((10, 10))
        assert red > 180 and green < 60 and blue < 60


def test_pixels_that_encode_to_html_near_the_start_are_refused():
    # A grey row of noise with HTML in it: zlib stores noise as it is, so the
    # re-encoded PNG carries `<html>` in its first kilobyte, whatever the encoding.
    import random

    row = bytearray(random.Random(7).randbytes(2048))
    html = b"<html><script>alert(1)</script></html>"
    row[100 : 100 + len(html)] = html
    out = io.BytesIO()
    Image.frombytes("L", (2048, 1), bytes(row)).save(out, "PNG")
    with pytest.raises(UploadError, match="tidak dapat diproses"):
        clean_image(SimpleUploadedFile("foto.png", out.getvalue()))
    row[100 : 100 + len(html)] = b"-" * len(html)
    out = io.BytesIO()
    Image.frombytes("L", (2048, 1), bytes(row)).save(out, "PNG")
    assert clean_image(SimpleUploadedFile("foto.png", out.getvalue()))


def test_too_many_objects_or_nodes_are_refused(monkeypatch):
    data = pdfs.scan(pages=1, side=200)
    monkeypatch.setattr(uploads, "PDF_MAX_OBJECTS", 3)
    with pytest.raises(UploadError, match="terlalu rumit"):
        clean_document(SimpleUploadedFile("ktp.pdf", data))
    monkeypatch.undo()
    monkeypatch.setattr(uploads, "PDF_MAX_NODES", 10)
    with pytest.raises(UploadError, match="terlalu rumit"):
        clean_document(SimpleUploadedFile("ktp.pdf", data))
    monkeypatch.undo()
    assert clean_document(SimpleUploadedFile("ktp.pdf", data))


def test_refusals_are_in_the_readers_language():
    text = SimpleUploadedFile("surat.txt", b"bukan foto, bukan PDF", "text/plain")
    for language, message in (
        ("en", "Upload a photo (JPG/PNG) or a PDF."),
        ("id", "Unggah foto (JPG/PNG) atau PDF."),
    ):
        with translation.override(language):
            with pytest.raises(UploadError) as refused:
                clean_document(text)
            assert refused.value.messages == [message]
