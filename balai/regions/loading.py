"""Load the bundled region CSV files into the database, idempotently."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from balai.regions.codes import DATA_DIR, level_of
from balai.regions.models import District, Province, Regency, Village

# (model, file, parent field, parent column) from the top of the tree down.
LEVELS = [
    (Province, "provinces.csv", None, None),
    (Regency, "regencies.csv", "province_id", "province_code"),
    (District, "districts.csv", "regency_id", "regency_code"),
    (Village, "villages.csv", "district_id", "district_code"),
]


class RegionFileError(Exception):
    pass


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_rows(path: Path, parent_column: str | None, level: str) -> list[tuple[str, str, str]]:
    if not path.is_file():
        raise RegionFileError(f"region file not found: {path}")
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for line, row in enumerate(reader, start=2):
            code = (row.get("code") or "").strip()
            name = (row.get("name") or "").strip()
            parent = (row.get(parent_column) or "").strip() if parent_column else ""
            if level_of(code) != level or not name:
                raise RegionFileError(f"{path.name} line {line}: not a {level} row: {row}")
            rows.append((code, name, parent))
    return rows


def load_regions(data_dir: Path = DATA_DIR) -> dict[str, LoadResult]:
    """Create missing regions and rename changed ones; never deletes.

    A second run with the same files writes nothing.
    """
    levels = ["province", "regency", "district", "village"]
    parsed = [
        read_rows(data_dir / filename, parent_column, level)
        for (_, filename, _, parent_column), level in zip(LEVELS, levels, strict=True)
    ]
    results = {}
    with transaction.atomic():
        for (model, _, parent_field, _), level, rows in zip(LEVELS, levels, parsed, strict=True):
            results[level] = _upsert(model, parent_field, rows)
    return results


def _upsert(model, parent_field, rows) -> LoadResult:
    fields = ["code", "name"] + ([parent_field] if parent_field else [])
    existing = {
        values[0]: values[1:] for values in model.objects.values_list(*fields).iterator(5000)
    }
    result = LoadResult()
    new, changed = [], []
    for code, name, parent in rows:
        wanted = (name, parent) if parent_field else (name,)
        attrs = {"code": code, "name": name}
        if parent_field:
            attrs[parent_field] = parent
        if code not in existing:
            new.append(model(**attrs))
        elif existing[code] != wanted:
            changed.append(model(**attrs))
        else:
            result.unchanged += 1
    model.objects.bulk_create(new, batch_size=5000)
    update_fields = ["name"] + ([parent_field.removesuffix("_id")] if parent_field else [])
    model.objects.bulk_update(changed, update_fields, batch_size=1000)
    result.created, result.updated = len(new), len(changed)
    return result
