"""Outages and who hears of them.

A camera that is down or frozen, or a site that is down, has one open Outage.
When it has not been seen working for BALAI_CCTV_ALERT_MINUTES, and no
maintenance window covers it, its owner unit and the command center are told
once (the alerted_at update is conditional, and notification keys are
idempotent); when it ends, they are told it recovered. A camera unreachable
because its site is down raises no alert of its own: the site's is enough.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.accounts.choices import VILLAGE_ROLES, Role
from balai.cctv.choices import DOWN_STATES, OutageKind, State
from balai.cctv.models import Camera, MaintenanceWindow, Outage, Site


def outage_kind(camera: Camera) -> OutageKind | None:
    if camera.state == State.DOWN:
        return OutageKind.DOWN
    if camera.state == State.DEGRADED and "frozen" in camera.problems:
        return OutageKind.FROZEN
    return None


def _since(obj, kind) -> dt.datetime:
    if kind != OutageKind.FROZEN and obj.last_ok_at:
        return obj.last_ok_at
    return obj.state_since or timezone.now()


def _open(kind, since, **target) -> None:
    try:
        with transaction.atomic():
            Outage.objects.create(kind=kind, since=since, **target)
    except IntegrityError:
        pass  # another shard opened it a moment ago


def reconcile(cameras: list[Camera], sites: list[Site], now=None) -> None:
    """Open and close outages to match the states just recorded."""
    now = now or timezone.now()
    open_ = {
        (o.camera_id, o.site_id): o
        for o in Outage.objects.open().filter(camera__in=cameras)
        | Outage.objects.open().filter(site__in=sites)
    }
    for camera in cameras:
        kind = outage_kind(camera)
        outage = open_.get((camera.pk, None))
        if kind and outage is None:
            _open(kind, _since(camera, kind), camera=camera)
        elif outage is not None and kind is None and camera.state not in DOWN_STATES:
            end(outage, now)  # a camera behind a down site stays in its outage
    for site in sites:
        outage = open_.get((None, site.pk))
        if site.state == State.DOWN and outage is None:
            _open(OutageKind.SITE, _since(site, OutageKind.SITE), site=site)
        elif site.state != State.DOWN and outage is not None:
            end(outage, now)


def end(outage: Outage, now) -> None:
    outage.ended_at = now
    outage.save(update_fields=["ended_at"])
    if outage.alerted_at and not outage.recovery_sent_at:
        claimed = Outage.objects.filter(pk=outage.pk, recovery_sent_at=None).update(
            recovery_sent_at=now
        )
        if claimed:
            send(outage, recovered=True)


def in_maintenance(outage: Outage, now, windows=None) -> bool:
    windows = MaintenanceWindow.objects.covering(now) if windows is None else windows
    return any(w.applies_to(camera=outage.camera, site=outage.site) for w in windows)


def send_due(now=None) -> int:
    """Alert every open outage past the threshold and outside maintenance; once each."""
    now = now or timezone.now()
    threshold = now - dt.timedelta(minutes=settings.BALAI_CCTV_ALERT_MINUTES)
    due = Outage.objects.open().filter(alerted_at=None, since__lte=threshold)
    due = due.exclude(camera__state=State.SITE_DOWN)  # the site's alert says it
    due = due.select_related("camera__village", "camera__owner_agency", "site__village")
    windows = None
    sent = 0
    for outage in due:
        if windows is None:
            windows = MaintenanceWindow.objects.covering(now)
        if in_maintenance(outage, now, windows):
            continue
        if Outage.objects.filter(pk=outage.pk, alerted_at=None).update(alerted_at=now):
            send(outage, recovered=False)
            sent += 1
    return sent


# Who hears -------------------------------------------------------------------------


def owner_people(village_id, agency_id):
    from balai.accounts.models import User

    users = User.objects.filter(is_active=True, is_service=False)
    if agency_id:
        return users.filter(role=Role.AGENCY_STAFF, agency_id=agency_id)
    return users.filter(role__in=VILLAGE_ROLES, village_id=village_id)


def recipients(village_id, agency=None) -> list:
    from balai.accounts.models import User

    people = list(owner_people(village_id, agency.pk if agency else None))
    people += list(User.objects.filter(is_active=True, role=Role.COMMAND_CENTER))
    return list({p.pk: p for p in people}.values())


def _notify(people, *, key, subject, body, village, agency=None) -> None:
    from balai.notifications.actions import notify, notify_people

    notify_people(people, key=key, subject=subject, body=body, village=village)
    if agency is not None and agency.email:
        notify(key=f"{key}:agency", subject=subject, body=body, email=agency.email)


def staff_url(camera: Camera) -> str:
    return settings.SITE_URL + reverse("cctv:camera", args=[camera.public_id])


def send(outage: Outage, *, recovered: bool) -> None:
    when = timezone.localtime(outage.since)
    if outage.site is not None:
        site = outage.site
        village, agency = site.village, None
        what = _("Situs %(site)s (%(village)s)") % {"site": site.name, "village": site.village}
        link = settings.SITE_URL + reverse("cctv:board")
    else:
        camera = outage.camera
        assert camera is not None  # an outage is of a camera or of a site (constraint)
        village, agency = camera.village, camera.owner_agency
        what = _("Kamera %(camera)s (%(village)s)") % {
            "camera": camera.name,
            "village": camera.village,
        }
        link = staff_url(camera)
    if recovered:
        subject = _("CCTV pulih: %(what)s") % {"what": what}
        body = _("%(what)s kembali normal. Gangguan sejak %(since)s.\n%(url)s")
    elif outage.kind == OutageKind.FROZEN:
        subject = _("CCTV membeku: %(what)s") % {"what": what}
        body = _("%(what)s mengirim gambar yang membeku sejak %(since)s.\n%(url)s")
    else:
        subject = _("CCTV mati: %(what)s") % {"what": what}
        body = _("%(what)s tidak dapat dihubungi sejak %(since)s.\n%(url)s")
    body = body % {"what": what, "since": f"{when:%d-%m-%Y %H:%M}", "url": link}
    _notify(
        recipients(village.pk, agency),
        key=f"cctv:outage:{outage.pk}:{'up' if recovered else 'down'}",
        subject=subject,
        body=body,
        village=village,
        agency=agency,
    )


def send_digest(today: dt.date | None = None) -> int:
    """One message per owner unit listing its cameras still down; returns messages."""
    today = today or timezone.localdate()
    down = (
        Camera.objects.filter(state__in=DOWN_STATES)
        .select_related("village", "owner_agency")
        .order_by("owner_agency_id", "village_id", "name")
    )
    owners: dict[tuple, list[Camera]] = {}
    for camera in down:
        key = (
            ("agency", camera.owner_agency_id)
            if camera.owner_agency_id
            else ("village", camera.village_id)
        )
        owners.setdefault(key, []).append(camera)
    for (kind, owner_id), cameras in owners.items():
        lines = [
            f"- {c.name} ({c.village}): {c.get_state_display()}, "
            + _("sejak %(since)s") % {"since": f"{timezone.localtime(c.state_since):%d-%m %H:%M}"}
            for c in cameras
            if c.state_since
        ]
        subject = _("Ringkasan CCTV: %(n)s kamera masih mati") % {"n": len(cameras)}
        body = "\n".join([subject + ":", *lines, settings.SITE_URL + reverse("cctv:board")])
        first = cameras[0]
        agency = first.owner_agency if kind == "agency" else None
        people = list(owner_people(first.village_id, owner_id if agency else None))
        _notify(
            people,
            key=f"cctv:digest:{today.isoformat()}:{kind}:{owner_id}",
            subject=subject,
            body=body,
            village=None if agency else first.village,
            agency=agency,
        )
    return len(owners)
