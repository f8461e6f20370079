"""Group-by counts over a period, in the database (open data, dashboards).

`counts(queryset, "issued_at", "village_id", period="month")` gives one row
per month and village with its count; extra aggregates (e.g. a filtered Count)
are added as keyword arguments. Periods are cut in the current time zone.
"""

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek, TruncYear

PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "year": TruncYear}


def counts(queryset: QuerySet, when: str, *fields: str, period: str = "month", **aggregates):
    """Rows {"period": datetime, *fields, "count": n, **aggregates} ordered by period."""
    return (
        queryset.order_by()
        .annotate(period=PERIODS[period](when))
        .values("period", *fields)
        .annotate(count=Count("pk"), **aggregates)
        .order_by("period", *fields)
    )
