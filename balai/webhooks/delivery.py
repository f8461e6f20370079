"""From the outbox to the receivers: fan-out, then a dispatcher with retries.

`fan_out` turns each new event into one Delivery per subscription that wants
its kind and whose client reaches it (reach.py). `dispatch` runs in a task
worker: it claims due deliveries, keeps up to WINDOW requests in flight (at
most PER_ENDPOINT to one subscription and PER_FAILING_ENDPOINT to one that is
failing, so a hanging receiver holds two slots, never the others') and
records each answer as it arrives, in batches.
A failure is retried after 5 s, 5 min, 30 min, 2 h, 5 h and 10 h (about 18
hours in all), then given up. `410 Gone` switches the subscription off at
once; so does failing every attempt for DISABLE_AFTER.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets as random
import time
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from balai.accounts import audit
from balai.lib.faults import pause_point
from balai.notifications.models import Event
from balai.webhooks.choices import DeliveryStatus, DisabledReason
from balai.webhooks.models import Attempt, Delivery, Subscription
from balai.webhooks.reach import allowed_kinds, client_scopes, reaches
from balai.webhooks.sending import Outcome, Sender

RETRIES = [
    dt.timedelta(seconds=5),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
]
DISABLE_AFTER = dt.timedelta(hours=24)
WINDOW = 64
# Requests in flight to one subscription, per worker: a healthy one may use
# most of the window; one that is failing (a receiver that hangs) only two.
PER_ENDPOINT = 48
PER_FAILING_ENDPOINT = 2
# Claim in batches of at least this many free slots (each claim is two queries).
CLAIM_AT_LEAST = 8
FAN_OUT_BATCH = 500


# Fan-out ------------------------------------------------------------------------


def _wanted(subscriptions, event: Event) -> list[Subscription]:
    return [
        s
        for s in subscriptions
        if event.kind in s.kinds and event.kind in s.allowed and reaches(s.client.user, event)
    ]


def fan_out(limit: int = FAN_OUT_BATCH) -> tuple[int, int]:
    """Deliveries for up to `limit` events not fanned out yet: (events, deliveries)."""
    events = list(Event.objects.pending_fan_out()[:limit])
    if not events:
        return 0, 0
    subscriptions = list(Subscription.objects.active().select_related("client__user"))
    for subscription in subscriptions:
        subscription.allowed = allowed_kinds(
            subscription.client, client_scopes(subscription.client)
        )
    now = timezone.now()
    rows = [
        Delivery(subscription=s, event=e, next_attempt_at=now, created_at=now)
        for e in events
        for s in _wanted(subscriptions, e)
    ]
    with transaction.atomic():
        Delivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        Event.objects.filter(pk__in=[e.pk for e in events]).update(fanned_out_at=now)
    return len(events), len(rows)


# Dispatch -----------------------------------------------------------------------


def body_of(event: Event) -> bytes:
    """The payload: Standard Webhooks' {type, timestamp, data}."""
    at = event.created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    payload = {"type": event.kind, "timestamp": at, "data": event.data}
    return json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def timeout() -> float:
    return float(getattr(settings, "BALAI_WEBHOOKS_TIMEOUT", 10))


@dataclass
class Run:
    """One dispatcher run's state: what is in flight and what waits to be saved."""

    sender: Sender
    claim: str = field(default_factory=lambda: random.token_hex(8))
    in_flight: dict = field(default_factory=dict)  # future -> Delivery
    per_endpoint: dict = field(default_factory=dict)  # subscription id -> count
    finished: list = field(default_factory=list)  # (Delivery, Outcome)
    secrets: dict = field(default_factory=dict)  # subscription id -> (values, until)
    endpoints: list = field(default_factory=list)  # (subscription id, failing since)
    endpoints_until: float = 0.0
    sent: int = 0


def _signing_secrets(run: Run, subscription: Subscription) -> list[str]:
    cached = run.secrets.get(subscription.pk)
    now = time.monotonic()
    if cached is None or cached[1] < now:
        values = [s.value for s in subscription.secrets.signing()]
        cached = run.secrets[subscription.pk] = ([v for v in values if v], now + 30)
    return cached[0]


def _claim(run: Run, free: int, *, healthy_only: bool = False) -> list[Delivery]:
    """Up to `free` due deliveries, marked as this run's so no other worker sends them.

    Taken per subscription (the least busy first), each up to its cap: the
    oldest due rows may all be one hanging receiver's, and must not stand in
    front of everyone else's.
    """
    now = timezone.now()
    due = Delivery.objects.due(now)
    if run.endpoints_until < time.monotonic():
        run.endpoints = list(Subscription.objects.active().values_list("pk", "failing_since"))
        run.endpoints_until = time.monotonic() + 2
    chosen: list[int] = []
    for subscription_id, failing_since in sorted(
        run.endpoints, key=lambda e: run.per_endpoint.get(e[0], 0)
    ):
        if healthy_only and failing_since is not None:
            continue
        cap = PER_ENDPOINT if failing_since is None else PER_FAILING_ENDPOINT
        room = min(cap - run.per_endpoint.get(subscription_id, 0), free - len(chosen))
        if room > 0:
            rows = due.filter(subscription_id=subscription_id).order_by("next_attempt_at", "pk")
            chosen.extend(rows.values_list("pk", flat=True)[:room])
    if not chosen:
        return []
    until = now + dt.timedelta(seconds=timeout() + 60)
    Delivery.objects.due(now).filter(pk__in=chosen).update(claim=run.claim, claimed_until=until)
    return list(
        Delivery.objects.filter(pk__in=chosen, claim=run.claim, claimed_until=until).select_related(
            "event", "subscription"
        )
    )


