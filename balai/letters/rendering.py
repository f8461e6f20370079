"""Render a village letter to PDF/A-2b with Typst.

The letter's content travels to Typst only as JSON in `sys.inputs`: the
template (typst/letter.typ) inserts each value as a string, so a resident's
name such as ``#panic("x")`` or ``*bold*`` is printed literally and never run.

One `typst.Compiler` per process, given the input and `sys_inputs` on each
`compile()` (typst-py: a Compiler built with its input fails on a second
compile); the fonts are loaded once.
"""

from __future__ import annotations

import atexit
import datetime
import hashlib
import io
import json
import re
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import segno
import typst

TEMPLATE = Path(__file__).resolve().parent / "typst" / "letter.typ"

# Paper sizes in millimetres. F4 ("folio") is what many Indonesian offices print on.
PAPER = {"A4": (210, 297), "F4": (215, 330)}
PAPER_SIZES = tuple(PAPER)

QR_CAPTION = "Pindai untuk memeriksa keaslian"
FOOTER = (
    "Dokumen ini ditandatangani secara elektronik. Keaslian dan keabsahannya dapat "
    "diperiksa dengan memindai kode QR."
)
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


@dataclass(frozen=True)
class Letterhead:
    """The kop surat of one village."""

    district: str
    village: str
    address: str
    regency: str = "PEMERINTAH KABUPATEN LUMAJANG"
    logo_png: bytes | None = None


@dataclass(frozen=True)
class LetterData:
    """Everything printed on a letter, as plain values (placeholders already filled)."""

    letterhead: Letterhead
    title: str
    number: str
    body: Sequence[str]
    fields: Sequence[tuple[str, str]]
    place: str
    date: datetime.date
    signer_name: str
    signer_position: str
    verification_url: str
    fields_after: int = 1
    signer_authority: Sequence[str] = ()
    signer_nip: str = ""
    paper: str = "A4"
    # The documents the resident gave, printed as "Lampiran": only those given.
    attachments: Sequence[str] = ()

    def __post_init__(self) -> None:
        if self.paper not in PAPER:
            raise ValueError(f"paper must be one of {', '.join(PAPER)}, not {self.paper!r}")


class RenderError(RuntimeError):
    """Typst could not render the letter (a bug in the template, not in the data)."""


def format_date_id(day: datetime.date) -> str:
    """28 November 2026."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def qr_svg(url: str) -> str:
    """The verification URL as an SVG QR code (error correction M).

    No quiet zone in the SVG: the template keeps at least four modules of white
    around the code.
    """
    qr = segno.make_qr(url, error="m", boost_error=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", xmldecl=False, svgns=True, border=0, scale=1, nl=False)
    return out.getvalue().decode()


def clean_text(value: object) -> str:
    """Text as it may appear on a letter: NFC, without control, format or private characters.

    Bidirectional overrides (which could make a name display reversed), zero-width and
    other invisible characters and unpaired surrogates go; a tab becomes a space.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\t", " ").replace("\r\n", "\n")
    return "".join(
        ch for ch in text if ch == "\n" or unicodedata.category(ch) not in _UNPRINTED_CATEGORIES
    )


_UNPRINTED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


ATTACHMENTS_LABEL = "Lampiran"
PREVIEW_MARK = "CONTOH"  # a type's template on sample data
DRAFT_MARK = "PRATINJAU"  # a resident's letter before it is signed


