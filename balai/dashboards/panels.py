"""The dashboard's panels for one area and period: letters, complaints, cameras,
population. Every figure comes from the sources' stats functions (a few grouped
queries each, computed in the database); each count carries its public key and
the link to the list behind it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.cctv.choices import DOWN_STATES, State
from balai.cctv.models import uptime
from balai.complaints import stats as complaint_stats
from balai.complaints.choices import OPEN
from balai.complaints.choices import Status as ComplaintStatus
from balai.complaints.models import Category
from balai.dashboards import charts, rollups
from balai.dashboards.cells import Cell, Figure, Table, count, text
from balai.dashboards.periods import Period
from balai.dashboards.scope import COMPLAINTS, LETTERS, Scope
from balai.hub.choices import Health
from balai.hub.models import Service
from balai.letters import stats as letter_stats
from balai.letters.choices import RequestStatus
from balai.letters.models import LetterType
from balai.lib.percentiles import hours, percent
from balai.residents import stats as population_stats

CURRENT, PREVIOUS, NOW = "cur", "prev", "now"


def _percent(part_key, whole_key, part, whole) -> Cell:
    return Cell(percent(part, whole), "percent", depends=(part_key, whole_key))


def _hours(value: dt.timedelta | None, base_key) -> Cell:
    return Cell(hours(value), "hours", depends=(base_key,))


class Builder:
    """Keys and links of one area's cells for one period and the previous."""

    def __init__(self, scope: Scope, period: Period):
        self.scope, self.period, self.before = scope, period, period.previous()
        self.code = scope.area.code
        self.bounds = [(p.start, p.end) for p in (period, self.before)]

    def key(self, family, when, measure, table="", row="", code=""):
        return (family, table, code or self.code, when, str(row), measure)

    def of(self, when) -> Period | None:
        return {CURRENT: self.period, PREVIOUS: self.before}.get(when)

    def counted(
        self, family, kind, figures, when, measure, table="", row="", code="", **more
    ) -> Cell:
        # What is open now has no period: its lists are named "now-..." (a state
        # such as "submitted" is also the name of a period's figure).
        listed = f"{NOW}-{measure}" if when == NOW else measure
        link = self.scope.link(kind, listed, self.of(when), code, **more)
        return count(figures[measure], self.key(family, when, measure, table, row, code), link)

    def figure(self, family, kind, label, figures, measure, whole="") -> Figure:
        cells = []
        for when, found in zip((CURRENT, PREVIOUS), figures, strict=True):
            cell = self.counted(family, kind, found, when, measure)
            if whole:
                share = _percent(
                    cell.key, self.key(family, when, whole), found[measure], found[whole]
                )
                cell.share = share
            cells.append(cell)
        return Figure(label, *cells)

    def timed(self, label, figures, name, family, base) -> Figure:
        cur, old = figures
        return Figure(
            label,
            _hours(cur[name], self.key(family, CURRENT, base)),
            _hours(old[name], self.key(family, PREVIOUS, base)),
        )


def letters(scope: Scope, period: Period) -> dict:
    b = Builder(scope, period)
    counted = scope.counted(rollups.LETTERS)
    # One query over the rollups for both periods, per letter type; the figures are their sums.
    by_type = rollups.periods_rows(rollups.LETTERS, counted, (period, b.before), ("letter_type",))
    both = [rollups.total(rollups.LETTERS, rows) for rows in by_type]
    figures = [
        b.figure("L", LETTERS, _("Permohonan surat"), both, "submitted"),
        b.figure("L", LETTERS, _("Surat terbit"), both, "issued", "submitted"),
        b.figure("L", LETTERS, _("Pernah dikembalikan"), both, "returned", "submitted"),
        b.figure("L", LETTERS, _("Ditolak"), both, "rejected", "submitted"),
        b.figure("L", LETTERS, _("Terbit dalam target"), both, "within_sla", "with_letter"),
        b.timed(_("Median jam sampai siap"), both, "median_ready", "L", "with_letter"),
        b.timed(_("Persentil 90 jam sampai siap"), both, "p90_ready", "L", "with_letter"),
    ]
    return {
        "figures": figures,
        "tables": [
            _letter_types(b, by_type),
            _letters_over_time(b, counted),
            _letter_backlog(b, scope.requests()),
        ],
    }


def _letter_types(b: Builder, by_type: list[list[dict]]) -> Table:
    names = dict(LetterType.objects.values_list("pk", "name"))
    rows: dict = {}
    for when, found in zip((CURRENT, PREVIOUS), by_type, strict=True):
        for row in found:
            rows.setdefault(row["letter_type"], {})[when] = row
    empty = {"submitted": 0, "issued": 0, "median_ready": None}
    table = Table(
        "surat-jenis",
        _("Permohonan per jenis surat"),
        [_("Jenis surat"), _("Periode ini"), _("Periode sebelumnya"), _("Terbit"), _("Median jam")],
    )
    for pk in sorted(rows, key=lambda pk: -rows[pk].get(CURRENT, empty)["submitted"]):
        cur, old = rows[pk].get(CURRENT, empty), rows[pk].get(PREVIOUS, empty)
        key = b.key("L", CURRENT, "submitted", "type", pk)
        table.rows.append(
            [
                text(names.get(pk, "?")),
                b.counted("L", LETTERS, cur, CURRENT, "submitted", "type", pk, jenis=pk),
                b.counted("L", LETTERS, old, PREVIOUS, "submitted", "type", pk, jenis=pk),
                b.counted("L", LETTERS, cur, CURRENT, "issued", "type", pk, jenis=pk),
                _hours(cur["median_ready"], key),
            ]
        )
    return table


