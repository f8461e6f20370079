"""/api/v1/webhooks: an API client manages its own subscriptions, reads their
delivery log, replays a delivery and reads the event feed it may hear of.

Needs a token of an API client with the `webhooks` scope. A secret is in the
answer that creates it (or rotates it) and never again.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from balai.accounts.api_auth import TokenAuth, require_scope
from balai.accounts.choices import Scope
from balai.lib.listparams import MAX_LIMIT
from balai.lib.problems import Problem
from balai.notifications.events import Kind
from balai.notifications.models import Event
from balai.webhooks import actions
from balai.webhooks.choices import DeliveryStatus
from balai.webhooks.models import Delivery, Subscription
from balai.webhooks.reach import allowed_kinds, reach_filter

router = Router(tags=["webhooks"], auth=TokenAuth())
MAX_ID = 2**62


class SubscriptionIn(Schema):
    url: str = Field(max_length=500, examples=["https://sistem.dinas.example.go.id/balai/webhook"])
    kinds: list[Kind] = Field(min_length=1, max_length=len(Kind.values))
    description: str = Field("", max_length=200)


class SubscriptionChange(Schema):
    url: str | None = Field(None, max_length=500)
    kinds: list[Kind] | None = Field(None, min_length=1, max_length=len(Kind.values))


class SubscriptionOut(Schema):
    id: int
    url: str
    kinds: list[str]
    description: str
    active: bool
    disabled_reason: str
    failures: int


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="whsec_… shown this once; keep it to verify signatures")


class SecretOut(Schema):
    secret: str = Field(description="The new whsec_ secret; the old one signs beside it for 24 h")


class WebhookDeliveryOut(Schema):
    id: int
    event: str = Field(description="The webhook-id, evt_<event id>")
    kind: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    last_status_code: int | None
    last_error: str


class OutboxEventOut(Schema):
    id: int = Field(description="Cursor: pass the last one seen as `after`")
    type: str
    timestamp: dt.datetime
    data: dict


class Cursor(Schema):
    after: int = Field(0, ge=0, le=MAX_ID)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


def _client(request):
    require_scope(request, Scope.WEBHOOKS)
    client = getattr(request.user, "api_client", None)
    if client is None:
        raise Problem(403, _("Hanya aplikasi klien yang berlangganan peristiwa."))
    return client


def _subscription_out(s: Subscription) -> dict:
    return {
        "id": s.pk,
        "url": s.url,
        "kinds": s.kinds,
        "description": s.description,
        "active": s.is_active,
        "disabled_reason": s.disabled_reason,
        "failures": s.failures,
    }


def _delivery_out(d: Delivery) -> dict:
    last = d.attempt_log.first()
    return {
        "id": d.pk,
        "event": d.event.public_id,
        "kind": d.event.kind,
        "status": d.status,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "delivered_at": d.delivered_at,
        "last_status_code": last.status_code if last else None,
        "last_error": last.error if last else "",
    }


def _refused(error: ValidationError) -> Problem:
    return Problem(422, _("Data tidak valid"), detail="; ".join(error.messages))


@router.get("/webhooks/subscriptions", response=list[SubscriptionOut], summary="Langganan klien")
def list_subscriptions(request):
    return [_subscription_out(s) for s in _client(request).subscriptions.all()]


@router.post(
    "/webhooks/subscriptions",
    response={201: SubscriptionCreated},
    summary="Berlangganan peristiwa",
    description="The URL must be https on a public address; the secret is shown once.",
)
def create_subscription(request, body: SubscriptionIn):
    client = _client(request)
    try:
        subscription, secret = actions.create_subscription(
            client, body.url, body.kinds, by=request.user, description=body.description
        )
    except ValidationError as error:
        raise _refused(error) from error
    return Status(201, {**_subscription_out(subscription), "secret": secret})


def _own(request, pk: int) -> Subscription:
    return get_object_or_404(Subscription, pk=pk, client=_client(request))


@router.patch(
    "/webhooks/subscriptions/{pk}", response=SubscriptionOut, summary="Ubah alamat atau jenis"
)
def change_subscription(request, pk: int, body: SubscriptionChange):
    subscription = _own(request, pk)
    try:
        actions.change_subscription(subscription, url=body.url, kinds=body.kinds, by=request.user)
    except ValidationError as error:
        raise _refused(error) from error
    return _subscription_out(subscription)


@router.post(
    "/webhooks/subscriptions/{pk}/rotate-secret", response=SecretOut, summary="Ganti rahasia"
)
def rotate_secret(request, pk: int):
    return {"secret": actions.rotate_secret(_own(request, pk), by=request.user)}


@router.post(
    "/webhooks/subscriptions/{pk}/enable", response=SubscriptionOut, summary="Nyalakan kembali"
)
def enable_subscription(request, pk: int):
    subscription = _own(request, pk)
    try:
        actions.enable(subscription, by=request.user)
    except ValidationError as error:
        raise _refused(error) from error
    return _subscription_out(subscription)


@router.delete("/webhooks/subscriptions/{pk}", response={204: None}, summary="Matikan langganan")
def disable_subscription(request, pk: int):
    subscription = _own(request, pk)
    if subscription.is_active:
        actions.disable(subscription, "manual", by=request.user)
    return Status(204, None)


@router.get(
    "/webhooks/subscriptions/{pk}/deliveries",
    response=list[WebhookDeliveryOut],
    summary="Log pengiriman, terbaru dulu",
    description="Pass the smallest id seen as `before` for the next page.",
)
def list_deliveries(
    request,
    pk: int,
    before: int = Query(MAX_ID, ge=1, le=MAX_ID),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
):
    found = _own(request, pk).deliveries.filter(pk__lt=before).select_related("event")
    return [_delivery_out(d) for d in found.order_by("-pk")[:limit]]


@router.post("/webhooks/deliveries/{pk}/replay", response=WebhookDeliveryOut, summary="Kirim ulang")
def replay_delivery(request, pk: int):
    found = get_object_or_404(
        Delivery.objects.select_related("event", "subscription"),
        pk=pk,
        subscription__client=_client(request),
    )
    try:
        actions.replay(found, by=request.user)
    except ValidationError as error:
        raise _refused(error) from error
    return _delivery_out(found)


@router.get(
    "/webhooks/events",
    response=list[OutboxEventOut],
    summary="Peristiwa yang boleh didengar klien",
    description="Oldest first; pass the last id seen as `after` (a cursor, for polling).",
)
def event_feed(request, cursor: Query[Cursor]):
    client = _client(request)
    events = Event.objects.after(cursor.after).filter(
        reach_filter(client.user), kind__in=allowed_kinds(client)
    )
    return [
        {"id": e.pk, "type": e.kind, "timestamp": e.created_at, "data": e.data}
        for e in events[: cursor.limit]
    ]
