"""Camera lists in and out as csv/xlsx.

Files are checked exactly as residents files are (size, zip bombs, XML
entity tricks: balai.residents.importing.read_sheets) and read with
python-calamine; every bad row is reported (row, column, value, reason) and
nothing is written unless every row is good. Credentials never travel in a
list: a URL carrying them, or a key, is a bad row; the export says only
whether some are stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from balai.accounts import audit
from balai.agencies.models import Agency
from balai.cctv import actions
from balai.cctv.choices import Purpose, Visibility
from balai.cctv.models import Camera, Site, can_manage
from balai.cctv.validation import redacted, url_problem
from balai.regions.models import Village
from balai.residents.importing import FileProblem, read_sheets
from balai.residents.importing.values import parse_date, text

MAX_FILE_BYTES = 5 * 1024 * 1024  # 3,000 cameras fit in well under 1 MB
MAX_ROWS = 5000
MAX_KEPT_ERRORS = 1000
# (column, model field or "", required)
COLUMNS = [
    ("nama", "name", True),
    ("kode_desa", "village", True),
    ("situs", "site", False),
    ("lokasi", "location", False),
    ("lintang", "latitude", False),
    ("bujur", "longitude", False),
    ("tujuan", "purpose", True),
    ("pemilik", "owner_agency", False),
    ("visibilitas", "visibility", False),
    ("merek", "make", False),
    ("model", "model", False),
    ("tanggal_pasang", "installed_on", False),
    ("url_rtsp", "rtsp_url", False),
    ("url_onvif", "onvif_url", False),
    ("url_snapshot", "snapshot_url", False),
    ("url_hls", "hls_url", False),
    ("jalur_relay", "relay_path", False),
    ("masa_simpan_hari", "retention_days", False),
    ("kontak_pengelola", "operator_contact", True),
]
EXPORT_HEADERS = [c for c, _f, _r in COLUMNS] + ["kredensial_tersimpan", "status", "id"]
URL_COLUMNS = {"url_rtsp": "rtsp_url", "url_onvif": "onvif_url"}
URL_COLUMNS |= {"url_snapshot": "snapshot_url", "url_hls": "hls_url"}
SECRET_COLUMNS = {"password", "kata_sandi", "sandi", "username", "nama_pengguna", "token", "kunci"}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    # (row, column, value, reason)
    problems: list[tuple] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, row, column, value, reason) -> None:
        self.error_count += 1
        if len(self.problems) < MAX_KEPT_ERRORS:
            self.problems.append((row, column, "" if value is None else str(value), reason))


def _choice(choices, raw: str) -> str | None:
    key = raw.strip().lower().replace(" ", "_")
    for value, label in choices.choices:
        if key in (value, str(label).lower().replace(" ", "_")):
            return value
    aliases = {"publik": Visibility.PUBLIC, "staf": Visibility.STAFF, "lalu-lintas": "lalu_lintas"}
    found = aliases.get(key)
    return found if found in choices.values else None


# Records a bad cell: (column, reason).
_Bad = Callable[[str, str], None]


class _Reader:
    def __init__(self, user, result: ImportResult):
        self.user, self.result = user, result
        self.villages = {v.pk: v for v in Village.objects.select_related("district")}
        self.agencies = {a.slug: a for a in Agency.objects.active()}
        self.seen: dict[tuple, int] = {}

    def header(self, row: list) -> dict[str, int]:
        names = [text(c).lower().strip().replace(" ", "_") for c in row]
        secret = SECRET_COLUMNS & set(names)
        if secret:
            raise FileProblem(
                _("Daftar kamera tidak boleh memuat kolom kredensial (%(cols)s).")
                % {"cols": ", ".join(sorted(secret))}
            )
        missing = [c for c, _f, required in COLUMNS if required and c not in names]
        if missing:
            raise FileProblem(_("Kolom wajib tidak ada: %(cols)s.") % {"cols": ", ".join(missing)})
        return {name: i for i, name in enumerate(names) if name}

    def row(self, cells: list, index: dict[str, int], rownum: int) -> dict | None:
        raw = {c: text(cells[i]) if i < len(cells) else "" for c, i in index.items()}
        before = self.result.error_count
        bad = lambda col, reason: self.result.add(rownum, col, raw.get(col, ""), reason)  # noqa: E731
        data: dict = {}
        for column, _name, required in COLUMNS:
            if required and not raw.get(column):
                bad(column, _("Wajib diisi."))
        self._village(raw, bad, data)
        self._urls(raw, rownum, bad, data)
        self._choices(raw, bad, data)
        self._numbers(raw, cells, index, bad, data)
        for column, name in (("nama", "name"), ("lokasi", "location"), ("merek", "make")):
            data[name] = raw.get(column, "")
        for column, name in (("model", "model"), ("jalur_relay", "relay_path")):
            data[name] = raw.get(column, "")
        data["operator_contact"] = raw.get("kontak_pengelola", "")
        key = (raw.get("kode_desa", ""), raw.get("nama", "").lower())
        if key in self.seen:
            bad("nama", _("Kamera ini sudah ada di baris %(row)s.") % {"row": self.seen[key]})
        self.seen.setdefault(key, rownum)
        data["site_name"] = raw.get("situs", "")
        return data if self.result.error_count == before else None

    def _village(self, raw: dict[str, str], bad: _Bad, data: dict) -> None:
        village = self.villages.get(raw.get("kode_desa", ""))
        if raw.get("kode_desa"):
            if village is None or village.regency_id != _regency():
                bad("kode_desa", _("Desa ini tidak ada di kabupaten ini."))
            elif not village.is_active:
                bad("kode_desa", _("Desa ini belum bergabung dengan Balai."))
            elif not can_manage(self.user, village=village):
                bad("kode_desa", _("Anda tidak mengelola kamera desa ini."))
            else:
                data["village"] = village

    def _urls(self, raw: dict[str, str], rownum: int, bad: _Bad, data: dict) -> None:
        for column, name in URL_COLUMNS.items():
            problem = url_problem(name, raw.get(column, ""))
            if problem:
                self.result.add(rownum, column, redacted(raw[column]), problem)
            data[name] = raw.get(column, "")
        if not any(raw.get(c) for c in URL_COLUMNS):
            bad("url_rtsp", _("Isi paling tidak satu URL kamera."))

    def _choices(self, raw: dict[str, str], bad: _Bad, data: dict) -> None:
        purpose = _choice(Purpose, raw.get("tujuan", ""))
        if raw.get("tujuan") and purpose is None:
            bad(
                "tujuan",
                _("Tujuan harus salah satu dari: %(v)s.") % {"v": ", ".join(Purpose.values)},
            )
        data["purpose"] = purpose
        visibility = _choice(Visibility, raw.get("visibilitas") or "staff")
        if visibility is None:
            bad("visibilitas", _("Isi 'publik' atau 'staf'."))
        data["visibility"] = visibility
        owner = raw.get("pemilik", "")
        data["owner_agency"] = self.agencies.get(owner) if owner else None
        if owner and data["owner_agency"] is None:
            bad("pemilik", _("Kode OPD ini tidak dikenal."))

    def _numbers(
        self, raw: dict[str, str], cells: list, index: dict[str, int], bad, data: dict
    ) -> None:
        for column, name in (("lintang", "latitude"), ("bujur", "longitude")):
            if raw.get(column):
                try:
                    data[name] = float(raw[column].replace(",", "."))
                except ValueError:
                    bad(column, _("Bukan angka."))
        at = index.get("tanggal_pasang")
        try:
            data["installed_on"] = (
                parse_date(cells[at]) if at is not None and at < len(cells) else None
            )
        except ValueError:
            bad("tanggal_pasang", _("Tanggal tidak dikenali (pakai HH-BB-TTTT)."))
        days = raw.get("masa_simpan_hari", "")
        data["retention_days"] = 30
        if days:
            if not days.isdigit() or not 0 < int(days) <= 3650:
                bad("masa_simpan_hari", _("Isi jumlah hari 1-3650."))
            else:
                data["retention_days"] = int(days)


def _regency() -> str:
    from django.conf import settings

    return settings.BALAI_REGENCY


class _Rollback(Exception):
    pass


def _save(user, data: dict, result: ImportResult, rownum: int) -> None:
    site_name = data.pop("site_name")
    village = data["village"]
    if site_name:
        site = Site.objects.filter(village=village, name=site_name).first()
        data["site"] = site or actions.create_site(user, {"village": village, "name": site_name})
    else:
        data["site"] = None
    existing = Camera.objects.filter(village=village, name__iexact=data["name"]).first()
    try:
        if existing is None:
            actions.create_camera(user, data)
            result.created += 1
        else:
            actions.update_camera(user, existing, data)
            result.updated += 1
    except PermissionDenied:
        result.add(rownum, "nama", data["name"], _("Anda tidak mengelola kamera ini."))
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            result.add(rownum, column, data.get(column, ""), " ".join(messages))


def import_file(user, path: Path) -> ImportResult:
    """Check and read a camera list; save it all, or nothing if any row is bad."""
    result = ImportResult()
    reader = _Reader(user, result)
    rows = []
    # The residents import's reader: the file checked and measured, then read by a
    # child process under a memory limit, so a hostile sheet harms nothing.
    with read_sheets(Path(path)) as sheets:
        for sheet in sheets:
            header = next(sheet.rows, None)
            if header is None:
                continue
            index = reader.header(header)
            for offset, cells in enumerate(sheet.rows, start=2):
                if not any(text(c) for c in cells):
                    continue
                result.rows += 1
                if result.rows > MAX_ROWS:
                    raise FileProblem(_("Terlalu banyak baris (maksimal %(n)s).") % {"n": MAX_ROWS})
                data = reader.row(cells, index, offset)
                if data is not None:
                    rows.append((offset, data))
            break  # the first sheet holds the list
    if result.rows == 0:
        raise FileProblem(_("Berkas tidak berisi baris kamera."))
    if result.ok:
        _save_all(user, rows, result)
    return result


def _save_all(user, rows: list[tuple[int, dict]], result: ImportResult) -> None:
    """Every good row saved in one transaction, rolled back if any fails to save."""
    try:
        with transaction.atomic():
            for rownum, data in rows:
                _save(user, data, result, rownum)
            if not result.ok:
                raise _Rollback
            audit.record(
                "camera_list_imported",
                user=user,
                detail={"rows": result.rows, "created": result.created, "updated": result.updated},
            )
    except _Rollback:
        result.created = result.updated = 0


def export_rows(cameras):
    for c in cameras.select_related("village", "site", "owner_agency"):
        yield [
            c.name,
            c.village_id,
            c.site.name if c.site_id else "",
            c.location,
            c.latitude,
            c.longitude,
            c.purpose,
            c.owner_agency.slug if c.owner_agency_id else "",
            "publik" if c.visibility == Visibility.PUBLIC else "staf",
            c.make,
            c.model,
            c.installed_on,
            c.rtsp_url,
            c.onvif_url,
            c.snapshot_url,
            c.hls_url,
            c.relay_path,
            c.retention_days,
            c.operator_contact,
            "ya" if c.has_credentials else "tidak",
            c.state,
            str(c.public_id),
        ]
