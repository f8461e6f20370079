"""Public figures per category and per unit: counts, median time to first
response, share resolved on time. Over the last year, aggregated in the
database (PostgreSQL computes the medians too), cached for ten minutes."""

from datetime import timedelta
from statistics import median
from typing import cast

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
)
from django.utils import timezone

from balai.agencies.models import Agency
from balai.complaints.choices import OPEN, Status, UnitKind
from balai.complaints.models import Category, Complaint
from balai.lib import percentiles

CACHE_SECONDS = 600
WINDOW_DAYS = 365

RESPONSE = ExpressionWrapper(F("first_response_at") - F("dispatched_at"), DurationField())
RESPONDED = Q(dispatched_at__isnull=False, first_response_at__isnull=False)
RESOLVED = Q(resolved_at__isnull=False, status__in=[Status.RESOLVED, Status.CLOSED])


def Median(expression, **extra) -> Aggregate:
    """PostgreSQL's PERCENTILE_CONT(0.5): the median, of an interval here."""
    return percentiles.Percentile(expression, 0.5, **extra)


def _aggregates() -> dict:
    figures: dict[str, Aggregate] = {
        "total": Count("id"),
        "open": Count("id", filter=Q(status__in=OPEN)),
        "resolved": Count("id", filter=RESOLVED),
        "on_time": Count(
            "id",
            filter=RESOLVED
            & (Q(resolution_due__isnull=True) | Q(resolved_at__lte=F("resolution_due"))),
        ),
    }
    if connection.vendor == "postgresql":
        figures["median_response"] = Median(RESPONSE, filter=RESPONDED)
    return figures


def _python_medians(rows, key) -> dict:
    """Medians where the database has no percentile function (SQLite)."""
    spans: dict = {}
    for group, dispatched, responded in rows:
        spans.setdefault(key(group), []).append(responded - dispatched)
    return {k: median(v) for k, v in spans.items()}


def _row(label: str, figures: dict) -> dict:
    span = figures.get("median_response")
    resolved = figures["resolved"]
    return {
        "label": label,
        "total": figures["total"],
        "open": figures["open"],
        "median_response_hours": (
            round(max(span.total_seconds(), 0) / 3600, 1) if span is not None else None
        ),
        "resolved": resolved,
        "on_time_percent": round(100 * figures["on_time"] / resolved) if resolved else None,
    }


def _unit_key(unit_kind: str, agency_id) -> tuple:
    return (UnitKind.AGENCY, agency_id) if unit_kind == UnitKind.AGENCY else (unit_kind, None)


def compute(now=None) -> dict:
    now = now or timezone.now()
    # Sensitive categories are left out altogether (docs/complaints.md): no row
    # names them, and no unit's count can be told apart from them.
    reports = (
        Complaint.objects.not_sensitive()
        .filter(created_at__gte=now - timedelta(days=WINDOW_DAYS))
        .exclude(status=Status.REJECTED)
    )
    by_category = {
        row.pop("category_id"): row
        for row in reports.values("category_id").annotate(**_aggregates()).order_by()
    }
    by_unit: dict = {}
    for row in reports.values("unit_kind", "agency_id").annotate(**_aggregates()).order_by():
        by_unit[_unit_key(row.pop("unit_kind"), row.pop("agency_id"))] = row
    if connection.vendor != "postgresql":
        responded = reports.filter(RESPONDED)
        for group, span in _python_medians(
            responded.values_list("category_id", "dispatched_at", "first_response_at"),
            lambda g: g,
        ).items():
            by_category[group]["median_response"] = span
        units = responded.values_list(
            "unit_kind", "agency_id", "dispatched_at", "first_response_at"
        )
        for group, span in _python_medians(
            (((kind, agency), a, b) for kind, agency, a, b in units), lambda g: _unit_key(*g)
        ).items():
            by_unit[group]["median_response"] = span
    names = dict(Category.objects.values_list("pk", "name"))
    agencies = dict(Agency.objects.values_list("pk", "name"))

    def unit_label(key) -> str:
        kind, agency_id = key
        if kind == UnitKind.AGENCY:
            return agencies.get(agency_id, "?")
        return str(UnitKind(kind).label)

    return {
        "categories": sorted(
            (_row(names.get(pk, "?"), f) for pk, f in by_category.items()),
            key=lambda d: d["label"],
        ),
        "units": sorted(
            (_row(unit_label(k), f) for k, f in by_unit.items()), key=lambda d: d["label"]
        ),
        "window_days": WINDOW_DAYS,
    }


