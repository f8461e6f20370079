"""Percentiles of a duration, computed in the database where it can.

PostgreSQL has PERCENTILE_CONT: `Percentile(expr, 0.9)` is one aggregate in a
GROUP BY, so a year of rows never leaves the database. SQLite has no
percentile function; `grouped` then reads the two timestamps of the rows and
computes them in Python (tests and small installations only: production runs
on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Aggregate, DurationField, ExpressionWrapper, F, Q


class Percentile(Aggregate):
    """PostgreSQL's PERCENTILE_CONT(fraction) over an interval."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def span(start: str, end: str) -> ExpressionWrapper:
    """The duration from field `start` to field `end`."""
    return ExpressionWrapper(F(end) - F(start), DurationField())


def in_database() -> bool:
    return connection.vendor == "postgresql"


def percentile(values: Sequence[dt.timedelta], fraction: float) -> dt.timedelta | None:
    """PERCENTILE_CONT's definition (linear between the two nearest ranks)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def percentile_annotations(start: str, end: str, fractions: dict[str, float], when: Q) -> dict:
    """Percentile aggregates to add to an annotate()/aggregate() on PostgreSQL
    ({} elsewhere: fill them in with `grouped`)."""
    if not in_database():
        return {}
    return {name: Percentile(span(start, end), f, filter=when) for name, f in fractions.items()}


def grouped(
    queryset, group_by: Iterable[str], start: str, end: str, fractions: dict[str, float], when: Q
) -> dict[tuple, dict[str, dt.timedelta | None]]:
    """{group values: {name: percentile}} computed in Python (the SQLite path)."""
    fields = list(group_by)
    spans: dict[tuple, list[dt.timedelta]] = defaultdict(list)
    rows = queryset.filter(when).order_by().values_list(*fields, start, end)
    for row in rows.iterator(chunk_size=5000):
        spans[tuple(row[: len(fields)])].append(row[-1] - row[-2])
    return {
        key: {name: percentile(found, f) for name, f in fractions.items()}
        for key, found in spans.items()
    }


def fill(rows: list[dict], group_by: Sequence[str], computed: dict[tuple, dict]) -> None:
    """Put `grouped`'s answers into value rows (each keyed by its group fields)."""
    for row in rows:
        found = computed.get(tuple(row[g] for g in group_by), {})
        for name, value in found.items():
            row[name] = value


Spans = Sequence[tuple[str, str, dict[str, float], Q]]


def summarise(queryset, group_by: Sequence[str], aggregates: dict, spans: Spans = ()) -> list:
    """Rows of `aggregates` (and the percentiles of each span: start field, end
    field, {name: fraction}, which rows) per group; one row when `group_by` is
    empty. One query on PostgreSQL, one more per span on SQLite."""
    rows_qs = queryset.order_by()
    extra: dict = {}
    for start, end, fractions, when in spans:
        extra.update(percentile_annotations(start, end, fractions, when))
    if group_by:
        rows = list(rows_qs.values(*group_by).annotate(**aggregates, **extra).order_by())
    else:
        rows = [rows_qs.aggregate(**aggregates, **extra)]
    if not in_database():
        for start, end, fractions, when in spans:
            for row in rows:
                row.update(dict.fromkeys(fractions))
            fill(rows, group_by, grouped(rows_qs, group_by, start, end, fractions, when))
    return rows


def hours(value: dt.timedelta | None) -> float | None:
    """A duration as hours, one decimal (negative spans, clock skew, count as 0)."""
    if value is None:
        return None
    return round(max(value.total_seconds(), 0) / 3600, 1)


def days(value: dt.timedelta | None) -> float | None:
    if value is None:
        return None
    return round(max(value.total_seconds(), 0) / 86400, 1)


def percent(part: int | None, whole: int | None) -> float | None:
    """A percentage with one decimal, None for an empty whole."""
    if not whole or part is None:
        return None
    return round(100 * part / whole, 1)


SPAN = "period_index"


def split_by_period(queryset, field: str, bounds: Sequence[tuple], summarise_rows) -> list:
    """Rows for several periods [start, end) from one query: the rows are tagged
    with their period's index (SPAN) and grouped by it too. `summarise_rows`
    takes the tagged queryset and the extra group field and returns rows."""
    from django.db.models import Case, IntegerField, Value, When

    which = Case(
        *(
            When(**{f"{field}__gte": start, f"{field}__lt": end}, then=Value(i))
            for i, (start, end) in enumerate(bounds)
        ),
        output_field=IntegerField(),
    )
    within = Q()
    for start, end in bounds:
        within |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    rows = summarise_rows(queryset.filter(within).annotate(**{SPAN: which}), SPAN)
    found: list[list] = [[] for _ in bounds]
    for row in rows:
        found[row.pop(SPAN)].append(row)
    return found
