"""The bundled boundaries for a test database that holds only some regions (the cast)."""

import json

from balai.regions.boundaries import Outline, _geometry, bundled_files, save_boundaries
from balai.regions.codes import level_of
from balai.regions.models import District, Regency, Village


def load_known_boundaries() -> dict[str, dict]:
    """Save the bundled outlines of the regions the database has; return every
    bundled village feature by code (for points inside villages the database lacks)."""
    known = (
        set(Regency.objects.values_list("code", flat=True))
        | set(District.objects.values_list("code", flat=True))
        | set(Village.objects.values_list("code", flat=True))
    )
    outlines, villages = [], {}
    for path in bundled_files():
        for feature in json.loads(path.read_text())["features"]:
            code = feature["properties"]["code"]
            level = level_of(code) or ""
            if level == "village":
                villages[code] = feature
            if code in known:
                outlines.append(Outline(code, level, _geometry(feature["geometry"], code)))
    save_boundaries(outlines)
    return villages