def _payload(
    data: LetterData, *, preview: bool, logo: str | None, watermark: str = PREVIEW_MARK
) -> dict[str, Any]:
    kop = data.letterhead
    width, height = PAPER[data.paper]
    url = data.verification_url
    t = clean_text
    return {
        "preview": preview,
        "watermark": watermark,
        "page": {"width": width, "height": height},
        "document_title": t(f"{data.title} {data.number}".strip()),
        "document_author": t(f"{kop.regency} - {kop.village}"),
        "letterhead": {
            "regency": t(kop.regency),
            "district": t(kop.district),
            "village": t(kop.village),
            "address": t(kop.address),
            "logo": logo,
        },
        "title": t(data.title),
        "number": t(data.number),
        "number_placeholder": "(diisi saat ditandatangani)",
        "body": [t(p) for p in data.body],
        "fields": [{"label": t(k), "value": t(v)} for k, v in data.fields],
        "fields_after": max(0, data.fields_after),
        "attachments_label": ATTACHMENTS_LABEL,
        "attachments": [t(a) for a in data.attachments],
        "place_and_date": t(f"{data.place}, {format_date_id(data.date)}"),
        "signer_name": t(data.signer_name),
        "signer_position": t(data.signer_position),
        "signer_authority": [t(line) for line in data.signer_authority],
        "signer_nip": t(data.signer_nip),
        "verification_url": url,
        "qr_svg": qr_svg(url) if url else None,
        "qr_caption": QR_CAPTION,
        "footer": "" if preview else FOOTER,
    }


class MissingGlyphs(RenderError):
    """Some characters have no glyph in the letter's fonts (PDF/A forbids blank glyphs)."""

    def __init__(self, message: str, chars: set[str]) -> None:
        super().__init__(message)
        self.chars = chars


# Typst: the text `"😀"` could not be displayed with font `"Libertinus Serif"`
_MISSING_GLYPH = re.compile(r'the text `"((?:[^"\\]|\\.)*)"` could not be displayed')
_TYPST_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}|\\(.)")


def _unescape_typst(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1):
            return chr(int(m.group(1), 16))
        return {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(2), m.group(2))

    return _TYPST_ESCAPE.sub(one, text)


