"""The file staff download to fill in: the columns the importer reads, one example row.

The columns are OpenSID's names (what the importer matches), the required ones
first; codes may be written as their names ("Islam", "Kawin"), which the
importer reads too. The example row is valid for the village it is made for.
"""

from __future__ import annotations

import datetime as dt

from balai.regions.codes import compact
from balai.residents.nik import make_nik

TEMPLATE_COLUMNS = [
    "nik", "nama", "no_kk", "sex", "tempatlahir", "tanggallahir", "alamat", "dusun", "rt",
    "rw", "agama_id", "pendidikan_kk_id", "pekerjaan_id", "status_kawin", "kk_level",
    "warganegara_id", "golongan_darah_id", "nama_ayah", "nama_ibu", "status_dasar",
]  # fmt: skip

EXAMPLE_BIRTH = dt.date(1985, 3, 14)


def example_row(village) -> list[str]:
    """A made-up resident of `village`'s district, in TEMPLATE_COLUMNS order."""
    district = compact(village.code)[:6]
    return [
        make_nik(district, EXAMPLE_BIRTH, 1, 9999),
        "Contoh Nama Lengkap",
        f"{district}1403109999",
        "L",
        "Lumajang",
        EXAMPLE_BIRTH.strftime("%d-%m-%Y"),
        "Jl. Contoh No. 1",
        "Krajan",
        "001",
        "002",
        "Islam",
        "SLTA/Sederajat",
        "Petani/Pekebun",
        "Kawin",
        "Kepala Keluarga",
        "WNI",
        "O",
        "Nama Ayah",
        "Nama Ibu",
        "1",
    ]
