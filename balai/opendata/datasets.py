"""The published datasets: aggregates without personal data, with their metadata.

Each dataset is a table (columns, rows) built from its source app's own
aggregate queries (residents.stats, letters.stats, complaints.stats, cctv's
rollups). Counts that could single a person out (population, letters) go
through balai/lib/disclosure.suppress with every sum a reader of the table
can form, so a hidden cell stays hidden whatever is subtracted; hidden cells
are empty in CSV and null in JSON.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from balai.agencies.models import Agency
from balai.cctv.models import CameraRollup, uptime
from balai.complaints import stats as complaint_stats
from balai.complaints.choices import Status
from balai.complaints.models import Complaint
from balai.hub import health as hub_health
from balai.hub.models import Service
from balai.letters import stats as letter_stats
from balai.lib import percentiles
from balai.lib.disclosure import Sum, suppress
from balai.regions.codes import regency_names
from balai.regions.models import District, Village
from balai.residents import stats as population_stats

CACHE_SECONDS = 600
MONTHS = 24  # monthly datasets cover the last two years
LICENSE = {
    "id": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
# EU Publications Office frequency vocabulary, which DCAT-AP asks for.
FREQUENCIES = {
    "DAILY": _("harian"),
    "MONTHLY": _("bulanan"),
}


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list]
    first: dt.date | None  # temporal coverage
    last: dt.date | None
    modified: dt.datetime


@dataclass(frozen=True)
class Dataset:
    name: str  # CKAN's name: the dataset's slug in every URL
    title: str | Promise
    notes: str | Promise
    publisher: str  # an agency's slug
    frequency: str  # a key of FREQUENCIES
    tags: tuple[str, ...]
    build: Callable[[], Table] = field(repr=False)

    def table(self) -> Table:
        key = f"opendata:{self.name}"
        found = cache.get(key)
        if found is None:
            found = self.build()
            cache.set(key, found, CACHE_SECONDS)
        return found


def _months_back(today: dt.date) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - (MONTHS - 1), 12)
    return dt.date(year, month + 1, 1)


def _names() -> dict[str, str]:
    names = {settings.BALAI_REGENCY: regency_names()[settings.BALAI_REGENCY]}
    names.update(District.objects.in_regency().values_list("code", "name"))
    names.update(Village.objects.in_regency().values_list("code", "name"))
    return names


def _level(code: str) -> str:
    return {1: "kabupaten", 2: "kecamatan", 3: "desa"}[code.count(".")]


SEXES = {"1": "L", "2": "P", "None": "tidak_diisi"}


# --- population -------------------------------------------------------------------


def population() -> Table:
    """Living residents per region (regency, districts, active villages) by sex and
    by age group and sex: the statistics pages' figures, with their suppression."""
    today = timezone.localdate()
    values, hidden = population_stats.published_counts(today)
    names = _names()
    rows = []
    for region, table, key in sorted(values, key=lambda c: (c[0], c[1], str(c[2]))):
        if table not in ("total", "sex", "age"):
            continue
        if table == "age":
            group, sex = key.split("/")
        else:
            group, sex = "", ("" if table == "total" else key)
        sex = SEXES.get(sex, sex)
        cell = (region, table, key)
        count = None if cell in hidden else values[cell]
        rows.append([region, names.get(region, ""), _level(region), sex, group, count])
    columns = ["kode_wilayah", "nama_wilayah", "tingkat", "jenis_kelamin", "kelompok_umur"]
    return Table([*columns, "jumlah"], rows, None, today, timezone.now())


# --- letters ----------------------------------------------------------------------


