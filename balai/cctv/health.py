"""Probe round metrics for the health output (/readyz)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def summary() -> dict:
    from balai.cctv.models import Camera, Round

    last = Round.objects.order_by("-started_at").first()
    if last is None:
        return {"cameras": Camera.objects.counts(), "last_round": None}
    # Every shard of the newest round: those started within one round's time of it.
    window = dt.timedelta(seconds=settings.BALAI_CCTV_ROUND_SECONDS)
    shards = list(Round.objects.filter(started_at__gt=last.started_at - window))
    age = (timezone.now() - max(r.finished_at for r in shards)).total_seconds()
    return {
        "cameras": Camera.objects.counts(),
        "last_round": {
            "at": last.started_at.isoformat(),
            "seconds_ago": round(age, 1),
            "duration_seconds": round(max(r.duration for r in shards), 3),
            "shards": len(shards),
            "probed": sum(r.cameras for r in shards),
        },
    }


def prune(now=None) -> None:
    """Round rows older than a day go: they are metrics, not history."""
    from balai.cctv.models import Round

    now = now or timezone.now()
    Round.objects.filter(started_at__lt=now - dt.timedelta(days=1)).delete()
