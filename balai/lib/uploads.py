"""Strict checks for files strangers upload: photos and scanned documents.

The content decides what a file is, never its name or declared type. Images
are decoded and re-encoded, which drops EXIF (GPS included) and anything
hidden after the image data; PDFs are refused when they carry active content.
"""

import io
import secrets

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000  # a 6000x4000 phone photo
MAX_SIDE = 2560  # larger photos are scaled down: nobody needs more to read them
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/OpenAction")


class UploadError(forms.ValidationError):
    pass


def _read_limited(upload, max_bytes: int) -> bytes:
    if upload.size is not None and upload.size > max_bytes:
        raise UploadError(
            _("Berkas terlalu besar (maksimal %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(
            _("Berkas terlalu besar (maksimal %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data:
        raise UploadError(_("Berkas kosong."))
    return data


def clean_image(upload, *, max_bytes: int = MAX_BYTES) -> ContentFile:
    """A re-encoded JPEG or PNG copy of an uploaded photo, without metadata."""
    data = _read_limited(upload, max_bytes)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("JPEG", "PNG"):
                raise UploadError(_("Foto harus berformat JPG atau PNG."), code="not_image")
            if probe.width * probe.height > MAX_PIXELS:
                raise UploadError(_("Ukuran foto terlalu besar (maksimal 24 megapiksel)."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if fmt == "PNG":
                image.save(out, "PNG", optimize=True)
            else:
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    except UploadError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadError(
            _("Berkas ini bukan foto yang dapat dibaca (JPG atau PNG)."), code="not_image"
        ) from None
    extension = "png" if fmt == "PNG" else "jpg"
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.{extension}")


def clean_pdf(upload, *, max_bytes: int = MAX_BYTES) -> ContentFile:
    data = _read_limited(upload, max_bytes)
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise UploadError(_("Berkas ini bukan PDF yang utuh."))
    if any(marker in data for marker in PDF_ACTIVE_CONTENT):
        raise UploadError(
            _("PDF berisi skrip atau lampiran tersembunyi; unggah hasil pindaian biasa.")
        )
    return ContentFile(data, name=f"{secrets.token_hex(16)}.pdf")


def clean_document(upload, *, max_bytes: int = MAX_BYTES) -> ContentFile:
    """A requirement document: a photo (JPG/PNG) or a PDF, decided by content."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return clean_pdf(upload, max_bytes=max_bytes)
    try:
        return clean_image(upload, max_bytes=max_bytes)
    except UploadError as exc:
        if exc.code == "not_image":
            raise UploadError(_("Unggah foto (JPG/PNG) atau PDF."), code="not_document") from None
        raise


class ImageField(forms.FileField):
    """A form field that yields a cleaned ContentFile (see clean_image)."""

    def __init__(self, *args, max_bytes: int = MAX_BYTES, **kwargs):
        self.max_bytes = max_bytes
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return clean_image(upload, max_bytes=self.max_bytes) if upload else upload


class DocumentField(ImageField):
    """A form field for a requirement: photo or PDF (see clean_document)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = forms.FileField.clean(self, data, initial)
        return clean_document(upload, max_bytes=self.max_bytes) if upload else upload
