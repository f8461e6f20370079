"""Subscriptions: made, re-targeted, their secret rotated, switched off and on;
deliveries replayed. One transaction and one audit row each."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.accounts import audit
from balai.accounts.models import ApiClient
from balai.webhooks import guard
from balai.webhooks.choices import DeliveryStatus
from balai.webhooks.models import Delivery, Secret, Subscription
from balai.webhooks.reach import allowed_kinds

SECRET_OVERLAP = dt.timedelta(hours=24)


def check_target(url: str) -> None:
    try:
        guard.check_target(url)
    except guard.Refused as error:
        raise ValidationError(
            {"url": _("Alamat penerima ditolak: %(why)s.") % {"why": error}}
        ) from error


def check_kinds(client: ApiClient, kinds) -> list[str]:
    kinds = sorted(set(kinds))
    refused = set(kinds) - allowed_kinds(client)
    if not kinds:
        raise ValidationError({"kinds": _("Pilih sedikitnya satu jenis peristiwa.")})
    if refused:
        raise ValidationError(
            {
                "kinds": _("Cakupan klien ini tidak mencakup: %(kinds)s.")
                % {"kinds": ", ".join(sorted(refused))}
            }
        )
    return kinds


def create_subscription(
    client: ApiClient, url: str, kinds, *, by=None, description: str = ""
) -> tuple[Subscription, str]:
    """A new subscription and its secret's value (shown this once)."""
    kinds = check_kinds(client, kinds)
    check_target(url)
    with transaction.atomic():
        subscription = Subscription.objects.create(
            client=client, url=url, kinds=kinds, description=description
        )
        secret, value = Secret.new(subscription)
        secret.save()
        audit.record(
            "webhook_subscribed",
            subscription,
            user=by,
            detail={"client": client.name, "url": url, "kinds": kinds},
        )
    return subscription, value


def change_subscription(subscription: Subscription, *, url=None, kinds=None, by=None):
    if url is not None:
        check_target(url)
        subscription.url = url
    if kinds is not None:
        subscription.kinds = check_kinds(subscription.client, kinds)
    with transaction.atomic():
        subscription.save(update_fields=["url", "kinds"])
        audit.record(
            "webhook_changed",
            subscription,
            user=by,
            detail={"url": subscription.url, "kinds": subscription.kinds},
        )
    return subscription


def rotate_secret(subscription: Subscription, *, by=None, overlap=SECRET_OVERLAP) -> str:
    """A new secret; the ones before it keep signing beside it for `overlap`."""
    now = timezone.now()
    with transaction.atomic():
        subscription.secrets.signing(now).filter(expires_at__isnull=True).update(
            expires_at=now + overlap
        )
        secret, value = Secret.new(subscription)
        secret.save()
        audit.record(
            "webhook_secret_rotated",
            subscription,
            user=by,
            detail={"old_until": (now + overlap).isoformat()},
        )
    return value


def disable(subscription: Subscription, reason: str, *, by=None, detail=None) -> None:
    with transaction.atomic():
        subscription.disabled_at = timezone.now()
        subscription.disabled_reason = reason
        subscription.save(update_fields=["disabled_at", "disabled_reason"])
        audit.record(
            "webhook_disabled", subscription, user=by, detail={"reason": reason, **(detail or {})}
        )


def enable(subscription: Subscription, *, by=None) -> None:
    """Switch back on; deliveries that waited resume, their schedule restarted."""
    check_target(subscription.url)
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(
            disabled_at=None, disabled_reason="", failures=0, failing_since=None
        )
        subscription.refresh_from_db()
        subscription.deliveries.filter(status=DeliveryStatus.PENDING).update(
            next_attempt_at=timezone.now()
        )
        audit.record("webhook_enabled", subscription, user=by)


def replay(delivery: Delivery, *, by=None) -> Delivery:
    """Send again now (same webhook-id: receivers de-duplicate on it), with a fresh
    schedule of retries."""
    if not delivery.subscription.is_active:
        raise ValidationError(_("Langganan ini dimatikan; nyalakan dulu."))
    with transaction.atomic():
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.claim, delivery.claimed_until = "", None
        delivery.save(
            update_fields=["status", "attempts", "next_attempt_at", "claim", "claimed_until"]
        )
        audit.record(
            "webhook_replayed", delivery, user=by, detail={"event": delivery.event.public_id}
        )
    transaction.on_commit(_deliver_soon)
    return delivery


def _deliver_soon() -> None:
    from balai.webhooks.tasks import deliver_due

    deliver_due.enqueue()
