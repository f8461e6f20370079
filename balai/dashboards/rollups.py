"""Pre-aggregated counts behind the dashboards, kept equal to the rows.

A dashboard over a year of a regency read and sorted ~300,000 requests and
100,000 complaints per view (issue 14). The rollups (balai.dashboards.models)
hold, per region (village, district, regency), per day and per calendar month
and per group, each measure of letters.stats and complaints.stats, with the
same definitions (the MEASURES filters themselves), and histograms of the
durations behind the medians. A period reads its whole months from month rows
and its other days from day rows: a year of the regency is ~300 rows, not
300,000, and the cost grows with days x groups, not with the rows.

Kept fresh by folding the changes since a watermark before every dashboard is
built (`refresh`): every state change of a request stamps `status_changed_at`,
of a complaint `updated_at` (their actions do, in the same transaction); the
(village, day) buckets of the rows changed since the last fold are counted
again from the rows, then their district's and regency's day rows and the
months. The fold re-reads an OVERLAP window before the watermark, so a
transaction that committed after its timestamp was read is still counted; a
fingerprint of that window skips the fold when nothing changed. `balai
rebuild-dashboards` counts everything again (after loading rows by SQL).

Medians and 90th percentiles come from the histograms: linear within the
bucket holding the rank, so within half a bucket's width (EDGES) of the exact
PERCENTILE_CONT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Min, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Substr, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from balai.cctv.models import CameraRollup
from balai.complaints import stats as complaint_stats
from balai.complaints.models import Complaint
from balai.dashboards.models import (
    BUCKETS,
    DAY,
    MONTH,
    CameraMonth,
    ComplaintRollup,
    LetterRollup,
    PublicFigures,
    RollupMark,
)
from balai.letters import stats as letter_stats
from balai.letters.models import LetterRequest
from balai.lib.percentiles import span

# Bucket i of a histogram holds durations in [EDGES[i], EDGES[i + 1]) hours
# (the first also the negative ones, the last everything from 720 h).
EDGES = (
    0,
    1,
    2,
    3,
    4,
    6,
    8,
    10,
    12,
    16,
    20,
    24,
    30,
    36,
    42,
    48,
    60,
    72,
    96,
    120,
    168,
    240,
    336,
    720,
)
assert len(EDGES) == BUCKETS
OVERLAP = dt.timedelta(minutes=10)
# Code lengths of a regency ("35.08") and a district ("35.08.01"): the parents of a village.
PARENTS = ((2, 8), (1, 5))
VILLAGE_DEPTH = 3
# More changed (village, day) buckets than this at once (an import): count all again.
MANY = 500


@dataclass(frozen=True)
class Family:
    name: str
    model: type[LetterRollup] | type[ComplaintRollup]
    rows: Callable  # () -> the source rows
    at: str  # the time that puts a row in a day
    changed: str  # stamped by every change of a row's state
    groups: tuple[str, ...]
    counts: dict  # name -> Q over the rows
    histograms: dict  # name -> (start field, end field, Q of the rows timed)
    percentiles: dict  # output name -> (histogram, fraction)

    @property
    def fields(self) -> list[str]:
        return [*self.counts, *(f"{h}_{i}" for h in self.histograms for i in range(BUCKETS))]


LETTERS = Family(
    "letters",
    LetterRollup,
    lambda: LetterRequest.objects.all(),
    "submitted_at",
    "status_changed_at",
    ("letter_type",),
    {**letter_stats.MEASURES, "with_letter": letter_stats.HAS_LETTER},
    {"ready": ("submitted_at", letter_stats.READY_AT, letter_stats.HAS_LETTER)},
    {"median_ready": ("ready", 0.5), "p90_ready": ("ready", 0.9)},
)
COMPLAINTS = Family(
    "complaints",
    ComplaintRollup,
    lambda: Complaint.objects.all(),
    "created_at",
    "updated_at",
    ("category", "unit_kind", "agency"),
    {**complaint_stats.PERIOD_MEASURES, "responded": complaint_stats.RESPONDED},
    {
        "response": ("dispatched_at", "first_response_at", complaint_stats.RESPONDED),
        "resolution": ("created_at", "resolved_at", complaint_stats.RESOLVED),
    },
    {"median_response": ("response", 0.5), "median_resolution": ("resolution", 0.5)},
)
FAMILIES = (LETTERS, COMPLAINTS)


# Counting from the rows -----------------------------------------------------


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_default_timezone())


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()), zone)
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(1), dt.time()), zone)


def _bucket(name: str, i: int, when: Q) -> Q:
    found = when
    if i > 0:
        found &= Q(**{f"_{name}__gte": dt.timedelta(hours=EDGES[i])})
    if i + 1 < BUCKETS:
        found &= Q(**{f"_{name}__lt": dt.timedelta(hours=EDGES[i + 1])})
    return found


def _village_days(family: Family, where: Q) -> list[dict]:
    """Per village, local day and group: every count and histogram bucket."""
    found = family.rows().filter(where).order_by()
    aggregates = {name: Count("pk", filter=q) for name, q in family.counts.items()}
    for name, (start, end, when) in family.histograms.items():
        found = found.alias(**{f"_{name}": span(start, end)})
        for i in range(BUCKETS):
            aggregates[f"{name}_{i}"] = Count("pk", filter=_bucket(name, i, when))
    rows = (
        found.annotate(_day=_local_day(family.at))
        .values("_day", "village", *family.groups)
        .annotate(**aggregates)
    )
    return list(rows)


def _model_row(family: Family, span_: str, start, region: str, depth: int, row: dict):
    values = {f: row[f] or 0 for f in family.fields}
    groups = {f"{g}_id" if g != "unit_kind" else g: row[g] for g in family.groups}
    return family.model(span=span_, start=start, region=region, depth=depth, **groups, **values)


def _summed(family: Family, base, *keys) -> list[dict]:
    return list(
        base.order_by().values(*keys).annotate(**{f: Sum(f) for f in family.fields}).order_by()
    )


def _write_days(family: Family, pairs: set[tuple[str | None, dt.date]] | None) -> set[dt.date]:
    """Count the (village, day) buckets again (every village of the day for a
    village None; every bucket when `pairs` is None), then their days' district
    and regency rows; the days written."""
    model = family.model
    if pairs is None:
        where, old = Q(), Q(span=DAY)
    else:
        where, old = Q(pk__in=[]), Q(pk__in=[])
        for village, day in pairs:
            start, end = _day_bounds(day)
            within = Q(**{f"{family.at}__gte": start, f"{family.at}__lt": end})
            buckets = Q(span=DAY, depth=VILLAGE_DEPTH, start=day)
            if village is not None:
                within, buckets = within & Q(village_id=village), buckets & Q(region=village)
            where, old = where | within, old | buckets
    model.objects.filter(old).delete()
    rows = _village_days(family, where)
    groups = (*family.groups,)
    model.objects.bulk_create(
        (_model_row(family, DAY, r["_day"], r["village"], VILLAGE_DEPTH, r) for r in rows),
        batch_size=2000,
    )
    days = {r["_day"] for r in rows} | ({d for _v, d in pairs} if pairs else set())
    for depth, length in PARENTS:
        for chunk in _chunks(sorted(days), 60):
            model.objects.filter(span=DAY, depth=depth, start__in=chunk).delete()
            base = model.objects.filter(span=DAY, depth=VILLAGE_DEPTH, start__in=chunk)
            summed = _summed(
                family,
                base.annotate(_region=Substr("region", 1, length)),
                "start",
                "_region",
                *groups,
            )
            model.objects.bulk_create(
                (_model_row(family, DAY, r["start"], r["_region"], depth, r) for r in summed),
                batch_size=2000,
            )
    return days


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _write_months(family: Family, months: Iterable[dt.date], regions: set[str] | None) -> None:
    """The month rows of `regions` (all when None) summed from their day rows."""
    model = family.model
    for first in sorted(set(months)):
        where = Q(start__gte=first, start__lt=_next_month(first))
        if regions is not None:
            where &= Q(region__in=regions)
        model.objects.filter(where, span=MONTH).delete()
        summed = _summed(
            family, model.objects.filter(where, span=DAY), "region", "depth", *family.groups
        )
        model.objects.bulk_create(
            (_model_row(family, MONTH, first, r["region"], r["depth"], r) for r in summed),
            batch_size=2000,
        )


def _rebuild(family: Family, now: dt.datetime) -> None:
    family.model.objects.all().delete()
    days = _write_days(family, None)
    _write_months(family, {_month(d) for d in days}, None)
    _mark(family, now)
    _changed(Q(), now)


def rebuild(family: Family) -> None:
    """Every rollup row of `family` counted again from the rows."""
    with transaction.atomic():
        RollupMark.objects.select_for_update().filter(family=family.name).first()
        _rebuild(family, timezone.now())


def _changed_since(family: Family, since: dt.datetime):
    return family.rows().filter(**{f"{family.changed}__gte": since}).order_by()


def _fingerprint(family: Family, changed) -> str:
    """Which rows changed when, in the window: equal means nothing to fold."""
    digest = hashlib.sha256()
    for pk, at in changed.values_list("pk", family.changed).order_by("pk"):
        digest.update(f"{pk}:{at.isoformat()};".encode())
    return digest.hexdigest()


def _mark(family: Family, now: dt.datetime) -> None:
    changed = _changed_since(family, now - OVERLAP)
    RollupMark.objects.update_or_create(
        family=family.name, defaults={"at": now, "seen": _fingerprint(family, changed)}
    )


def fold(family: Family) -> None:
    """Count again the buckets of the rows changed since the watermark."""
    now = timezone.now()
    # Nothing changed (most pages): seen without the lock, which would make every
    # page wait for the others' look at the changes.
    mark = RollupMark.objects.filter(family=family.name).first()
    if (
        mark is not None
        and _fingerprint(family, _changed_since(family, mark.at - OVERLAP)) == mark.seen
    ):
        return
    with transaction.atomic():
        mark = RollupMark.objects.select_for_update().filter(family=family.name).first()
        if mark is None:
            _rebuild(family, now)
            return
        changed = _changed_since(family, mark.at - OVERLAP)
        if _fingerprint(family, changed) == mark.seen:
            return
        pairs: set = set(changed.values_list("village_id", _local_day(family.at)).distinct())
        regions: set[str] | None = None
        if len(pairs) > MANY:  # an import: its days, every village
            pairs = {(None, day) for _v, day in pairs}
        else:
            villages = {v for v, _d in pairs}
            regions = villages | {v[:length] for v in villages for _depth, length in PARENTS}
        _write_days(family, pairs)
        _write_months(family, {_month(d) for _v, d in pairs}, regions)
        _mark(family, now)
        days = [d for _v, d in pairs]
        if days:
            _changed(Q(first__lte=max(days), last__gte=min(days)), now)


def _changed(periods: Q, now: dt.datetime) -> None:
    """Stamp the kept public figures of these periods changed (the first change
    since they were counted: balai.dashboards.public)."""
    unstamped = Q(changed_at=None) | Q(changed_at__lt=F("made_at"))
    PublicFigures.objects.filter(periods, unstamped).update(changed_at=now)


def refresh() -> None:
    """Both families up to date with the rows (before a dashboard is built)."""
    for family in FAMILIES:
        fold(family)


# Reading a period -----------------------------------------------------------


def _full_months(first: dt.date, last: dt.date) -> list[dt.date]:
    found, month = [], _month(first)
    if month < first:
        month = _next_month(month)
    while _next_month(month) - dt.timedelta(days=1) <= last:
        found.append(month)
        month = _next_month(month)
    return found


def selection(first: dt.date, last: dt.date, months: bool = True) -> Q:
    """The rollup rows that make up the days first..last: whole months from month
    rows (when `months`), the other days from day rows."""
    whole = _full_months(first, last) if months else []
    days = Q(span=DAY, start__gte=first, start__lte=last)
    if not whole:
        return days
    inner_end = _next_month(whole[-1]) - dt.timedelta(days=1)
    return Q(span=MONTH, start__in=whole) | (
        days & (Q(start__lt=whole[0]) | Q(start__gt=inner_end))
    )


def percentile(counts: Sequence[int], fraction: float) -> dt.timedelta | None:
    """PERCENTILE_CONT's rank read from a histogram (linear within the bucket)."""
    total = sum(counts)
    if not total:
        return None
    rank = fraction * (total - 1)
    below = 0
    for i, n in enumerate(counts):
        if n and rank < below + n:
            low = EDGES[i]
            if i + 1 == BUCKETS:
                return dt.timedelta(hours=low)
            width = EDGES[i + 1] - low
            return dt.timedelta(hours=low + width * (rank - below + 0.5) / n)
        below += n
    return dt.timedelta(hours=EDGES[-1])


