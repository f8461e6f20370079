"""Letter body templates: plain text with `{{ name }}` placeholders.

Placeholders are filled as data from a fixed dictionary, never evaluated:
a regex finds `{{ ... }}`, and each name must be one of the known names below
(or `isian.<field>` for a type's extra fields). Unknown names are refused when
the template is saved, so a stored template always fills completely.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from balai.letters.rendering import format_date_id

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
NAME = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")
EXTRA_PREFIX = "isian."
MAX_PARAGRAPHS = 30

# name -> what it holds (shown beside the template editor)
KNOWN: dict[str, StrOrPromise] = {
    "penduduk.nama": _("Nama lengkap pemohon"),
    "penduduk.nik": _("NIK pemohon"),
    "penduduk.no_kk": _("Nomor KK pemohon"),
    "penduduk.tempat_lahir": _("Tempat lahir"),
    "penduduk.tanggal_lahir": _("Tanggal lahir, mis. 2 Juli 1961"),
    "penduduk.tempat_tanggal_lahir": _("Tempat dan tanggal lahir"),
    "penduduk.jenis_kelamin": _("Jenis kelamin"),
    "penduduk.agama": _("Agama"),
    "penduduk.pekerjaan": _("Pekerjaan"),
    "penduduk.status_perkawinan": _("Status perkawinan"),
    "penduduk.kewarganegaraan": _("Kewarganegaraan"),
    "penduduk.alamat": _("Alamat lengkap (alamat, RT/RW, dusun)"),
    "keperluan": _("Keperluan yang ditulis pemohon"),
    "desa.nama": _("Nama desa/kelurahan"),
    "desa.jenis": _("Desa atau Kelurahan"),
    "kecamatan.nama": _("Nama kecamatan"),
    "kabupaten.nama": _("Nama kabupaten"),
    "kepala_desa.nama": _("Nama penandatangan"),
    "surat.tanggal": _("Tanggal surat"),
    "surat.berlaku_sampai": _("Tanggal akhir masa berlaku"),
}


class UnknownPlaceholder(ValueError):
    pass


def date_id(day: dt.date | None) -> str:
    """`2 Juli 1961`, independent of the active language (letters are Indonesian)."""
    return format_date_id(day) if day is not None else "-"


def known_names(extra_fields: Iterable[str] = ()) -> set[str]:
    return set(KNOWN) | {EXTRA_PREFIX + name for name in extra_fields}


def problems(body: str, extra_fields: Iterable[str] = ()) -> list[StrOrPromise]:
    """Why `body` cannot be saved, in Indonesian; empty when it can."""
    known = known_names(extra_fields)
    found: list[StrOrPromise] = []
    for match in PLACEHOLDER.finditer(body):
        name = match.group(1).strip()
        if not NAME.match(name):
            found.append(_("“%(p)s” bukan penanda yang sah.") % {"p": match.group(0)})
        elif name not in known:
            found.append(_("Penanda “{{ %(n)s }}” tidak dikenal.") % {"n": name})
    rest = PLACEHOLDER.sub("", body)
    if "{{" in rest or "}}" in rest:
        found.append(_("Ada “{{” atau “}}” yang tidak berpasangan."))
    if len(paragraphs(body)) > MAX_PARAGRAPHS:
        found.append(_("Paling banyak %(n)s paragraf.") % {"n": MAX_PARAGRAPHS})
    return found


def fill(body: str, values: Mapping[str, str]) -> str:
    """`body` with each placeholder replaced by its value, as plain text."""

    def substitute(match: re.Match) -> str:
        name = match.group(1).strip()
        try:
            return str(values[name])
        except KeyError:
            raise UnknownPlaceholder(name) from None

    return PLACEHOLDER.sub(substitute, body)


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, inner line breaks joined by spaces."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block]


def resident_values(resident) -> dict[str, str]:
    family = resident.family
    address = ""
    if family is not None:
        parts = [family.address]
        if family.rt or family.rw:
            parts.append(f"RT {family.rt or '-'} / RW {family.rw or '-'}")
        if family.dusun:
            parts.append(f"Dusun {family.dusun}")
        address = ", ".join(p for p in parts if p)
    village = resident.village
    address = ", ".join(p for p in [address, f"{village.get_kind_display()} {village.name}"] if p)
    birth = date_id(resident.birth_date)
    return {
        "penduduk.nama": resident.name.upper(),
        "penduduk.nik": resident.nik,
        "penduduk.no_kk": family.no_kk if family else "-",
        "penduduk.tempat_lahir": resident.birth_place or "-",
        "penduduk.tanggal_lahir": birth,
        "penduduk.tempat_tanggal_lahir": f"{resident.birth_place or '-'}, {birth}",
        "penduduk.jenis_kelamin": str(resident.get_sex_display()),
        "penduduk.agama": str(resident.get_religion_display() or "-"),
        "penduduk.pekerjaan": str(resident.get_occupation_display() or "-"),
        "penduduk.status_perkawinan": str(resident.get_marital_status_display() or "-"),
        "penduduk.kewarganegaraan": str(resident.get_citizenship_display() or "-"),
        "penduduk.alamat": address,
    }


def place_values(village, signer_name: str) -> dict[str, str]:
    from balai.regions.codes import regency_names

    regency = regency_names().get(village.regency_id, "")
    return {
        "desa.nama": village.name,
        "desa.jenis": village.get_kind_display(),
        "kecamatan.nama": village.district.name,
        "kabupaten.nama": regency.removeprefix("Kabupaten ").removeprefix("Kota ").strip(),
        "kepala_desa.nama": signer_name,
    }


SAMPLE = {
    "penduduk.nama": "SITI WAHYUNI",
    "penduduk.nik": "3508014207610001",
    "penduduk.no_kk": "3508010101090001",
    "penduduk.tempat_lahir": "Lumajang",
    "penduduk.tanggal_lahir": "2 Juli 1961",
    "penduduk.tempat_tanggal_lahir": "Lumajang, 2 Juli 1961",
    "penduduk.jenis_kelamin": "Perempuan",
    "penduduk.agama": "Islam",
    "penduduk.pekerjaan": "Petani/Pekebun",
    "penduduk.status_perkawinan": "Kawin",
    "penduduk.kewarganegaraan": "WNI",
    "penduduk.alamat": "Jl. Kenanga 12, RT 002 / RW 005, Dusun Krajan, Desa Tempursari",
    "keperluan": "persyaratan pendaftaran sekolah anak",
    "desa.nama": "Tempursari",
    "desa.jenis": "Desa",
    "kecamatan.nama": "Tempursari",
    "kabupaten.nama": "Lumajang",
    "kepala_desa.nama": "SUPRAPTO",
    "surat.tanggal": "28 November 2026",
    "surat.berlaku_sampai": "28 Februari 2027",
}


def sample_values(extra_fields: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Sample data for previews; extra fields show their label in brackets."""
    values = dict(SAMPLE)
    for name, label in extra_fields:
        values[EXTRA_PREFIX + name] = f"[{label}]"
    return values
