"""Every change to a report: one transaction, one audit row, one timeline event.

Actions check who may act themselves (PermissionDenied), so no view, API or
Open311 endpoint can change a report's state for someone who may not.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from balai.accounts import access, audit, ratelimit
from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role
from balai.complaints import limits, notify
from balai.complaints.choices import (
    FINAL,
    PAUSED,
    EventKind,
    PhotoKind,
    Privacy,
    RejectReason,
    Status,
    UnitKind,
)
from balai.complaints.models import Complaint, ComplaintEvent, ComplaintPhoto
from balai.complaints.routing import Unit, route
from balai.lib import tracking
from balai.lib.uploads import MEDIUM_SIDE, THUMB_SIDE, resized
from balai.lib.workdays import due_at, working_days_between
from balai.notifications.events import Kind, publish

VERIFY_DAYS = 1
RESPONSE_DAYS = 3
CONFIRM_DAYS = 10
MAX_PHOTOS = 5


class TooManyReports(ValidationError):
    pass


def tracking_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def find_by_tracking_code(text: str) -> Complaint | None:
    code = tracking.normalise(text)
    if code is None:
        return None
    return (
        Complaint.objects.select_related("category", "village", "agency")
        .filter(tracking_digest=tracking_digest(code))
        .first()
    )


def find_by_short_ref(text: str, tail: str) -> Complaint | None:
    """The report whose short reference is `text` and whose reporter's phone ends
    in `tail` (four digits); None otherwise, the same whichever part was wrong."""
    ref = tracking.normalise_short(text)
    if ref is None or not (tail or "").isdigit() or len(tail) != 4:
        return None
    complaint = (
        Complaint.objects.select_related("category", "village", "agency")
        .filter(short_ref=ref)
        .first()
    )
    if complaint is None:
        return None
    known = tracking.phone_tail(complaint.reporter_phone)
    return complaint if known and constant_time_compare(known, tail) else None


def add_photo(complaint: Complaint, photo, kind: str) -> ComplaintPhoto:
    """A cleaned photo with its resized copies (lists and staff pages never load originals)."""
    medium = resized(photo, MEDIUM_SIDE)
    thumb = resized(medium, THUMB_SIDE)  # from the medium copy: a quarter of the decoding
    return ComplaintPhoto.objects.create(
        complaint=complaint, image=photo, thumb=thumb, medium=medium, kind=kind
    )


def add_missing_copies(photo: ComplaintPhoto) -> bool:
    """Give a photo stored before resized copies existed the copies it lacks, made
    as at upload; False when its stored image cannot be read (it keeps serving the
    original). No audit row: no one acted, and no personal data changed."""
    fields = []
    try:
        if not photo.medium:
            with photo.image.open("rb") as image:
                photo.medium.save("m.jpg", resized(image, MEDIUM_SIDE), save=False)
            fields.append("medium")
        if not photo.thumb:
            with photo.medium.open("rb") as medium:
                photo.thumb.save("t.jpg", resized(medium, THUMB_SIDE), save=False)
            fields.append("thumb")
    except (OSError, ValueError, ValidationError):
        # Missing, or no longer an image PIL reads (UnidentifiedImageError is an
        # OSError; a refused copy a ValidationError). A copy made before stays
        # unsaved: a file no row names, which the worker's sweep removes.
        return False
    if fields:
        photo.save(update_fields=fields)
    return True


# Who may do what ---------------------------------------------------------


def can_triage(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in REGENCY_ROLES)


def works_in_unit(user, complaint: Complaint) -> bool:
    """Staff of the unit the report is with (the command center for its own)."""
    return access.works_in(
        user, complaint.unit_kind, agency_id=complaint.agency_id, village_id=complaint.village_id
    )


def can_work(user, complaint: Complaint) -> bool:
    return works_in_unit(user, complaint) or can_triage(user)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_status(complaint: Complaint, *statuses) -> None:
    if complaint.status not in statuses:
        raise ValidationError(
            _("Aduan berstatus %(s)s tidak dapat diubah dengan cara ini.")
            % {"s": complaint.get_status_display()}
        )


# Clocks ------------------------------------------------------------------


def next_due(complaint: Complaint):
    """The deadline a queue sorts by; None while the clocks are paused."""
    if complaint.status in PAUSED:
        return None
    if complaint.status in (Status.RECEIVED, Status.VERIFIED):
        return complaint.verify_due
    dues = [complaint.resolution_due]
    if complaint.first_response_at is None:
        dues.append(complaint.response_due)
    set_dues = [d for d in dues if d is not None]
    return min(set_dues) if set_dues else None


def event_data(complaint: Complaint, at) -> dict:
    """A complaint in an outbox event: codes, state and unit, nothing personal."""
    agency = complaint.agency
    return {
        "complaint": complaint.public_id,
        "status": complaint.status,
        "category": complaint.category.code,
        "unit": complaint.unit_kind,
        "agency": agency.slug if agency else None,
        "village": complaint.village_id,
        "at": at.isoformat(),
    }


# Which timeline entries other systems hear about (internal notes and assignments: none).
PUBLISHED = {
    EventKind.DISPATCH: Kind.COMPLAINT_DISPATCHED,
    EventKind.STATUS: Kind.COMPLAINT_UPDATED,
    EventKind.RESPONSE: Kind.COMPLAINT_UPDATED,
}


def _event(
    complaint, user, kind, *, note="", reason="", internal=False, before="", now=None, label=None
):
    now = now or timezone.now()
    if kind in PUBLISHED:
        publish(
            PUBLISHED[kind],
            event_data(complaint, now),
            village=complaint.village,
            agency=complaint.agency,
        )
    return ComplaintEvent.objects.create(
        complaint=complaint,
        at=now,
        actor=user if user is not None and user.is_authenticated else None,
        actor_label=label or _actor_label(user, complaint),
        kind=kind,
        from_status=before,
        to_status=complaint.status if kind != EventKind.NOTE else "",
        note=note,
        reason=reason,
        is_internal=internal,
    )


def _actor_label(user, complaint) -> str:
    """Who acted, as the public sees it: a unit, never a staff member's name."""
    if user is None or not user.is_authenticated:
        return _("Pelapor") if user is not None else _("Sistem")
    if user.role == Role.AGENCY_STAFF and user.agency_id:
        return str(user.agency)
    if user.role in VILLAGE_ROLES and user.village_id:
        return str(user.village)
    if user.role == Role.DISTRICT_STAFF and user.district_id:
        return _("Kecamatan %(d)s") % {"d": user.district}
    if getattr(user, "is_service", False):
        return _("Aplikasi mitra")
    return str(UnitKind.COMMAND_CENTER.label)