class _Renderer:
    """One Typst compiler per process (typst-py's is not re-entrant: calls take a lock).

    Typst reads from a private directory holding a copy of the template and the
    logos, each written once under its SHA-256: a logo passed as data would cost
    more than the rest of the letter on every render.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compiler: typst.Compiler | None = None
        self._root: Path | None = None

    def _ready(self) -> tuple[typst.Compiler, Path]:
        """The compiler and its root, made again if the root vanished (a /tmp cleaner)."""
        if self._root is None or not (self._root / TEMPLATE.name).exists():
            root = Path(tempfile.mkdtemp(prefix="balai-typst-"))
            atexit.register(shutil.rmtree, root, ignore_errors=True)
            shutil.copyfile(TEMPLATE, root / TEMPLATE.name)
            (root / "logos").mkdir()
            self._root = root
            # Only Typst's embedded fonts (Libertinus Serif, OFL): the same PDF on
            # every machine, and no system font scan on start.
            self._compiler = typst.Compiler(root=str(root), ignore_system_fonts=True)
        assert self._compiler is not None
        return self._compiler, self._root

    def logo(self, png: bytes | None) -> str | None:
        """The logo's path inside Typst's root, written on first use."""
        if not png:
            return None
        if png.startswith(b"\x89PNG\r\n\x1a\n"):
            extension = "png"
        elif png.startswith(b"\xff\xd8\xff"):
            extension = "jpg"
        else:
            raise ValueError("the letterhead logo must be a PNG or JPEG image")
        path = f"/logos/{hashlib.sha256(png).hexdigest()}.{extension}"
        with self._lock:
            _compiler, root = self._ready()
            file = root / path.lstrip("/")
            if not file.exists():
                file.write_bytes(png)
        return path

    def compile(self, data_json: str) -> bytes:
        with self._lock:
            compiler, root = self._ready()
            try:
                pdf = compiler.compile(
                    input=str(root / TEMPLATE.name),
                    format="pdf",
                    sys_inputs={"data": data_json},
                    pdf_standards="a-2b",
                )
            except typst.TypstError as exc:
                message = f"{exc.message}\n{exc.diagnostic}"
                missing = {
                    ch for found in _MISSING_GLYPH.findall(message) for ch in _unescape_typst(found)
                }
                if missing:
                    raise MissingGlyphs(message, missing) from exc
                raise RenderError(message) from exc
        assert isinstance(pdf, bytes)
        return pdf


_renderer = _Renderer()


def _replace_chars(value: Any, chars: set[str] | None) -> Any:
    """`value` with `chars` (None: everything outside the fonts' safe ranges) as "?"."""
    if isinstance(value, str):
        if chars is None:
            return "".join(ch if _is_safe(ch) else "?" for ch in value)
        return "".join("?" if ch in chars else ch for ch in value)
    if isinstance(value, dict):
        return {k: v if k == "qr_svg" else _replace_chars(v, chars) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_chars(v, chars) for v in value]
    return value


def _is_safe(ch: str) -> bool:
    # Latin, Greek and Cyrillic, general punctuation, currency and arrows: covered by
    # Libertinus Serif.
    code = ord(ch)
    return code < 0x0530 or 0x1E00 <= code < 0x2200


def render_letter(
    data: LetterData, *, preview: bool = False, watermark: str = PREVIEW_MARK
) -> bytes:
    """The letter as PDF/A-2b bytes; `preview` marks it with `watermark` across the
    page (CONTOH for template previews, PRATINJAU for a letter before it is signed).

    A character no font can show (an emoji in a purpose typed on a phone, a script
    the fonts lack) is printed as "?" rather than failing the letter.
    """
    logo = _renderer.logo(data.letterhead.logo_png)
    payload = _payload(data, preview=preview, logo=logo, watermark=watermark)
    missing: set[str] = set()
    for _attempt in range(3):
        try:
            return _renderer.compile(json.dumps(_replace_chars(payload, missing)))
        except MissingGlyphs as exc:
            missing |= exc.chars
    return _renderer.compile(json.dumps(_replace_chars(payload, None)))


def sample_letter_data(**overrides: Any) -> LetterData:
    """A realistic letter for previews of a template; keyword arguments replace fields."""
    sample = LetterData(
        letterhead=Letterhead(
            district="KECAMATAN TEMPURSARI",
            village="DESA TEMPURSARI",
            address="Jl. Raya Tempursari No. 1, Tempursari, Lumajang 67375",
        ),
        title="SURAT KETERANGAN DOMISILI",
        number="",
        body=[
            "Yang bertanda tangan di bawah ini Kepala Desa Tempursari, Kecamatan Tempursari, "
            "Kabupaten Lumajang, menerangkan dengan sebenarnya bahwa:",
            "Orang tersebut di atas adalah benar penduduk Desa Tempursari yang berdomisili "
            "di alamat tersebut. Surat keterangan ini dibuat untuk keperluan melamar pekerjaan.",
            "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya.",
        ],
        fields=[
            ("Nama", "SITI WAHYUNI"),
            ("NIK", "3508014207610001"),
            ("Tempat, tanggal lahir", "Lumajang, 2 Juli 1961"),
            ("Jenis kelamin", "Perempuan"),
            ("Pekerjaan", "Petani/Pekebun"),
            ("Alamat", "Dusun Krajan RT 002 / RW 005, Desa Tempursari"),
        ],
        place="Tempursari",
        date=datetime.date.today(),
        signer_name="NAMA KEPALA DESA",
        signer_position="KEPALA DESA TEMPURSARI",
        verification_url="https://balai.example/v/CONTOH",
    )
    return replace(sample, **overrides)


def render_preview(**overrides: Any) -> bytes:
    """A preview of a template on sample data: marked CONTOH, unsigned."""
    return render_letter(sample_letter_data(**overrides), preview=True)


__all__ = [
    "PAPER_SIZES",
    "LetterData",
    "Letterhead",
    "RenderError",
    "clean_text",
    "format_date_id",
    "qr_svg",
    "render_letter",
    "render_preview",
    "sample_letter_data",
]
