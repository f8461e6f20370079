"""Reading cell values: text, NIK/KK numbers, dates and Dukcapil codes or labels."""

from __future__ import annotations

import datetime as dt
import re

from balai.residents.choices import (
    BloodType,
    Citizenship,
    Education,
    MaritalStatus,
    Occupation,
    Relationship,
    Religion,
    Sex,
    Status,
)


def _key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", str(text).upper())


def _lookup(choices, *aliases: tuple[str, int]) -> dict[str, int]:
    table = {_key(label): value for value, label in choices.choices}
    table.update({_key(alias): value for alias, value in aliases})
    table.update({str(value): value for value in choices.values})
    return table


LOOKUPS = {
    "sex": _lookup(
        Sex,
        ("L", 1),
        ("LK", 1),
        ("LAKI", 1),
        ("LAKILAKI", 1),
        ("PRIA", 1),
        ("P", 2),
        ("PR", 2),
        ("PEREMPUAN", 2),
        ("WANITA", 2),
    ),
    "agama_id": _lookup(
        Religion,
        ("KATOLIK", 3),
        ("BUDDHA", 5),
        ("KONGHUCU", 6),
        ("KHONGHUCHU", 6),
        ("KEPERCAYAAN", 7),
        ("LAINNYA", 7),
        ("KEPERCAYAANTERHADAPTUHANYME", 7),
        ("KRISTENPROTESTAN", 2),
    ),
    "pendidikan_kk_id": _lookup(
        Education,
        ("TIDAKBELUMSEKOLAH", 1),
        ("BELUMTAMATSD", 2),
        ("TAMATSD", 3),
        ("SLTP", 4),
        ("SMP", 4),
        ("SLTA", 5),
        ("SMA", 5),
        ("DIPLOMAIII", 7),
        ("AKADEMIDIPLOMAIIISMUDA", 7),
        ("DIPLOMAIVSTRATAI", 8),
        ("S1", 8),
        ("S2", 9),
        ("S3", 10),
    ),
    "pekerjaan_id": _lookup(
        Occupation,
        ("BELUMTIDAKBEKERJA", 1),
        ("PNS", 5),
        ("TNI", 6),
        ("POLRI", 7),
        ("PETANI", 9),
        ("NELAYAN", 11),
        ("PEDAGANG", 84),
    ),
    "status_kawin": _lookup(
        MaritalStatus,
        ("BK", 1),
        ("K", 2),
        ("CH", 3),
        ("CM", 4),
        ("BELUMMENIKAH", 1),
        ("MENIKAH", 2),
    ),
    "kk_level": _lookup(Relationship, ("KK", 1), ("ORANGTUA", 7), ("FAMILILAIN", 9)),
    "warganegara_id": _lookup(Citizenship, ("DUAKEWARGANEGARAAN", 3), ("INDONESIA", 1)),
    "golongan_darah_id": _lookup(BloodType, ("TIDAKTAHU", 13), ("TIDAKDIKETAHUI", 13), ("", 13)),
    "status_dasar": _lookup(
        Status,
        ("HIDUP", 1),
        ("MATI", 2),
        ("MENINGGAL", 2),
        ("PINDAH", 3),
        ("HILANG", 4),
        ("PERGI", 3),
        ("6", 3),
    ),
}
# Columns read into Balai, in the order of the resident fields they fill.
CODE_FIELDS = (
    ("agama_id", "religion"),
    ("pendidikan_kk_id", "education"),
    ("pekerjaan_id", "occupation"),
    ("status_kawin", "marital_status"),
    ("kk_level", "relationship"),
    ("golongan_darah_id", "blood_type"),
)


def text(value) -> str:
    """A cell as text: numbers without '.0', None as ''."""
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


def number_text(value, width: int = 16) -> str:
    """A NIK or no. KK cell: digits kept as text; a number cell gets its leading zero back."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        digits = text(value)
        return digits.zfill(width) if len(digits) == width - 1 else digits
    return text(value).replace(" ", "").replace("'", "")


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y")


def parse_date(value) -> dt.date | None:
    if value.__class__ is dt.date:
        return value
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool):
        if 1 <= value < 80000:  # an Excel serial day number in a cell not typed as a date
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError
    raw = str(value).strip()[:10]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError


def rt_rw(value) -> str:
    raw = text(value)
    return raw.zfill(3) if raw.isdigit() and len(raw) <= 3 else raw[:3]


_CODE_CACHE: dict[str, dict] = {column: {} for column in LOOKUPS}
_MISSING = object()


def code_of(column: str, raw):
    """The Dukcapil code for a cell holding a code (1, 1.0, "01") or a label ("Kawin", "K")."""
    cache = _CODE_CACHE[column]
    found = cache.get(raw, _MISSING) if not isinstance(raw, float) or raw.is_integer() else None
    if found is _MISSING:
        found = LOOKUPS[column].get(_key(text(raw)).lstrip("0") or "0")
        if len(cache) < 10_000:
            cache[raw] = found
    return found
