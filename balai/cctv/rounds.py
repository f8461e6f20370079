"""One probe round: cameras to Targets, the engine's run_round, results to states.

A round may be split into shards (one task each) so that several workers
share the cameras; a site's cameras always fall in the same shard, since a
site's state is judged from all of them together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Mod
from django.utils import timezone

from balai.cctv import alerts, crypto
from balai.cctv.choices import State
from balai.cctv.models import Camera, Round
from balai.cctv.probing import DEFAULT_LIMITS, Limits, Result, Target, run_round
from balai.cctv.state import SITE_PREFIX, apply_results
from balai.lib.faults import pause_point

log = logging.getLogger(__name__)


def cameras_in_shard(shard: int = 0, shards: int = 1, village: str | None = None):
    cameras = Camera.objects.select_related("site")
    if village:
        cameras = cameras.filter(village_id=village)
    if shards > 1:
        group = Case(When(site__isnull=False, then=F("site_id")), default=F("pk"))
        cameras = cameras.annotate(
            shard=Mod(group, Value(shards), output_field=IntegerField())
        ).filter(shard=shard)
    return cameras.order_by("pk")


def target_for(camera: Camera) -> Target:
    try:
        username, password = crypto.decrypt(camera.credentials)
    except crypto.CredentialError:
        # Probing without them shows "wrong credentials" rather than stopping the round.
        log.warning("camera %s: credentials cannot be decrypted", camera.public_id)
        username = password = ""
    return Target(
        key=str(camera.public_id),
        rtsp_url=camera.rtsp_url or None,
        onvif_url=camera.onvif_url or None,
        snapshot_url=camera.snapshot_url or None,
        hls_url=camera.hls_url or None,
        username=username or None,
        password=password or None,
        previous_fingerprint=camera.fingerprint or None,
    )


def site_targets(cameras: list[Camera]) -> list[Target]:
    sites = {c.site_id: c.site for c in cameras if c.site and c.site.host}
    return [
        Target(key=f"{SITE_PREFIX}{site.public_id}", host=site.host, port=site.port or 80)
        for site in sites.values()
    ]


def reachable(camera: Camera) -> bool:
    return any(
        urlsplit(url).hostname
        for url in (camera.rtsp_url, camera.onvif_url, camera.snapshot_url, camera.hls_url)
        if url
    )


@dataclass
class Summary:
    cameras: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    events: int = 0
    alerts: int = 0


def probe_round(
    *,
    shard: int = 0,
    shards: int = 1,
    village: str | None = None,
    limits: Limits | None = None,
    on_result: Callable[[Result], None] | None = None,
) -> Summary:
    """Probe one shard's cameras (and their sites' routers), record what was found."""
    started = timezone.now()
    cameras = [c for c in cameras_in_shard(shard, shards, village) if reachable(c)]
    targets = [target_for(c) for c in cameras] + site_targets(cameras)
    results = run_round(targets, limits or DEFAULT_LIMITS, on_result) if targets else []
    pause_point("cctv.round.probed")
    applied = apply_results(results)
    alerts.reconcile(applied.cameras, applied.sites)
    sent = alerts.send_due()
    finished = timezone.now()
    counts = {state: 0 for state in State.values}
    for camera in applied.cameras:
        counts[camera.state] += 1
    Round.objects.create(
        started_at=started,
        finished_at=finished,
        shard=shard,
        shards=shards,
        cameras=len(applied.cameras),
        counts=counts,
    )
    return Summary(
        cameras=len(applied.cameras),
        seconds=(finished - started).total_seconds(),
        counts=counts,
        events=len(applied.events),
        alerts=sent,
    )