def _save(complaint, now, fields):
    complaint.updated_at = now
    complaint.next_due = next_due(complaint)
    complaint.save(update_fields=[*fields, "updated_at", "next_due"])


def privacy_for(category, chosen: str) -> str:
    """Sensitive categories (pungli, ...) are confidential whatever the reporter chose:
    the officials a report accuses must not read it on the public pages."""
    return Privacy.CONFIDENTIAL if category.sensitive else chosen


def _publicity(complaint) -> bool:
    if complaint.privacy == Privacy.CONFIDENTIAL or complaint.category.sensitive:
        return False
    return not (
        complaint.status == Status.REJECTED
        and complaint.reject_reason == RejectReason.NOT_COMPLAINT
    )


def shows_identity(user, complaint: Complaint) -> bool:
    """Whether `user` is shown the reporter's name and contacts."""
    return not complaint.identity_hidden or can_triage(user)


def note_identity_viewed(complaint: Complaint, user) -> None:
    """A staff member was shown the reporter's identity (personal data): audited."""
    has_identity = complaint.reporter_name or complaint.reporter_email or complaint.reporter_phone
    if has_identity and shows_identity(user, complaint):
        audit.record("complaint.identity_viewed", complaint, user=user)


def note_identities_listed(complaints, user) -> None:
    """A list showed reporters' identities: one audit row naming the reports."""
    shown = [
        c.public_id
        for c in complaints
        if (c.reporter_name or c.reporter_email or c.reporter_phone) and shows_identity(user, c)
    ]
    if shown:
        audit.record("complaint.identities_listed", user=user, detail={"complaints": shown})


# Reporting ---------------------------------------------------------------


def check_village(village) -> None:
    from django.conf import settings

    if village is None or village.regency_id != settings.BALAI_REGENCY:
        raise ValidationError(
            {"village": _("Desa/kelurahan ini tidak berada di wilayah kabupaten ini.")}
        )
    if not village.is_active:
        raise ValidationError(
            {
                "village": _(
                    "Desa/kelurahan ini belum bergabung dengan Balai; aduan belum dapat diterima."
                )
            }
        )


