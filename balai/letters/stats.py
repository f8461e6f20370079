"""Figures of letter requests over a period, computed in the database.

Generic on purpose (dashboards and open data use them alike): every function
takes an already scoped queryset of requests (a user's area, a village, the
regency) and a period [start, end), and returns figures, or rows of figures
grouped by any of the request's fields ("village", "village__district",
"letter_type", ...). A request belongs to the period it was submitted in.

Each counted figure is a named filter in MEASURES; `matching` gives the
requests behind it, so a number and the list it links to are one definition.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek

from balai.letters.choices import OPEN_STATUSES, RequestStatus, Step
from balai.letters.models import Letter, RequestStep
from balai.lib import percentiles
from balai.lib.aggregates import counts

ISSUED_STATUSES = (RequestStatus.READY, RequestStatus.COLLECTED)
# The letter is issued (ready) when it is signed: Letter.issued_at.
READY_AT = "letter__issued_at"
HAS_LETTER = Q(letter__isnull=False)
# Uncorrelated on purpose: PostgreSQL reads the returned steps once into a hash
# (a correlated EXISTS ran one index probe per counted request: ~2 s a year).
WAS_RETURNED = Q(
    pk__in=RequestStep.objects.filter(step=Step.RETURNED).order_by().values("request_id")
)

# Figures about the requests submitted in a period.
MEASURES: dict[str, Q] = {
    "submitted": Q(),
    "issued": Q(status__in=ISSUED_STATUSES),
    "returned": WAS_RETURNED,
    "rejected": Q(status=RequestStatus.REJECTED),
    "within_sla": HAS_LETTER & (Q(due_at__isnull=True) | Q(letter__issued_at__lte=F("due_at"))),
    "late": HAS_LETTER & Q(due_at__isnull=False, letter__issued_at__gt=F("due_at")),
}
# Figures about now, whatever the period: the backlog.
BACKLOG_STATES = (*OPEN_STATUSES, RequestStatus.RETURNED)
BUCKETS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
READY_PERCENTILES = {"median_ready": 0.5, "p90_ready": 0.9}


def submitted_in(requests, start, end):
    return requests.filter(submitted_at__gte=start, submitted_at__lt=end)


def period_rows(requests, start, end, group_by: Sequence[str] = ()) -> list[dict]:
    """Per group: every measure's count, and the median and 90th percentile of the
    time from request to letter (timedelta, None when no letter was issued)."""
    aggregates = {name: Count("pk", filter=q) for name, q in MEASURES.items()}
    aggregates["with_letter"] = Count("pk", filter=HAS_LETTER)
    spans = [("submitted_at", READY_AT, READY_PERCENTILES, HAS_LETTER)]
    return percentiles.summarise(submitted_in(requests, start, end), group_by, aggregates, spans)


def periods_rows(requests, bounds, group_by: Sequence[str] = ()) -> list[list[dict]]:
    """`period_rows` for several periods [(start, end), ...] in one query; a period
    without requests has no row (figures: `periods_figures`)."""

    def rows(tagged, span):
        aggregates = {name: Count("pk", filter=q) for name, q in MEASURES.items()}
        aggregates["with_letter"] = Count("pk", filter=HAS_LETTER)
        spans = [("submitted_at", READY_AT, READY_PERCENTILES, HAS_LETTER)]
        return percentiles.summarise(tagged, (span, *group_by), aggregates, spans)

    return percentiles.split_by_period(requests, "submitted_at", bounds, rows)


EMPTY = {**dict.fromkeys((*MEASURES, "with_letter"), 0), **dict.fromkeys(READY_PERCENTILES)}


def periods_figures(requests, bounds) -> list[dict]:
    return [found[0] if found else dict(EMPTY) for found in periods_rows(requests, bounds)]


def period_figures(requests, start, end) -> dict:
    return period_rows(requests, start, end)[0]


def backlog_rows(requests, now, group_by: Sequence[str] = ()) -> list[dict]:
    """Per group: open requests in each waiting state, and how many are overdue."""
    aggregates: dict[str, Count] = {
        str(state): Count("pk", filter=Q(status=state)) for state in BACKLOG_STATES
    }
    aggregates["overdue"] = Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now))
    return percentiles.summarise(requests.filter(status__in=BACKLOG_STATES), group_by, aggregates)


def per_bucket(requests, start, end, bucket: str = "week", by: str = "letter_type") -> list:
    """(bucket start, group value, requests) for a chart of requests over time."""
    trunc = BUCKETS[bucket]("submitted_at")
    rows = (
        submitted_in(requests, start, end)
        .order_by()
        .annotate(bucket=trunc)
        .values_list("bucket", by)
        .annotate(n=Count("pk"))
        .order_by("bucket", by)
    )
    return list(rows)


def matching(requests, measure: str, start=None, end=None, now=None):
    """The requests behind a figure: a period measure (with start and end), a
    backlog state, or "overdue" (with now). Unknown names match nothing."""
    if measure in MEASURES and start is not None and end is not None:
        return submitted_in(requests, start, end).filter(MEASURES[measure])
    if measure in BACKLOG_STATES:
        return requests.filter(status=measure)
    if measure == "overdue" and now is not None:
        return requests.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    return requests.none()


def issued(first, last, *fields: str, period: str = "month"):
    """Letters issued (not revoked) from date `first` to date `last`, counted per
    period ("day", "week", "month", "year") and `fields` (e.g. "village_id",
    "letter_type__name"): by the day the letter was signed, not requested."""
    letters = Letter.objects.valid().filter(issued_at__date__gte=first, issued_at__date__lte=last)
    return counts(letters, "issued_at", *fields, period=period)
