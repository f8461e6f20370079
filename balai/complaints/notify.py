"""What complaints tell people, through the one notification layer.

The reporter hears of every public change (by the contact they gave); the
unit hears of new reports, reopenings and escalations. Keys make each message
idempotent: the same event never sends twice.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role
from balai.complaints.choices import UnitKind


def _send(**kwargs):
    from balai.notifications.actions import notify

    return notify(**kwargs)


def track_url(code: str = "") -> str:
    if code:
        return settings.SITE_URL + reverse("complaints:tracked", args=[code])
    return settings.SITE_URL + reverse("complaints:track")


def received(complaint, code: str) -> list[int]:
    """The one message holding the code: a link that opens the report, and the
    short reference to read over the phone. Returns the messages' ids: the
    submission's own task delivers them (tasks.complaint_submitted)."""
    from balai.lib.tracking import grouped

    if not (complaint.reporter_email or complaint.reporter_phone):
        return []
    body = _(
        "Aduan Anda (%(category)s, %(village)s) sudah kami terima. "
        "Kode singkat: %(ref)s. Kode lacak: %(code)s. "
        "Buka perkembangannya di %(url)s"
    ) % {
        "category": complaint.category.name,
        "village": complaint.village,
        "ref": grouped(complaint.short_ref or ""),
        "code": grouped(code),
        "url": track_url(code),
    }
    sent = _send(
        key=f"complaint:{complaint.public_id}:received",
        subject=_("Aduan diterima"),
        body=body,
        email=complaint.reporter_email,
        phone=complaint.reporter_phone,
        village=complaint.village,
        new_event=True,  # the report is new in this transaction
        delivery="by_caller",
    )
    return [notification.pk for notification in sent]


def status_changed(complaint, event) -> None:
    """Tell the reporter about a public change on their report."""
    if event.is_internal or not (complaint.reporter_email or complaint.reporter_phone):
        return
    body = _("Status aduan Anda (%(category)s): %(status)s.") % {
        "category": complaint.category.name,
        "status": complaint.get_status_display(),
    }
    if event.note:
        body += "\n" + event.note
    body += "\n" + _("Lihat dengan kode lacak Anda di %(url)s") % {"url": track_url()}
    _send(
        key=f"complaint:{complaint.public_id}:event:{event.pk}",
        subject=_("Perkembangan aduan: %(status)s") % {"status": complaint.get_status_display()},
        body=body,
        email=complaint.reporter_email,
        phone=complaint.reporter_phone,
        village=complaint.village,
    )


def unit_staff(complaint, *, heads: bool = False):
    """The people of the unit holding the report; with heads=True its head instead.

    A village's head is its kepala desa/lurah; an agency's head is reached at
    the agency's own address (Agency.email), the regency's through the command
    center and the regency admin.
    """
    from balai.accounts.models import User

    users = User.objects.filter(is_active=True, is_service=False)
    if complaint.unit_kind == UnitKind.AGENCY:
        if heads:
            return users.none()
        return users.filter(role=Role.AGENCY_STAFF, agency_id=complaint.agency_id)
    if complaint.unit_kind == UnitKind.VILLAGE:
        roles = (
            [Role.VILLAGE_HEAD] if heads else [r for r in VILLAGE_ROLES if r != Role.VILLAGE_HEAD]
        )
        return users.filter(role__in=roles, village_id=complaint.village_id)
    return users.filter(role__in=REGENCY_ROLES if heads else [Role.COMMAND_CENTER])


def command_center():
    from balai.accounts.models import User

    return User.objects.filter(is_active=True, role=Role.COMMAND_CENTER)


def _to_people(people, **message) -> None:
    from balai.notifications.actions import notify_people

    notify_people(people, **message)


def _staff_url(complaint) -> str:
    return settings.SITE_URL + reverse("complaints:staff-detail", args=[complaint.public_id])


def unit_new(complaint) -> None:
    """A report has arrived in (or been dispatched to) a unit."""
    subject = _("Aduan baru: %(category)s") % {"category": complaint.category.name}
    body = _("Aduan baru di %(village)s menunggu tindak lanjut unit Anda: %(url)s") % {
        "village": complaint.village,
        "url": _staff_url(complaint),
    }
    unit = f"{complaint.unit_kind}:{complaint.agency_id}:{complaint.dispatched_at}"
    key = f"complaint:{complaint.public_id}:unit:{unit}"
    _to_people(
        unit_staff(complaint), key=key, subject=subject, body=body, village=complaint.village
    )
    if complaint.unit_kind == UnitKind.AGENCY and complaint.agency.email:
        _send(key=f"{key}:agency", subject=subject, body=body, email=complaint.agency.email)


def unit_reopened(complaint, event) -> None:
    subject = _("Aduan dibuka kembali oleh pelapor")
    body = _("Pelapor menyatakan aduan belum selesai: %(note)s\n%(url)s") % {
        "note": event.note,
        "url": _staff_url(complaint),
    }
    _to_people(
        unit_staff(complaint),
        key=f"complaint:{complaint.public_id}:event:{event.pk}",
        subject=subject,
        body=body,
        village=complaint.village,
    )


def unit_follow_up(complaint, event) -> None:
    """The reporter added a comment or a photo: the unit holding the report hears of it."""
    _to_people(
        unit_staff(complaint),
        key=f"complaint:{complaint.public_id}:event:{event.pk}",
        subject=_("Tambahan dari pelapor"),
        body=_("Pelapor menambahkan keterangan pada aduan: %(note)s\n%(url)s")
        % {"note": event.note, "url": _staff_url(complaint)},
        village=complaint.village,
    )


def escalation(complaint, reminder) -> None:
    """Level 1 to the unit; level 2 to its head and the command center."""
    clock = reminder.get_clock_display()
    subject = _("Pengingat: aduan melewati batas %(clock)s") % {"clock": clock.lower()}
    body = _(
        "Aduan %(category)s di %(village)s melewati batas %(clock)s (%(due)s). "
        "Segera tindak lanjuti: %(url)s"
    ) % {
        "category": complaint.category.name,
        "village": complaint.village,
        "clock": clock.lower(),
        "due": f"{reminder.due:%d-%m-%Y %H:%M}",
        "url": _staff_url(complaint),
    }
    key = f"complaint:{complaint.public_id}:reminder:{reminder.pk}"
    if reminder.level == 1:
        people = list(unit_staff(complaint))
    else:
        people = list(unit_staff(complaint, heads=True)) + list(command_center())
        if complaint.unit_kind == UnitKind.AGENCY and complaint.agency.email:
            _send(key=f"{key}:agency", subject=subject, body=body, email=complaint.agency.email)
    unique = list({p.pk: p for p in people}.values())
    _to_people(unique, key=key, subject=subject, body=body, village=complaint.village)
