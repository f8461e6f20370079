"""Render a village letter to PDF/A-2b with Typst.

The letter's content travels to Typst only as JSON in `sys.inputs`: the
template (typst/letter.typ) inserts each value as a string, so a resident's
name such as ``#panic("x")`` or ``*bold*`` is printed literally and never run.

One `typst.Compiler` per process (a second `compile()` on a Compiler built
with its input fails in typst-py; see docs/letters-pki.md); the template
source and the fonts are loaded once.
"""

from __future__ import annotations

import datetime
import io
import json
import threading
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

    def __post_init__(self) -> None:
        if self.paper not in PAPER:
            raise ValueError(f"paper must be one of {', '.join(PAPER)}, not {self.paper!r}")


class RenderError(RuntimeError):
    """Typst could not render the letter (a bug in the template, not in the data)."""


def format_date_id(day: datetime.date) -> str:
    """28 November 2026."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def qr_svg(url: str) -> str:
    """The verification URL as an SVG QR code (error correction M, no quiet zone)."""
    qr = segno.make_qr(url, error="m", boost_error=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", xmldecl=False, svgns=True, border=0, scale=1, nl=False)
    return out.getvalue().decode()


def _payload(data: LetterData, *, preview: bool) -> dict[str, Any]:
    kop = data.letterhead
    width, height = PAPER[data.paper]
    url = data.verification_url
    return {
        "preview": preview,
        "watermark": "CONTOH",
        "page": {"width": width, "height": height},
        "document_title": f"{data.title} {data.number}".strip(),
        "document_author": f"{kop.regency} - {kop.village}",
        "letterhead": {
            "regency": kop.regency,
            "district": kop.district,
            "village": kop.village,
            "address": kop.address,
            # Typst has no base64 decoder; a list of byte values becomes bytes there.
            "logo": list(kop.logo_png) if kop.logo_png else None,
        },
        "title": data.title,
        "number": data.number,
        "number_placeholder": "(diisi saat ditandatangani)",
        "body": [str(p) for p in data.body],
        "fields": [{"label": str(k), "value": str(v)} for k, v in data.fields],
        "fields_after": max(0, data.fields_after),
        "place_and_date": f"{data.place}, {format_date_id(data.date)}",
        "signer_name": data.signer_name,
        "signer_position": data.signer_position,
        "signer_authority": [str(line) for line in data.signer_authority],
        "signer_nip": data.signer_nip,
        "verification_url": url,
        "qr_svg": qr_svg(url) if url else None,
        "qr_caption": QR_CAPTION,
        "footer": "" if preview else FOOTER,
    }


class _Renderer:
    """One Typst compiler for the process; typst-py's compiler is not re-entrant."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compiler: typst.Compiler | None = None

    def compile(self, data_json: str) -> bytes:
        with self._lock:
            if self._compiler is None:
                # Only Typst's embedded fonts (Libertinus Serif, OFL): the same PDF on
                # every machine, and no system font scan on start.
                self._compiler = typst.Compiler(root=str(TEMPLATE.parent), ignore_system_fonts=True)
            try:
                pdf = self._compiler.compile(
                    input=str(TEMPLATE),
                    format="pdf",
                    sys_inputs={"data": data_json},
                    pdf_standards="a-2b",
                )
            except typst.TypstError as exc:
                raise RenderError(f"{exc.message}\n{exc.diagnostic}") from exc
        assert isinstance(pdf, bytes)
        return pdf


_renderer = _Renderer()


def render_letter(data: LetterData, *, preview: bool = False) -> bytes:
    """The letter as PDF/A-2b bytes; `preview` marks it CONTOH (template previews)."""
    return _renderer.compile(json.dumps(_payload(data, preview=preview), ensure_ascii=False))


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
    "format_date_id",
    "qr_svg",
    "render_letter",
    "render_preview",
    "sample_letter_data",
]
