"""Population statistics from the per-village counts (PopulationCount).

Counts are kept per village beside the registry (rebuilt after each import and
registry event), so a regency's statistics sum a few thousand rows instead of
scanning a million residents. Counts from 1 to SMALL-1 are hidden (None) so
nobody can be singled out in a small village.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Sum
from django.utils import timezone

from balai.residents.choices import Education, MaritalStatus, Occupation, Religion, Sex
from balai.residents.models import PopulationCount, Resident

SMALL = 5
DIMENSIONS = {
    "sex": Sex,
    "religion": Religion,
    "education": Education,
    "occupation": Occupation,
    "marital_status": MaritalStatus,
}
AGE_GROUPS = [(low, low + 4) for low in range(0, 75, 5)] + [(75, None)]


def rebuild_counts(village) -> None:
    """Recount the living residents of one village (a few grouped queries)."""
    alive = Resident.objects.filter(village=village, status=1)
    rows = []
    for dimension in DIMENSIONS:
        for value, count in alive.values_list(dimension).annotate(n=Count("pk")).order_by():
            rows.append(
                PopulationCount(village=village, dimension=dimension, key=str(value), count=count)
            )
    by_year = alive.exclude(birth_date=None).values_list("birth_date__year", "sex")
    for (year, sex), count in _count(by_year.annotate(n=Count("pk")).order_by()):
        rows.append(
            PopulationCount(
                village=village, dimension="birth_year", key=f"{year}-{sex}", count=count
            )
        )
    PopulationCount.objects.filter(village=village).delete()
    PopulationCount.objects.bulk_create(rows)


def _count(rows):
    for year, sex, n in rows:
        yield (year, sex), n


def _hide(count: int) -> int | None:
    return None if 0 < count < SMALL else count


def _hide_one_more(rows: list[dict], keys: tuple[str, ...]) -> None:
    """Beside a known total, one hidden count is the total minus the shown ones:
    then hide the smallest shown row too (a non-zero one if there is any)."""
    hidden = [r for r in rows if r[keys[0]] is None]
    shown = [r for r in rows if r[keys[0]] is not None]
    if len(hidden) == 1 and shown:
        smallest = min(shown, key=lambda r: (r[keys[0]] == 0, r[keys[0]]))
        smallest.update(dict.fromkeys(keys))


def region_filter(code: str) -> dict:
    """PopulationCount filter for a regency (PP.RR), district or village code."""
    parts = code.count(".")
    if parts == 1:
        return {"village__district__regency_id": code}
    if parts == 2:
        return {"village__district_id": code}
    return {"village_id": code}


def population(code: str, today=None) -> dict:
    """Aggregates for a region: totals per dimension with labels, age groups, pyramid."""
    today = today or timezone.localdate()
    sums = (
        PopulationCount.objects.filter(**region_filter(code), village__is_active=True)
        .values_list("dimension", "key")
        .annotate(n=Sum("count"))
        .order_by()
    )
    raw: dict[str, dict[str, int]] = defaultdict(dict)
    for dimension, key, n in sums:
        raw[dimension][key] = n
    total = sum(raw.get("sex", {}).values())
    result = {"region": code, "total": total, "small_count_threshold": SMALL}
    for dimension, choices in DIMENSIONS.items():
        counts = raw.get(dimension, {})
        items = [
            {"code": int(value), "label": str(label), "count": _hide(counts.get(str(value), 0))}
            for value, label in choices.choices
            if counts.get(str(value), 0)
        ]
        unknown = counts.get("None", 0)
        if unknown:
            items.append({"code": None, "label": "Tidak diisi", "count": _hide(unknown)})
        _hide_one_more(items, ("count",))
        result[dimension] = items
    pyramid = {group: {1: 0, 2: 0} for group in AGE_GROUPS}
    for key, n in raw.get("birth_year", {}).items():
        year, sex = key.split("-")
        age = today.year - int(year)
        for low, high in AGE_GROUPS:
            if age >= low and (high is None or age <= high):
                pyramid[(low, high)][int(sex)] += n
                break
    groups = [
        {
            "label": f"{low}-{high}" if high is not None else f"{low}+",
            "male": _hide(counts[1]),
            "female": _hide(counts[2]),
            "count": _hide(counts[1] + counts[2]),
        }
        for (low, high), counts in pyramid.items()
    ]
    # A group with a hidden cell is hidden whole (else count - women = men), and
    # one hidden group is never alone (else the sex totals tell it).
    cells = ("count", "male", "female")
    for group in groups:
        if any(group[k] is None for k in cells):
            group.update(dict.fromkeys(cells))
    _hide_one_more(groups, cells)
    result["age_groups"] = groups
    return result
