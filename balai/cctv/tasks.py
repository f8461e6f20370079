"""Background work: probe rounds every BALAI_CCTV_ROUND_SECONDS, a daily digest.

The round keeps itself going, as complaints' escalation check does: each run
queues the next one (on the database backend, the one `balai serve` runs).
A round is split into shards of BALAI_CCTV_SHARD_SIZE cameras, one task each,
so several workers share the cameras.
"""

import datetime as dt
import math

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from balai.cctv import alerts, health, rollups, rounds
from balai.lib.tasks import on_interrupted, schedule_once

DIGEST_HOUR = 7  # local time


@task()
def probe_shard(shard: int, shards: int) -> dict:
    summary = rounds.probe_round(shard=shard, shards=shards)
    return {"cameras": summary.cameras, "counts": summary.counts, "alerts": summary.alerts}


def shard_count() -> int:
    from balai.cctv.models import Camera

    return max(1, math.ceil(Camera.objects.count() / settings.BALAI_CCTV_SHARD_SIZE))


@task()
def start_round() -> int:
    """Queue one task per shard, then the next round; returns the shard count."""
    shards = shard_count()
    for shard in range(shards):
        probe_shard.enqueue(shard, shards)
    health.prune()
    rollups.prune()
    schedule_once(start_round, dt.timedelta(seconds=settings.BALAI_CCTV_ROUND_SECONDS))
    return shards


@task()
def daily_digest() -> int:
    sent = alerts.send_digest()
    schedule_once(daily_digest, until_next_digest())
    return sent


def until_next_digest(now=None) -> dt.timedelta:
    local = timezone.localtime(now)
    due = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if due <= local:
        due += dt.timedelta(days=1)
    return due - local


def start() -> None:
    """Start both chains if they are not running (`balai probe-cameras` without --once)."""
    schedule_once(start_round, dt.timedelta(0))
    schedule_once(daily_digest, until_next_digest())


@on_interrupted(start_round, probe_shard, daily_digest)
def _resume(*_args) -> None:
    # The next round probes the interrupted shard's cameras again: restarting
    # the chains is enough (a shard that kills its worker must not loop).
    start()
