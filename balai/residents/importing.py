"""Reading residents files (OpenSID's "Data Penduduk" workbook, xlsx/xls/ods/csv).

`import_file` checks the file before any parser sees it (size, zip bomb, XML
entity tricks), streams its rows, validates each one (every bad row reported:
row, column, value, reason in Indonesian) and upserts by NIK in batches inside
one transaction: nothing is written unless the whole file is good, and a crash
or kill half-way leaves the registry as it was. Importing the same file twice
changes nothing.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import operator
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeET
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.regions.codes import compact, district_codes
from balai.residents import names
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
from balai.residents.models import Family, Resident, new_uuid
from balai.residents.nik import (
    is_temporary_nik,
    kk_errors,
    nik_date_parts,
    nik_errors,
    nik_mismatches,
)

MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024
MAX_RATIO = 150  # spreadsheets compress 5-30x; bombs compress thousands of times
MAX_MEMBERS = 2000
MAX_KEPT_ERRORS = 5000
BATCH = 2000
SQLITE_CACHE_KB = 256 * 1024

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


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why, in Indonesian."""


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

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, row, column, value, reason, level="galat"):
        if level == "galat":
            self.error_count += 1
        else:
            self.warning_count += 1
        if len(self.problems) < MAX_KEPT_ERRORS:
            self.problems.append((row, column, "" if value is None else str(value), reason, level))


# --- checking the file before parsing -------------------------------------------------


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
                if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(
                    info.compress_size, 1
                ):
                    raise FileProblem(
                        _("Berkas ini terkompresi secara tidak wajar (zip bomb); ditolak.")
                    )
            member_names = {i.filename for i in infos}
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
            # The small structural parts are parsed with defusedxml for good measure.
            for part in ("[Content_Types].xml", "xl/workbook.xml", "META-INF/manifest.xml"):
                if part in member_names:
                    SafeET.fromstring(archive.read(part))
            if "xl/workbook.xml" not in member_names and "content.xml" not in member_names:
                raise FileProblem(_("Berkas zip ini bukan lembar kerja .xlsx atau .ods."))
    except FileProblem:
        raise
    except (zipfile.BadZipFile, SafeET.ParseError, ValueError, OSError) as exc:
        if exc.__class__.__module__.startswith("defusedxml"):
            raise FileProblem(
                _("Berkas berisi deklarasi XML yang tidak diizinkan; ditolak.")
            ) from None
        raise FileProblem(_("Berkas lembar kerja rusak atau bukan .xlsx/.ods.")) from None
    except Exception as exc:  # defusedxml's own errors (EntitiesForbidden, DTDForbidden)
        if exc.__class__.__module__.startswith("defusedxml"):
            raise FileProblem(
                _("Berkas berisi deklarasi XML yang tidak diizinkan; ditolak.")
            ) from None
        raise
    return fmt


# --- reading rows ---------------------------------------------------------------------


@dataclass
class Sheet:
    name: str
    rows: Iterator[list]  # the header row first
    height: int  # rows including the header, or an estimate


def iter_sheets(path: Path, fmt: str) -> Iterator[Sheet]:
    if fmt == "csv":
        yield _csv_sheet(path)
        return
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:
        raise FileProblem(
            _("Berkas lembar kerja tidak dapat dibaca (rusak atau terkunci).")
        ) from None
    names_ = [n for n in workbook.sheet_names if n.strip().lower() not in SKIPPED_SHEETS]
    if not names_:
        raise FileProblem(_("Berkas tidak berisi lembar data penduduk."))
    for sheet_name in names_:
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
            rows = sheet.iter_rows()
        except Exception:
            raise FileProblem(
                _("Lembar '%(sheet)s' tidak dapat dibaca.") % {"sheet": sheet_name}
            ) from None
        yield Sheet(sheet_name, rows, sheet.height)


