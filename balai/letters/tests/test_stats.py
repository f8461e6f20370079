"""letters.stats: figures of a period from the database, and the rows behind them."""

import datetime as dt

import pytest
from django.utils import timezone

from balai.letters import stats
from balai.letters.choices import RequestStatus, Step
from balai.letters.models import Letter, LetterRequest, RequestStep
from balai.lib import percentiles

pytestmark = pytest.mark.django_db

START = timezone.make_aware(dt.datetime(2026, 3, 1))
END = timezone.make_aware(dt.datetime(2026, 4, 1))


def _request(world, status, submitted, hours_to_letter=None, due_hours=72, returned=False):
    req = LetterRequest.objects.create(
        village=world.village_a,
        letter_type=world.domisili,
        resident=world.siti,
        purpose="uji",
        status=status,
        submitted_at=submitted,
        due_at=submitted + dt.timedelta(hours=due_hours),
    )
    if hours_to_letter is not None:
        n = Letter.objects.count() + 1
        Letter.objects.create(
            request=req,
            village=req.village,
            letter_type=req.letter_type,
            number=f"470/{n}",
            year=2026,
            sequence=n,
            sha256="0" * 64,
            issued_at=submitted + dt.timedelta(hours=hours_to_letter),
            signed_by=world.head_a,
            signer_name="Kades",
            signer_position="Kepala Desa",
            resident_name="Siti",
        )
    if returned:
        RequestStep.objects.create(request=req, step=Step.RETURNED, at=submitted)
    return req


def test_period_figures_and_the_rows_behind_them(world):
    day = START + dt.timedelta(days=3)
    _request(world, RequestStatus.COLLECTED, day, hours_to_letter=10)
    _request(world, RequestStatus.READY, day, hours_to_letter=100, returned=True)
    _request(world, RequestStatus.READY, day, hours_to_letter=20)
    _request(world, RequestStatus.REJECTED, day)
    _request(world, RequestStatus.SUBMITTED, day, due_hours=1)
    _request(world, RequestStatus.SUBMITTED, START - dt.timedelta(days=1))  # before the period
    requests = LetterRequest.objects.all()

    figures = stats.period_figures(requests, START, END)
    assert figures["submitted"] == 5
    assert figures["issued"] == 3
    assert figures["returned"] == 1
    assert figures["rejected"] == 1
    assert figures["within_sla"] == 2
    assert figures["late"] == 1
    assert percentiles.hours(figures["median_ready"]) == 20.0
    assert percentiles.hours(figures["p90_ready"]) == 84.0  # 20 + 0.8 * (100 - 20)
    for measure in stats.MEASURES:
        rows = stats.matching(requests, measure, START, END)
        assert rows.count() == figures[measure], measure

    backlog = stats.backlog_rows(requests, now=END)[0]
    assert backlog[RequestStatus.SUBMITTED] == 2
    assert backlog["overdue"] == 2
    assert stats.matching(requests, "overdue", now=END).count() == 2

    by_type = stats.period_rows(requests, START, END, ("letter_type",))
    assert [(r["letter_type"], r["submitted"]) for r in by_type] == [(world.domisili.pk, 5)]
    chart = stats.per_bucket(requests, START, END, "month")
    assert [n for _bucket, _type, n in chart] == [5]


def test_percentile_matches_postgresql_definition():
    values = [dt.timedelta(hours=h) for h in (1, 2, 3, 4)]
    assert percentiles.percentile(values, 0.5) == dt.timedelta(hours=2.5)
    assert percentiles.percentile(values, 0.9) == dt.timedelta(hours=3.7)
    assert percentiles.percentile([], 0.5) is None
