"""The public version: the same panels, no small count, and no way to subtract one.

Every count the public pages can show, for every region at once (the regency,
its districts, its villages), comes from a few grouped queries at village
level, rolled up; `balai.lib.disclosure.suppress` then hides the counts from 1
to SMALL-1 and, complementarily, enough others that no published sum (a total
and its rows, a region and its sub-regions) has a single hidden term. A page
takes its counts from that one result, so no page, nor two pages together,
gives a hidden count back. Percentages and times made from a hidden count, or
from fewer than SMALL cases, are hidden with it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from balai.complaints import stats as complaint_stats
from balai.complaints.models import Complaint
from balai.dashboards import rollups
from balai.dashboards.areas import Area
from balai.dashboards.cells import Cell
from balai.dashboards.models import PublicFigures, RollupMark
from balai.dashboards.panels import CURRENT, NOW, PREVIOUS, unit_param
from balai.dashboards.periods import Period
from balai.letters import stats as letter_stats
from balai.letters.models import LetterRequest
from balai.lib.disclosure import Sum, suppress

SMALL = 5
# How long a period's kept figures are shown after a change to its rollups
# (then the next reader counts them again).
STALE = dt.timedelta(minutes=10)
SPAN = "span"  # a kept period's cells, before they are "cur" or "prev" on a page
LETTER_MEASURES = (*letter_stats.MEASURES, "with_letter")


class Counts:
    """Counts by (family, table, region, when, row, measure), rolled up to regions."""

    def __init__(self) -> None:
        self.values: dict[tuple, int] = defaultdict(int)

    def add(self, village: str, family, table, when, row, measure, n: int, total: bool = True):
        for region in (village, village[:8], village[:5]):
            self.values[(family, table, region, when, str(row), measure)] += n
            if total and table:
                self.values[(family, "", region, when, "", measure)] += n

    def sums(self) -> list[Sum]:
        """Each table's rows add up to the total (every table on its own: letter
        types and days, categories and units), a region's cell to its parent's."""
        within: dict[tuple, list] = defaultdict(list)
        across: dict[tuple, list] = defaultdict(list)
        for cell in self.values:
            family, table, region, when, row, measure = cell
            if table and table != "state":
                within[(family, table, region, when, measure)].append(cell)
            if region.count(".") > 1:
                parent = region.rsplit(".", 1)[0]
                across[(family, table, parent, when, row, measure)].append(cell)
        found = [
            Sum(tuple(parts), (family, "", region, when, "", measure))
            for (family, _table, region, when, measure), parts in within.items()
        ]
        for (family, table, parent, when, row, measure), parts in across.items():
            found.append(Sum(tuple(parts), (family, table, parent, when, row, measure)))
        return found


def _regency():
    return Area("regency", settings.BALAI_REGENCY, "").filter()


def _villages(family):
    """The rollups of every village of the regency (no sensitive complaint)."""
    code = settings.BALAI_REGENCY
    rows = family.model.objects.filter(depth=3, region__gte=f"{code}.", region__lt=f"{code}/")
    if family is rollups.COMPLAINTS:
        rows = rows.exclude(category__sensitive=True)
    return rows


def _letters(counts: Counts, period: Period) -> None:
    villages = _villages(rollups.LETTERS)
    rows = rollups.periods_rows(rollups.LETTERS, villages, (period,), ("region", "letter_type"))
    for row in rows[0]:
        for measure in LETTER_MEASURES:
            counts.add(row["region"], "L", "type", SPAN, row["letter_type"], measure, row[measure])
    bucket_rows = rollups.per_bucket(villages, period.first, period.last, period.bucket, "region")
    for day, village, n in bucket_rows:
        counts.add(village, "L", "bucket", SPAN, day.isoformat(), "submitted", n, total=False)


def _complaints(counts: Counts, period: Period) -> None:
    measures = complaint_stats.PERIOD_MEASURES
    rows = rollups.periods_rows(
        rollups.COMPLAINTS,
        _villages(rollups.COMPLAINTS),
        (period,),
        ("region", "category", *complaint_stats.UNIT),
    )
    for row in rows[0]:
        village, unit = row["region"], unit_param(row["unit_kind"], row["agency"])
        for m in measures:
            counts.add(village, "C", "category", SPAN, row["category"], m, row[m])
            counts.add(village, "C", "unit", SPAN, unit, m, row[m], total=False)


def _open_now(counts: Counts, now) -> None:
    requests = LetterRequest.objects.filter(_regency())
    for row in letter_stats.backlog_rows(requests, now, ("village",)):
        for state in letter_stats.BACKLOG_STATES:
            counts.add(row["village"], "LB", "state", NOW, state, str(state), row[str(state)])
        counts.add(row["village"], "LO", "", NOW, "", "overdue", row["overdue"])
    reports = Complaint.objects.not_sensitive().filter(_regency())
    for row in complaint_stats.open_rows(reports, now, ("village",)):
        for status in complaint_stats.OPEN:
            counts.add(row["village"], "CB", "state", NOW, status, str(status), row[str(status)])
        counts.add(row["village"], "CO", "", NOW, "", "overdue", row["overdue"])


def _suppressed_period(period: Period) -> tuple[dict, set]:
    def fill(counts: Counts) -> None:
        _letters(counts, period)
        _complaints(counts, period)

    return _suppressed(fill)


def _suppressed(fill) -> tuple[dict, set]:
    counts = Counts()
    fill(counts)
    values = dict(counts.values)
    return values, suppress(values, counts.sums(), SMALL)


# A period's counts never share a sum with another period's, nor with what is
# open now (every sum is within one period): each is suppressed on its own,
# the same hidden cells as all together. A period is suppressed with its chart
# over time even where it is the previous one, so every page showing it hides
# the same cells.


def _span(period: Period, code: str | None) -> tuple[dict, set]:
    """(counts, hidden) of one period, its cells' `when` SPAN: of every region, or
    of region `code` and the figures of the regions in it (its league tables)."""
    if period.kind == "rentang":  # any two days: cached a while, not kept
        key = f"dashboards:public:{period.first}:{period.last}"
        found = cache.get(key)
        if found is None:
            found = _suppressed_period(period)
            cache.set(key, found, int(STALE.total_seconds()))
        return found
    name = f"{period.kind}:{period.first}"
    rows = PublicFigures.objects.filter(span=name)
    area = code or settings.BALAI_REGENCY
    fields = ("made_at", "changed_at", "region", "totals", "tables")
    own = rows.filter(region=area).values_list(*fields).first()
    if own is None or not _usable(own[0], own[1], timezone.now()):
        return _count_span(period, name)
    below = rows.filter(region__gt=f"{area}.", region__lt=f"{area}/")
    read = ("region", "totals") if code else ("region", "totals", "tables")
    return _cells([own[2:], *below.values_list(*read)])


def _usable(made_at, changed_at, now) -> bool:
    return changed_at is None or changed_at < made_at or now - changed_at < STALE


def _marks() -> list:
    return list(RollupMark.objects.order_by("family").values_list("family", "at", "seen"))


def _count_span(period: Period, name: str) -> tuple[dict, set]:
    """Count and suppress the period, and keep it for every region."""
    from balai.regions.models import Village

    started, marks = timezone.now(), _marks()
    values, hidden = _suppressed_period(period)
    by_region: dict[str, tuple[list, list]] = {}
    for cell, n in values.items():
        family, table, region, _when, row, measure = cell
        place = by_region.setdefault(region, ([], []))[1 if table else 0]
        place.append([family, table, row, measure, n, cell in hidden])
    regency = settings.BALAI_REGENCY
    villages = list(Village.objects.active().values_list("code", flat=True))
    regions = {regency, *villages, *(v[:8] for v in villages), *by_region}
    stamps = {"span": name, "first": period.first, "last": period.last, "made_at": started}
    empty: tuple[list, list] = ([], [])
    made = [
        PublicFigures(
            region=r, totals=by_region.get(r, empty)[0], tables=by_region.get(r, empty)[1], **stamps
        )
        for r in sorted(regions)
    ]
    try:
        with transaction.atomic():
            PublicFigures.objects.filter(span=name).delete()
            PublicFigures.objects.bulk_create(made)
    except IntegrityError:
        pass  # another reader kept the same period at the same time
    if _marks() != marks:  # folded while counting: maybe not the latest rollups
        PublicFigures.objects.filter(span=name, changed_at=None).update(changed_at=started)
    return values, hidden


def _cells(rows) -> tuple[dict, set]:
    values, hidden = {}, set()
    for region, *parts in rows:
        for cells in parts:
            for family, table, row, measure, n, secret in cells:
                key = (family, table, region, SPAN, row, measure)
                values[key] = n
                if secret:
                    hidden.add(key)
    return values, hidden


def _when(found: tuple[dict, set], when: str) -> tuple[dict, set]:
    def tagged(cell):
        return (*cell[:3], when, *cell[4:])

    values, hidden = found
    return {tagged(c): n for c, n in values.items()}, {tagged(c) for c in hidden}


def published(period: Period, code: str | None = None) -> tuple[dict, set]:
    """(counts, hidden) for `period`, the one before and what is open now: of
    every region of the regency, or of region `code` and the regions in it."""
    values, hidden = _suppressed(lambda c: _open_now(c, timezone.now()))
    for when, span in ((CURRENT, period), (PREVIOUS, period.previous())):
        more, also = _when(_span(span, code), when)
        values.update(more)
        hidden |= also
    return values, hidden


def _apply(cell: Cell, values: dict, hidden: set) -> None:
    if cell.key is not None:
        cell.value = None if cell.key in hidden else values.get(cell.key, 0)
        cell.link = ""
    # A share or a time: hidden with any count it is made of, and when its
    # base (the whole, or the cases timed) is small.
    if cell.depends and (
        any(d in hidden for d in cell.depends) or values.get(cell.depends[-1], 0) < SMALL
    ):
        cell.value = None
    if cell.share is not None:
        _apply(cell.share, values, hidden)


def protect(cells, period: Period, code: str) -> None:
    """Hide in place what the public may not see among `cells` (of region `code`'s page)."""
    values, hidden = published(period, code)
    for cell in cells:
        _apply(cell, values, hidden)
