"""Population statistics from the per-village counts (PopulationCount).

Counts are kept per village beside the registry (rebuilt after each import and
registry event), so a regency's statistics sum a few thousand rows instead of
scanning a million residents. Counts from 1 to SMALL-1 are hidden (None) so
nobody can be singled out in a small village, with one regency-wide
suppression per registry state, kept per region (PublishedPopulation,
docs/dashboards.md): a page reads its region's row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from balai.lib import disclosure
from balai.lib.disclosure import suppress
from balai.residents.choices import Education, MaritalStatus, Occupation, Religion, Sex
from balai.residents.models import PopulationCount, PublishedPopulation, Resident

SMALL = 5
DIMENSIONS = {
    "sex": Sex,
    "religion": Religion,
    "education": Education,
    "occupation": Occupation,
    "marital_status": MaritalStatus,
}
KEEP = dt.timedelta(minutes=10)  # an older state's published figures, after a newer one
AGE_GROUPS = [(low, low + 4) for low in range(0, 75, 5)] + [(75, None)]


def rebuild_counts(village) -> None:
    """Recount the living residents of one village.

    One grouped query over every dimension at once, summed here: a query per
    dimension read the village's residents six times (a registry import
    rebuilds the counts of its village inside its transaction).
    """
    columns = (*DIMENSIONS, "birth_date__year")
    groups = (
        Resident.objects.filter(village=village, status=1)
        .values_list(*columns)
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for *values, year, n in groups:
        row = dict(zip(DIMENSIONS, values, strict=True))
        for dimension, value in row.items():
            counts[(dimension, str(value))] += n
        if year is not None:
            counts[("birth_year", f"{year}-{row['sex']}")] += n
    PopulationCount.objects.filter(village=village).delete()
    PopulationCount.objects.bulk_create(
        PopulationCount(village=village, dimension=dimension, key=key, count=count)
        for (dimension, key), count in counts.items()
    )


def region_filter(code: str) -> dict:
    """PopulationCount filter for a regency (PP.RR), district or village code."""
    parts = code.count(".")
    if parts == 1:
        return {"village__district__regency_id": code}
    if parts == 2:
        return {"village__district_id": code}
    return {"village_id": code}


def _age_group(age: int) -> str:
    for low, high in AGE_GROUPS:
        if age >= low and (high is None or age <= high):
            return _group_label(low, high)
    return _group_label(*AGE_GROUPS[-1])


def _group_label(low: int, high: int | None) -> str:
    return f"{low}-{high}" if high is not None else f"{low}+"


def _counts_by_region(today) -> tuple[dict, dict[str, list[str]]]:
    """{(region, table, key): count} for the regency, its districts and active villages,
    and {parent: children}. Tables: the DIMENSIONS, "age" (key group/sex),
    "age_total" (key group) and "total" (key "": everyone; a village this small
    may have to hide even that)."""
    from balai.regions.models import Village

    regency = settings.BALAI_REGENCY
    villages = dict(Village.objects.in_regency().active().values_list("code", "district_id"))
    children: dict[str, list[str]] = defaultdict(list)
    for village, district in villages.items():
        children[district].append(village)
    for district in list(children):
        children[regency].append(district)
    values: dict[tuple, int] = defaultdict(int)
    rows = PopulationCount.objects.filter(village_id__in=villages).values_list(
        "village_id", "dimension", "key", "count"
    )
    for village, dimension, key, n in rows.iterator(chunk_size=5000):
        if dimension == "birth_year":
            year, sex = key.split("-")
            group = _age_group(today.year - int(year))
            cells = [("age", f"{group}/{sex}"), ("age_total", group)]
        elif dimension == "sex":
            cells = [(dimension, key), ("total", "")]
        else:
            cells = [(dimension, key)]
        for region in (village, villages[village], regency):
            for table, cell_key in cells:
                values[(region, table, cell_key)] += n
    return values, children


def _sums(values: dict, children: dict[str, list[str]]) -> list[disclosure.Sum]:
    """Every sum a reader of the published figures can form."""
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for region, table, key in values:
        keys[(region, table)].add(key)
    table_keys: dict[str, set[str]] = defaultdict(set)
    for (_region, table), found in keys.items():
        table_keys[table] |= found
    regions = {region for region, _t, _k in values}
    sums = [s for region in regions for s in _region_sums(region, keys)]
    # Across regions: a parent's cell is the sum of its children's.
    for parent, kids in children.items():
        for table, found in table_keys.items():
            for key in found:
                parts = tuple((kid, table, key) for kid in kids)
                sums.append(disclosure.Sum(parts, (parent, table, key)))
    return sums


def _region_sums(region: str, keys: dict[tuple[str, str], set[str]]) -> list[disclosure.Sum]:
    """Within a region: the categories of a table add up to the region's total;
    the age cells of one sex add up to that sex's count; a group is men + women."""
    sums = []
    for table in (*DIMENSIONS, "age", "age_total"):
        parts = tuple((region, table, k) for k in sorted(keys[(region, table)]))
        if parts:  # a table nobody is counted in says nothing
            sums.append(disclosure.Sum(parts, (region, "total", "")))
    for sex in ("1", "2"):
        cells = [(region, "age", k) for k in keys[(region, "age")] if k.endswith(f"/{sex}")]
        sums.append(disclosure.Sum(tuple(sorted(cells)), (region, "sex", sex)))
    for group in keys[(region, "age_total")]:
        both = ((region, "age", f"{group}/1"), (region, "age", f"{group}/2"))
        sums.append(disclosure.Sum(both, (region, "age_total", group)))
    return sums


