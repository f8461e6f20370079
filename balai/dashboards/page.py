"""One dashboard: its panels and league tables for an area and a period, the
public version protected (balai.dashboards.public)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from balai.dashboards import areas, charts, leagues, maps, panels, public, rollups
from balai.dashboards.cells import Cell, Table
from balai.dashboards.periods import Period
from balai.dashboards.scope import Scope


def build(
    scope: Scope, period: Period, *, population: bool = True, map_measure: str | None = None
) -> dict:
    """Everything the page shows; `map_measure` (a maps.MEASURES key) draws the map."""
    rollups.refresh()  # the counts equal the lists they link to
    sections = [
        ("surat", _("Layanan surat"), panels.letters(scope, period)),
        ("aduan", _("Aduan"), panels.complaints(scope, period)),
        ("kamera", _("Kamera CCTV"), panels.cameras(scope, period)),
    ]
    if scope.area.level == "regency":
        sections.append(("layanan", _("Layanan di katalog"), panels.services(scope)))
    league_tables = []
    if scope.area.level == "regency":
        league_tables = [
            leagues.league(scope, period, "district"),
            leagues.league(scope, period, "village"),
        ]
    elif scope.area.level == "district":
        league_tables = [leagues.league(scope, period, "village")]
    result = {
        "sections": [{"slug": s, "title": t, **panel} for s, t, panel in sections],
        "leagues": league_tables,
        "population": panels.population(scope) if population else None,
    }
    if scope.public:
        public.protect(list(cells(result)), period, scope.area.code)
        for table in tables(result):
            if table.chart is not None:
                table.chart = _redrawn(table)
    if map_measure is not None and league_tables:
        result["map"] = _map(scope, period, league_tables[-1], map_measure)
    return result


def _map(scope: Scope, period: Period, villages: Table, measure: str) -> dict | None:
    def link(code: str) -> str | None:
        if scope.public or areas.reaches(scope.user, code):
            return scope.dashboard(code, period)
        return None

    found = maps.choropleth(scope, villages, maps.choose(measure), link)
    return found if not found["map"].is_empty else None


def _redrawn(table: Table) -> dict:
    return charts.bars([(str(row[0].value), row[-1].value) for row in table.rows])


def tables(result: dict) -> Iterator[Table]:
    for section in result["sections"]:
        yield from section["tables"]
    yield from result["leagues"]


def cells(result: dict) -> Iterator[Cell]:
    for section in result["sections"]:
        for figure in section["figures"]:
            yield figure.current
            yield figure.previous
    for table in tables(result):
        for row in table.rows:
            yield from row


def table(result: dict, slug: str) -> Table | None:
    return next((t for t in tables(result) if t.slug == slug), None)