def submit_complaint(**fields: Any) -> tuple[Complaint, str]:
    """File a report (the arguments of `_file_report`); returns it and its tracking code,
    filed again, whole, with another short reference if its own was taken."""
    return tracking.insert_with_short_ref(
        lambda ref: _file_report(short_ref=ref, **fields),
        lambda ref: Complaint.objects.filter(short_ref=ref).exists(),
    )


@transaction.atomic
def _file_report(
    *,
    short_ref: str,
    category,
    village,
    description: str,
    privacy: str = Privacy.PUBLIC,
    latitude=None,
    longitude=None,
    address: str = "",
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    photos=(),
    source: str = "web",
    client=None,
    limit: tuple[str, int] | None = None,
    client_limit: int | None = None,
    now=None,
) -> tuple[Complaint, str]:
    """File a report; returns it and its tracking code (shown to the reporter once).

    `limit` = (key, reports per hour): counted in the same transaction, so a
    report over the limit is never stored (TooManyReports). `client_limit`:
    reports per hour for an API client (counted last; checked first too when photos come).
    """
    client_key = f"client:{client.pk}" if client is not None else ""
    # The count at the end refuses a report over the limit all the same (rolled
    # back); asking first only spares the photos' work, so only with photos.
    if photos and client_limit is not None and limits.reached(client_key, client_limit, now=now):
        raise TooManyReports(_("Terlalu banyak aduan dalam satu jam. Coba lagi nanti."))
    check_village(village)
    if not category.is_active:
        raise ValidationError({"category": _("Kategori ini tidak lagi dipakai.")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Paling banyak %(n)d foto.") % {"n": MAX_PHOTOS}})
    now = now or timezone.now()
    code = tracking.new_code()
    unit = route(category, village)
    complaint = Complaint(
        short_ref=short_ref,
        tracking_digest=tracking_digest(code),
        category=category,
        village=village,
        description=description.strip(),
        privacy=privacy_for(category, privacy),
        latitude=latitude,
        longitude=longitude,
        address=address.strip(),
        reporter_name=reporter_name.strip(),
        reporter_email=reporter_email.strip(),
        reporter_phone=reporter_phone.strip(),
        source=source,
        client=client,
        unit_kind=unit.kind,
        agency_id=unit.agency_id,
        created_at=now,
        updated_at=now,
        verify_due=due_at(now, VERIFY_DAYS),
        resolution_due=due_at(now, VERIFY_DAYS + category.resolution_days),
    )
    if unit.agency_id:
        from balai.complaints import lookups

        complaint.agency = lookups.agency(unit.agency_id)  # known already: no query
    complaint.is_public = _publicity(complaint)
    complaint.next_due = next_due(complaint)
    complaint.save(force_insert=True)
    for photo in photos:
        add_photo(complaint, photo, PhotoKind.REPORT)
    # The timeline's first line ("received") is the report itself (Complaint.timeline).
    audit.record(
        "complaint_submitted",
        complaint,
        user=client,
        detail={"category": category.code, "unit": unit.kind, "source": source},
    )
    # The reporter's message (the one place the code is written down) in this
    # transaction; the unit's messages by a task queued in it, which exists
    # only if the report does. The code never goes into the task queue, whose
    # rows are kept: it is stored as its digest only.
    messages = notify.received(complaint, code)
    from balai.complaints.tasks import complaint_submitted

    complaint_submitted.enqueue(complaint.pk, messages)
    # Last, so the counter rows are locked only until the commit just after.
    over_client = client_limit is not None and limits.hit(client_key, client_limit, now=now)
    if over_client or (limit is not None and limits.hit(*limit, now=now)):
        raise TooManyReports(_("Terlalu banyak aduan dalam satu jam. Coba lagi nanti."))
    return complaint, code


# Triage ------------------------------------------------------------------


def _dispatch(complaint, user, unit: Unit, now, note="", reason=""):
    before = complaint.status
    complaint.status = Status.DISPATCHED
    complaint.unit_kind = unit.kind
    complaint.agency_id = unit.agency_id if unit.kind == UnitKind.AGENCY else None
    complaint.assignee = None
    complaint.dispatched_at = now
    complaint.first_response_at = None
    complaint.response_due = due_at(now, RESPONSE_DAYS)
    complaint.resolution_due = due_at(now, complaint.category.resolution_days)
    _save(
        complaint,
        now,
        [
            "status",
            "unit_kind",
            "agency",
            "assignee",
            "dispatched_at",
            "first_response_at",
            "response_due",
            "resolution_due",
        ],
    )
    event = _event(
        complaint, user, EventKind.DISPATCH, note=note, reason=reason, before=before, now=now
    )
    audit.record(
        "complaint_dispatched",
        complaint,
        user=user,
        detail={"unit": unit.kind, "agency": unit.agency_id, "reason": reason},
    )
    notify.status_changed(complaint, event)
    notify.unit_new(complaint)
    return event


@transaction.atomic
def verify_complaint(complaint: Complaint, user, note: str = "", now=None) -> Complaint:
    """Triage: the report is a real complaint; routed ones go on to their unit at once."""
    _require(can_work(user, complaint))
    _require_status(complaint, Status.RECEIVED)
    now = now or timezone.now()
    complaint.status = Status.VERIFIED
    complaint.verified_at = now
    _save(complaint, now, ["status", "verified_at"])
    event = _event(complaint, user, EventKind.STATUS, note=note, before=Status.RECEIVED, now=now)
    audit.record("complaint_verified", complaint, user=user)
    if complaint.unit_kind != UnitKind.COMMAND_CENTER:
        _dispatch(complaint, user, Unit(complaint.unit_kind, complaint.agency_id), now)
    else:
        notify.status_changed(complaint, event)
    return complaint


@transaction.atomic
def dispatch_complaint(
    complaint: Complaint, user, unit: Unit, note: str = "", reason: str = "", now=None
) -> Complaint:
    """Disposisi by the command center; a second dispatch (re-dispatch) needs a reason."""
    _require(can_triage(user))
    _require_status(
        complaint, Status.RECEIVED, Status.VERIFIED, Status.DISPATCHED, Status.IN_PROGRESS
    )
    if unit.kind == UnitKind.COMMAND_CENTER:
        raise ValidationError({"unit": _("Pilih OPD atau desa yang menangani.")})
    if complaint.dispatched_at is not None and not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan disposisi ulang.")})
    now = now or timezone.now()
    if complaint.status == Status.RECEIVED:
        complaint.verified_at = now
        complaint.status = Status.VERIFIED
        _event(complaint, user, EventKind.STATUS, before=Status.RECEIVED, now=now)
    _dispatch(complaint, user, unit, now, note=note, reason=reason.strip())
    return complaint


@transaction.atomic
def return_to_triage(complaint: Complaint, user, reason: str, now=None) -> Complaint:
    """A unit says the matter is not its duty: back to the command center, with why."""
    _require(works_in_unit(user, complaint) and complaint.unit_kind != UnitKind.COMMAND_CENTER)
    _require_status(complaint, Status.RECEIVED, Status.DISPATCHED, Status.IN_PROGRESS)
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis mengapa aduan ini bukan tugas unit Anda.")})
    now = now or timezone.now()
    before = complaint.status
    complaint.unit_kind = UnitKind.COMMAND_CENTER
    complaint.agency = None
    complaint.assignee = None
    complaint.status = Status.VERIFIED if complaint.verified_at else Status.RECEIVED
    if complaint.status == Status.VERIFIED:
        # The command center gets a fresh triage day for the re-dispatch.
        complaint.verify_due = due_at(now, VERIFY_DAYS)
    _save(complaint, now, ["unit_kind", "agency", "assignee", "status", "verify_due"])
    _event(
        complaint,
        user,
        EventKind.DISPATCH,
        note=reason.strip(),
        reason="returned",
        before=before,
        now=now,
    )
    audit.record("complaint_returned", complaint, user=user, detail={"reason": reason.strip()})
    return complaint


@transaction.atomic
def reject_complaint(
    complaint: Complaint, user, reason: str, note: str = "", duplicate_of=None, now=None
) -> Complaint:
    _require(can_triage(user))
    _require_status(
        complaint, Status.RECEIVED, Status.VERIFIED, Status.DISPATCHED, Status.IN_PROGRESS
    )
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("Pilih alasan penolakan.")})
    if reason == RejectReason.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == complaint.pk:
            raise ValidationError({"duplicate_of": _("Sebutkan aduan lain yang sama.")})
    elif not note.strip():
        raise ValidationError({"note": _("Tulis alasan penolakan untuk pelapor.")})
    now = now or timezone.now()
    before = complaint.status
    complaint.status = Status.REJECTED
    complaint.reject_reason = reason
    complaint.duplicate_of = duplicate_of if reason == RejectReason.DUPLICATE else None
    complaint.closed_at = now
    complaint.status_notes = note.strip()[:500]
    complaint.is_public = _publicity(complaint)
    _save(
        complaint,
        now,
        ["status", "reject_reason", "duplicate_of", "closed_at", "status_notes", "is_public"],
    )
    event = _event(
        complaint, user, EventKind.STATUS, note=note.strip(), reason=reason, before=before, now=now
    )
    audit.record("complaint_rejected", complaint, user=user, detail={"reason": reason})
    notify.status_changed(complaint, event)
    return complaint