def _state(today) -> str:
    """What the published figures depend on: which counts of the active villages
    there are (rows are replaced, never updated, so their ids tell) and the year
    (ages are counted in years)."""
    from balai.regions.models import Village

    counted = PopulationCount.objects.filter(village__in=Village.objects.active())
    found = counted.aggregate(last=Max("id"), rows=Count("id"), ids=Sum("id"))
    return f"{today.year}:{found['last']}:{found['rows']}:{found['ids']}"


def _compute(today, state: str) -> tuple[dict, set]:
    """One suppression for every region together, so that no page or API answer
    combined with another gives a hidden count back (regency minus districts,
    district minus villages, total minus categories, men plus women); stored
    unless the counts changed meanwhile."""
    values, children = _counts_by_region(today)
    hidden = suppress(values, _sums(values, children), SMALL)
    if _state(today) == state:
        regions = {settings.BALAI_REGENCY, *children, *(v for vs in children.values() for v in vs)}
        _store(state, values, hidden, regions)
    return dict(values), hidden


def _store(state: str, values: dict, hidden: set, regions: set[str]) -> None:
    now = timezone.now()
    cells: dict[str, list] = defaultdict(list)
    for (region, table, key), n in values.items():
        cells[region].append([table, key, n, (region, table, key) in hidden])
    rows = [
        PublishedPopulation(state=state, region=r, cells=cells[r], made_at=now) for r in regions
    ]
    try:
        with transaction.atomic():
            PublishedPopulation.objects.bulk_create(rows)
    except IntegrityError:
        return  # another process published this state first
    # Older states: kept a while for the readers that looked them up just before.
    PublishedPopulation.objects.exclude(state=state).filter(made_at__lt=now - KEEP).delete()


def publish(today=None) -> None:
    """Suppress and store the registry's current figures unless they are already
    (the task queued after an import or a registry event)."""
    today = today or timezone.localdate()
    state = _state(today)
    if not PublishedPopulation.objects.filter(state=state).exists():
        _compute(today, state)


def published_counts(today=None, region: str | None = None) -> tuple[dict, set]:
    """(counts, hidden cells) of the regency's regions, or of `region` alone, as
    published for the registry's current state: read from PublishedPopulation,
    suppressed and stored first when nobody has yet."""
    today = today or timezone.localdate()
    state = _state(today)
    stored = PublishedPopulation.objects.filter(state=state)
    if region is not None:
        stored = stored.filter(region__in={region, settings.BALAI_REGENCY})
    rows = list(stored.values_list("region", "cells"))
    if not rows:
        values, hidden = _compute(today, state)
        if region is not None:
            values = {c: n for c, n in values.items() if c[0] == region}
            hidden = {c for c in hidden if c[0] == region}
        return values, hidden
    values, hidden = {}, set()
    for found, cells in rows:
        if region is not None and found != region:
            continue  # the regency's row, read to tell a region without counts
        for table, key, n, secret in cells:
            values[(found, table, key)] = n
            if secret:
                hidden.add((found, table, key))
    return values, hidden


def population(code: str, today=None) -> dict:
    """Aggregates for a region: totals per dimension with labels, age groups, pyramid."""
    values, hidden = published_counts(today, code)

    def shown(table: str, key: str) -> int | None:
        cell = (code, table, key)
        return None if cell in hidden else values.get(cell, 0)

    result: dict = {"region": code, "total": shown("total", ""), "small_count_threshold": SMALL}
    for dimension, choices in DIMENSIONS.items():
        keys: list[tuple[str, str, int | None]] = [
            (str(value), str(label), int(value)) for value, label in choices.choices
        ]
        keys.append(("None", "Tidak diisi", None))
        result[dimension] = [
            {"code": number, "label": label, "count": shown(dimension, key)}
            for key, label, number in keys
            if values.get((code, dimension, key), 0)
        ]
    result["age_groups"] = [
        {
            "label": label,
            "male": shown("age", f"{label}/1"),
            "female": shown("age", f"{label}/2"),
            "count": shown("age_total", label),
        }
        for label in (_group_label(low, high) for low, high in AGE_GROUPS)
    ]
    return result


def bar_chart(items):
    """SVG geometry (viewBox 0 0 100 H) of a horizontal bar chart, largest first."""
    items = sorted(items, key=lambda i: -(i["count"] or 0))[:12]
    top = max((i["count"] or 0 for i in items), default=0) or 1
    rows = [
        {**item, "y": n * 10 + 1, "width": round(100 * (item["count"] or 0) / top, 2)}
        for n, item in enumerate(items)
    ]
    return {"rows": rows, "height": len(rows) * 10}


def pyramid(groups):
    """SVG geometry (viewBox 0 0 100 H) of a population pyramid: men left, women right."""
    top = max((max(g["male"] or 0, g["female"] or 0) for g in groups), default=0) or 1
    rows = []
    for i, g in enumerate(reversed(groups)):
        rows.append(
            {
                **g,
                "y": i * 22,
                "male_w": round(45 * (g["male"] or 0) / top, 2),
                "female_w": round(45 * (g["female"] or 0) / top, 2),
            }
        )
    for row in rows:
        row["male_x"] = round(50 - row["male_w"], 2)
    visible = any(g["male"] or g["female"] for g in groups)
    return {"rows": rows, "height": len(rows) * 22, "visible": visible}
