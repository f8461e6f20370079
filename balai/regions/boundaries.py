"""Reading a boundaries file (GeoJSON, features keyed by Kemendagri code) and saving it.

All or nothing: a file with one bad feature loads nothing, and says which and
why. A second load of the same file writes nothing. The audited entry point is
`balai.accounts.actions.load_boundaries` (regions sits below the audit log).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.conf import settings
from django.db import transaction
from shapely.geometry import mapping, shape

from balai.regions import geo
from balai.regions.codes import DATA_DIR, level_of
from balai.regions.maps import project_path
from balai.regions.models import Boundary, District, Regency, Village

# Lumajang's 205 villages take 364 KB; a regency with ten times the detail fits.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FEATURES = 5000
BUNDLED_DIR = DATA_DIR / "boundaries"
MODELS: dict[str, type[Regency | District | Village]] = {
    "regency": Regency,
    "district": District,
    "village": Village,
}


class BoundaryFileError(Exception):
    pass


@dataclass
class BoundaryResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    levels: dict[str, int] = field(default_factory=dict)


@dataclass
class Outline:
    code: str
    level: str
    geometry: dict


def bundled_files() -> list[Path]:
    """The files shipped for this deployment's regency (35.08-villages.geojson ...)."""
    return sorted(BUNDLED_DIR.glob(f"{settings.BALAI_REGENCY}-*.geojson"))


def read_boundaries(path: Path) -> list[Outline]:
    """The file's outlines, checked: polygons of regions of this regency, [lon, lat]."""
    features = _features(path)
    outlines, seen = [], set()
    for number, feature in enumerate(features, start=1):
        outline = _outline(feature, number)
        if outline.code in seen:
            raise BoundaryFileError(f"feature {number}: code {outline.code} appears twice")
        seen.add(outline.code)
        outlines.append(outline)
    _check_known(outlines)
    return outlines


def _features(path: Path) -> list:
    if not path.is_file():
        raise BoundaryFileError(f"file not found: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise BoundaryFileError(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        data = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryFileError(f"{path.name} is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryFileError(f"{path.name} is not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryFileError(f"{path.name} has no features")
    if len(features) > MAX_FEATURES:
        raise BoundaryFileError(f"{path.name} has more than {MAX_FEATURES} features")
    return features


def _outline(feature, number: int) -> Outline:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    code = str((properties or {}).get("code") or "").strip()
    level = level_of(code)
    if level not in MODELS:
        raise BoundaryFileError(
            f"feature {number}: properties.code {code!r} is not a Kemendagri regency, "
            "district or village code (e.g. 35.08.01.2001)"
        )
    if not code.startswith(settings.BALAI_REGENCY):
        raise BoundaryFileError(
            f"feature {number}: {code} is not in this deployment's regency "
            f"{settings.BALAI_REGENCY} (BALAI_REGENCY)"
        )
    return Outline(code, level, _geometry(feature.get("geometry"), f"feature {number} ({code})"))


def _geometry(raw, where: str) -> dict:
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        raise BoundaryFileError(f"{where}: the geometry must be a Polygon or MultiPolygon")
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError):
        raise BoundaryFileError(f"{where}: the geometry's coordinates are malformed") from None
    west, south, east, north = geometry.bounds if not geometry.is_empty else (0, 99, 0, 99)
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise BoundaryFileError(
            f"{where}: coordinates out of range; GeoJSON writes [longitude, latitude]"
        )
    if not geometry.is_valid:
        # Self-intersections, rings of two points: repaired keeping the areas only.
        geometry = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    if geometry.is_empty or geometry.area == 0:
        raise BoundaryFileError(f"{where}: the geometry has no area")
    # One plain-JSON form (lists, not tuples) so a reload compares equal.
    return json.loads(json.dumps(mapping(geometry)))


def _check_known(outlines: list[Outline]) -> None:
    unknown = []
    for level, model in MODELS.items():
        codes = {o.code for o in outlines if o.level == level}
        known = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown += sorted(codes - known)
    if unknown:
        shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        raise BoundaryFileError(
            f"{len(unknown)} code(s) are not regions in the database (run load-regions "
            f"first, or fix the file): {shown}"
        )


def save_boundaries(outlines: list[Outline]) -> BoundaryResult:
    """Create or replace these outlines; unchanged ones are not written. Call in a transaction."""
    names = _names(outlines)
    existing = {b.code: b for b in Boundary.objects.filter(code__in=[o.code for o in outlines])}
    result = BoundaryResult()
    for outline in outlines:
        result.levels[outline.level] = result.levels.get(outline.level, 0) + 1
        old = existing.get(outline.code)
        if old and old.geometry == outline.geometry and old.name == names[outline.code]:
            result.unchanged += 1
            continue
        path, box = project_path(outline.geometry)
        Boundary.objects.update_or_create(
            code=outline.code,
            defaults={
                "level": outline.level,
                "name": names[outline.code],
                "geometry": outline.geometry,
                "path": path,
                **dict(zip(("min_x", "min_y", "max_x", "max_y"), box, strict=True)),
            },
        )
        if old:
            result.updated += 1
        else:
            result.created += 1
    if result.created or result.updated:
        # Now for this transaction's own reads, and again once others can see them.
        geo.forget()
        transaction.on_commit(geo.forget)
    return result


def _names(outlines: list[Outline]) -> dict[str, str]:
    names: dict[str, str] = {}
    for level, model in MODELS.items():
        codes = [o.code for o in outlines if o.level == level]
        names.update(model.objects.filter(code__in=codes).values_list("code", "name"))
    return names