# The unit's work ---------------------------------------------------------


def _first_response(complaint, now):
    if complaint.first_response_at is None:
        complaint.first_response_at = now


@transaction.atomic
def start_progress(complaint: Complaint, user, note: str = "", now=None) -> Complaint:
    _require(can_work(user, complaint))
    _require_status(complaint, Status.DISPATCHED)
    now = now or timezone.now()
    complaint.status = Status.IN_PROGRESS
    _first_response(complaint, now)
    if note.strip():
        complaint.status_notes = note.strip()[:500]
    _save(complaint, now, ["status", "first_response_at", "status_notes"])
    event = _event(
        complaint, user, EventKind.STATUS, note=note.strip(), before=Status.DISPATCHED, now=now
    )
    audit.record("complaint_in_progress", complaint, user=user)
    notify.status_changed(complaint, event)
    return complaint


@transaction.atomic
def respond(complaint: Complaint, user, note: str, now=None) -> ComplaintEvent:
    """A public reply from the unit (tanggapan); the first one stops the response clock."""
    _require(can_work(user, complaint))
    _require_status(complaint, Status.DISPATCHED, Status.IN_PROGRESS, Status.VERIFIED)
    if not note.strip():
        raise ValidationError({"note": _("Tulis tanggapan.")})
    now = now or timezone.now()
    if complaint.status != Status.VERIFIED:
        _first_response(complaint, now)
    complaint.status_notes = note.strip()[:500]
    _save(complaint, now, ["first_response_at", "status_notes"])
    event = _event(
        complaint, user, EventKind.RESPONSE, note=note.strip(), before=complaint.status, now=now
    )
    audit.record("complaint_responded", complaint, user=user)
    notify.status_changed(complaint, event)
    return event


