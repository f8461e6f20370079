"""The choropleth: the area's villages filled by one measure of the villages'
league table (so the map shows exactly what the table says, hidden cells
included), districts outlined, each village a link to its dashboard.
Drawn by the server from the loaded boundaries (balai.regions.maps)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.dashboards.cells import Table
from balai.dashboards.scope import Scope
from balai.regions.maps import RegionMap, quantile_classes, village_map

# ?peta= -> (column of the villages' league table, label)
MEASURES = {
    "surat": (1, gettext_lazy("Permohonan surat")),
    "surat-median": (2, gettext_lazy("Median jam sampai siap")),
    "surat-target": (3, gettext_lazy("% terbit dalam target")),
    "aduan": (4, gettext_lazy("Aduan masuk")),
    "aduan-tepat": (5, gettext_lazy("% selesai tepat waktu")),
    "aduan-lewat": (6, gettext_lazy("Aduan lewat batas sekarang")),
}
DEFAULT = "surat-median"
DESCRIPTION = gettext_lazy(
    "Warna lebih gelap: nilai lebih tinggi. Desa tanpa warna: tidak ada data atau disembunyikan."
)


def choose(value: str | None) -> str:
    return value if value in MEASURES else DEFAULT


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def choropleth(scope: Scope, league: Table, measure: str, links) -> dict:
    """The map and its text table for `measure` (a MEASURES key)."""
    column, label = MEASURES[measure]
    values, rows = {}, []
    for code, row in zip(league.codes, league.rows, strict=True):
        cell = row[column]
        rows.append((row[0].value, "\u2013" if cell.value is None else _number(cell.value)))
        if cell.value is not None:
            values[code] = cell.value
    classes, legend = quantile_classes(values, fmt=_number)
    region_map: RegionMap = village_map(
        scope.area.code,
        classes,
        title=_("Peta %(measure)s per desa") % {"measure": str(label).lower()},
        desc=str(DESCRIPTION),
        labels={code: _number(v) for code, v in values.items()},
        link=links,
        legend=legend,
        map_id="peta-dasbor",
    )
    return {
        "map": region_map,
        "measure": measure,
        "label": label,
        "measures": [(key, text) for key, (_c, text) in MEASURES.items()],
        "rows": rows,
    }