def figures() -> dict:
    # Not None: get_or_set stores and returns compute()'s dict on a miss.
    return cast(dict, cache.get_or_set("complaints:figures", compute, CACHE_SECONDS))


# Figures over any period and scope (dashboards, open data) -----------------
#
# Generic like balai.letters.stats: a scoped queryset of complaints (a user's
# for_user, a region, the public's not_sensitive), a period [start, end) by the
# day a report arrived, rows grouped by any field ("category", "unit_kind" and
# "agency", "village", "village__district", "status"). `matching` gives the
# reports behind each count, so a number and its list share one definition.

ON_TIME = RESOLVED & (Q(resolution_due__isnull=True) | Q(resolved_at__lte=F("resolution_due")))
PERIOD_MEASURES: dict[str, Q] = {
    "received": Q(),
    "resolved": RESOLVED,
    "on_time": ON_TIME,
    "late": RESOLVED & Q(resolution_due__isnull=False, resolved_at__gt=F("resolution_due")),
    "rejected": Q(status=Status.REJECTED),
}
SPANS = [
    ("dispatched_at", "first_response_at", {"median_response": 0.5}, RESPONDED),
    ("created_at", "resolved_at", {"median_resolution": 0.5}, RESOLVED),
]
UNIT = ("unit_kind", "agency")


def received_in(complaints, start, end):
    return complaints.filter(created_at__gte=start, created_at__lt=end)


def period_rows(complaints, start, end, group_by=()) -> list[dict]:
    """Per group: each PERIOD_MEASURES count and the median times to first
    response and to resolution (timedelta or None)."""
    aggregates = {name: Count("pk", filter=q) for name, q in PERIOD_MEASURES.items()}
    return percentiles.summarise(received_in(complaints, start, end), group_by, aggregates, SPANS)


def periods_rows(complaints, bounds, group_by=()) -> list[list[dict]]:
    """`period_rows` for several periods [(start, end), ...] in one query."""

    def rows(tagged, span):
        aggregates = {name: Count("pk", filter=q) for name, q in PERIOD_MEASURES.items()}
        return percentiles.summarise(tagged, (span, *group_by), aggregates, SPANS)

    return percentiles.split_by_period(complaints, "created_at", bounds, rows)


EMPTY = {
    **dict.fromkeys(PERIOD_MEASURES, 0),
    **{name: None for _s, _e, names, _w in SPANS for name in names},
}


def periods_figures(complaints, bounds) -> list[dict]:
    return [found[0] if found else dict(EMPTY) for found in periods_rows(complaints, bounds)]


def period_figures(complaints, start, end) -> dict:
    return period_rows(complaints, start, end)[0]


def open_rows(complaints, now, group_by=()) -> list[dict]:
    """Per group: open reports in each open state, and how many are overdue now."""
    aggregates: dict = {state: Count("pk", filter=Q(status=state)) for state in OPEN}
    aggregates["overdue"] = Count("pk", filter=Q(next_due__lt=now))
    return percentiles.summarise(complaints.open(), group_by, aggregates)


def matching(complaints, measure: str, start=None, end=None, now=None):
    """The reports behind a figure: a period measure (with start and end), an
    open state, or "overdue" (with now). Unknown names match nothing."""
    if measure in PERIOD_MEASURES and start is not None and end is not None:
        return received_in(complaints, start, end).filter(PERIOD_MEASURES[measure])
    if measure in OPEN:
        return complaints.filter(status=measure)
    if measure == "overdue" and now is not None:
        return complaints.overdue(now)
    return complaints.none()


def unit_labels() -> dict:
    """{(unit_kind, agency id): label} for every unit a report can be with."""
    labels: dict = {
        (kind, None): str(UnitKind(kind).label) for kind in UnitKind.values if kind != "agency"
    }
    for pk, name in Agency.objects.values_list("pk", "name"):
        labels[(UnitKind.AGENCY, pk)] = name
    return labels
