"""File safety checks: refuse a file before any parser sees it.

Too large, empty, zip bombs, too many parts, XML with DOCTYPE/ENTITY
declarations; the format is decided by content, not by name.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024
MAX_RATIO = 150  # spreadsheets compress 5-30x; bombs compress thousands of times
MAX_MEMBERS = 2000


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why, in Indonesian."""


def detect_format(path: Path) -> str:
    """'zip' (xlsx/ods), 'xls' (OLE2) or 'csv', decided by content, not by name."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if b"\x00" in head:
        raise FileProblem(_("Format berkas tidak dikenal. Unggah .xlsx, .xls, .ods atau .csv."))
    return "csv"


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _xml_head_is_plain(member) -> bool:
    """True when no DOCTYPE/ENTITY comes before the root element (where a DTD must be)."""
    seen = b""
    while True:
        chunk = member.read(64 * 1024)
        if not chunk:
            return not _DOCTYPE.search(seen)
        seen = seen[-16:] + chunk
        root = _ROOT_START.search(seen)
        prolog = seen[: root.start()] if root else seen
        if _DOCTYPE.search(prolog):
            return False
        if root:
            return True


def _refuse_xml_declarations(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as member:
                if not _xml_head_is_plain(member):
                    raise FileProblem(
                        _(
                            "Berkas berisi deklarasi XML (DOCTYPE/ENTITY) yang tidak "
                            "diizinkan; ditolak."
                        )
                    )


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse an .xlsx/.ods archive with too many or too large parts, or XML entity tricks."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise FileProblem(_("Berkas berisi terlalu banyak bagian; ditolak."))
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileProblem(
            _("Isi berkas terlalu besar setelah dibuka (%(mb)s MB); ditolak.")
            % {"mb": total // (1024 * 1024)}
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileProblem(_("Berkas ini terkompresi secara tidak wajar (zip bomb); ditolak."))
    member_names = {i.filename for i in infos}
    _refuse_xml_declarations(archive, infos)
    # The small structural parts are parsed with defusedxml for good measure.
    for part in ("[Content_Types].xml", "xl/workbook.xml", "META-INF/manifest.xml"):
        if part in member_names:
            SafeET.fromstring(archive.read(part))
    if "xl/workbook.xml" not in member_names and "content.xml" not in member_names:
        raise FileProblem(_("Berkas zip ini bukan lembar kerja .xlsx atau .ods."))


def check_file(path: Path) -> str:
    """Refuse files that are too large, zip bombs and XML entity tricks; return the format."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileProblem(
            _("Berkas terlalu besar (%(mb)s MB; maksimal %(max)s MB).")
            % {"mb": size // (1024 * 1024), "max": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if size == 0:
        raise FileProblem(_("Berkas kosong."))
    fmt = detect_format(path)
    if fmt != "zip":
        return fmt
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive)
    except FileProblem:
        raise
    except DefusedXmlException:  # DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
        raise FileProblem(_("Berkas berisi deklarasi XML yang tidak diizinkan; ditolak.")) from None
    except (zipfile.BadZipFile, SafeET.ParseError, ValueError, OSError):
        raise FileProblem(_("Berkas lembar kerja rusak atau bukan .xlsx/.ods.")) from None
    return fmt
