"""Seconds per state per camera, per hour and per local day.

Each round credits the time since a camera's previous check to the state it
was in (at most MAX_GAP: longer gaps mean nobody was probing, and count as no
data). The current hour accrues on the camera row itself; when a round falls
in a new hour, the finished hour becomes one hourly row and is added to the
day's row. So a camera costs two rows per hour at most, whatever the rounds.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from balai.cctv.choices import DOWN_STATES, Period, State

# Looked up by the state as stored: a plain string.
BUCKETS: dict[str, str] = {State.UP: "up", State.DEGRADED: "degraded"}


def max_gap() -> dt.timedelta:
    return dt.timedelta(seconds=max(3 * settings.BALAI_CCTV_ROUND_SECONDS, 300))


def hour_of(when: dt.datetime) -> dt.datetime:
    return when.replace(minute=0, second=0, microsecond=0)


def day_of(hour: dt.datetime) -> dt.datetime:
    local = timezone.localtime(hour)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def bucket(state: str) -> str | None:
    if state in DOWN_STATES:
        return "down"
    return BUCKETS.get(state)


def accrue(camera, now: dt.datetime) -> None:
    """Credit the time since the camera's last check to its current state."""
    finished = camera.__dict__.setdefault("_finished_hours", [])
    previous = camera.last_checked_at
    name = bucket(camera.state)
    start = max(previous, now - max_gap()) if previous else now
    while True:
        hour = hour_of(start)
        if camera.accrual_hour != hour:
            if camera.accrual_hour and camera.accrued:
                finished.append((camera.accrual_hour, camera.accrued))
            camera.accrual_hour, camera.accrued = hour, {}
        if start >= now:
            return
        end = min(now, hour + dt.timedelta(hours=1))
        if name:
            camera.accrued[name] = camera.accrued.get(name, 0) + (end - start).total_seconds()
        start = end


def _seconds(accrued: dict, name: str) -> int:
    return min(3600, round(accrued.get(name, 0)))


def flush(cameras) -> None:
    """Write the hours `accrue` finished, and add them to their days."""
    from balai.cctv.models import CameraRollup

    hours: list[CameraRollup] = []
    days: dict[tuple[int, dt.datetime], list[int]] = {}  # (camera, day) -> up, degraded, down
    for camera in cameras:
        for hour, accrued in camera.__dict__.pop("_finished_hours", []):
            row = CameraRollup(
                camera_id=camera.pk,
                period=Period.HOUR,
                start=hour,
                up_seconds=_seconds(accrued, "up"),
                degraded_seconds=_seconds(accrued, "degraded"),
                down_seconds=_seconds(accrued, "down"),
            )
            hours.append(row)
            key = (camera.pk, day_of(hour))
            day = days.setdefault(key, [0, 0, 0])
            day[0] += row.up_seconds
            day[1] += row.degraded_seconds
            day[2] += row.down_seconds
    if not hours:
        return
    fields = ["up_seconds", "degraded_seconds", "down_seconds"]
    CameraRollup.objects.bulk_create(
        hours,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["camera", "period", "start"],
        update_fields=fields,
    )
    existing = {
        (r.camera_id, r.start): r
        for r in CameraRollup.objects.filter(
            period=Period.DAY,
            camera_id__in={k[0] for k in days},
            start__in={k[1] for k in days},
        )
    }
    rows = []
    for (camera_id, start), (up, degraded, down) in days.items():
        row = existing.get((camera_id, start)) or CameraRollup(
            camera_id=camera_id, period=Period.DAY, start=start
        )
        row.up_seconds += up
        row.degraded_seconds += degraded
        row.down_seconds += down
        rows.append(row)
    CameraRollup.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["camera", "period", "start"],
        update_fields=fields,
    )


def prune(now: dt.datetime | None = None) -> int:
    """Hourly rows past BALAI_CCTV_HOURLY_DAYS go; daily rows stay."""
    from balai.cctv.models import CameraRollup

    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.BALAI_CCTV_HOURLY_DAYS)
    deleted, _ = CameraRollup.objects.filter(period=Period.HOUR, start__lt=before).delete()
    return deleted
