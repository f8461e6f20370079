"""Strict checks for files strangers upload (photos, scanned documents), and the one
way a stored upload is served back (`upload_response`).

The content decides what a file is, never its name or declared type. Photos
are decoded and re-encoded from their pixels alone, which drops every
metadata block and anything hidden after the image data; PDFs are parsed
(pypdf), refused when any object carries active content or encryption, and
stored as the parser's rewrite. docs/security.md says why and what is measured.
"""

import io
import re
import secrets
import zlib
from pathlib import Path

import pypdf
from django import forms
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000  # a 6000x4000 phone photo
MAX_SIDE = 2560  # larger photos are scaled down: nobody needs more to read them


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
    """A re-encoded JPEG or PNG copy of an uploaded photo: its pixels and nothing else.

    The one re-encoding for letters, complaints and village pages. The copy is
    written from a new image holding only the pixels, so no comment, EXIF (GPS),
    XMP, ICC profile, PNG text chunk or bytes after the end marker survive;
    a file that is also HTML or a PDF ("polyglot") comes out as a plain image.
    """
    data = _read_limited(upload, max_bytes)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in ("JPEG", "PNG"):
                raise UploadError(_("Foto harus berformat JPG atau PNG."), code="not_image")
            if probe.width * probe.height > MAX_PIXELS:
                raise UploadError(_("Ukuran foto terlalu besar (maksimal 24 megapiksel)."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            pixels = _pixels_only(image, png=fmt == "PNG")
    except UploadError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadError(
            _("Berkas ini bukan foto yang dapat dibaca (JPG atau PNG)."), code="not_image"
        ) from None
    for encode in _ENCODINGS[fmt]:
        out = io.BytesIO()
        encode(pixels, out)
        if not _SNIFFABLE.search(out.getvalue(), 0, SNIFFED_BYTES):
            break
    else:  # the pixels spell HTML or a PDF header in every encoding: never store that
        raise UploadError(_("Foto ini tidak dapat diproses; kirim foto lain."), code="not_image")
    extension = "png" if fmt == "PNG" else "jpg"
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.{extension}")


def _pixels_only(image: Image.Image, *, png: bool) -> Image.Image:
    """The upright, scaled-down pixels in sRGB, in a new image without any metadata."""
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if png and has_alpha:
        mode = "RGBA"
    else:
        mode = "L" if image.mode in ("1", "L", "I", "I;16", "F") else "RGB"
    image = image.convert(mode)
    return Image.frombytes(mode, image.size, image.tobytes())  # info, EXIF, profile: gone


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours from an embedded ICC profile converted to sRGB, so the profile can go."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        from PIL import ImageCms
    except ImportError:  # Pillow built without littlecms
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        output = "RGBA" if image.mode == "RGBA" else "RGB"
        srgb = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(image, source, srgb, outputMode=output)
        assert converted is not None  # None only with inPlace=True
        return converted
    except (OSError, ValueError, ImageCms.PyCMSError):
        return image  # an unreadable profile: keep the pixels as they are


# What a browser sniffing a type, or a PDF reader looking for its header, would
# take for HTML, SVG or a PDF in a file's first kilobyte. A re-encoded image has
# its own header there, then compressed pixels that a crafted image could make
# spell one of these; such a copy is encoded again, else refused.
SNIFFED_BYTES = 1024
_SNIFFABLE = re.compile(rb"<(?:html|head|body|script|svg|iframe|\?xml|!doctype)|%PDF-", re.I)
_ENCODINGS = {
    "JPEG": [
        lambda image, out: image.save(out, "JPEG", quality=85, optimize=True),
        lambda image, out: image.save(out, "JPEG", quality=83, optimize=True),
    ],
    "PNG": [
        lambda image, out: image.save(out, "PNG", optimize=True),
        lambda image, out: image.save(out, "PNG", compress_level=6),
    ],
}


THUMB_SIDE = 320  # lists and the timeline
MEDIUM_SIDE = 1280  # a staff page: enough to read a sign or a house number


def resized(stored, side: int) -> ContentFile:
    """A JPEG copy of an already cleaned photo, its long edge at most `side` pixels.

    Made once at upload, so pages never send an original of several MB to a phone
    (docs/security.md: the original was re-encoded from pixels by clean_image).
    """
    stored.seek(0)
    with Image.open(stored) as image:
        image.thumbnail((side, side))
        copy = image.convert("RGB")
    for quality in (80, 78, 76):  # as clean_image: never a copy a browser could sniff
        out = io.BytesIO()
        copy.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
        if not _SNIFFABLE.search(out.getvalue(), 0, SNIFFED_BYTES):
            break
    else:
        raise UploadError(_("Foto ini tidak dapat diproses; kirim foto lain."), code="not_image")
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.jpg")


# A scan of a few pages needs none of this; each limit is checked before the work it bounds.
PDF_MAX_PAGES = 50
PDF_MAX_OBJECTS = 20_000
PDF_MAX_INFLATED = 20 * 1024 * 1024  # all object streams together, decompressed
PDF_MAX_NODES = 2_000_000  # dictionary entries and array items walked

_PDF_REFUSED = {
    "script": _("PDF berisi skrip (JavaScript); unggah hasil pindaian biasa."),
    "launch": _("PDF berisi perintah menjalankan program; unggah hasil pindaian biasa."),
    "attachment": _("PDF berisi lampiran tersembunyi; unggah hasil pindaian biasa."),
    "xfa": _("PDF berisi formulir XFA; unggah hasil pindaian biasa."),
    "media": _("PDF berisi media tersemat (video, suara, Flash); unggah hasil pindaian biasa."),
    "action": _(
        "PDF berisi tindakan otomatis (dijalankan saat dibuka); unggah hasil pindaian biasa."
    ),
    "encrypted": _("PDF ini terkunci atau dienkripsi; unggah PDF tanpa kata sandi."),
    "complex": _("PDF ini terlalu rumit untuk diperiksa; unggah hasil pindaian biasa."),
    "broken": _("Berkas ini bukan PDF yang utuh."),
}
# Names that let a PDF act on its own, wherever they stand (key or value). The
# parser has already decoded `#xx` escapes, so `/Open#41ction` is `/OpenAction` here.
_PDF_ACTIVE_NAMES = {
    "/JavaScript": "script",
    "/JS": "script",
    "/OpenAction": "action",
    "/AA": "action",
    "/SubmitForm": "action",
    "/ImportData": "action",
    "/Launch": "launch",
    "/EmbeddedFile": "attachment",
    "/EmbeddedFiles": "attachment",
    "/FileAttachment": "attachment",
    "/GoToE": "attachment",
    "/XFA": "xfa",
    "/RichMedia": "media",
    "/RichMediaContent": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/Rendition": "media",
}


class _PdfRefused(Exception):
    def __init__(self, reason: str):
        self.reason = reason


def clean_pdf(upload, *, max_bytes: int = MAX_BYTES) -> ContentFile:
    """A PDF rewritten by pypdf from the objects it checked, or an UploadError.

    Every object is read after decompression (object streams included) and a
    PDF that could run, open, launch or embed anything, or is encrypted, is
    refused. The stored copy holds only what the parser saw: no older
    revision, orphan object or bytes after the end for a viewer to find.
    """
    data = _read_limited(upload, max_bytes)
    if not data.startswith(b"%PDF-"):
        raise UploadError(_PDF_REFUSED["broken"])
    try:
        with pypdf.apply_configuration(
            zlib_maximum_output_length=PDF_MAX_INFLATED,
            maximum_declared_stream_length=max_bytes,
            page_tree_maximum_entries=PDF_MAX_PAGES * 4,
        ):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            _check_pdf(reader)
            writer = pypdf.PdfWriter(clone_from=reader)
            out = io.BytesIO()
            writer.write(out)
    except _PdfRefused as refused:
        raise UploadError(_PDF_REFUSED[refused.reason], code=f"pdf_{refused.reason}") from None
    except pypdf.errors.LimitReachedError:
        raise UploadError(_PDF_REFUSED["complex"], code="pdf_complex") from None
    except (
        pypdf.errors.PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        AssertionError,
        IndexError,
        RecursionError,
        zlib.error,
    ):
        raise UploadError(_PDF_REFUSED["broken"], code="pdf_broken") from None
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.pdf")


def _check_pdf(reader) -> None:
    if reader.is_encrypted or "/Encrypt" in reader.trailer:
        raise _PdfRefused("encrypted")
    numbers = [(n, gen) for gen, table in reader.xref.items() for n in table]
    numbers += [(n, 0) for n in reader.xref_objStm]
    if len(numbers) > PDF_MAX_OBJECTS:
        raise _PdfRefused("complex")
    declared = reader.trailer["/Root"].get_object()["/Pages"].get_object().get("/Count")
    declared = declared.get_object() if declared is not None else None
    if not isinstance(declared, int) or declared < 1:
        raise _PdfRefused("broken")
    if declared > PDF_MAX_PAGES:
        raise _PdfRefused("complex")
    # Object streams first, each decompressed once (pypdf caches it), the total bounded.
    inflated = 0
    for stream_number in {stream for stream, _index in reader.xref_objStm.values()}:
        stream = reader.get_object(IndirectObject(stream_number, 0, reader))
        inflated += len(stream.get_data())
        if inflated > PDF_MAX_INFLATED:
            raise _PdfRefused("complex")
    roots = [reader.trailer]
    roots += [reader.get_object(IndirectObject(n, g, reader)) for n, g in numbers]
    _walk_pdf(roots)
    if len(reader.pages) > PDF_MAX_PAGES:
        raise _PdfRefused("complex")


def _walk_pdf(roots: list) -> None:
    """Every name in every object, without following references (each object is a root).

    All findings are gathered so the message names the worst (a script before an action).
    """
    found: set[str] = set()
    stack = list(roots)
    walked = 0
    while stack:
        node = stack.pop()
        walked += 1
        if walked > PDF_MAX_NODES:
            raise _PdfRefused("complex")
        if isinstance(node, DictionaryObject):
            found.update(_PDF_ACTIVE_NAMES[key] for key in node if key in _PDF_ACTIVE_NAMES)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, NameObject) and node in _PDF_ACTIVE_NAMES:
            found.add(_PDF_ACTIVE_NAMES[node])
    for reason in _PDF_REFUSED:  # in the order of that dict: the worst first
        if reason in found:
            raise _PdfRefused(reason)


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


# The only types a stored upload is ever served as (by its stored extension, which
# the cleaning above chose from the content).
_SERVED_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}
SANDBOX_CSP = "sandbox; default-src 'none'"


def upload_response(
    stored, *, download_name: str, cache: str = "private, no-store"
) -> FileResponse:
    """The one way a stored upload leaves the server, for every view that serves one.

    A photo shows inline only as the image type it was re-encoded to; a PDF or
    anything else is a download. Neither may be sniffed as another type, and a
    sandboxing CSP (it replaces the site's page policy on this response) keeps
    a file opened anyway from running script or reaching the session.
    """
    extension = Path(stored.name).suffix.lower()
    content_type = _SERVED_TYPES.get(extension, "application/octet-stream")
    response = FileResponse(
        stored.open("rb"),
        content_type=content_type,
        as_attachment=not content_type.startswith("image/"),
        filename=f"{download_name}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = cache
    return response


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