@transaction.atomic
def add_note(complaint: Complaint, user, note: str, now=None) -> ComplaintEvent:
    """An internal note: staff who can see the report read it; the public never does."""
    if not note.strip():
        raise ValidationError({"note": _("Catatan kosong.")})
    event = _event(complaint, user, EventKind.NOTE, note=note.strip(), internal=True, now=now)
    audit.record("complaint_note", complaint, user=user)
    return event


@transaction.atomic
def assign(complaint: Complaint, user, assignee, now=None) -> Complaint:
    _require(can_work(user, complaint))
    if assignee is not None and not can_work(assignee, complaint):
        raise ValidationError({"assignee": _("Petugas ini bukan anggota unit yang menangani.")})
    now = now or timezone.now()
    complaint.assignee = assignee
    _save(complaint, now, ["assignee"])
    label = assignee.get_full_name() or assignee.username if assignee else "-"
    _event(complaint, user, EventKind.ASSIGN, note=label, internal=True, now=now)
    audit.record(
        "complaint_assigned",
        complaint,
        user=user,
        detail={"assignee": getattr(assignee, "pk", None)},
    )
    return complaint


@transaction.atomic
def resolve_complaint(complaint: Complaint, user, note: str, photo=None, now=None) -> Complaint:
    """Done: the note (and photo) go to the reporter, who confirms or reopens."""
    _require(can_work(user, complaint))
    _require_status(complaint, Status.DISPATCHED, Status.IN_PROGRESS)
    if not note.strip():
        raise ValidationError({"note": _("Jelaskan tindak lanjut yang sudah dilakukan.")})
    now = now or timezone.now()
    before = complaint.status
    complaint.status = Status.RESOLVED
    complaint.resolved_at = now
    _first_response(complaint, now)
    complaint.confirm_due = due_at(now, CONFIRM_DAYS)
    complaint.status_notes = note.strip()[:500]
    _save(
        complaint,
        now,
        ["status", "resolved_at", "first_response_at", "confirm_due", "status_notes"],
    )
    if photo is not None:
        add_photo(complaint, photo, PhotoKind.RESOLUTION)
    event = _event(complaint, user, EventKind.STATUS, note=note.strip(), before=before, now=now)
    audit.record("complaint_resolved", complaint, user=user)
    notify.status_changed(complaint, event)
    return complaint


