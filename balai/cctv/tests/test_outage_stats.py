"""Longest outages of a period, measured inside the period, in the database."""

import datetime as dt

import pytest
from django.utils import timezone

from balai.cctv.models import Outage

pytestmark = pytest.mark.django_db


def test_longest_outages_are_clipped_to_the_period(cams):
    start = timezone.make_aware(dt.datetime(2026, 3, 1))
    end = timezone.make_aware(dt.datetime(2026, 4, 1))
    now = end + dt.timedelta(days=5)
    hours = dt.timedelta(hours=1)
    # 10 h inside the period (started 20 h before it); 5 h inside; open for the last 48 h.
    long_before = Outage.objects.create(camera=cams.gate, kind="down", since=start - 20 * hours)
    long_before.ended_at = start + 10 * hours
    long_before.save()
    Outage.objects.create(
        camera=cams.market, kind="down", since=start + 50 * hours, ended_at=start + 55 * hours
    )
    Outage.objects.create(camera=cams.field, kind="down", since=end - 48 * hours)
    Outage.objects.create(
        camera=cams.other, kind="down", since=start - 50 * hours, ended_at=start - 40 * hours
    )
    found = list(Outage.objects.longest(start, end, now))
    assert [(o.camera_id, o.within) for o in found] == [
        (cams.field.pk, 48 * hours),
        (cams.gate.pk, 10 * hours),
        (cams.market.pk, 5 * hours),
    ]
    assert Outage.objects.overlapping(start, end).count() == 3