def _finish(family: Family, row: dict) -> dict:
    for f in family.fields:
        row[f] = row[f] or 0
    for name, (histogram, fraction) in family.percentiles.items():
        row[name] = percentile([row[f"{histogram}_{i}"] for i in range(BUCKETS)], fraction)
    return row


PERIOD = "_period"


def _counts(family: Family, row: dict) -> dict:
    for name in family.counts:
        row[name] = row[name] or 0
    return {**row, **dict.fromkeys(family.percentiles)}


def periods_rows(
    family: Family, rollups, periods: Sequence, group_by: Sequence[str] = (), *, times=True
) -> list[list[dict]]:
    """Rows of counts and percentiles per group for each of `periods` (first and
    last days), from the rollups `rollups` (a queryset already narrowed to regions);
    without `times`, counts only (no histograms summed, percentiles None)."""
    where, tags = Q(pk__in=[]), []
    for i, p in enumerate(periods):
        where |= selection(p.first, p.last)
        tags.append(When(start__gte=p.first, start__lte=p.last, then=Value(i)))
    found = (
        rollups.filter(where)
        .annotate(**{PERIOD: Case(*tags, output_field=IntegerField())})
        .values(PERIOD, *group_by)
        .annotate(**{f: Sum(f) for f in (family.fields if times else family.counts)})
        .order_by()
    )
    result: list[list[dict]] = [[] for _ in periods]
    for row in found:
        result[row.pop(PERIOD)].append(_finish(family, row) if times else _counts(family, row))
    return result