# The reporter's answer ---------------------------------------------------


def _require_reporter_window(complaint, now):
    _require_status(complaint, Status.RESOLVED)
    if complaint.confirm_due and now > complaint.confirm_due:
        raise ValidationError(_("Batas waktu konfirmasi sudah lewat."))


def _close(complaint, user, now, *, note, reason, action, label=None):
    complaint.status = Status.CLOSED
    complaint.closed_at = now
    _save(complaint, now, ["status", "closed_at"])
    event = _event(
        complaint,
        user,
        EventKind.STATUS,
        note=note.strip(),
        reason=reason,
        before=Status.RESOLVED,
        now=now,
        label=label,
    )
    audit.record(action, complaint, user=user, detail={"reason": reason})
    notify.status_changed(complaint, event)
    return complaint


@transaction.atomic
def confirm_resolution(complaint: Complaint, note: str = "", now=None) -> Complaint:
    """The reporter (holding the tracking code) agrees it is fixed."""
    now = now or timezone.now()
    _require_reporter_window(complaint, now)
    return _close(
        complaint,
        None,
        now,
        note=note,
        reason="confirmed",
        action="complaint_confirmed",
        label=_("Pelapor"),
    )


@transaction.atomic
def reopen_complaint(complaint: Complaint, reason: str, now=None) -> Complaint:
    """The reporter says it is not fixed: back to the unit, the remaining days resumed."""
    now = now or timezone.now()
    _require_reporter_window(complaint, now)
    if not reason.strip():
        raise ValidationError({"reason": _("Jelaskan apa yang belum selesai.")})
    from balai.lib.workdays import local_tz

    tz = local_tz()
    left = 1
    if complaint.resolution_due and complaint.resolved_at:
        left = max(
            1,
            working_days_between(
                complaint.resolved_at.astimezone(tz).date(),
                complaint.resolution_due.astimezone(tz).date(),
            ),
        )
    complaint.status = Status.IN_PROGRESS
    complaint.resolved_at = None
    complaint.confirm_due = None
    complaint.resolution_due = due_at(now, left)
    complaint.reopened_count += 1
    _save(
        complaint,
        now,
        ["status", "resolved_at", "confirm_due", "resolution_due", "reopened_count"],
    )
    event = _event(
        complaint,
        None,
        EventKind.STATUS,
        note=reason.strip(),
        reason="reopened",
        before=Status.RESOLVED,
        now=now,
        label=_("Pelapor"),
    )
    audit.record("complaint_reopened", complaint)
    notify.unit_reopened(complaint, event)
    return complaint


@transaction.atomic
def close_complaint(complaint: Complaint, user=None, note: str = "", now=None) -> Complaint:
    """Close a resolved report: by triage staff, or by the system after the reporter's window."""
    now = now or timezone.now()
    if user is not None:
        _require(can_triage(user))
    elif not (complaint.confirm_due and now > complaint.confirm_due):
        raise PermissionDenied
    _require_status(complaint, Status.RESOLVED)
    reason = "" if user else "no_reply"
    return _close(complaint, user, now, note=note, reason=reason, action="complaint_closed")


# The reporter's follow-ups (by tracking code or a session that opened it) --

FOLLOW_UPS_PER_DAY = 10  # per report: comments and photos together
RATING_WINDOW_DAYS = 30  # after closing, a rating is still welcome this long


