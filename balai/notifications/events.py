"""The outbox of events other systems may subscribe to (webhooks, feeds).

Every service publishes through `publish`, inside the transaction of the
change it reports: the event row commits with the change or not at all.
The kinds live here, in one place; a payload carries public codes, states,
categories, units and times, never a person's name, contact or address.
After commit, a `balai.notifications.events.published` hook (set by the
webhooks app, which sits above) queues the fan-out.
"""

from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.notifications.models import Event


class Kind(models.TextChoices):
    COMPLAINT_DISPATCHED = "complaint.dispatched", _("Aduan didisposisikan")
    COMPLAINT_UPDATED = "complaint.updated", _("Aduan diperbarui")
    COMPLAINT_ESCALATED = "complaint.escalated", _("Aduan dieskalasi")
    LETTER_READY = "letter.ready", _("Surat siap diambil")
    CAMERA_DOWN = "camera.down", _("Kamera mati")
    CAMERA_UP = "camera.up", _("Kamera menyala kembali")
    SERVICE_DOWN = "service.down", _("Layanan tidak dapat diakses")
    SERVICE_UP = "service.up", _("Layanan pulih")


KINDS = frozenset(Kind.values)

# Called with the new event ids after the publishing transaction commits
# (registered by a higher layer, e.g. webhooks' fan-out).
_listeners: list[Callable[[list[int]], None]] = []


def on_published(listener: Callable[[list[int]], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def _announce(ids: list[int]) -> None:
    for listener in _listeners:
        listener(ids)


def _check(kind: str, data: dict) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}; declare it in notifications.events.Kind")
    if not isinstance(data, dict):
        raise TypeError("event data must be a dict")


def publish(kind: str, data: dict, *, village=None, agency=None) -> Event:
    """Record an event in the caller's transaction; announced once it commits."""
    _check(kind, data)
    event = Event.objects.create(
        kind=kind, data=data, village=village, agency=agency, created_at=timezone.now()
    )
    transaction.on_commit(lambda: _announce([event.pk]))
    return event


def publish_many(events: list[tuple[str, dict, Any, Any]]) -> list[Event]:
    """Several events at once: (kind, data, village, agency) each, one insert."""
    rows = []
    for kind, data, village, agency in events:
        _check(kind, data)
        rows.append(Event(kind=kind, data=data, village=village, agency=agency))
    created = Event.objects.bulk_create(rows, batch_size=500)
    ids = [e.pk for e in created if e.pk is not None]
    if ids:
        transaction.on_commit(lambda: _announce(ids))
    return created