def grouped(family: Family, rows: Iterable[dict], key) -> dict:
    """Rows added up by key(row), with their percentiles: {key: row}."""
    sums: dict = {}
    for row in rows:
        total = sums.setdefault(key(row), dict.fromkeys(family.fields, 0))
        for f in family.fields:
            total[f] += row[f]
    return {k: _finish(family, total) for k, total in sums.items()}


def total(family: Family, rows: Iterable[dict]) -> dict:
    """All `rows` added up (zeros and no percentiles when there are none)."""
    return grouped(family, rows, lambda row: None).get(None) or _finish(
        family, dict.fromkeys(family.fields, 0)
    )


BUCKET_TRUNC = {"week": TruncWeek, "month": TruncMonth}


def per_bucket(rollups, first: dt.date, last: dt.date, bucket: str, *group_by: str) -> list:
    """(bucket's first day, *group values, requests) of the days first..last."""
    found = rollups.filter(selection(first, last, months=bucket == "month"))
    if bucket in BUCKET_TRUNC:
        found = found.annotate(_bucket=BUCKET_TRUNC[bucket]("start"))
    else:
        found = found.annotate(_bucket=F("start"))
    rows = found.values_list("_bucket", *group_by).annotate(n=Sum("submitted")).order_by()
    return [(_as_date(b), *rest) for b, *rest in rows]


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# Cameras ----------------------------------------------------------------------
#
# cctv keeps a row per camera and day: a year of 3,000 cameras is 1.1 million.
# A month that is over (and its last day's rollup final) no longer changes, so
# its sums per region are kept (CameraMonth) the first time a page asks for
# it; the other days are read from cctv's rows.

