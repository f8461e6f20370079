"""Outgoing messages to residents and staff, one row per message and channel."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.access import VillageScopedQuerySet
from balai.accounts.choices import Role
from balai.notifications.choices import Channel, Status
from balai.notifications.sealing import seal, unseal


class NotificationQuerySet(VillageScopedQuerySet):
    # Residents' contacts: no page shows them; the regency admin answers for them.
    readers = (Role.REGENCY_ADMIN,)

    def due_for_pruning(self, before):
        return self.filter(created_at__lt=before).exclude(status=Status.QUEUED)


class Notification(models.Model):
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("penerima"), max_length=254)
    subject = models.CharField(_("subjek"), max_length=200, blank=True)
    # The body sealed (notifications.sealing) until sent or given up, then erased.
    sealed_body = models.TextField(_("isi (tersegel)"), blank=True)
    # The event's key as a digest: makes a retried `notify` for the same event a no-op.
    key = models.CharField(max_length=200, unique=True)
    village = models.ForeignKey(
        "regions.Village", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("kesalahan"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")

    def __str__(self) -> str:
        return f"{self.channel} {self.subject}"

    @property
    def body(self) -> str:
        return unseal(self.sealed_body)

    @body.setter
    def body(self, text: str) -> None:
        self.sealed_body = seal(text)

    def erase_body(self) -> None:
        """Once sent or given up: nothing left to read, whatever the key."""
        self.sealed_body = ""


class EventQuerySet(VillageScopedQuerySet):
    # The outbox, read through webhooks' subscriptions and the regency admin's pages.
    readers = (Role.REGENCY_ADMIN,)

    def after(self, cursor: int):
        """Events after the cursor (an event id), oldest first."""
        return self.filter(pk__gt=cursor).order_by("pk")

    def pending_fan_out(self):
        return self.filter(fanned_out_at__isnull=True).order_by("pk")


class Event(models.Model):
    """Something other systems may want to hear about: the outbox of Balai's events.

    Written by `notifications.events.publish` inside the change's own
    transaction, so an event exists if and only if the change committed. The
    id grows with each event and serves as a cursor. `data` holds codes,
    states, categories, units and times, never a person's data.
    """

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(_("jenis"), max_length=40, db_index=True)
    data = models.JSONField(_("data peristiwa"), default=dict)
    village = models.ForeignKey(
        "regions.Village", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    # Set once the webhooks fan-out has queued its deliveries.
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("peristiwa")
        verbose_name_plural = _("peristiwa")
        indexes = [
            models.Index(
                fields=["id"], name="notif_event_pending", condition=Q(fanned_out_at=None)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def public_id(self) -> str:
        """The id receivers see (Standard Webhooks' webhook-id)."""
        return f"evt_{self.pk}"
