"""Subscriptions of API clients to Balai's events, and their deliveries.

A subscription names a client (its reach is its service user's), the event
kinds it wants, an HTTPS (or, where allowed, HTTP) URL and its signing
secrets. A delivery is one event for one subscription; each attempt to send
it is one Attempt row (status, an excerpt of the answer, the duration).
"""

import base64
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.access import is_active_staff
from balai.accounts.choices import Role
from balai.accounts.models import ApiClient
from balai.lib.sealing import seal, unseal
from balai.notifications.models import Event
from balai.webhooks.choices import DeliveryStatus, DisabledReason

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SEALING = b"balai.webhooks.secret:"


class RegencyAdminQuerySet(models.QuerySet):
    """Integration is the regency's: its admin reads every row (clients of agencies
    have no village), nobody else any."""

    def for_user(self, user):
        if is_active_staff(user) and user.role == Role.REGENCY_ADMIN:
            return self.all()
        return self.none()


class SubscriptionQuerySet(RegencyAdminQuerySet):
    def active(self):
        return self.filter(disabled_at__isnull=True)


class Subscription(models.Model):
    client = models.ForeignKey(ApiClient, models.CASCADE, related_name="subscriptions")
    url = models.URLField(_("alamat penerima"), max_length=500)
    kinds = models.JSONField(_("jenis peristiwa"), default=list)
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    disabled_at = models.DateTimeField(_("dimatikan"), null=True, blank=True)
    disabled_reason = models.CharField(
        _("alasan dimatikan"), max_length=10, choices=DisabledReason.choices, blank=True
    )
    # Since when every attempt failed (None: the last one succeeded).
    failing_since = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(_("gagal berturut-turut"), default=0)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["client__name", "pk"]
        verbose_name = _("langganan webhook")
        verbose_name_plural = _("langganan webhook")

    def __str__(self) -> str:
        return f"{self.client} → {self.url}"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


def new_secret_value() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class SecretQuerySet(models.QuerySet):
    def signing(self, now=None):
        """The secrets that sign now: the current one and any still in its overlap."""
        now = now or timezone.now()
        return self.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class Secret(models.Model):
    """A signing secret, sealed at rest; shown once when made."""

    subscription = models.ForeignKey(Subscription, models.CASCADE, related_name="secrets")
    sealed = models.TextField()
    hint = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when replaced: it keeps signing until then, beside the new one.
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = SecretQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.hint}…"

    @classmethod
    def new(cls, subscription) -> tuple["Secret", str]:
        value = new_secret_value()
        secret = cls(subscription=subscription, hint=value[:10])
        secret.sealed = seal(value, SEALING)
        return secret, value

    @property
    def value(self) -> str:
        return unseal(self.sealed, SEALING)


class DeliveryQuerySet(RegencyAdminQuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
            subscription__disabled_at__isnull=True,
        ).filter(models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now))


class Delivery(models.Model):
    subscription = models.ForeignKey(Subscription, models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A worker's claim while it sends (so two workers never send one delivery at once).
    claim = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    delivered_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="one_delivery_per_event")
        ]
        indexes = [
            # The dispatcher takes each subscription's due deliveries in turn.
            models.Index(
                fields=["subscription", "next_attempt_at"],
                name="webhooks_delivery_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"


class Attempt(models.Model):
    """One try: the answer's status and its first bytes, or what went wrong."""

    delivery = models.ForeignKey(Delivery, models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("kode jawaban"), null=True, blank=True)
    response_excerpt = models.CharField(_("cuplikan jawaban"), max_length=500, blank=True)
    error = models.CharField(_("galat"), max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"), default=0)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
