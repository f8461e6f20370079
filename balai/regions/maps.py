"""Maps drawn by the server as SVG from the loaded boundaries: no tiles, no script.

Outlines are projected once, when a boundaries file is loaded (`project_path`),
to Web Mercator in units of 10 m with north up (SVG's y grows downwards), and
stored as SVG path data with relative moves, a few KB per district. A map is
then the stored paths of its regions inside a viewBox that is the union of
their boxes (`village_map`), drawn by the template `regions/map.svg.html`:
villages filled by a CSS class each (a choropleth's bins), districts outlined,
each village a link, with a title and a description for screen readers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import Max, Min

from balai.regions.models import Boundary

EARTH_RADIUS_M = 6378137.0
UNIT_M = 10  # one map unit; the source is simplified to ~20 m, finer would be noise
MARGIN = 50  # map units (500 m) around the drawn regions


def project(lon: float, lat: float) -> tuple[int, int]:
    """Web Mercator in map units, y pointing south as in SVG."""
    x = math.radians(lon) * EARTH_RADIUS_M / UNIT_M
    y = -math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * EARTH_RADIUS_M / UNIT_M
    return round(x), round(y)


def _numbers(values) -> str:
    """SVG's shortest form: a minus sign separates numbers as well as a space does."""
    out: list[str] = []
    for value in values:
        text = str(value)
        if out and not text.startswith("-"):
            out.append(" ")
        out.append(text)
    return "".join(out)


def _ring(coordinates, start: tuple[int, int] | None) -> tuple[str, tuple[int, int]] | None:
    points: list[tuple[int, int]] = []
    for lon, lat, *_ in coordinates:
        point = project(lon, lat)
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # "z" closes the ring
    if len(points) < 3:
        return None  # smaller than a map unit
    first = points[0]
    move = "M" + _numbers(first) if start is None else "m" + _numbers(_minus(first, start))
    deltas = [d for a, b in itertools.pairwise(points) for d in _minus(b, a)]
    return f"{move}l{_numbers(deltas)}z", first


def _minus(a, b) -> tuple[int, int]:
    return a[0] - b[0], a[1] - b[1]


def project_path(geometry: dict) -> tuple[str, tuple[int, int, int, int]]:
    """SVG path data of a GeoJSON Polygon or MultiPolygon, and its box (min x, min y, max x,
    max y) in map units. Holes are rings of their own: draw with fill-rule evenodd."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    parts, start = [], None
    xs, ys = [], []
    for polygon in polygons:
        for ring in polygon:
            drawn = _ring(ring, start)
            if drawn:
                parts.append(drawn[0])
                start = drawn[1]
            for lon, lat, *_ in ring:
                x, y = project(lon, lat)
                xs.append(x)
                ys.append(y)
    return "".join(parts), (min(xs), min(ys), max(xs), max(ys))


@dataclass
class MapArea:
    code: str
    name: str
    path: str
    css_class: str = ""
    label: str = ""  # read after the name, e.g. the measure: "12 hari"
    href: str | None = None


@dataclass
class RegionMap:
    """What `regions/map.svg.html` draws."""

    title: str
    desc: str
    view_box: str
    villages: list[MapArea] = field(default_factory=list)
    districts: list[MapArea] = field(default_factory=list)
    id: str = "peta"
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css class, text)

    @property
    def is_empty(self) -> bool:
        return not self.villages


def village_map(
    within: str,
    classes: Mapping[str, str] | None = None,
    *,
    title: str,
    desc: str = "",
    labels: Mapping[str, str] | None = None,
    link: Callable[[str], str | None] | None = None,
    legend: list[tuple[str, str]] | None = None,
    map_id: str = "peta",
) -> RegionMap:
    """The villages inside `within` (a regency or district code), each filled with
    `classes[code]` (e.g. "q3" for a choropleth's fourth bin; none: unfilled), its
    `labels[code]` read after its name, a link to `link(code)` when that gives one,
    and the districts outlined. Regions without a loaded boundary are left out."""
    classes, labels = classes or {}, labels or {}
    villages = [
        MapArea(
            code=b.code,
            name=b.name,
            path=b.path,
            css_class=classes.get(b.code, ""),
            label=labels.get(b.code, ""),
            href=link(b.code) if link else None,
        )
        for b in Boundary.objects.villages_of(within).only("code", "name", "path")
    ]
    districts = [
        MapArea(code=b.code, name=b.name, path=b.path)
        for b in Boundary.objects.districts_of(within).only("code", "name", "path")
    ]
    box = Boundary.objects.filter(code__in=[v.code for v in villages] + [within]).aggregate(
        min_x=Min("min_x"), min_y=Min("min_y"), max_x=Max("max_x"), max_y=Max("max_y")
    )
    return RegionMap(title, desc, _view_box(box), villages, districts, map_id, legend or [])


def _view_box(box: dict) -> str:
    if box["min_x"] is None:
        return "0 0 100 100"
    x, y = box["min_x"] - MARGIN, box["min_y"] - MARGIN
    return _numbers([x, y, box["max_x"] + MARGIN - x, box["max_y"] + MARGIN - y])


def quantile_classes(
    values: Mapping[str, float], bins: int = 5, fmt: Callable[[float], str] = str
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Classes "q0".."q4" (light to dark, styled in balai.css) for codes by the quantile
    of their value, and the legend's rows (class, "low-high"). Equal values share a bin."""
    ordered = sorted(set(values.values()))
    if not ordered:
        return {}, []
    bins = max(1, min(bins, len(ordered), 5))
    # The bin of each distinct value: its rank spread over the bins.
    bin_of = {value: rank * bins // len(ordered) for rank, value in enumerate(ordered)}
    legend = []
    for b in range(bins):
        members = [v for v in ordered if bin_of[v] == b]
        low, high = fmt(members[0]), fmt(members[-1])
        legend.append((f"q{b}", low if low == high else f"{low}\u2013{high}"))
    return {code: f"q{bin_of[value]}" for code, value in values.items()}, legend