SECONDS = ("up", "degraded", "down")


def _closed_months(first: dt.date, last: dt.date) -> list[dt.date]:
    settled = timezone.localdate() - dt.timedelta(days=1)
    return [m for m in _full_months(first, last) if _next_month(m) <= settled]


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _camera_months(months: Sequence[dt.date]) -> None:
    """Sum the months not kept yet, for every region at once."""
    kept = set(CameraMonth.objects.filter(start__in=months).values_list("start", flat=True))
    for first in sorted(set(months) - kept):
        days = CameraRollup.objects.days(first, _next_month(first) - dt.timedelta(days=1))
        # A month without a camera is kept too (zeros), so it is not summed again.
        sums: dict = {(settings.BALAI_REGENCY, False): dict.fromkeys(SECONDS, 0)}
        for row in days.totals("camera__village", "camera__visibility"):
            village, public = row["camera__village"], row["camera__visibility"] == "public"
            for region in (village, *(village[:length] for _depth, length in PARENTS)):
                total = sums.setdefault((region, public), dict.fromkeys(SECONDS, 0))
                for name in SECONDS:
                    total[name] += row[name]
        CameraMonth.objects.bulk_create(
            [CameraMonth(start=first, region=r, public=p, **s) for (r, p), s in sums.items()],
            ignore_conflicts=True,  # a page next door summed the same month
        )


def camera_seconds(cameras, region: str, public: bool, first: dt.date, last: dt.date) -> dict:
    """Seconds up, degraded and down of the days first..last: closed months from
    CameraMonth, the other days from `cameras` (the scope's cctv day rollups)."""
    months = _closed_months(first, last)
    if not months:
        return cameras.days(first, last).totals()
    _camera_months(months)
    kept = CameraMonth.objects.filter(region=region, start__in=months)
    if public:
        kept = kept.filter(public=True)
    stored = kept.aggregate(**{n: Coalesce(Sum(n), 0) for n in SECONDS})
    # The days around the kept months, one range query each ("the period but not
    # the months", or an OR of the two, read the whole period's rows).
    total = dict(stored)
    for a, b in ((first, months[0] - dt.timedelta(days=1)), (_next_month(months[-1]), last)):
        if a <= b:
            rest = cameras.days(a, b).totals()
            total = {n: total[n] + rest[n] for n in SECONDS}
    return total


def rebuild_cameras() -> None:
    """Every closed month of the cameras summed again."""
    CameraMonth.objects.all().delete()
    days = CameraRollup.objects.filter(period="day").aggregate(first=Min("start"))
    if days["first"] is not None:
        first = timezone.localdate(days["first"])
        _camera_months(_closed_months(_month(first), timezone.localdate()))
