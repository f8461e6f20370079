"""Which village a point lies in, and whether it lies in the regency, from the loaded
boundaries (`balai load-boundaries`).

The outlines are read once per process into shapely geometries with a spatial
index, and read again when a load changes them (one small query per lookup
compares the rows' count and newest load time). The source files are
simplified (neighbouring edges may leave slivers between them, the regency's
outline cuts ~50 m corners), so a point counts as inside within a tolerance.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import shapely
import shapely.geometry.base
from django.conf import settings
from django.db.models import Count, Max
from shapely.geometry import shape

from balai.regions.models import Boundary, Village

# About 150 m at the equator: more than the source's simplification, less than a street.
TOLERANCE_DEG = 0.0015
# A point in a sliver between two villages goes to the nearest one within this distance.
NEAREST_DEG = 0.003


# Boundaries change once in years: each process asks whether they did at most this
# often (a load in this process is seen at once: `forget`), not on every report.
CHECK_SECONDS = 30


@dataclass
class _Index:
    stamp: tuple
    codes: list[str]
    tree: shapely.STRtree | None
    regency: shapely.geometry.base.BaseGeometry | None
    checked: float = 0.0


_lock = threading.Lock()
_cache: dict[str, _Index] = {}


def forget() -> None:
    """Drop this process's copy of the outlines (after a load changed them)."""
    _cache.clear()


def boundaries_stamp() -> tuple:
    """Changes whenever a load changes the regency's boundaries: a key for caches."""
    rows = Boundary.objects.filter(code__startswith=settings.BALAI_REGENCY)
    found = rows.aggregate(n=Count("code"), last=Max("loaded_at"))
    return (settings.BALAI_REGENCY, found["n"], found["last"])


def _index() -> _Index:
    cached = _cache.get("index")
    now = time.monotonic()
    if cached is not None and now - cached.checked < CHECK_SECONDS:
        return cached
    stamp = boundaries_stamp()
    if cached is not None and cached.stamp == stamp:
        cached.checked = now
        return cached
    with _lock:
        rows = Boundary.objects.filter(code__startswith=settings.BALAI_REGENCY)
        villages = list(rows.filter(level=Boundary.Level.VILLAGE).values_list("code", "geometry"))
        regency = rows.filter(level=Boundary.Level.REGENCY).values_list("geometry", flat=True)
        outline = shape(regency[0]) if regency else None
        if outline is None and villages:
            outline = shapely.union_all([shape(g) for _, g in villages])
        if outline is not None:
            outline = outline.buffer(TOLERANCE_DEG)
            shapely.prepare(outline)
        index = _Index(
            stamp=stamp,
            codes=[code for code, _ in villages],
            tree=shapely.STRtree([shape(g) for _, g in villages]) if villages else None,
            regency=outline,
            checked=now,
        )
        _cache["index"] = index
        return index


def has_boundaries() -> bool:
    """Whether this regency's outline (or its villages') is loaded."""
    return _index().regency is not None


def inside_regency(lon: float, lat: float) -> bool | None:
    """Whether the point lies in this deployment's regency (within ~150 m); None when no
    boundary of it is loaded, so the caller cannot tell."""
    index = _index()
    if index.regency is None:
        return None
    return bool(index.regency.contains(shapely.Point(lon, lat)))


def village_code_at(lon: float, lat: float) -> str | None:
    """The code of the regency's village containing the point, else of the nearest one
    within ~300 m (the slivers between simplified outlines), else None."""
    index = _index()
    if index.tree is None:
        return None
    point = shapely.Point(lon, lat)
    hits = index.tree.query(point, predicate="intersects")
    if len(hits):
        return index.codes[min(hits)]
    nearest = index.tree.query_nearest(point, max_distance=NEAREST_DEG)
    return index.codes[nearest[0]] if len(nearest) else None


def village_at(lon: float, lat: float) -> Village | None:
    """The village of this regency at the point (see village_code_at), onboarded or not."""
    code = village_code_at(lon, lat)
    return Village.objects.filter(code=code).select_related("district").first() if code else None
