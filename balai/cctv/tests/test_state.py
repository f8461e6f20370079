import datetime as dt

import time_machine
from django.utils import timezone

from balai.cctv.choices import EventKind, Period, State
from balai.cctv.models import Camera, CameraEvent, CameraRollup, Outage
from balai.cctv.state import apply_results
from balai.cctv.tests.conftest import result

T0 = dt.datetime(2026, 12, 5, 3, 0, 10, tzinfo=dt.UTC)


def rnd(cameras_problems, at):
    with time_machine.travel(at, tick=False):
        apply_results([result(c, *p, at=at) for c, p in cameras_problems])


def refreshed(camera):
    return Camera.objects.get(pk=camera.pk)


def test_the_first_result_sets_the_state_then_changes_need_consecutive_results(cams, settings):
    settings.BALAI_CCTV_FLAP_COUNT = 2
    rnd([(cams.field, [])], T0)
    assert refreshed(cams.field).state == State.UP
    rnd([(cams.field, ["unreachable"])], T0 + dt.timedelta(seconds=30))
    camera = refreshed(cams.field)
    assert camera.state == State.UP and camera.pending_state == State.DOWN
    # A flap back to up forgets the pending down.
    rnd([(cams.field, [])], T0 + dt.timedelta(seconds=60))
    assert refreshed(cams.field).pending_count == 0
    rnd([(cams.field, ["unreachable"])], T0 + dt.timedelta(seconds=90))
    rnd([(cams.field, ["unreachable"])], T0 + dt.timedelta(seconds=120))
    camera = refreshed(cams.field)
    assert camera.state == State.DOWN
    assert camera.state_since == T0 + dt.timedelta(seconds=90)  # the first bad result
    assert "tidak dapat dihubungi" in camera.problem_text
    [event] = CameraEvent.objects.filter(camera=camera)
    assert (event.kind, event.from_state, event.to_state) == (EventKind.DOWN, "up", "down")


def test_auth_failure_and_a_frozen_picture_are_degraded_not_down(cams):
    rnd([(cams.field, ["auth_failed"]), (cams.other, ["frozen"])], T0)
    assert refreshed(cams.field).state == State.DEGRADED
    assert refreshed(cams.other).state == State.DEGRADED
    assert "membeku" in refreshed(cams.other).problem_text


def test_a_site_whose_cameras_all_answer_nothing_is_down_and_alone_raises_the_alert(cams):
    for n in range(3):
        at = T0 + dt.timedelta(seconds=30 * n)
        rnd([(cams.gate, ["unreachable"]), (cams.market, ["timeout"]), (cams.field, [])], at)
    assert refreshed(cams.gate).state == State.SITE_DOWN
    assert refreshed(cams.market).state == State.SITE_DOWN
    cams.site.refresh_from_db()
    assert cams.site.state == State.DOWN
    from balai.cctv import alerts

    alerts.reconcile(list(Camera.objects.all()), [cams.site], now=at)
    assert list(Outage.objects.values_list("site_id", "camera_id")) == [(cams.site.pk, None)]


def test_one_dead_camera_of_a_site_is_its_own_outage(cams):
    from balai.cctv import alerts

    for n in range(2):
        at = T0 + dt.timedelta(seconds=30 * n)
        rnd([(cams.gate, ["unreachable"]), (cams.market, [])], at)
    assert refreshed(cams.gate).state == State.DOWN
    alerts.reconcile([refreshed(cams.gate), refreshed(cams.market)], [cams.site], now=at)
    assert list(Outage.objects.values_list("camera_id", flat=True)) == [cams.gate.pk]


def test_time_accrues_to_hourly_and_daily_rollups_not_rows_per_probe(cams, settings):
    settings.BALAI_CCTV_FLAP_COUNT = 1
    start = dt.datetime(2026, 12, 5, 2, 50, tzinfo=dt.UTC)  # 09:50 WIB
    for n in range(41):  # 20 minutes of rounds every 30 s, crossing 10:00 WIB
        at = start + dt.timedelta(seconds=30 * n)
        rnd([(cams.field, ["unreachable"] if n >= 10 else [])], at)
    # Probing into the next hour closes 09:00-10:00 WIB.
    hour = CameraRollup.objects.get(camera=cams.field, period=Period.HOUR)
    assert hour.start == dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)
    assert (hour.up_seconds, hour.down_seconds) == (300, 300)
    day = CameraRollup.objects.get(camera=cams.field, period=Period.DAY)
    assert timezone.localtime(day.start).hour == 0
    assert (day.up_seconds, day.down_seconds) == (300, 300)
    assert CameraRollup.objects.count() == 2
    totals = CameraRollup.objects.filter(period=Period.DAY).totals("camera__village")
    assert [(r["camera__village"], r["up"], r["down"]) for r in totals] == [
        (cams.field.village_id, 300, 300)
    ]
