"""Turning a row into a record: every check of one row, its problems in Indonesian."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from balai.regions.codes import district_codes
from balai.residents.choices import (
    BloodType,
    Citizenship,
    Education,
    MaritalStatus,
    Occupation,
    Relationship,
    Religion,
)
from balai.residents.importing.values import (
    CODE_FIELDS,
    code_of,
    number_text,
    parse_date,
    rt_rw,
    text,
)
from balai.residents.nik import (
    is_temporary_nik,
    kk_errors,
    nik_date_parts,
    nik_errors,
    nik_mismatches,
)

MAX_KEPT_ERRORS = 5000
# Conflicts kept with the new row's values for staff to decide; beyond this the
# existing records stay as they are and the conflicts are only counted.
MAX_KEPT_CONFLICTS = 500
CONFLICT = "konflik"

OPENSID_COLUMNS = [
    "alamat",
    "dusun",
    "rw",
    "rt",
    "nama",
    "no_kk",
    "nik",
    "sex",
    "tempatlahir",
    "tanggallahir",
    "agama_id",
    "pendidikan_kk_id",
    "pendidikan_sedang_id",
    "pekerjaan_id",
    "status_kawin",
    "kk_level",
    "warganegara_id",
    "ayah_nik",
    "nama_ayah",
    "ibu_nik",
    "nama_ibu",
    "golongan_darah_id",
    "akta_lahir",
    "dokumen_pasport",
    "tanggal_akhir_paspor",
    "dokumen_kitas",
    "akta_perkawinan",
    "tanggalperkawinan",
    "akta_perceraian",
    "tanggalperceraian",
    "cacat_id",
    "cara_kb_id",
    "hamil",
    "ktp_el",
    "status_rekam",
    "alamat_sekarang",
    "status_dasar",
    "suku",
    "tag_id_card",
    "id_asuransi",
    "no_asuransi",
    "lat",
    "lng",
]
REQUIRED_COLUMNS = ("nik", "nama", "no_kk", "sex")
SKIPPED_SHEETS = {"kode data"}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    families_created: int = 0
    error_count: int = 0
    warning_count: int = 0
    # (sheet row, column, value, reason, level) with level "galat" or "peringatan"
    problems: list[tuple] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    # (column, value) of each number found registered in another village: each
    # such answer is counted and audited after the import (actions.import_residents)
    elsewhere: list[tuple[str, str]] = field(default_factory=list)
    # Rows whose NIK is already another person's here (other name and birth date):
    # never written; kept (capped) for staff to decide, each as a dict (see Conflict).
    conflict_count: int = 0
    conflicts: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_conflict(self, conflict: dict) -> None:
        self.conflict_count += 1
        if len(self.conflicts) < MAX_KEPT_CONFLICTS:
            self.conflicts.append(conflict)

    def add(self, row, column, value, reason, level="galat"):
        if level == "galat":
            self.error_count += 1
        elif level != CONFLICT:
            self.warning_count += 1
        if len(self.problems) < MAX_KEPT_ERRORS:
            self.problems.append((row, column, "" if value is None else str(value), reason, level))


RESIDENT_COLUMNS = (
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "religion",
    "education",
    "occupation",
    "marital_status",
    "relationship",
    "citizenship",
    "blood_type",
    "father_name",
    "father_nik",
    "mother_name",
    "mother_nik",
    "status",
    "family_id",
)


@dataclass
class Parsed:
    row: int
    nik: str
    no_kk: str
    family: tuple  # address, dusun, rt, rw
    values: dict  # resident fields except family_id


def header_map(row: list) -> dict[str, int]:
    """{column name: index} of a header row."""
    return {text(v).lower(): i for i, v in enumerate(row) if text(v)}


_SIXTEEN = re.compile(r"^[0-9]{16}$")
_DISTRICTS = district_codes()
_NIK_DATES = nik_date_parts()
_VALID = {
    "agama_id": set(Religion.values),
    "pendidikan_kk_id": set(Education.values),
    "pekerjaan_id": set(Occupation.values),
    "status_kawin": set(MaritalStatus.values),
    "kk_level": set(Relationship.values),
    "golongan_darah_id": set(BloodType.values),
    "warganegara_id": set(Citizenship.values),
    "status_dasar": {1, 2, 3, 4},
}


class Columns:
    """Where each known column sits in a sheet; absent ones point past the end (None)."""

    def __init__(self, header: dict[str, int]):
        self.width = (max(header.values()) + 1) if header else 0
        self.index = {name: header.get(name, self.width) for name in OPENSID_COLUMNS}

    def pad(self, cells: list) -> list:
        missing = self.width + 1 - len(cells)
        return cells + [None] * missing if missing > 0 else cells


_STATUS_MESSAGE = gettext_noop("Status dasar harus 1-4 atau 6 (hidup/mati/...).")


def parse_row(cells: list, cols: Columns, rownum, village_code: str, today, result):
    """One data row as a Parsed, or None after adding its problems to `result`."""
    cells = cols.pad(cells)
    index = cols.index
    if cells[index["nik"]].__class__ is str and cells[index["no_kk"]].__class__ is str:
        fast = fast_row(cells, index, rownum, village_code, today, result)
        if fast is not None:
            return fast
    return checked_row(cells, index, rownum, village_code, today, result)


def _checked_name(raw, rownum, result) -> str:
    name = text(raw)
    if not name:
        result.add(rownum, "nama", "", _("Nama wajib diisi."))
    elif len(name) > 150:
        result.add(rownum, "nama", name[:40], _("Nama terlalu panjang (maksimal 150 huruf)."))
    return name


def _checked_codes(cell, rownum, result) -> dict[str, Any]:
    """Sex and the coded columns of a row, each unknown one explained."""
    raw_sex = cell("sex")
    sex = code_of("sex", raw_sex)
    if sex is None:
        result.add(rownum, "sex", raw_sex, _("Jenis kelamin harus L/P atau 1/2."))
    values: dict[str, Any] = {"sex": sex}
    for column, fieldname in CODE_FIELDS:
        raw = cell(column)
        if raw is None or raw == "" or raw == 0 or raw == "0":
            values[fieldname] = None
            continue
        code = code_of(column, raw)
        if code is None:
            result.add(rownum, column, raw, _("Kode atau nama tidak dikenal."))
        values[fieldname] = code
    for column, fieldname in (("warganegara_id", "citizenship"), ("status_dasar", "status")):
        raw = cell(column)
        code = 1 if raw is None or raw == "" else code_of(column, raw)
        if code is None:
            message = (
                _(_STATUS_MESSAGE)
                if column == "status_dasar"
                else _("Kode atau nama tidak dikenal.")
            )
            result.add(rownum, column, raw, message)
        values[fieldname] = code
    return values


def _checked_birth_date(raw_date, today, rownum, result) -> dt.date | None:
    """The row's birth date, or None with the reason when unreadable or in the future."""
    try:
        birth_date = parse_date(raw_date)
        if birth_date and birth_date > today:
            result.add(rownum, "tanggallahir", birth_date, _("Tanggal lahir di masa depan."))
    except (ValueError, OverflowError):
        birth_date = None
        result.add(rownum, "tanggallahir", raw_date, _("Tanggal tidak dikenal (pakai HH-BB-TTTT)."))
    return birth_date