def _csv_sheet(path: Path) -> Sheet:
    with open(path, "rb") as f:
        head = f.read(64 * 1024)
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "cp1252"
    first_line = head.split(b"\n", 1)[0].decode(encoding, errors="replace")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    size = path.stat().st_size
    estimate = max(1, head.count(b"\n") * size // max(len(head), 1))

    def rows():
        with open(path, encoding=encoding, errors="replace", newline="") as f:
            yield from csv.reader(f, delimiter=delimiter)

    return Sheet("csv", rows(), estimate)


# --- reading values -------------------------------------------------------------------


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


# --- the import -----------------------------------------------------------------------

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


_PICK_VALUES = operator.itemgetter(*RESIDENT_COLUMNS[:-1])


@dataclass
class Parsed:
    row: int
    nik: str
    no_kk: str
    family: tuple  # address, dusun, rt, rw
    values: dict  # resident fields except family_id


def _header(row: list) -> dict[str, int]:
    return {text(v).lower(): i for i, v in enumerate(row) if text(v)}


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


_STATUS_MESSAGE = "Status dasar harus 1-4 atau 6 (hidup/mati/...)."


def parse_row(cells: list, cols: Columns, rownum, village_code: str, today, result):
    """One data row as a Parsed, or None after adding its problems to `result`."""
    cells = cols.pad(cells)
    index = cols.index

    def cell(name):
        return cells[index[name]]

    if cells[index["nik"]].__class__ is str and cells[index["no_kk"]].__class__ is str:
        fast = _fast_row(cells, index, rownum, village_code, today, result)
        if fast is not None:
            return fast

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
    name = text(cell("nama"))
    if not name:
        result.add(rownum, "nama", "", _("Nama wajib diisi."))
    elif len(name) > 150:
        result.add(rownum, "nama", name[:40], _("Nama terlalu panjang (maksimal 150 huruf)."))
    values = {"name": name}
    raw_sex = cell("sex")
    sex = code_of("sex", raw_sex)
    if sex is None:
        result.add(rownum, "sex", raw_sex, _("Jenis kelamin harus L/P atau 1/2."))
    values["sex"] = sex
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
    raw_date = cell("tanggallahir")
    try:
        birth_date = parse_date(raw_date)
        if birth_date and birth_date > today:
            result.add(rownum, "tanggallahir", birth_date, _("Tanggal lahir di masa depan."))
    except (ValueError, OverflowError):
        birth_date = None
        result.add(rownum, "tanggallahir", raw_date, _("Tanggal tidak dikenal (pakai HH-BB-TTTT)."))
    values["birth_date"] = birth_date
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
        day = int(nik[6:8])
        nik_sex = 2 if day > 40 else 1
        if (day - 40 if nik_sex == 2 else day, int(nik[8:10]), int(nik[10:12])) != (
            birth_date.day,
            birth_date.month,
            birth_date.year % 100,
        ) or nik_sex != sex:
            for warning in nik_mismatches(nik, birth_date, sex):
                result.add(rownum, "nik", nik, warning, level="peringatan")
    family = (
        text(cell("alamat"))[:255],
        text(cell("dusun"))[:100],
        rt_rw(cell("rt")),
        rt_rw(cell("rw")),
    )
    return Parsed(rownum, nik, no_kk, family, values)


_NUMERIC_CODES = {str(i): i for i in range(1, 100)} | {i: i for i in range(1, 100)}


def _fast_row(cells, index, rownum, village_code, today, result):
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
    values = {"name": name.strip(), "sex": sex}
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


class _Rollback(Exception):
    pass


def import_file(
    path: Path,
    village,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    show_other_village: bool = False,
) -> ImportResult:
    """Check, validate and upsert a residents file into `village`; all or nothing."""
    path = Path(path)
    fmt = check_file(path)
    return import_sheets(
        iter_sheets(path, fmt),
        village,
        dry_run=dry_run,
        progress=progress,
        show_other_village=show_other_village,
    )


def import_sheets(
    sheets,
    village,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    show_other_village: bool = False,
) -> ImportResult:
    """Validate and upsert rows (Sheets, header row first) in one transaction."""
    result = ImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _Importer(village, result, progress, show_other_village).run(sheets)
            if dry_run or not result.ok:
                raise _Rollback
    except _Rollback:
        pass
    return result


class _Importer:
    def __init__(self, village, result, progress, show_other_village):
        self.village = village
        self.village_code = compact(village.code)
        self.result = result
        self.progress = progress or (lambda done, total: None)
        self.show_other_village = show_other_village
        self.today = timezone.localdate()
        self.seen_niks: dict[str, object] = {}
        self.seen_kks: set[str] = set()
        self.existing = {
            nik: (pk, tuple(rest))
            for pk, nik, *rest in Resident.objects.filter(village=village).values_list(
                "pk", "nik", *RESIDENT_COLUMNS
            )
        }
        self.families = {
            kk: (pk, (address, dusun, rt, rw))
            for pk, kk, address, dusun, rt, rw in Family.objects.filter(
                village=village
            ).values_list("pk", "no_kk", "address", "dusun", "rt", "rw")
        }
        self.ops = connection.ops
        self.uuid_prep = (lambda u: u) if connection.vendor == "postgresql" else (lambda u: u.hex)
        self.now = self.ops.adapt_datetimefield_value(timezone.now())
        if connection.vendor == "sqlite":
            # The default 2 MB page cache thrashes once the indexes outgrow it
            # (a regency holds a million residents); this connection may use more.
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")

    def run(self, sheets):
        total = 0
        done = 0
        for sheet in sheets:
            total += max(sheet.height - 1, 0)
            header = next(sheet.rows, None)
            if header is None:
                continue
            header_map = _header(header)
            if not header_map:
                continue
            self._check_header(sheet.name, header_map)
            cols = Columns(header_map)
            batch: list[Parsed] = []
            prefix = f"{sheet.name}:" if sheet.name not in ("csv", "Data Penduduk") else ""
            for number, cells in enumerate(sheet.rows, start=2):
                if len(cells) > 1 and text(cells[1]) == "###":
                    break
                if not any(c not in (None, "") for c in cells):
                    continue
                self.result.rows += 1
                parsed = parse_row(
                    cells,
                    cols,
                    f"{prefix}{number}" if prefix else number,
                    self.village_code,
                    self.today,
                    self.result,
                )
                if parsed is not None:
                    self._dedupe(parsed) and batch.append(parsed)
                if len(batch) >= BATCH:
                    self._write(batch)
                    batch = []
                    done = self.result.rows
                    self.progress(done, max(total, done))
            self._write(batch)
        self.progress(self.result.rows, self.result.rows)
        if self.result.rows == 0:
            raise FileProblem(_("Berkas tidak berisi baris data penduduk."))

    def _check_header(self, sheet_name, cols):
        missing = [c for c in REQUIRED_COLUMNS if c not in cols]
        unknown = [c for c in cols if c not in OPENSID_COLUMNS]
        if missing:
            message = _("Lembar '%(sheet)s': kolom wajib tidak ada: %(missing)s.") % {
                "sheet": sheet_name,
                "missing": ", ".join(missing),
            }
            if unknown:
                message += " " + _("Kolom tidak dikenal: %(unknown)s.") % {
                    "unknown": ", ".join(unknown)
                }
            message += " " + _("Baris pertama harus memuat nama kolom format OpenSID.")
            raise FileProblem(message)
        if unknown:
            self.result.notes.append(
                _("Kolom tidak dikenal diabaikan: %(unknown)s.") % {"unknown": ", ".join(unknown)}
            )

    def _dedupe(self, parsed: Parsed) -> bool:
        first = self.seen_niks.get(parsed.nik)
        if first is not None:
            self.result.add(
                parsed.row,
                "nik",
                parsed.nik,
                _("NIK ganda dalam berkas (baris %(row)s).") % {"row": first},
            )
            return False
        self.seen_niks[parsed.nik] = parsed.row
        return True

    def _write(self, batch: list[Parsed]) -> None:
        if not batch:
            return
        self._refuse_other_villages(batch)
        if not self.result.ok:
            return  # keep validating the rest of the file, write nothing more
        self._write_families(batch)
        table = Resident._meta.db_table
        inserts, updates = [], []
        pick = _PICK_VALUES
        for p in batch:
            row = (*pick(p.values), self.families[p.no_kk][0])
            current = self.existing.get(p.nik)
            if current is not None:
                if current[1] == row:
                    self.result.unchanged += 1
                    continue
                updates.append((*self._db_row(row), current[0]))
                self.existing[p.nik] = (current[0], row)
                self.result.updated += 1
            else:
                inserts.append(
                    (
                        self.uuid_prep(new_uuid()),
                        p.nik,
                        self.village.pk,
                        *self._db_row(row),
                        "",
                        "",
                        self.now,
                        self.now,
                    )
                )
                self.existing[p.nik] = (None, row)
                self.result.created += 1
        cols = (*RESIDENT_COLUMNS, "name_key", "name_sound")
        with connection.cursor() as cursor:
            if inserts:
                all_cols = (
                    "uuid",
                    "nik",
                    "village_id",
                    *cols,
                    "phone",
                    "nik_mismatch_reason",
                    "created_at",
                    "updated_at",
                )
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(all_cols)}) "  # noqa: S608 - fixed names
                    f"VALUES ({', '.join(['%s'] * len(all_cols))})",
                    inserts,
                )
            if updates:
                assignments = ", ".join(f"{c} = %s" for c in cols)
                cursor.executemany(
                    f"UPDATE {table} SET {assignments}, updated_at = %s WHERE id = %s",  # noqa: S608
                    [(*u[:-1], self.now, u[-1]) for u in updates],
                )

    def _db_row(self, row: tuple) -> tuple:
        values = list(row)
        birth = RESIDENT_COLUMNS.index("birth_date")
        values[birth] = self.ops.adapt_datefield_value(values[birth])
        folded = names.fold(row[0])
        return (*values, folded[:150], names.sound_folded(folded)[:150])

    def _refuse_other_villages(self, batch):
        new_niks = [p.nik for p in batch if p.nik not in self.existing]
        if new_niks:
            elsewhere = self._elsewhere_names(Resident, "nik", new_niks)
            for p in batch:
                if p.nik in elsewhere:
                    self.result.add(p.row, "nik", p.nik, self._elsewhere("NIK", elsewhere[p.nik]))
        new_kks = list({p.no_kk for p in batch if p.no_kk not in self.families})
        if new_kks:
            elsewhere = self._elsewhere_names(Family, "no_kk", new_kks)
            for p in batch:
                if p.no_kk in elsewhere:
                    self.result.add(
                        p.row, "no_kk", p.no_kk, self._elsewhere(_("Nomor KK"), elsewhere[p.no_kk])
                    )

    def _elsewhere_names(self, model, column: str, values: list[str]) -> dict[str, str]:
        """{value: village name} for values already registered in another village.

        Raw SQL: Django's `__in` preparation costs more than the query at 2,000 values.
        """
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {column}, village_id FROM {table} WHERE {column} IN "  # noqa: S608
                f"({', '.join(['%s'] * len(values))}) AND village_id <> %s",
                [*values, self.village.pk],
            )
            found = dict(cursor.fetchall())
        if not found:
            return {}
        from balai.regions.models import Village

        village_names = dict(
            Village.objects.filter(pk__in=set(found.values())).values_list("pk", "name")
        )
        return {value: village_names.get(code, code) for value, code in found.items()}

    def _elsewhere(self, what, village_name) -> str:
        if self.show_other_village:
            return _("%(what)s sudah terdaftar di desa %(village)s.") % {
                "what": what,
                "village": village_name,
            }
        return _("%(what)s sudah terdaftar di desa lain; hubungi admin kabupaten.") % {"what": what}

    def _write_families(self, batch):
        new: dict[str, tuple] = {}
        changed: dict[str, tuple] = {}
        for p in batch:
            if p.no_kk in self.families:
                pk, current = self.families[p.no_kk]
                is_head = p.values["relationship"] == Relationship.HEAD
                if is_head and current != p.family and p.no_kk not in self.seen_kks:
                    changed[p.no_kk] = (pk, p.family)
            elif p.no_kk not in new or p.values["relationship"] == Relationship.HEAD:
                new[p.no_kk] = p.family
            self.seen_kks.add(p.no_kk)
        table = Family._meta.db_table
        with connection.cursor() as cursor:
            if new:
                cursor.executemany(
                    f"INSERT INTO {table} (uuid, no_kk, village_id, address, dusun, rt, rw, "  # noqa: S608
                    "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [
                        (
                            self.uuid_prep(new_uuid()),
                            kk,
                            self.village.pk,
                            *fam,
                            self.now,
                            self.now,
                        )
                        for kk, fam in new.items()
                    ],
                )
                kks = list(new)
                cursor.execute(
                    f"SELECT no_kk, id FROM {table} WHERE no_kk IN "  # noqa: S608
                    f"({', '.join(['%s'] * len(kks))})",
                    kks,
                )
                for kk, pk in cursor.fetchall():
                    self.families[kk] = (pk, new[kk])
                self.result.families_created += len(new)
            if changed:
                cursor.executemany(
                    f"UPDATE {table} SET address = %s, dusun = %s, rt = %s, rw = %s, "  # noqa: S608
                    "updated_at = %s WHERE id = %s",
                    [(*fam, self.now, pk) for pk, fam in changed.values()],
                )
                for kk, (pk, fam) in changed.items():
                    self.families[kk] = (pk, fam)