def _suppressed_counts(counts: dict[tuple, int]) -> tuple[dict[tuple, int], set]:
    """(cells, hidden) of a three-level table (period, region, kind): the cells,
    each (period, region) total and each period's total, suppressed together."""
    values: dict[tuple, int] = defaultdict(int)
    for (period, region, kind), n in counts.items():
        values[(period, region, kind)] += n
        values[(period, region, "")] += n
        values[(period, "", "")] += n
    parts: dict[tuple, list] = defaultdict(list)
    for period, region, kind in values:
        if kind:
            parts[(period, region, "")].append((period, region, kind))
        elif region:
            parts[(period, "", "")].append((period, region, ""))
    sums = [Sum(tuple(sorted(p)), total) for total, p in parts.items()]
    return values, suppress(values, sums, population_stats.SMALL)


def letters() -> Table:
    today = timezone.localdate()
    first = _months_back(today)
    found = letter_stats.issued(first, today, "village_id", "letter_type__name")
    counts = {
        (row["period"].date().isoformat()[:7], row["village_id"], row["letter_type__name"]): row[
            "count"
        ]
        for row in found
    }
    values, hidden = _suppressed_counts(counts)
    names = _names()
    rows = [
        [period, region, names.get(region, ""), kind, None if cell in hidden else values[cell]]
        for cell in sorted(values)
        for period, region, kind in [cell]
    ]
    columns = ["bulan", "kode_wilayah", "nama_wilayah", "jenis_surat", "jumlah"]
    return Table(columns, rows, first, today, timezone.now())


# --- complaints -------------------------------------------------------------------