def _start(run: Run, delivery: Delivery) -> None:
    from balai.webhooks.signing import headers

    body = body_of(delivery.event)
    signing = _signing_secrets(run, delivery.subscription)
    sent_headers = headers(signing, delivery.event.public_id, int(time.time()), body)
    future = run.sender.submit(delivery.subscription.url, sent_headers, body, timeout())
    run.in_flight[future] = delivery
    sid = delivery.subscription_id
    run.per_endpoint[sid] = run.per_endpoint.get(sid, 0) + 1


def _collect(run: Run, wait_for: float) -> None:
    if not run.in_flight:
        return
    done, _ = wait(list(run.in_flight), timeout=wait_for, return_when=FIRST_COMPLETED)
    for future in done:
        delivery = run.in_flight.pop(future)
        run.per_endpoint[delivery.subscription_id] -= 1
        run.finished.append((delivery, future.result()))


def _next_step(delivery: Delivery, outcome: Outcome, now) -> None:
    delivery.attempts += 1
    delivery.claim, delivery.claimed_until = "", None
    if outcome.ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.SUCCEEDED,
            now,
            None,
        )
    elif outcome.gone or delivery.attempts > len(RETRIES):
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_attempt_at = now + RETRIES[delivery.attempts - 1]


_STEP_FIELDS = ["status", "attempts", "next_attempt_at", "delivered_at", "claim", "claimed_until"]


def _save(run: Run) -> None:
    """Record the finished attempts in one transaction; update the endpoints' health."""
    if not run.finished:
        return
    now = timezone.now()
    finished, run.finished = run.finished, []
    attempts = []
    health: dict[int, list[Outcome]] = {}
    for delivery, outcome in finished:
        _next_step(delivery, outcome, now)
        attempts.append(
            Attempt(
                delivery=delivery,
                at=now,
                status_code=outcome.status_code,
                response_excerpt=outcome.excerpt,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
            )
        )
        health.setdefault(delivery.subscription_id, []).append(outcome)
    succeeded = [d.pk for d, o in finished if o.ok]
    pause_point("webhooks.dispatch.answered")
    with transaction.atomic():
        Attempt.objects.bulk_create(attempts)
        # The usual case in one statement; failures (few) one by one.
        Delivery.objects.filter(pk__in=succeeded).update(
            status=DeliveryStatus.SUCCEEDED,
            attempts=F("attempts") + 1,
            delivered_at=now,
            next_attempt_at=None,
            claim="",
            claimed_until=None,
        )
        for delivery, outcome in finished:
            if not outcome.ok:
                delivery.save(update_fields=_STEP_FIELDS)
        for subscription_id, outcomes in health.items():
            _endpoint_health(subscription_id, outcomes, now)
    run.sent += len(finished)


def _endpoint_health(subscription_id: int, outcomes: list[Outcome], now) -> None:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.disabled_at is not None:
        return
    if any(o.gone for o in outcomes):
        _disable(subscription, DisabledReason.GONE, now)
        return
    if outcomes[-1].ok:
        if subscription.failures or subscription.failing_since:
            Subscription.objects.filter(pk=subscription_id).update(failures=0, failing_since=None)
        return
    since = subscription.failing_since or now
    Subscription.objects.filter(pk=subscription_id).update(
        failures=F("failures") + len(outcomes), failing_since=since
    )
    if now - since >= DISABLE_AFTER:
        _disable(subscription, DisabledReason.FAILING, now)


def _disable(subscription: Subscription, reason: str, now) -> None:
    Subscription.objects.filter(pk=subscription.pk).update(disabled_at=now, disabled_reason=reason)
    audit.record("webhook_disabled", subscription, detail={"reason": reason})


def dispatch(budget: float = 25.0, sender: Sender | None = None) -> int:
    """Send what is due until nothing is, or `budget` seconds have passed; returns
    the attempts made. Requests still in flight at the end are awaited (each
    ends within its timeout)."""
    own = sender is None
    run = Run(sender=sender or Sender(connections=WINDOW))
    deadline = time.monotonic() + budget
    # Past the deadline, while the last slow requests finish, healthy receivers
    # are still served (no idle wait), until one timeout later at most.
    last_call = deadline + timeout()
    try:
        while True:
            free = WINDOW - len(run.in_flight)
            started = []
            now = time.monotonic()
            if free >= min(CLAIM_AT_LEAST, WINDOW) and now < last_call:
                started = _claim(run, free, healthy_only=now >= deadline)
                for delivery in started:
                    _start(run, delivery)
            if not run.in_flight:
                break
            _collect(run, 0.5)
            if len(run.finished) >= 50 or not started:
                _save(run)
        _save(run)
    finally:
        if own:
            run.sender.close()
    return run.sent


def next_due() -> dt.datetime | None:
    # A claim a killed worker left counts too: those deliveries are due when it expires.
    due = Greatest("next_attempt_at", Coalesce("claimed_until", "next_attempt_at"))
    found = (
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, subscription__disabled_at__isnull=True
        )
        .annotate(due=due)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )
    return found
