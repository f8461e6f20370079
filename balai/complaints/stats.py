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
from balai.lib.aggregates import counts

CACHE_SECONDS = 600
WINDOW_DAYS = 365

RESPONSE = ExpressionWrapper(F("first_response_at") - F("dispatched_at"), DurationField())
RESPONDED = Q(dispatched_at__isnull=False, first_response_at__isnull=False)
RESOLVED = Q(resolved_at__isnull=False, status__in=[Status.RESOLVED, Status.CLOSED])
ON_TIME = RESOLVED & (Q(resolution_due__isnull=True) | Q(resolved_at__lte=F("resolution_due")))


class Median(Aggregate):
    """PostgreSQL's PERCENTILE_CONT(0.5): the median, of an interval here."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _aggregates() -> dict:
    figures: dict[str, Aggregate] = {
        "total": Count("id"),
        "open": Count("id", filter=Q(status__in=OPEN)),
        "resolved": Count("id", filter=RESOLVED),
        "on_time": Count("id", filter=ON_TIME),
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


def received(first, last, *fields: str, period: str = "month"):
    """Complaints received from `first` to `last` (dates), counted per period and
    `fields` (e.g. "category__name", "unit_kind", "agency__name", "status"), with
    how many are resolved and resolved on time. Sensitive categories and
    rejected reports are left out, as on the public figures page."""
    reports = (
        Complaint.objects.not_sensitive()
        .exclude(status=Status.REJECTED)
        .filter(created_at__date__gte=first, created_at__date__lte=last)
    )
    return counts(
        reports,
        "created_at",
        *fields,
        period=period,
        resolved=Count("id", filter=RESOLVED),
        on_time=Count("id", filter=ON_TIME),
    )