def _warn_nik_mismatch(nik: str, birth_date, sex, rownum, result) -> None:
    """Warn (not refuse) when the NIK's encoded birth date or sex differ from the row's."""
    day = int(nik[6:8])
    nik_sex = 2 if day > 40 else 1
    if (day - 40 if nik_sex == 2 else day, int(nik[8:10]), int(nik[10:12])) != (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ) or nik_sex != sex:
        for warning in nik_mismatches(nik, birth_date, sex):
            result.add(rownum, "nik", nik, warning, level="peringatan")


def checked_row(cells: list, index: dict, rownum, village_code: str, today, result):
    """The full check of a (padded) row, every problem explained; `fast_row` must agree."""

    def cell(name):
        return cells[index[name]]

    bad = result.error_count
    nik = number_text(cell("nik"))
    temporary = is_temporary_nik(nik)
    for reason in nik_errors(nik):
        result.add(rownum, "nik", nik, reason)
    if temporary and nik[1:11] != village_code:
        result.add(rownum, "nik", nik, _("NIK sementara ini bukan untuk desa ini."))
    no_kk = number_text(cell("no_kk"))
    for reason in kk_errors(no_kk):
        result.add(rownum, "no_kk", no_kk, reason)
    values: dict[str, Any] = {"name": _checked_name(cell("nama"), rownum, result)}
    values.update(_checked_codes(cell, rownum, result))
    values["birth_date"] = birth_date = _checked_birth_date(
        cell("tanggallahir"), today, rownum, result
    )
    values["birth_place"] = text(cell("tempatlahir"))[:100]
    for column, fieldname in (("ayah_nik", "father_nik"), ("ibu_nik", "mother_nik")):
        parent = number_text(cell(column))
        if parent and not _SIXTEEN.match(parent):
            result.add(rownum, column, parent, _("NIK orang tua harus 16 angka."))
        values[fieldname] = parent[:16]
    values["father_name"] = text(cell("nama_ayah"))[:150]
    values["mother_name"] = text(cell("nama_ibu"))[:150]
    if result.error_count != bad:
        return None
    if not temporary and birth_date is not None:
        _warn_nik_mismatch(nik, birth_date, values["sex"], rownum, result)
    family = (
        text(cell("alamat"))[:255],
        text(cell("dusun"))[:100],
        rt_rw(cell("rt")),
        rt_rw(cell("rw")),
    )
    return Parsed(rownum, nik, no_kk, family, values)


