"""The period a dashboard shows, and the one before it to compare with.

`?periode=minggu|bulan|kuartal|tahun` is the week (from Monday), month,
quarter or year holding `?tanggal=` (today by default); `?periode=rentang`
with `dari` and `sampai` is a chosen range of at most MAX_DAYS. The previous
period is the calendar one before (or, for a range, as many days just before).
A current period that has not ended is compared with the whole previous one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

KINDS = {
    "minggu": _("Minggu"),
    "bulan": _("Bulan"),
    "kuartal": _("Kuartal"),
    "tahun": _("Tahun"),
    "rentang": _("Rentang pilihan"),
}
DEFAULT = "bulan"
MAX_DAYS = 3 * 366
EARLIEST = dt.date(2000, 1, 1)


def _date(value) -> dt.date | None:
    try:
        found = dt.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None
    return found if EARLIEST <= found <= dt.date(2100, 12, 31) else None


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    months = day.year * 12 + day.month - 1 - back
    return dt.date(months // 12, months % 12 + 1, 1)


def _bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the week, month, quarter or year holding `day`."""
    if kind == "minggu":
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6)
    if kind == "kuartal":
        first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return first, _month_start(first, -3) - dt.timedelta(days=1)
    if kind == "tahun":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    first = day.replace(day=1)
    return first, _month_start(first, -1) - dt.timedelta(days=1)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@dataclass(frozen=True)
class Period:
    kind: str
    first: dt.date  # both days included
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return _aware(self.first)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period."""
        return _aware(self.last + dt.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def bucket(self) -> str:
        """The step of its chart over time: days, weeks or months."""
        if self.days <= 31:
            return "day"
        return "week" if self.days <= 125 else "month"

    def previous(self) -> Period:
        if self.kind == "rentang":
            last = self.first - dt.timedelta(days=1)
            return Period(self.kind, last - dt.timedelta(days=self.days - 1), last)
        first, last = _bounds(self.kind, self.first - dt.timedelta(days=1))
        return Period(self.kind, first, last)

    def params(self) -> dict[str, str]:
        if self.kind == "rentang":
            return {"periode": self.kind, "dari": str(self.first), "sampai": str(self.last)}
        return {"periode": self.kind, "tanggal": str(self.first)}

    def query(self) -> str:
        return urlencode(self.params())

    @property
    def label(self) -> str:
        return f"{self.first:%d-%m-%Y} s.d. {self.last:%d-%m-%Y}"

    def __str__(self) -> str:
        return self.label


def from_query(params, today: dt.date | None = None) -> Period:
    """The period asked for; anything it cannot read gives this month."""
    today = today or timezone.localdate()
    kind = params.get("periode")
    if kind == "rentang":
        first, last = _date(params.get("dari")), _date(params.get("sampai"))
        if first and last and first <= last and (last - first).days < MAX_DAYS:
            return Period(kind, first, last)
        kind = DEFAULT
    if kind not in KINDS:
        kind = DEFAULT
    first, last = _bounds(kind, _date(params.get("tanggal")) or today)
    return Period(kind, first, last)
