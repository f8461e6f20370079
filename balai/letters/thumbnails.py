"""Small previews of the documents residents upload, for the staff pages.

A phone photo of a KTP weighs a few MB; the request page shows a JPEG of at
most THUMB_SIDE pixels instead, made once and kept beside the upload. A PDF's
first page is drawn by poppler's `pdftoppm` (in a child process, with a time
limit); when that fails the page shows an icon, never the file itself.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

THUMB_SIDE = 320
PDFTOPPM_SECONDS = 10


def thumbnail_name(document) -> str:
    return f"letters/thumbs/{document.uuid}.jpg"


def _from_image(data: bytes) -> bytes | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (THUMB_SIDE, THUMB_SIDE))  # JPEG: decode at a lower scale
            small = image.convert("RGB")
            small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    out = io.BytesIO()
    small.save(out, "JPEG", quality=70, optimize=True)
    return out.getvalue()


def _from_pdf(data: bytes) -> bytes | None:
    """The first page as a JPEG, or None (no pdftoppm, an unreadable file, too slow)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="balai-thumb-") as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        command = [tool, "-f", "1", "-l", "1", "-singlefile", "-jpeg"]
        command += ["-scale-to", str(THUMB_SIDE), str(source), str(Path(folder) / "out")]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDFTOPPM_SECONDS)
        except (subprocess.SubprocessError, OSError) as exc:
            log.info("pdftoppm could not draw a thumbnail: %r", exc)
            return None
        made = Path(folder) / "out.jpg"
        return made.read_bytes() if made.exists() else None


def thumbnail(document) -> str | None:
    """The stored name of `document`'s thumbnail, made on first use; None when there
    is none to make (the page shows an icon)."""
    name = thumbnail_name(document)
    if default_storage.exists(name):
        return name
    with document.file.open("rb") as file:
        data = file.read()
    is_pdf = document.file.name.lower().endswith(".pdf")
    small = _from_pdf(data) if is_pdf else _from_image(data)
    if small is None:
        return None
    return default_storage.save(name, ContentFile(small))