def _letters_over_time(b: Builder, counted) -> Table:
    totals: dict = {}
    p = b.period
    for first, n in rollups.per_bucket(counted, p.first, p.last, p.bucket):
        totals[first] = totals.get(first, 0) + n
    table = Table(
        "surat-waktu", _("Permohonan menurut waktu"), [_("Mulai"), _("Sampai"), _("Permohonan")]
    )
    for first in sorted(totals):
        shown_first, last = max(first, p.first), min(charts.bucket_end(first, p.bucket), p.last)
        link = ""
        if not b.scope.public:
            chosen = Period("rentang", shown_first, last)
            link = b.scope.link(LETTERS, "submitted", chosen)
        key = b.key("L", CURRENT, "submitted", "bucket", first.isoformat())
        table.rows.append(
            [text(str(shown_first)), text(str(last)), count(totals[first], key, link)]
        )
    table.chart = charts.bars([(str(r[0].value), r[2].value) for r in table.rows])
    return table


def _letter_backlog(b: Builder, requests) -> Table:
    found = letter_stats.backlog_rows(requests, b.scope.now)[0]
    table = Table(
        "surat-antrean", _("Permohonan yang menunggu sekarang"), [_("Status"), _("Jumlah")]
    )
    for state in letter_stats.BACKLOG_STATES:
        cell = b.counted("LB", LETTERS, found, NOW, str(state), "state", state)
        table.rows.append([text(RequestStatus(state).label), cell])
    table.rows.append([text(_("Lewat target")), b.counted("LO", LETTERS, found, NOW, "overdue")])
    return table


def complaints(scope: Scope, period: Period) -> dict:
    b = Builder(scope, period)
    # One query over the rollups for both periods, per category and unit; the
    # figures, the categories and the units are its sums.
    found = rollups.periods_rows(
        rollups.COMPLAINTS,
        scope.counted(rollups.COMPLAINTS),
        (period, b.before),
        ("category", *complaint_stats.UNIT),
    )
    both = [rollups.total(rollups.COMPLAINTS, rows) for rows in found]
    figures = [
        b.figure("C", COMPLAINTS, _("Aduan masuk"), both, "received"),
        b.figure("C", COMPLAINTS, _("Selesai ditangani"), both, "resolved", "received"),
        b.figure("C", COMPLAINTS, _("Selesai tepat waktu"), both, "on_time", "resolved"),
        b.figure("C", COMPLAINTS, _("Ditolak"), both, "rejected", "received"),
        b.timed(_("Median jam sampai tanggapan pertama"), both, "median_response", "C", "received"),
        b.timed(_("Median jam sampai selesai"), both, "median_resolution", "C", "resolved"),
    ]
    return {
        "figures": figures,
        "tables": [
            _complaint_categories(b, _both_rows(found, ("category",))),
            _complaint_units(b, _both_rows(found, complaint_stats.UNIT)),
            _complaint_states(b, scope.complaints()),
        ],
    }


def _both_rows(found: list[list[dict]], group_by) -> dict:
    """{group: {CURRENT: row, PREVIOUS: row}} of the rows summed by `group_by`."""
    rows: dict = {}
    for when, period_rows in zip((CURRENT, PREVIOUS), found, strict=True):
        summed = rollups.grouped(
            rollups.COMPLAINTS, period_rows, lambda row: tuple(row[g] for g in group_by)
        )
        for group, row in summed.items():
            rows.setdefault(group, {})[when] = row
    return rows


EMPTY = {"received": 0, "resolved": 0, "on_time": 0, "median_response": None}


def _complaint_categories(b: Builder, rows: dict) -> Table:
    names = dict(Category.objects.values_list("pk", "name"))
    table = Table(
        "aduan-kategori",
        _("Aduan per kategori"),
        [_("Kategori"), _("Periode ini"), _("Periode sebelumnya"), _("Selesai tepat waktu")],
    )
    for (pk,) in sorted(rows, key=lambda k: -rows[k].get(CURRENT, EMPTY)["received"]):
        cur, old = rows[(pk,)].get(CURRENT, EMPTY), rows[(pk,)].get(PREVIOUS, EMPTY)
        table.rows.append(
            [
                text(names.get(pk, "?")),
                b.counted("C", COMPLAINTS, cur, CURRENT, "received", "category", pk, kategori=pk),
                b.counted("C", COMPLAINTS, old, PREVIOUS, "received", "category", pk, kategori=pk),
                b.counted("C", COMPLAINTS, cur, CURRENT, "on_time", "category", pk, kategori=pk),
            ]
        )
    return table


