"""Working days: weekends, national holidays, cuti bersama and the regency's own days off."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from balai.lib.workdays import (
    add_working_days,
    due_at,
    holiday_name,
    is_working_day,
    working_days_between,
)

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def _db(db):
    from balai.lib.workdays import clear_local_cache

    clear_local_cache()
    yield
    clear_local_cache()


def test_a_friday_plus_one_working_day_is_monday():
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)


def test_a_weekend_day_plus_one_is_the_next_monday():
    assert add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)
    assert add_working_days(date(2026, 11, 29), 0) == date(2026, 11, 30)


def test_idul_fitri_and_its_cuti_bersama_are_skipped():
    # 2026: cuti bersama 20 March, Idul Fitri 21-22 March, cuti bersama 23-24 March.
    assert not is_working_day(date(2026, 3, 20))
    assert not is_working_day(date(2026, 3, 23))
    assert "Idul Fitri" in holiday_name(date(2026, 3, 21))
    assert add_working_days(date(2026, 3, 19), 1) == date(2026, 3, 25)  # Nyepi on the 19th too
    assert add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)


def test_regency_local_holidays_count_as_days_off():
    from balai.regions.models import LocalHoliday

    assert is_working_day(date(2026, 12, 15))
    LocalHoliday.objects.create(date=date(2026, 12, 15), name="Hari Jadi Lumajang (contoh)")
    assert not is_working_day(date(2026, 12, 15))
    assert add_working_days(date(2026, 12, 14), 1) == date(2026, 12, 16)


def test_working_days_between_counts_the_days_after_start_up_to_end():
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 27)) == 4
    assert working_days_between(date(2026, 11, 30), date(2026, 11, 27)) == -1
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 27)) == 0


def test_due_keeps_the_clock_time_in_the_regencys_time_zone():
    friday_afternoon = datetime(2026, 11, 27, 15, 30, tzinfo=WIB)
    due = due_at(friday_afternoon, 1)
    assert due == datetime(2026, 11, 30, 15, 30, tzinfo=WIB)
    assert due.utcoffset().total_seconds() == 7 * 3600


def test_due_of_something_received_on_a_weekend_is_the_end_of_the_nth_working_day():
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=WIB)
    assert due_at(saturday, 1) == datetime(2026, 12, 1, 0, 0, tzinfo=WIB)
    assert due_at(saturday, 3) == datetime(2026, 12, 3, 0, 0, tzinfo=WIB)


def test_due_accepts_utc_input():
    # 23:00 UTC Thursday is 06:00 Friday in Lumajang.
    thursday_utc = datetime(2026, 11, 26, 23, 0, tzinfo=ZoneInfo("UTC"))
    assert due_at(thursday_utc, 1) == datetime(2026, 11, 30, 6, 0, tzinfo=WIB)


def test_datetimes_are_refused_by_add_working_days():
    with pytest.raises(TypeError):
        add_working_days(datetime(2026, 11, 27, 12, 0, tzinfo=WIB), 1)


def test_local_holidays_are_read_on_a_machine_up_for_seconds(monkeypatch):
    """time.monotonic() counts from boot: a server started at boot reads them too."""
    from balai.lib import workdays
    from balai.regions.models import LocalHoliday

    LocalHoliday.objects.create(date=date(2026, 12, 15), name="Hari Jadi Lumajang (contoh)")
    workdays.clear_local_cache()
    monkeypatch.setattr(workdays.time, "monotonic", lambda: 12.0)  # twelve seconds after boot
    assert not is_working_day(date(2026, 12, 15))