_NUMERIC_CODES = {str(i): i for i in range(1, 100)} | {i: i for i in range(1, 100)}


def _fast_codes(cells, index) -> dict[str, Any] | None:
    """The coded columns when every one is a known number or blank, else None."""
    codes = _NUMERIC_CODES
    values: dict[str, Any] = {}
    for column, fieldname in CODE_FIELDS:
        raw = cells[index[column]]
        if raw is None or raw == "":
            values[fieldname] = None
            continue
        code = codes.get(raw)
        if code is None or code not in _VALID[column]:
            return None
        values[fieldname] = code
    for column, fieldname in (("warganegara_id", "citizenship"), ("status_dasar", "status")):
        raw = cells[index[column]]
        code = 1 if raw is None or raw == "" else codes.get(raw)
        if code is None or code not in _VALID[column]:
            return None
        values[fieldname] = code
    return values


def fast_row(cells, index, rownum, village_code, today, result):
    """The common case, checked cheaply: text NIK/KK, numeric codes, typed or ISO date.

    Returns None whenever anything is unusual; parse_row then does the full,
    explaining check. Both give the same values for the rows this accepts.
    """
    nik = cells[index["nik"]]
    no_kk = cells[index["no_kk"]]
    if (
        not _SIXTEEN.match(nik)
        or nik[0] == "0"
        or nik[:6] not in _DISTRICTS
        or nik[6:12] not in _NIK_DATES
        or nik[12:] == "0000"
        or not _SIXTEEN.match(no_kk)
        or no_kk[:6] not in _DISTRICTS
    ):
        return None
    name = cells[index["nama"]]
    if name.__class__ is not str or not name.strip() or len(name) > 150:
        return None
    codes = _NUMERIC_CODES
    sex = codes.get(cells[index["sex"]])
    if sex not in (1, 2):
        return None
    codes_values = _fast_codes(cells, index)
    if codes_values is None:
        return None
    values = {"name": name.strip(), "sex": sex, **codes_values}
    birth = cells[index["tanggallahir"]]
    if birth.__class__ is not dt.date or birth > today:
        return None
    values["birth_date"] = birth
    values["birth_place"] = text(cells[index["tempatlahir"]])[:100]
    for column, fieldname in (("ayah_nik", "father_nik"), ("ibu_nik", "mother_nik")):
        parent = cells[index[column]]
        if parent is None or parent == "":
            values[fieldname] = ""
        elif parent.__class__ is str and _SIXTEEN.match(parent):
            values[fieldname] = parent
        else:
            return None
    values["father_name"] = text(cells[index["nama_ayah"]])[:150]
    values["mother_name"] = text(cells[index["nama_ibu"]])[:150]
    day = int(nik[6:8])
    nik_sex = 2 if day > 40 else 1
    if nik_sex != sex or (day - 40 if nik_sex == 2 else day, int(nik[8:10]), int(nik[10:12])) != (
        birth.day,
        birth.month,
        birth.year % 100,
    ):
        return None
    family = (
        text(cells[index["alamat"]])[:255],
        text(cells[index["dusun"]])[:100],
        rt_rw(cells[index["rt"]]),
        rt_rw(cells[index["rw"]]),
    )
    return Parsed(rownum, nik, no_kk, family, values)