def unit_param(kind: str, agency) -> str:
    return f"{kind}:{agency}" if agency else kind


def _complaint_units(b: Builder, rows: dict) -> Table:
    """Units, slowest first response first: the league of units."""
    labels = complaint_stats.unit_labels()
    table = Table(
        "aduan-unit",
        _("Unit penanganan, yang paling lambat di atas"),
        [
            _("Unit"),
            _("Aduan masuk"),
            _("Periode sebelumnya"),
            _("Selesai"),
            _("Tepat waktu"),
            _("% tepat waktu"),
            _("Median jam tanggapan"),
        ],
    )

    def slowness(unit):
        span = rows[unit].get(CURRENT, EMPTY)["median_response"]
        return (span is None, -(span.total_seconds() if span else 0), labels.get(unit, ""))

    for unit in sorted(rows, key=slowness):
        cur, old = rows[unit].get(CURRENT, EMPTY), rows[unit].get(PREVIOUS, EMPTY)
        u = unit_param(*unit)
        cells = [
            b.counted("C", COMPLAINTS, f, when, measure, "unit", u, unit=u)
            for f, when, measure in (
                (cur, CURRENT, "received"),
                (old, PREVIOUS, "received"),
                (cur, CURRENT, "resolved"),
                (cur, CURRENT, "on_time"),
            )
        ]
        share = _percent(cells[3].key, cells[2].key, cur["on_time"], cur["resolved"])
        response = _hours(cur["median_response"], cells[0].key)
        table.rows.append([text(labels.get(unit, "?")), *cells, share, response])
    return table


def _complaint_states(b: Builder, reports) -> Table:
    found = complaint_stats.open_rows(reports, b.scope.now)[0]
    table = Table("aduan-status", _("Aduan terbuka sekarang"), [_("Status"), _("Jumlah")])
    for state in OPEN:
        cell = b.counted("CB", COMPLAINTS, found, NOW, str(state), "state", state)
        table.rows.append([text(ComplaintStatus(state).label), cell])
    table.rows.append(
        [text(_("Lewat batas waktu")), b.counted("CO", COMPLAINTS, found, NOW, "overdue")]
    )
    return table


def cameras(scope: Scope, period: Period) -> dict:
    before = period.previous()
    counts = scope.cameras().counts()
    down = sum(counts[s] for s in DOWN_STATES)
    states = [
        (_("Aktif"), counts[State.UP]),
        (_("Terganggu"), counts[State.DEGRADED]),
        (_("Mati"), down),
        (_("Belum diperiksa"), counts[State.UNKNOWN]),
    ]
    now_table = Table("kamera-status", _("Kamera sekarang"), [_("Keadaan"), _("Jumlah")])
    now_table.rows = [[text(label), count(n)] for label, n in states]
    share = [
        uptime(
            rollups.camera_seconds(scope.rollups(), scope.area.code, scope.public, p.first, p.last)
        )
        for p in (period, before)
    ]
    outages = Table(
        "kamera-gangguan",
        _("Gangguan terlama dalam periode"),
        [_("Kamera"), _("Desa"), _("Mulai"), _("Jam dalam periode")],
    )
    found = scope.outages().select_related("camera__village")
    for outage in found.longest(period.start, period.end, scope.now):
        outages.rows.append(
            [
                text(outage.camera.name),
                text(str(outage.camera.village)),
                text(outage.since.date()),
                Cell(hours(outage.within), "hours"),
            ]
        )
    uptime_figure = Figure(
        _("Waktu kamera bekerja"),
        *(Cell(None if s is None else round(100 * s, 1), "percent") for s in share),
    )
    return {"figures": [uptime_figure], "tables": [now_table, outages]}


def services(scope: Scope) -> dict:
    """The catalogue's services that have a health URL: up or down now, and since when.
    Regency-wide (the hub's services belong to no village)."""
    probed = Service.objects.public().exclude(health_url="").select_related("agency")
    found = dict(probed.order_by().values_list("health").annotate(n=Count("pk")))
    now_table = Table("layanan-status", _("Layanan daring sekarang"), [_("Keadaan"), _("Jumlah")])
    now_table.rows = [
        [text(Health(state).label), count(found.get(state, 0))] for state in Health.values
    ]
    listing = Table(
        "layanan-daftar",
        _("Ketersediaan layanan, yang sedang gangguan di atas"),
        [_("Layanan"), _("Pemilik"), _("Keadaan"), _("Sejak")],
    )
    order = {Health.DOWN: 0, Health.UNKNOWN: 1, Health.UP: 2}
    for service in sorted(probed, key=lambda s: (order.get(s.health, 3), s.name)):
        since = timezone.localtime(service.health_since).date() if service.health_since else ""
        listing.rows.append(
            [
                text(service.name, service.get_absolute_url()),
                text(service.agency.short_name if service.agency else _("Desa/kelurahan")),
                text(Health(service.health).label),
                text(str(since)),
            ]
        )
    return {"figures": [], "tables": [now_table, listing]}


def population(scope: Scope) -> dict:
    data = population_stats.population(scope.area.code)
    return {"data": data, "pyramid": population_stats.pyramid(data["age_groups"])}
