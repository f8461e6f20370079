"""NIK and no. KK: checking, reading, masking and making them.

A NIK is `PPRRDD` (district where it was first issued) + `DDMMYY` (birth date,
day + 40 for women) + a 4-digit serial from 0001. A no. KK is 16 digits that
start with the issuing district code. OpenSID gives residents without a NIK a
temporary one: `0` + the 10-digit village code + a 5-digit serial.

A NIK never changes: when its date or sex disagrees with the recorded birth
date or sex that is a warning staff may override with a reason, not an error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from balai.regions.codes import district_codes

_DIGITS16 = re.compile(r"^[0-9]{16}$")
MASK = "••••••••"


@dataclass(frozen=True)
class NikParts:
    district: str
    day: int
    month: int
    year2: int
    sex: int  # 1 male, 2 female (Dukcapil numbering)
    serial: str

    def birth_date_candidates(self) -> list[dt.date]:
        found = []
        for century in (1900, 2000):
            with contextlib.suppress(ValueError):
                found.append(dt.date(century + self.year2, self.month, self.day))
        return found


def is_temporary_nik(value: str) -> bool:
    """OpenSID's stand-in for a missing NIK: 0 + village code (10) + serial (5)."""
    return bool(_DIGITS16.match(value or "")) and value[0] == "0" and value[-5:] != "00000"


@cache
def nik_date_parts() -> frozenset[str]:
    """Every valid DDMMYY of a NIK (men and women), for a set lookup per NIK."""
    found = set()
    for year in range(1900, 2000):
        day = dt.date(year, 1, 1)
        while day.year == year:
            found.add(f"{day.day:02d}{day.month:02d}{year % 100:02d}")
            found.add(f"{day.day + 40:02d}{day.month:02d}{year % 100:02d}")
            day += dt.timedelta(days=1)
    # 29 February of 2000, 2004, ... share digits with 1900, 1904, ...: 1900 was no leap year.
    found.add("290200")
    found.add("690200")
    return frozenset(found)


def nik_errors(value: str, *, allow_temporary: bool = True) -> list[str]:
    """Why `value` is not a NIK, in Indonesian; empty when it is one."""
    value = value or ""
    if not _DIGITS16.match(value):
        return [_("NIK harus 16 angka.")]
    if allow_temporary and is_temporary_nik(value):
        return []
    if value[:6] in district_codes() and value[6:12] in nik_date_parts() and value[12:] != "0000":
        return []
    errors = []
    if value[:6] not in district_codes():
        errors.append(
            _("Enam angka pertama NIK (%(code)s) bukan kode kecamatan.") % {"code": value[:6]}
        )
    if value[6:12] not in nik_date_parts():
        errors.append(
            _("Bagian tanggal lahir NIK (%(part)s) bukan tanggal.") % {"part": value[6:12]}
        )
    if value[12:] == "0000":
        errors.append(_("Nomor urut NIK tidak boleh 0000."))
    return errors


def parse_nik(value: str) -> NikParts | None:
    """The parts of a valid (non-temporary) NIK, else None."""
    if nik_errors(value, allow_temporary=False):
        return None
    day = int(value[6:8])
    sex = 2 if day > 40 else 1
    return NikParts(
        district=value[:6],
        day=day - 40 if sex == 2 else day,
        month=int(value[8:10]),
        year2=int(value[10:12]),
        sex=sex,
        serial=value[12:],
    )


def validate_nik(value: str) -> None:
    """Django validator: raises ValidationError with every reason at once."""
    errors = nik_errors(value)
    if errors:
        raise ValidationError(errors, code="invalid_nik")


def kk_errors(value: str) -> list[str]:
    value = value or ""
    if not _DIGITS16.match(value):
        return [_("Nomor KK harus 16 angka.")]
    if value[0] == "0":  # OpenSID's temporary number, like a temporary NIK
        return []
    if value[:6] not in district_codes():
        return [
            _("Enam angka pertama nomor KK (%(code)s) bukan kode kecamatan.") % {"code": value[:6]}
        ]
    return []


def validate_kk(value: str) -> None:
    errors = kk_errors(value)
    if errors:
        raise ValidationError(errors, code="invalid_kk")


def nik_mismatches(nik: str, birth_date: dt.date | None, sex: int | None) -> list[str]:
    """Warnings when a valid NIK disagrees with the recorded birth date or sex."""
    parts = parse_nik(nik)
    if parts is None:
        return []
    warnings = []
    if birth_date is not None and (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ) != (parts.day, parts.month, parts.year2):
        warnings.append(
            _("Tanggal lahir dalam NIK (%(nik)s) berbeda dengan tanggal lahir tercatat (%(date)s).")
            % {
                "nik": f"{parts.day:02d}-{parts.month:02d}-{parts.year2:02d}",
                "date": birth_date.strftime("%d-%m-%Y"),
            }
        )
    if sex is not None and int(sex) != parts.sex:
        warnings.append(_("Jenis kelamin dalam NIK berbeda dengan jenis kelamin tercatat."))
    return warnings


def mask(value: str) -> str:
    """`3508••••••••0001`: enough to tell two people apart, not to use the number."""
    value = value or ""
    if len(value) < 9:
        return "•" * len(value)
    return f"{value[:4]}{MASK}{value[-4:]}"


_LONG_NUMBER = re.compile(r"[0-9]{9,}")


def mask_numbers(text: str) -> str:
    """Every run of 9 or more digits in `text` masked (a NIK or no. KK wherever it sits)."""
    return _LONG_NUMBER.sub(lambda m: mask(m.group()), text or "")


# Nine digits or more, spaces, dots or dashes between them allowed: a NIK, a KK or most of one.
_ID_NUMBER = re.compile(r"[0-9](?:[ .\-]?[0-9]){8,}")


def has_id_number(text: str) -> bool:
    """Whether `text` holds a NIK or no. KK (or most of one): such text stays out of URLs."""
    return bool(_ID_NUMBER.search(text or ""))


def make_nik(district: str, birth_date: dt.date, sex: int, serial: int) -> str:
    """A NIK for `district` (6 digits, no dots), birth date, sex and serial."""
    day = birth_date.day + (40 if int(sex) == 2 else 0)
    return f"{district}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
