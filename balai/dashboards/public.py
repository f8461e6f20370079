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

from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from balai.complaints import stats as complaint_stats
from balai.complaints.models import Complaint
from balai.dashboards import rollups
from balai.dashboards.areas import Area
from balai.dashboards.cells import Cell
from balai.dashboards.panels import CURRENT, NOW, PREVIOUS, unit_param
from balai.dashboards.periods import Period
from balai.letters import stats as letter_stats
from balai.letters.models import LetterRequest
from balai.lib.disclosure import Sum, suppress

SMALL = 5
CACHE_SECONDS = 600
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


def _letters(counts: Counts, period: Period, now) -> None:
    periods = (period, period.previous())
    villages = _villages(rollups.LETTERS)
    both = rollups.periods_rows(rollups.LETTERS, villages, periods, ("region", "letter_type"))
    for when, rows in zip((CURRENT, PREVIOUS), both, strict=True):
        for row in rows:
            for measure in LETTER_MEASURES:
                counts.add(
                    row["region"], "L", "type", when, row["letter_type"], measure, row[measure]
                )
    bucket_rows = rollups.per_bucket(villages, period.first, period.last, period.bucket, "region")
    for day, village, n in bucket_rows:
        counts.add(village, "L", "bucket", CURRENT, day.isoformat(), "submitted", n, total=False)
    requests = LetterRequest.objects.filter(_regency())
    for row in letter_stats.backlog_rows(requests, now, ("village",)):
        for state in letter_stats.BACKLOG_STATES:
            counts.add(row["village"], "LB", "state", NOW, state, str(state), row[str(state)])
        counts.add(row["village"], "LO", "", NOW, "", "overdue", row["overdue"])


def _complaints(counts: Counts, period: Period, now) -> None:
    measures = complaint_stats.PERIOD_MEASURES
    both = rollups.periods_rows(
        rollups.COMPLAINTS,
        _villages(rollups.COMPLAINTS),
        (period, period.previous()),
        ("region", "category", *complaint_stats.UNIT),
    )
    for when, rows in zip((CURRENT, PREVIOUS), both, strict=True):
        for row in rows:
            village, unit = row["region"], unit_param(row["unit_kind"], row["agency"])
            for m in measures:
                counts.add(village, "C", "category", when, row["category"], m, row[m])
                counts.add(village, "C", "unit", when, unit, m, row[m], total=False)
    reports = Complaint.objects.not_sensitive().filter(_regency())
    for row in complaint_stats.open_rows(reports, now, ("village",)):
        for state in complaint_stats.OPEN:
            counts.add(row["village"], "CB", "state", NOW, state, str(state), row[str(state)])
        counts.add(row["village"], "CO", "", NOW, "", "overdue", row["overdue"])


def published(period: Period) -> tuple[dict, set]:
    """(counts, hidden) for every region of the regency, for `period` and the one before."""
    key = f"dashboards:public:{period.query()}"
    found = cache.get(key)
    if found is None:
        now = timezone.now()
        counts = Counts()
        _letters(counts, period, now)
        _complaints(counts, period, now)
        values = dict(counts.values)
        found = (values, suppress(values, counts.sums(), SMALL))
        cache.set(key, found, CACHE_SECONDS)
    return found


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


def protect(cells, period: Period) -> None:
    """Hide in place what the public may not see among `cells`."""
    values, hidden = published(period)
    for cell in cells:
        _apply(cell, values, hidden)