def _month_bounds(first: dt.date, last: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """[start, end) of each month from `first`'s to `last`'s, in local time."""
    bounds = []
    month = first.replace(day=1)
    while month <= last:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        start, end = (
            timezone.make_aware(dt.datetime.combine(d, dt.time())) for d in (month, following)
        )
        bounds.append((start, end))
        month = following
    return bounds


def complaints() -> Table:
    """Per month, category, unit and status: received, resolved, on time, and the
    median hours to first response and to resolution (complaints.stats, the
    dashboards' own figures)."""
    today = timezone.localdate()
    first = _months_back(today)
    public = Complaint.objects.not_sensitive().exclude(status=Status.REJECTED)
    labels = complaint_stats.unit_labels()
    group_by = ("category__name", "unit_kind", "agency", "status")
    rows = []
    for start, end in _month_bounds(first, today):
        for row in complaint_stats.period_rows(public, start, end, group_by):
            rows.append(
                [
                    start.date().isoformat()[:7],
                    row["category__name"],
                    labels.get((row["unit_kind"], row["agency"]), ""),
                    row["status"],
                    row["received"],
                    row["resolved"],
                    row["on_time"],
                    percentiles.hours(row["median_response"]),
                    percentiles.hours(row["median_resolution"]),
                ]
            )
    columns = [
        "bulan",
        "kategori",
        "unit",
        "status",
        "jumlah",
        "selesai",
        "selesai_tepat_waktu",
        "median_jam_tanggapan",
        "median_jam_selesai",
    ]
    return Table(columns, rows, first, today, timezone.now())


# --- cameras ----------------------------------------------------------------------


def cameras() -> Table:
    today = timezone.localdate()
    first = _months_back(today)
    found = (
        CameraRollup.objects.days(first, today)
        .annotate(month=TruncMonth("start"))
        .totals("month", "camera__village")
    )
    names = _names()
    rows = []
    for row in found:
        share = uptime(row)
        village = row["camera__village"]
        rows.append(
            [
                timezone.localtime(row["month"]).date().isoformat()[:7],
                village,
                names.get(village, ""),
                row["up"] + row["degraded"] + row["down"],
                None if share is None else round(100 * share, 2),
            ]
        )
    columns = ["bulan", "kode_wilayah", "nama_wilayah", "detik_teramati", "persen_aktif"]
    return Table(columns, rows, first, today, timezone.now())


# --- services (hub) ---------------------------------------------------------------


def services() -> Table:
    """Every public catalogue entry: its life status, its health now and since
    when, and its 30-day uptime where it is probed (hub.health.status_of)."""
    today = timezone.localdate()
    rows = []
    for service in Service.objects.public().select_related("agency").order_by("slug"):
        probed = bool(service.health_url)
        status = hub_health.status_of(service) if probed else None
        rows.append(
            [
                service.slug,
                service.name,
                service.agency.name if service.agency else "",
                service.status,
                service.health if probed else "",
                service.health_since.isoformat() if probed and service.health_since else "",
                status["uptime_percent"] if status else None,
            ]
        )
    columns = ["kode", "layanan", "perangkat_daerah", "status", "kondisi", "sejak"]
    return Table([*columns, "persen_aktif_30_hari"], rows, None, today, timezone.now())


DATASETS = [
    Dataset(
        "penduduk-menurut-wilayah-jenis-kelamin-umur",
        _("Penduduk menurut wilayah, jenis kelamin dan kelompok umur"),
        _(
            "Jumlah penduduk hidup yang tercatat di desa yang sudah bergabung, per kabupaten, "
            "kecamatan dan desa, menurut jenis kelamin dan kelompok umur lima tahunan. "
            "Jumlah kecil dan jumlah yang dapat dihitung darinya dikosongkan."
        ),
        "dispendukcapil",
        "DAILY",
        ("penduduk", "kependudukan", "demografi"),
        population,
    ),
    Dataset(
        "surat-desa-terbit",
        _("Surat desa yang diterbitkan"),
        _(
            "Jumlah surat desa yang diterbitkan (tidak dicabut) per bulan, desa dan jenis "
            "surat, dengan jumlah per desa dan per bulan. Jumlah kecil dikosongkan."
        ),
        "dpmd",
        "DAILY",
        ("surat", "layanan desa", "administrasi"),
        letters,
    ),
    Dataset(
        "aduan-menurut-kategori-unit-status",
        _("Aduan menurut kategori, unit dan status"),
        _(
            "Jumlah aduan yang diterima per bulan, kategori, unit penanganan dan status, "
            "dengan jumlah yang selesai dan yang selesai dalam target waktu. Kategori "
            "sensitif dan aduan yang ditolak tidak dimuat."
        ),
        "diskominfo",
        "DAILY",
        ("aduan", "pengaduan", "layanan publik"),
        complaints,
    ),
    Dataset(
        "ketersediaan-kamera-cctv",
        _("Ketersediaan kamera CCTV per desa"),
        _(
            "Persentase waktu kamera CCTV desa bekerja (aktif atau menurun) dari waktu yang "
            "teramati, per bulan dan desa."
        ),
        "diskominfo",
        "DAILY",
        ("cctv", "kamera", "ketersediaan"),
        cameras,
    ),
    Dataset(
        "ketersediaan-layanan-publik",
        _("Ketersediaan layanan publik"),
        _(
            "Layanan dalam katalog layanan kabupaten yang sedang uji coba atau berjalan: "
            "statusnya, kondisinya saat ini dan sejak kapan, serta persentase waktu aktif "
            "30 hari terakhir bagi layanan yang diperiksa berkala."
        ),
        "diskominfo",
        "DAILY",
        ("layanan publik", "katalog layanan", "ketersediaan"),
        services,
    ),
]
BY_NAME = {d.name: d for d in DATASETS}


def publisher(dataset: Dataset) -> dict:
    """The dataset's organization: its agency, or the regency when that agency
    is not registered."""
    agency = Agency.objects.filter(slug=dataset.publisher).first()
    if agency is not None:
        return {"name": agency.slug, "title": agency.name, "description": agency.duties}
    return regency_organization()


def regency_organization() -> dict:
    name = regency_names()[settings.BALAI_REGENCY]
    return {"name": "pemerintah-" + _slug(name), "title": f"Pemerintah {name}", "description": ""}


def _slug(text: str) -> str:
    return slugify(text)


def spatial() -> dict:
    return {"code": settings.BALAI_REGENCY, "name": regency_names()[settings.BALAI_REGENCY]}
