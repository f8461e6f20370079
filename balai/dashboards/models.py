"""Daily and monthly counts of letter requests and complaints per region: the
dashboards read these instead of a year of rows (issue 14; balai.dashboards.rollups
keeps them equal to the rows).

A row holds one region (a village, a district or the regency: `depth` is the
number of dots in its code plus one), one day or one calendar month (`span`,
`start` its first day) and one group (letter type; category and unit). The
times behind the medians are kept as histograms: `<name>_<i>` counts the cases
whose duration fell in rollups.EDGES' bucket i.
"""

from django.db import models

from balai.agencies.models import Agency
from balai.complaints.models import Category
from balai.letters.models import LetterType

BUCKETS = 24  # len(rollups.EDGES)
DAY, MONTH = "d", "m"


class Rollup(models.Model):
    span = models.CharField(max_length=1, choices=[(DAY, "day"), (MONTH, "month")])
    start = models.DateField()
    region = models.CharField(max_length=13)
    depth = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True
        # Named per table ("letterrollup_region"): a page reads one region's spans,
        # or every region of one depth.
        indexes = [
            models.Index(fields=["span", "region", "start"], name="%(class)s_region"),
            models.Index(fields=["span", "depth", "start"], name="%(class)s_depth"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.span} {self.start}"


def _histogram(model, name: str) -> None:
    for i in range(BUCKETS):
        model.add_to_class(f"{name}_{i}", models.PositiveIntegerField(default=0))


class LetterRollup(Rollup):
    """Requests submitted in the span: each letters.stats measure, and the time to the letter."""

    letter_type = models.ForeignKey(LetterType, models.CASCADE, related_name="+")
    submitted = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    within_sla = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    with_letter = models.PositiveIntegerField(default=0)


_histogram(LetterRollup, "ready")


class ComplaintRollup(Rollup):
    """Reports received in the span: each complaints.stats measure, and the times
    to first response and to resolution."""

    category = models.ForeignKey(Category, models.CASCADE, related_name="+")
    unit_kind = models.CharField(max_length=20)
    agency = models.ForeignKey(Agency, models.CASCADE, null=True, related_name="+")
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)


_histogram(ComplaintRollup, "response")
_histogram(ComplaintRollup, "resolution")


class RollupMark(models.Model):
    """How far the rollups of one family have read the rows' changes, and a
    fingerprint of the changes in the overlap window already folded."""

    family = models.CharField(max_length=20, unique=True)
    at = models.DateTimeField()
    seen = models.CharField(max_length=100, default="")

    def __str__(self) -> str:
        return f"{self.family} {self.at}"


class CameraMonth(models.Model):
    """Seconds the cameras of a region spent up, degraded and down in one closed
    calendar month (summed from cctv's daily rollups once the month is over),
    apart for public cameras and the rest."""

    start = models.DateField()
    region = models.CharField(max_length=13)
    public = models.BooleanField()
    up = models.BigIntegerField(default=0)
    degraded = models.BigIntegerField(default=0)
    down = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "start", "public"], name="cameramonth_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.start}"


class PublicFigures(models.Model):
    """One region's public counts of one calendar period (week, month, quarter or
    year), suppressed together with every region's (balai.dashboards.public), so
    that a public page reads them instead of suppressing the regency again.

    Every region of a period is written at once, stamped `made_at` (when the
    counting started). A fold that changes a day of the period stamps
    `changed_at` (the first change since); the figures are then shown up to
    public.STALE longer, and counted again by the next reader after that.
    `totals` holds the cells of the figures (table ""), `tables` the rest; each
    cell is [family, table, row, measure, count, hidden].
    """

    span = models.CharField(max_length=30)
    region = models.CharField(max_length=13)
    first = models.DateField()
    last = models.DateField()
    made_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True)
    totals = models.JSONField()
    tables = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["span", "region"], name="publicfigures_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.span}"
