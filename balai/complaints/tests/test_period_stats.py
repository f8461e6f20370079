"""complaints.stats over a period: counts, medians, and the reports behind each count."""

import datetime as dt

import pytest
from django.utils import timezone

from balai.complaints import stats
from balai.complaints.choices import Status, UnitKind
from balai.complaints.models import Complaint
from balai.lib import percentiles

pytestmark = pytest.mark.django_db

START = timezone.make_aware(dt.datetime(2026, 3, 1))
END = timezone.make_aware(dt.datetime(2026, 4, 1))


def _report(file_report, status, created, response_h=None, resolved_h=None, due_h=240, **kw):
    complaint, _code = file_report(**kw)
    hours = dt.timedelta(hours=1)
    Complaint.objects.filter(pk=complaint.pk).update(
        status=status,
        created_at=created,
        dispatched_at=created,
        first_response_at=created + response_h * hours if response_h is not None else None,
        resolved_at=created + resolved_h * hours if resolved_h is not None else None,
        resolution_due=created + due_h * hours,
        next_due=created + due_h * hours,
    )
    return complaint


def test_period_rows_count_what_matching_lists(cast, cats, file_report):
    day = START + dt.timedelta(days=2)
    _report(file_report, Status.RESOLVED, day, response_h=2, resolved_h=20)
    _report(file_report, Status.CLOSED, day, response_h=4, resolved_h=300)
    _report(file_report, Status.IN_PROGRESS, day, response_h=6, category=cats.garbage)
    _report(file_report, Status.REJECTED, day)
    _report(file_report, Status.RECEIVED, START - dt.timedelta(days=3))
    scope = Complaint.objects.all()

    figures = stats.period_figures(scope, START, END)
    assert (figures["received"], figures["resolved"], figures["on_time"]) == (4, 2, 1)
    assert (figures["late"], figures["rejected"]) == (1, 1)
    assert percentiles.hours(figures["median_response"]) == 4.0
    assert percentiles.hours(figures["median_resolution"]) == 160.0
    for measure in stats.PERIOD_MEASURES:
        assert stats.matching(scope, measure, START, END).count() == figures[measure]

    by_unit = stats.period_rows(scope, START, END, stats.UNIT)
    assert {(r["unit_kind"], r["agency"]): r["received"] for r in by_unit} == {
        (UnitKind.AGENCY, cast.agency.pk): 3,
        (UnitKind.AGENCY, cast.other_agency.pk): 1,
    }
    now = END + dt.timedelta(days=30)
    open_now = stats.open_rows(scope, now)[0]
    assert open_now["overdue"] == 2 == stats.matching(scope, "overdue", now=now).count()
    assert stats.unit_labels()[(UnitKind.AGENCY, cast.agency.pk)] == cast.agency.name