@transaction.atomic
def add_reporter_follow_up(
    complaint: Complaint, note: str = "", photo=None, now=None
) -> ComplaintEvent:
    """The reporter adds a comment and/or a photo; the unit sees it in the thread."""
    now = now or timezone.now()
    note = (note or "").strip()
    if not note and photo is None:
        raise ValidationError({"note": _("Tulis tambahan keterangan atau pilih foto.")})
    if complaint.status in FINAL:
        raise ValidationError(_("Aduan ini sudah ditutup; tambahan tidak dapat dikirim."))
    if ratelimit.hit("complaints-follow-up", str(complaint.pk), f"{FOLLOW_UPS_PER_DAY}/d", now):
        raise ValidationError(_("Terlalu banyak tambahan untuk aduan ini hari ini."))
    if photo is not None:
        if complaint.photos.count() >= MAX_PHOTOS * 2:
            raise ValidationError({"photo": _("Aduan ini sudah memiliki terlalu banyak foto.")})
        add_photo(complaint, photo, PhotoKind.FOLLOW_UP)
    complaint.updated_at = now
    complaint.save(update_fields=["updated_at"])
    event = _event(
        complaint,
        None,
        EventKind.REPORTER,
        note=note or str(_("(foto tambahan)")),
        now=now,
        label=_("Pelapor"),
    )
    audit.record("complaint_follow_up", complaint, detail={"photo": photo is not None})
    notify.unit_follow_up(complaint, event)
    return event


def can_rate(complaint: Complaint, now=None) -> bool:
    """Once, after the unit resolved it: while it waits for the reporter or once closed."""
    if complaint.rated_at is not None:
        return False
    if complaint.status == Status.RESOLVED:
        return True
    closed = complaint.closed_at
    now = now or timezone.now()
    return (
        complaint.status == Status.CLOSED
        and closed is not None
        and ((now - closed).days < RATING_WINDOW_DAYS)
    )


@transaction.atomic
def rate_response(complaint: Complaint, stars: int, comment: str = "", now=None) -> Complaint:
    """The reporter rates how the report was handled (1-5 and a comment), once."""
    now = now or timezone.now()
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not can_rate(locked, now):
        raise ValidationError(_("Penilaian hanya sekali, setelah aduan selesai ditangani."))
    if stars not in range(1, 6):
        raise ValidationError({"rating": _("Pilih nilai 1 sampai 5.")})
    complaint.rating = stars
    complaint.rating_comment = comment.strip()[:1000]
    complaint.rated_at = now
    complaint.save(update_fields=["rating", "rating_comment", "rated_at"])
    note = _("Nilai %(n)d dari 5.") % {"n": stars}
    _event(
        complaint,
        None,
        EventKind.RATING,
        note=f"{note} {complaint.rating_comment}".strip(),
        now=now,
        label=_("Pelapor"),
    )
    audit.record("complaint_rated", complaint, detail={"rating": stars})
    return complaint


# One dispatch for the staff page and the API ------------------------------

# Each verb's action, given the cleaned data of its form (forms.action_form).
VERBS: dict[str, Callable[[Complaint, Any, dict], object]] = {
    "verify": lambda c, u, d: verify_complaint(c, u, d["note"]),
    "start": lambda c, u, d: start_progress(c, u, d["note"]),
    "respond": lambda c, u, d: respond(c, u, d["note"]),
    "note": lambda c, u, d: add_note(c, u, d["note"]),
    "resolve": lambda c, u, d: resolve_complaint(c, u, d["note"], d["photo"]),
    "return": lambda c, u, d: return_to_triage(c, u, d["reason"]),
    "dispatch": lambda c, u, d: dispatch_complaint(c, u, d["unit"], d["note"], d["reason"]),
    "reject": lambda c, u, d: reject_complaint(c, u, d["reason"], d["note"], d["duplicate_of"]),
    "close": lambda c, u, d: close_complaint(c, u, d["note"]),
    "assign": lambda c, u, d: assign(c, u, d["assignee"]),
}


def may_perform(user, complaint: Complaint, verb: str) -> bool:
    """Checked before the input is: whoever may see a report may add a note."""
    return verb == "note" or can_work(user, complaint)


def perform(verb: str, complaint: Complaint, user, data: dict):
    """Run `verb` on `complaint` for `user` with its form's cleaned data."""
    _require(may_perform(user, complaint, verb))
    return VERBS[verb](complaint, user, data)
