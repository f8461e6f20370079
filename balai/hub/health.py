"""Live status: services with a health URL, probed by the cameras' probe engine.

`balai.cctv.probing` takes `Target`s and gives back `Result`s; a service is a
target with only a `health_url` (the engine's TCP check, then an HTTP GET:
an answer under 400 is up, anything else is down). A status changes only
after BALAI_HUB_FLAP_COUNT results in a row agree (balai.lib.damping), dated
from the first of them. Only changes are stored (`HealthChange`), from which
the entry page shows "since when" and the uptime of the last 30 days; each
change is published as a `service.down` or `service.up` event for agencies'
systems.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from balai.cctv.probing import DEFAULT_LIMITS, Limits, Result, Target, run_round
from balai.hub.choices import Health
from balai.hub.models import HealthChange, Service
from balai.lib import damping
from balai.lib.metrics import PROBE_ROUND_SECONDS
from balai.notifications import events


def probed():
    return Service.objects.exclude(health_url="").select_related("agency")


def target_for(service: Service) -> Target:
    return Target(key=str(service.pk), health_url=service.health_url)


def health_of(result: Result) -> str:
    """A service either answers its health URL or it does not: any problem is down."""
    return Health.DOWN if result.problems else Health.UP


def event_data(service: Service, change: HealthChange) -> dict:
    """What systems are told: the entry and its state, nothing about any person."""
    return {
        "service": service.slug,
        "name": service.name,
        "agency": service.agency.slug if service.agency else None,
        "health": change.health,
        "since": change.at.isoformat(),
        "detail": change.detail,
    }


def publish(service: Service, change: HealthChange) -> None:
    """Tell subscribed agencies' systems (the outbox, in this transaction):
    service.down / service.up."""
    events.publish(f"service.{change.health}", event_data(service, change), agency=service.agency)


DAMPED_FIELDS = ["health", "health_since", "pending_health", "pending_count", "pending_since"]


@transaction.atomic
def apply_result(service: Service, result: Result) -> HealthChange | None:
    """Record one probe result; the change it makes, if any."""
    service.health_checked_at = result.checked_at
    service.health_detail = result.detail[:300]
    moved = damping.step(
        service,
        health_of(result),
        result.checked_at,
        needed=settings.BALAI_HUB_FLAP_COUNT,
        unknown=Health.UNKNOWN,
        field="health",
    )
    change = None
    if moved is not None:
        old, new = moved
        assert service.health_since is not None  # set by the change
        change = HealthChange.objects.create(
            service=service, at=service.health_since, health=new, detail=service.health_detail
        )
        # The first "up" of a new entry is no news; a first "down" is.
        if old != Health.UNKNOWN or new == Health.DOWN:
            publish(service, change)
    fields = ["health_checked_at", "health_detail", *DAMPED_FIELDS]
    Service.objects.filter(pk=service.pk).update(**{f: getattr(service, f) for f in fields})
    return change


@dataclass
class Summary:
    services: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    changes: int = 0


def probe_services(services=None, limits: Limits | None = None) -> Summary:
    """One round over every service with a health URL."""
    started = time.perf_counter()
    chosen = list(services if services is not None else probed())
    by_key = {str(s.pk): s for s in chosen}
    results = run_round([target_for(s) for s in chosen], limits or DEFAULT_LIMITS) if chosen else []
    summary = Summary(services=len(chosen), counts={h: 0 for h in Health.values})
    for result in results:
        service = by_key[result.key]
        summary.changes += apply_result(service, result) is not None
        summary.counts[service.health] += 1
    PROBE_ROUND_SECONDS.labels("hub").observe(time.perf_counter() - started)
    return summary


def status_of(service: Service) -> dict:
    """For the entry page and the API: its state, since when, the 30-day uptime."""
    uptime = service.uptime(now=timezone.now())
    return {
        "health": service.health,
        "since": service.health_since,
        "checked_at": service.health_checked_at,
        "uptime": uptime,
        "uptime_percent": None if uptime is None else round(100 * uptime, 1),
    }
