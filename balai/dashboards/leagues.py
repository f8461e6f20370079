"""League tables: the districts or villages of an area side by side, each row
linking down a level (to its dashboard) and each number to the list behind it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from balai.complaints import stats as complaint_stats
from balai.dashboards import rollups
from balai.dashboards.cells import Table, text
from balai.dashboards.panels import CURRENT, NOW, Builder, _hours, _percent
from balai.dashboards.periods import Period
from balai.dashboards.scope import COMPLAINTS, LETTERS, Scope
from balai.letters import stats as letter_stats
from balai.regions.models import Village

GROUPS = {"district": "village__district", "village": "village"}
DEPTHS = {"district": 2, "village": 3}


def regions(scope: Scope, level: str) -> list[tuple[str, str]]:
    if level == scope.area.child_level:
        return scope.area.children()
    villages = Village.objects.active().filter(scope.area.filter(""))
    return [(v.code, f"{v} ({v.district.name})") for v in villages.select_related("district")]


def _rows(rows: list[dict], group: str) -> dict:
    return {row[group]: row for row in rows}


def _counted(scope: Scope, family, level: str, period: Period, times: bool) -> dict:
    """{region code: row} of the area's districts or villages, from the rollups."""
    counted = scope.counted(family, DEPTHS[level])
    found = rollups.periods_rows(family, counted, (period,), ("region",), times=times)
    return _rows(found[0], "region")


def league(scope: Scope, period: Period, level: str) -> Table:
    """Every district or village of the area, fastest median letter time first."""
    b = Builder(scope, period)
    group = GROUPS[level]
    letters = _counted(scope, rollups.LETTERS, level, period, times=True)
    received = _counted(scope, rollups.COMPLAINTS, level, period, times=False)
    open_now = _rows(complaint_stats.open_rows(scope.complaints(), scope.now, (group,)), group)
    title = _("Kecamatan") if level == "district" else _("Desa/kelurahan")
    table = Table(
        f"liga-{'kecamatan' if level == 'district' else 'desa'}",
        _("Peringkat %(level)s") % {"level": title.lower()},
        [
            title,
            _("Permohonan surat"),
            _("Median jam sampai siap"),
            _("% terbit dalam target"),
            _("Aduan masuk"),
            _("% selesai tepat waktu"),
            _("Aduan lewat batas sekarang"),
        ],
    )
    zero_l = {m: 0 for m in (*letter_stats.MEASURES, "with_letter")} | {"median_ready": None}
    zero_c = {m: 0 for m in complaint_stats.PERIOD_MEASURES}
    found = []
    for code, name in regions(scope, level):
        lf, cf = letters.get(code, zero_l), received.get(code, zero_c)
        of = open_now.get(code, {"overdue": 0})
        submitted = b.counted("L", LETTERS, lf, CURRENT, "submitted", code=code)
        within = b.key("L", CURRENT, "within_sla", code=code)
        with_letter = b.key("L", CURRENT, "with_letter", code=code)
        got = b.counted("C", COMPLAINTS, cf, CURRENT, "received", code=code)
        on_time = b.key("C", CURRENT, "on_time", code=code)
        resolved = b.key("C", CURRENT, "resolved", code=code)
        row = [
            text(name, scope.dashboard(code, period)),
            submitted,
            _hours(lf["median_ready"], with_letter),
            _percent(within, with_letter, lf["within_sla"], lf["with_letter"]),
            got,
            _percent(on_time, resolved, cf["on_time"], cf["resolved"]),
            b.counted("CO", COMPLAINTS, of, NOW, "overdue", code=code),
        ]
        span = lf["median_ready"]
        found.append(((span is None, span.total_seconds() if span else 0, name), code, row))
    ordered = sorted(found, key=lambda f: f[0])
    table.rows = [row for _key, _code, row in ordered]
    table.codes = [code for _key, code, _row in ordered]
    return table
