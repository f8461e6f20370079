"""Working days (hari kerja) in the regency: Monday to Friday without holidays.

Holidays are Indonesia's national holidays and cuti bersama (collective leave)
from the `holidays` package, plus the regency's own days off, which the
regency admin keeps in `regions.LocalHoliday` (regions hands them over through
`read_local_holidays_from`). Due datetimes are computed in
the regency's time zone (settings.TIME_ZONE) and returned timezone-aware.

    add_working_days(date(2026, 11, 27), 1)  # a Friday -> Monday 2026-11-30
    due_at(received_at, 3)                   # three working days after, same clock time
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

# Local holidays are read from the database at most this often per process;
# saving or deleting one clears the cache in the process that did it.
LOCAL_TTL_SECONDS = 300

# "at" is None until the first read: time.monotonic() counts from an arbitrary
# point (boot on Linux), so no number can stand for "never".
_local: dict[str, object] = {"at": None, "days": {}}


@cache
def national_holidays(year: int) -> dict[date, str]:
    """National holidays and cuti bersama of `year`, with Indonesian names."""
    days = holidays.country_holidays(
        "ID", categories=("public", "government"), language="id", years=year
    )
    return dict(days.items())


def _no_local_holidays() -> dict[date, str]:
    return {}


# Where the regency's own days off come from: `regions` provides them when it
# loads (this module knows no app); until then there are none.
_local_source: Callable[[], dict[date, str]] = _no_local_holidays


def read_local_holidays_from(source: Callable[[], dict[date, str]]) -> None:
    """Take the regency's own days off from `source` (called at most every TTL)."""
    global _local_source
    _local_source = source
    clear_local_cache()


def local_holidays() -> dict[date, str]:
    """The regency's own days off (from the database, cached briefly)."""
    now = time.monotonic()
    read_at = _local["at"]
    if read_at is None or now - float(read_at) > LOCAL_TTL_SECONDS:  # type: ignore[arg-type]
        _local["days"] = _local_source()
        _local["at"] = now
    return _local["days"]  # type: ignore[return-value]


def clear_local_cache() -> None:
    _local["at"] = None


def holiday_name(day: date) -> str | None:
    """Why `day` is a day off, or None when it is not a holiday (weekends aside)."""
    return local_holidays().get(day) or national_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int) -> date:
    """The date `n` working days after `start` (Friday + 1 = Monday).

    `start` itself need not be a working day: Saturday + 1 is Monday too.
    n = 0 gives `start` if it is a working day, else the next one.
    """
    if isinstance(start, datetime):
        raise TypeError("add_working_days takes a date; use due_at for datetimes")
    if n < 0:
        raise ValueError("n must be zero or more")
    day = start
    if n == 0:
        return day if is_working_day(day) else next_working_day(day)
    for _ in range(n):
        day = next_working_day(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days d with start < d <= end (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def due_at(start: datetime, n: int) -> datetime:
    """When something started at `start` is due after `n` working days.

    Started on a working day: the same clock time `n` working days later.
    Started on a weekend or holiday: the clock starts with the next working
    day, so the deadline is the end of the n-th working day after it.
    """
    tz = local_tz()
    local = start.astimezone(tz)
    if is_working_day(local.date()):
        day = add_working_days(local.date(), n)
        return datetime.combine(day, local.time(), tzinfo=tz)
    first = next_working_day(local.date())
    day = add_working_days(first, n - 1) if n > 0 else first
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
