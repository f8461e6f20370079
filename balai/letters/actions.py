"""State changes of letter services: one transaction and one audit row each."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from balai.accounts import audit, ratelimit
from balai.accounts.choices import VILLAGE_ROLES, Role
from balai.letters import identity
from balai.letters.choices import OPEN_STATUSES, RequestStatus, Step
from balai.letters.document import letter_data, new_letter, signer_name
from balai.letters.models import (
    STAFF_READERS,
    Letter,
    LetterRequest,
    LetterSettings,
    LetterType,
    NumberCounter,
    RequestDocument,
    RequestStep,
    ResidentPin,
    VillageLetterSettings,
    VillageLetterType,
)
from balai.letters.thumbnails import thumbnail_name
from balai.lib import tracking, workdays
from balai.lib.faults import pause_point
from balai.lib.metrics import LETTER_SIGN_SECONDS
from balai.notifications.events import Kind, publish
from balai.residents.models import MIN_NIK_PREFIX

VERIFY_ROLES = (Role.VILLAGE_OPERATOR, Role.VILLAGE_SECRETARY, Role.VILLAGE_HEAD)
CHECK_ROLES = (Role.VILLAGE_SECRETARY, Role.VILLAGE_HEAD)
# The secretary signs a.n. the head only where the village allows it: see may_sign().
SIGN_ROLES = (Role.VILLAGE_HEAD, Role.VILLAGE_SECRETARY)
HANDLE_ROLES = tuple(VILLAGE_ROLES)  # return, reject, record pickup, issue PIN
REVOKE_ROLES = (Role.VILLAGE_HEAD,)
QUEUE_ROLES = STAFF_READERS  # may read the queue


class Refused(Exception):
    """A change that is not allowed now; the message is for people."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# ---------------------------------------------------------------- requests


def due_after(start: dt.datetime, days: int) -> dt.datetime:
    """The SLA deadline: `days` working days (hari kerja) after `start`."""
    return workdays.due_at(start, days)


def check_open_for_requests(village, letter_type: LetterType) -> None:
    """Refuse a request for an inactive village or a type it has not switched on."""
    if not village.is_active or village.regency_id != settings.BALAI_REGENCY:
        raise Refused(_("Desa ini belum melayani permohonan surat melalui Balai."), "village")
    enabled = VillageLetterType.objects.filter(
        village=village, letter_type=letter_type, enabled=True, letter_type__is_active=True
    ).exists()
    if not enabled:
        raise Refused(_("Jenis surat ini tidak dilayani oleh desa yang dipilih."), "letter_type")
    if not letter_type.online:
        raise Refused(
            _("Jenis surat ini hanya dapat diajukan langsung di kantor desa."), "letter_type"
        )


def _first_status(village, loaded: bool = False) -> str:
    options = VillageLetterSettings.for_village(village, loaded=loaded)
    if options.uses_verification:
        return RequestStatus.SUBMITTED
    if options.uses_secretary_check:
        return RequestStatus.AWAITING_CHECK
    return RequestStatus.AWAITING_SIGNATURE


def _store_documents(req: LetterRequest, documents, written: list[str]) -> list:
    """Unsaved document rows for `req`, their files already written to storage."""
    stored = []
    for key, label, content in documents:
        document = RequestDocument(request=req, key=key, label=label)
        document.file.save(content.name, content, save=False)
        written.append(document.file.name)
        stored.append(document)
    return stored


def _save_documents(req: LetterRequest, documents, written: list[str]) -> None:
    for document in _store_documents(req, documents, written):
        document.save()


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


def submit_request(
    *,
    village,
    letter_type: LetterType,
    resident,
    purpose: str,
    values: dict,
    phone: str = "",
    email: str = "",
    documents: Iterable[tuple[str, str, ContentFile]] = (),
    idempotency_key=None,
    count_for: str | None = None,
    checked: bool = False,
) -> tuple[LetterRequest, bool]:
    """A new request, or the one this form already made (created=False).

    `count_for` (the client's rate-limit key) counts the submission against its rate limit
    inside the same transaction; `checked` says the caller has just checked
    this village serves this type, loading the village with its settings.
    """
    # A repeated idempotency key fails the insert below (unique), and the first
    # request is returned: no extra read on the common path.
    if not checked:
        check_open_for_requests(village, letter_type)
    written: list[str] = []
    now = timezone.now()
    # Everything but the writes happens before the transaction: on SQLite it
    # holds the database's one write lock, which other submissions wait for.
    req = LetterRequest(
        idempotency_key=idempotency_key,
        village=village,
        letter_type=letter_type,
        resident=resident,
        purpose=purpose,
        values=values,
        phone=phone,
        email=email,
        status=_first_status(village, loaded=checked),
        submitted_at=now,
        status_changed_at=now,
        due_at=due_after(now, letter_type.sla_days),
    )
    try:
        stored = _store_documents(req, documents, written)
        _insert_request(req, stored, count_for)
    except IntegrityError:
        _delete_files(written)
        if idempotency_key is None:
            raise
        # Only the same resident's first request: a key (chosen by API clients)
        # must never hand anyone else's tracking code over.
        found = LetterRequest.objects.filter(
            idempotency_key=idempotency_key, resident=resident
        ).first()
        if found is None:
            if LetterRequest.objects.filter(idempotency_key=idempotency_key).exists():
                raise Refused(
                    _("Permohonan ini tidak dapat dikirim; muat ulang halaman lalu isi kembali.")
                ) from None
            raise
        return found, False
    except BaseException:
        _delete_files(written)
        raise
    return req, True


def _insert_request(req: LetterRequest, documents: list, count_for: str | None) -> None:
    """The request, its documents, audit row and message: one transaction, inserted
    again, whole, with another short reference if its own was taken."""

    def insert(ref: str) -> None:
        req.short_ref = ref
        with transaction.atomic():
            if count_for is not None:
                ratelimit.count(*identity.submit_limit(count_for))
            req.save(force_insert=True)
            for document in documents:
                document.save()
            # The submission itself is recorded by the request row (submitted_at,
            # resident) and the audit row; later steps each get a RequestStep.
            audit.record("letter_request.submitted", req, detail={"type": req.letter_type.code})
            _tell_received(req)

    tracking.insert_with_short_ref(
        insert, lambda ref: LetterRequest.objects.filter(short_ref=ref).exists()
    )


def resubmit_request(
    req: LetterRequest,
    *,
    purpose: str,
    values: dict,
    phone: str,
    email: str,
    documents: Iterable[tuple[str, str, ContentFile]] = (),
) -> LetterRequest:
    """The resident's corrections to a returned request; it goes back to the queue."""
    written: list[str] = []
    replaced: list[str] = []
    now = timezone.now()
    try:
        with transaction.atomic():
            req = LetterRequest.objects.select_for_update().get(pk=req.pk)
            if req.status != RequestStatus.RETURNED:
                raise Refused(_("Permohonan ini tidak sedang menunggu perbaikan."))
            check_open_for_requests(req.village, req.letter_type)
            documents = list(documents)
            new_keys = {key for key, _label, _content in documents}
            old = list(req.documents.filter(key__in=new_keys))
            replaced = [d.file.name for d in old] + [thumbnail_name(d) for d in old]
            for document in old:
                document.delete()
            _save_documents(req, documents, written)
            req.purpose, req.values, req.phone, req.email = purpose, values, phone, email
            req.status = _first_status(req.village)
            req.status_changed_at = now
            req.due_at = due_after(now, req.letter_type.sla_days)
            req.save(
                update_fields=[
                    "purpose",
                    "values",
                    "phone",
                    "email",
                    "status",
                    "status_changed_at",
                    "due_at",
                ]
            )
            RequestStep.objects.create(request=req, step=Step.RESUBMITTED, at=now)
            audit.record("letter_request.resubmitted", req)
    except BaseException:
        _delete_files(written)
        raise
    transaction.on_commit(lambda: _delete_files(replaced))
    return req


def _move(
    req: LetterRequest, user, *, allowed: Iterable[str], to: str, step: str, note: str = ""
) -> LetterRequest:
    with transaction.atomic():
        req = LetterRequest.objects.select_for_update().get(pk=req.pk)
        if req.status not in allowed:
            raise Refused(
                _("Permohonan ini berstatus “%(s)s”; langkah ini tidak dapat dilakukan.")
                % {"s": req.get_status_display()}
            )
        now = timezone.now()
        req.status, req.status_changed_at = to, now
        fields = ["status", "status_changed_at"]
        if step == Step.RETURNED:
            req.return_reason = note
            fields.append("return_reason")
        if step == Step.REJECTED:
            req.reject_reason = note
            fields.append("reject_reason")
        req.save(update_fields=fields)
        RequestStep.objects.create(request=req, step=step, user=user, at=now, note=note)
        audit.record(f"letter_request.{step}", req, user=user, detail={"note": note[:200]})
        return req


def verify_request(req: LetterRequest, user) -> LetterRequest:
    """The operator checked the data and documents."""
    options = VillageLetterSettings.for_village(req.village)
    to = (
        RequestStatus.AWAITING_CHECK
        if options.uses_secretary_check
        else RequestStatus.AWAITING_SIGNATURE
    )
    return _move(req, user, allowed=[RequestStatus.SUBMITTED], to=to, step=Step.VERIFIED)


def check_request(req: LetterRequest, user) -> LetterRequest:
    """The secretary checked the draft before the head signs."""
    return _move(
        req,
        user,
        allowed=[RequestStatus.AWAITING_CHECK],
        to=RequestStatus.AWAITING_SIGNATURE,
        step=Step.CHECKED,
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise Refused(_("Tuliskan alasannya (minimal 5 karakter)."), "reason")
    return reason[:1000]


# How a request goes back to its resident: its step, and the message they get.
_SEND_BACK = {
    RequestStatus.RETURNED: (
        Step.RETURNED,
        _lazy("Permohonan surat perlu diperbaiki"),
        _lazy(
            "Permohonan %(type)s Anda perlu diperbaiki: %(reason)s\n"
            "Perbaiki melalui halaman lacak: %(url)s"
        ),
    ),
    RequestStatus.REJECTED: (
        Step.REJECTED,
        _lazy("Permohonan surat ditolak"),
        _lazy("Permohonan %(type)s Anda ditolak: %(reason)s\n%(url)s"),
    ),
}


def send_back(req: LetterRequest, user, reason: str, *, to: RequestStatus) -> LetterRequest:
    """Back to the resident with the reason they will read: to correct
    (`to=RETURNED`) or refused (`to=REJECTED`)."""
    step, subject, body = _SEND_BACK[to]
    reason = _reason(reason)
    req = _move(req, user, allowed=OPEN_STATUSES, to=to, step=step, note=reason)
    values = {"type": req.letter_type.name, "reason": reason, "url": tracking_url(req)}
    _tell_resident(req, step.value, str(subject), str(body) % values)
    return req


def record_collection(req: LetterRequest, user, collected_by: str) -> LetterRequest:
    """Staff hand the letter over at the village hall."""
    collected_by = (collected_by or "").strip()
    if not collected_by:
        raise Refused(_("Tuliskan nama orang yang mengambil surat."), "collected_by")
    with transaction.atomic():
        req = _move(
            req,
            user,
            allowed=[RequestStatus.READY],
            to=RequestStatus.COLLECTED,
            step=Step.COLLECTED,
            note=collected_by[:150],
        )
        req.collected_by_name, req.collected_at = collected_by[:150], req.status_changed_at
        req.save(update_fields=["collected_by_name", "collected_at"])
    return req


# The workflow steps staff take from the request page and the API, by their
# names in URLs, with the roles that may take each.
STEP_ROLES = {
    "verifikasi": VERIFY_ROLES,
    "periksa": CHECK_ROLES,
    "tandatangani": SIGN_ROLES,
    "kembalikan": HANDLE_ROLES,
    "tolak": HANDLE_ROLES,
    "ambil": HANDLE_ROLES,
}


def run_step(req: LetterRequest, user, step: str, data) -> tuple[bool, str]:
    """Take `step` (a STEP_ROLES name) on `req` for `user`: (done, message for
    people). One dispatch for the page and the API; `data` holds "reason" or
    "collected_by"."""
    from balai.letters.pki import SignerUnavailable

    try:
        if step == "verifikasi":
            verify_request(req, user)
            return True, _("Permohonan diverifikasi.")
        if step == "periksa":
            check_request(req, user)
            return True, _("Permohonan diperiksa dan diteruskan untuk ditandatangani.")
        if step == "tandatangani":
            letter = sign_request(req, user)
            return True, _("Surat ditandatangani dengan nomor %(n)s.") % {"n": letter.number}
        if step == "kembalikan":
            send_back(req, user, data.get("reason", ""), to=RequestStatus.RETURNED)
            return True, _("Permohonan dikembalikan kepada pemohon untuk diperbaiki.")
        if step == "tolak":
            send_back(req, user, data.get("reason", ""), to=RequestStatus.REJECTED)
            return True, _("Permohonan ditolak.")
        if step == "ambil":
            record_collection(req, user, data.get("collected_by", ""))
            return True, _("Pengambilan surat dicatat.")
    except Refused as refused:
        return False, refused.message
    except SignerUnavailable:
        return False, _(
            "Sertifikat tanda tangan elektronik Anda belum terpasang. Hubungi admin kabupaten."
        )
    raise ValueError(f"no such step: {step!r}")


def queue_search_problem(q: str) -> str:
    """Why a queue search cannot find anything as typed, for people; "" when it can."""
    digits = q.replace(" ", "").replace(".", "")
    if digits.isdigit() and len(digits) < MIN_NIK_PREFIX:
        return _("Ketik paling sedikit %(n)s angka awal NIK.") % {"n": MIN_NIK_PREFIX}
    return ""


def tracking_url(req: LetterRequest) -> str:
    return settings.SITE_URL + reverse("letters:track", args=[req.tracking_code])


def verification_url(letter: Letter) -> str:
    return settings.SITE_URL + reverse("letters:verify", args=[letter.public_id])


def _tell_received(req: LetterRequest) -> None:
    """At once, by the contact given: the short reference to say on the phone and
    the link that reopens the tracking page."""
    body = _(
        "Permohonan %(type)s Anda sudah kami terima. Kode singkat: %(ref)s. "
        "Lihat perkembangannya di %(url)s"
    ) % {
        "type": req.letter_type.name,
        "ref": req.grouped_short_ref,
        "url": tracking_url(req),
    }
    # The request is new in this transaction: no earlier message has this key.
    _tell_resident(req, "received", _("Permohonan surat diterima"), body, new_event=True)


def find_by_short_ref(text: str, tail: str) -> LetterRequest | None:
    """The request whose short reference is `text` and whose phone ends in `tail`;
    None otherwise, the same whichever part was wrong."""
    ref = tracking.normalise_short(text)
    if ref is None or not (tail or "").isdigit() or len(tail) != 4:
        return None
    req = LetterRequest.objects.filter(short_ref=ref).only("tracking_code", "phone").first()
    known = tracking.phone_tail(req.phone) if req is not None else ""
    return req if known and constant_time_compare(known, tail) else None


def _tell_resident(
    req: LetterRequest, event: str, subject: str, body: str, *, new_event: bool = False
) -> None:
    from balai.notifications.actions import notify

    if req.phone or req.email:
        # A request may be returned more than once: the moment names the event.
        notify(
            key=f"letter:{req.tracking_code}:{event}:{req.status_changed_at.timestamp():.6f}",
            subject=subject,
            body=body,
            email=req.email,
            phone=req.phone,
            village=req.village,
            # A new request's message: its delivery task commits with it.
            new_event=new_event,
            delivery="in_transaction" if new_event else "after_commit",
        )


# ---------------------------------------------------------------- signing


def _number_scope(options: VillageLetterSettings, letter_type: LetterType) -> str:
    return letter_type.code if options.numbers_per_type else ""


def _peek_number(village, scope: str, year: int) -> int:
    """The number the next letter would get, read without a lock (a guess)."""
    last = (
        NumberCounter.objects.filter(village=village, year=year, scope=scope)
        .values_list("last", flat=True)
        .first()
    )
    return (last or 0) + 1


def _take_number(village, scope: str, year: int) -> int:
    """The next sequence number, the counter row locked until the transaction ends.

    Called inside the signing transaction: a rollback gives the number back.
    On PostgreSQL the row lock orders concurrent signers; on SQLite the
    IMMEDIATE transaction already holds the one write lock.
    """
    counters = NumberCounter.objects.select_for_update()
    counter = counters.filter(village=village, year=year, scope=scope).first()
    if counter is None:  # the first letter of the year (or type)
        try:
            with transaction.atomic():
                NumberCounter.objects.create(village=village, year=year, scope=scope)
        except IntegrityError:
            pass  # another signer created it first; it is there now
        counter = counters.get(village=village, year=year, scope=scope)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def may_sign(user, req: LetterRequest) -> bool:
    """The head signs every letter of the village; the secretary signs a.n. the head
    where the village allows it, for every type or for this one."""
    if user.village_id != req.village_id:
        return False
    if user.role == Role.VILLAGE_HEAD:
        return True
    if user.role != Role.VILLAGE_SECRETARY:
        return False
    return VillageLetterType.objects.filter(
        Q(secretary_signs=True) | Q(village__letter_settings__secretary_signs=True),
        village_id=req.village_id,
        letter_type_id=req.letter_type_id,
    ).exists()


def sign_blocker(user, req: LetterRequest) -> str:
    """Why `user` may not sign `req` now, for people; "" when they may.

    Staff who see no sign button read this instead of guessing.
    """
    if req.status != RequestStatus.AWAITING_SIGNATURE:
        return ""
    if user.role == Role.VILLAGE_SECRETARY and not may_sign(user, req):
        return _(
            "Surat ini ditandatangani kepala desa/lurah: desa ini belum mengizinkan "
            "sekretaris menandatangani jenis surat ini atas nama kepala desa "
            "(Pengaturan layanan surat)."
        )
    if user.role not in SIGN_ROLES or not may_sign(user, req):
        return _("Menunggu tanda tangan kepala desa/lurah.")
    if not signer_name(user, req.village):
        return unnamed_signer_message(user)
    return ""


def unnamed_signer_message(user) -> str:
    if user.role == Role.VILLAGE_HEAD:
        return _(
            "Surat belum dapat ditandatangani: nama kepala desa/lurah belum diisi. Isi nama "
            "kepala desa di Profil desa (atau nama lengkap akun Anda), lalu tandatangani."
        )
    return _(
        "Surat belum dapat ditandatangani: nama lengkap akun Anda belum diisi. Minta admin "
        "kabupaten mengisinya, lalu tandatangani."
    )


OPTIMISTIC_ATTEMPTS = 3


class _NumberMoved(Exception):
    """Another letter took the number this PDF was rendered with."""


def sign_request(req: LetterRequest, user) -> Letter:
    """Number, render, sign and store the letter: all of it or nothing.

    The number, the letter row and the request's new status commit together;
    the PDF file is written before the row and deleted again if the
    transaction rolls back, so a failure leaves no letter, no file and no
    used number.

    Rendering and signing take ~25 ms, too long to hold SQLite's one write
    lock (or a village's counter row) for: the PDF is first made with the
    number the counter says comes next, and the transaction commits it only
    if that number is still next when the counter row is locked. When another
    signer of the same village got there first, it is made again with the new
    number; after a few such collisions it is made inside the lock.
    """
    from balai.letters.pki import load_signer

    if not may_sign(user, req):
        raise PermissionDenied
    if not signer_name(user, req.village):
        raise Refused(unnamed_signer_message(user))
    cert = load_signer(user)  # raises SignerUnavailable before anything is taken
    started = time.perf_counter()
    for _attempt in range(OPTIMISTIC_ATTEMPTS):
        try:
            letter = _sign(req, user, cert, render_in_lock=False)
            break
        except _NumberMoved:
            continue
    else:
        letter = _sign(req, user, cert, render_in_lock=True)
    LETTER_SIGN_SECONDS.observe(time.perf_counter() - started)
    return letter


def _locked_request(req: LetterRequest) -> LetterRequest:
    req = (
        LetterRequest.objects.select_for_update(of=("self",))
        .select_related("letter_type", "village__district", "resident__family")
        .get(pk=req.pk)
    )
    _check_signable(req)
    return req


def _check_signable(req: LetterRequest) -> None:
    if req.status != RequestStatus.AWAITING_SIGNATURE:
        raise Refused(
            _("Permohonan ini berstatus “%(s)s”; tidak dapat ditandatangani.")
            % {"s": req.get_status_display()}
        )


def _sign(req: LetterRequest, user, cert, *, render_in_lock: bool) -> Letter:
    written: list[str] = []
    regency_settings = LetterSettings.current()
    try:
        letter = None
        if not render_in_lock:
            req = LetterRequest.objects.select_related(
                "letter_type", "village__district", "resident__family"
            ).get(pk=req.pk)
            _check_signable(req)
            options = VillageLetterSettings.for_village(req.village)
            scope = _number_scope(options, req.letter_type)
            now = timezone.now()
            year = timezone.localdate(now).year
            guess = _peek_number(req.village, scope, year)
            letter = make_letter(req, user, cert, guess, now, options, regency_settings, written)
        with transaction.atomic():
            if letter is None:
                req = _locked_request(req)
                options = VillageLetterSettings.for_village(req.village)
                scope = _number_scope(options, req.letter_type)
                now = timezone.now()
                year = timezone.localdate(now).year
                sequence = _take_number(req.village, scope, year)
                letter = make_letter(
                    req, user, cert, sequence, now, options, regency_settings, written
                )
            else:
                # Lock the request row and see it is still waiting; the rest was
                # loaded above and does not change while a request awaits signing.
                status = (
                    LetterRequest.objects.select_for_update()
                    .filter(pk=req.pk)
                    .values_list("status", flat=True)
                    .get()
                )
                if status != req.status:
                    req.status = status
                    _check_signable(req)
                if _take_number(req.village, scope, year) != letter.sequence:
                    raise _NumberMoved
            letter.request, letter.scope = req, scope
            letter.save()
            _mark_ready(req, letter, user)
            pause_point("letters.sign.before-commit")
    except BaseException:
        _delete_files(written)
        raise
    return letter


def _mark_ready(req: LetterRequest, letter: Letter, user) -> None:
    now = letter.issued_at
    req.status, req.status_changed_at = RequestStatus.READY, now
    req.save(update_fields=["status", "status_changed_at"])
    RequestStep.objects.create(request=req, step=Step.SIGNED, user=user, at=now, note=letter.number)
    detail = {"number": letter.number}
    if letter.signer_authority:
        detail["authority"] = letter.signer_authority
    audit.record("letter.signed", letter, user=user, detail=detail)
    # The request's staff UUID, not its tracking code or the letter's QR id:
    # either would open the resident's letter to whoever holds it.
    data = {
        "request": str(req.uuid),
        "letter_type": req.letter_type.code,
        "village": req.village_id,
        "status": req.status,
        "at": now.isoformat(),
    }
    publish(Kind.LETTER_READY, data, village=req.village)
    _tell_resident(
        req,
        "ready",
        _("Surat Anda siap diambil"),
        _(
            "%(type)s Anda sudah ditandatangani (nomor %(number)s) dan siap diambil "
            "di kantor %(village)s. Bawa KTP. Kode lacak: %(code)s\n%(url)s"
        )
        % {
            "type": req.letter_type.name,
            "number": letter.number,
            "village": str(req.village),
            "code": req.grouped_code,
            "url": tracking_url(req),
        },
    )


def make_letter(
    req: LetterRequest,
    user,
    cert,
    sequence: int,
    now: dt.datetime,
    options: VillageLetterSettings,
    regency_settings: LetterSettings,
    written: list[str],
) -> Letter:
    """The numbered, signed letter for `req`, its PDF written to storage, its row unsaved."""
    from balai.letters.rendering import render_letter
    from balai.letters.signing import sign_pdf

    letter = new_letter(req, user, sequence, now, regency_settings)
    data = letter_data(
        req,
        options=options,
        regency_settings=regency_settings,
        number=letter.number,
        signer=letter.signer_name,
        position=letter.signer_position,
        authority=letter.signer_authority,
        issued=timezone.localdate(now),
        valid_until=letter.valid_until,
        url=verification_url(letter),
    )
    pdf = sign_pdf(
        render_letter(data), cert, reason=f"Surat {letter.number}", location=req.village.name
    )
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.pdf.save(f"{letter.public_id}.pdf", ContentFile(pdf), save=False)
    written.append(letter.pdf.name)
    return letter


def revoke_letter(letter: Letter, user, reason: str) -> Letter:
    reason = _reason(reason)
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.revoked_at is not None:
            raise Refused(_("Surat ini sudah dicabut."))
        letter.revoked_at, letter.revoked_by, letter.revoke_reason = timezone.now(), user, reason
        letter.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        RequestStep.objects.create(
            request_id=letter.request_id, step=Step.REVOKED, user=user, note=reason
        )
        audit.record("letter.revoked", letter, user=user, detail={"reason": reason[:200]})
    return letter


def record_download(req: LetterRequest) -> None:
    with transaction.atomic():
        RequestStep.objects.create(request=req, step=Step.DOWNLOADED)
        audit.record("letter.downloaded", req, detail={"by": "resident"})


# ---------------------------------------------------------------- PINs


def issue_pin(resident, user) -> str:
    """A new 6-digit PIN for `resident`, shown once; it must be changed at first use."""
    pin = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        ResidentPin.objects.update_or_create(
            resident=resident,
            defaults={
                "village": resident.village,
                "pin_hash": make_password(pin),
                "must_change": True,
                "issued_by": user,
                "issued_at": timezone.now(),
                "changed_at": None,
            },
        )
        audit.record("letter_pin.issued", resident, user=user)
    return pin


def change_pin(pin: ResidentPin, new_pin: str) -> ResidentPin:
    with transaction.atomic():
        pin.pin_hash = make_password(new_pin)
        pin.must_change = False
        pin.changed_at = timezone.now()
        pin.save(update_fields=["pin_hash", "must_change", "changed_at"])
        audit.record("letter_pin.changed", pin.resident, village=pin.village_id)
    return pin


# ---------------------------------------------------------------- settings


def save_letter_type(letter_type: LetterType, user, fields: Iterable[str]) -> LetterType:
    with transaction.atomic():
        created = letter_type.pk is None
        letter_type.full_clean()
        letter_type.save()
        audit.record(
            "letter_type.created" if created else "letter_type.changed",
            letter_type,
            user=user,
            detail={"fields": sorted(fields)},
        )
    return letter_type


def save_regency_settings(options: LetterSettings, user, values: dict) -> LetterSettings:
    """The regency admin's letter settings (number format, paper), with their
    audit row, in one transaction."""
    old = LetterSettings.objects.filter(pk=options.pk).values_list("logo", flat=True).first()
    with transaction.atomic():
        options.save()
        audit.record("letter_settings.regency_changed", None, user=user, detail=values)
    if old and old != options.logo.name:  # a replaced or removed logo's file goes too
        transaction.on_commit(lambda: _delete_files([old]))
    return options


def save_village_settings(
    options: VillageLetterSettings, enabled_types, user, secretary_types=None
):
    """A village's steps, letterhead, the types it switches on and (when given) the
    types its secretary signs a.n. the head."""
    with transaction.atomic():
        options.save()
        enabled_ids = {t.pk for t in enabled_types}
        secretary_ids = {t.pk for t in secretary_types or ()}
        for letter_type in LetterType.objects.filter(is_active=True):
            defaults = {"enabled": letter_type.pk in enabled_ids}
            if secretary_types is not None:
                defaults["secretary_signs"] = letter_type.pk in secretary_ids
            VillageLetterType.objects.update_or_create(
                village=options.village, letter_type=letter_type, defaults=defaults
            )
        detail: dict[str, object] = {"enabled": sorted(t.code for t in enabled_types)}
        if secretary_types is not None:
            detail["secretary_signs_all"] = options.secretary_signs
            detail["secretary_signs"] = sorted(t.code for t in secretary_types)
        audit.record("letter_settings.changed", options.village, user=user, detail=detail)
    return options


def enable_types(village, codes: Iterable[str]) -> None:
    """Switch letter types on in a village (demo, onboarding)."""
    with transaction.atomic():
        for letter_type in LetterType.objects.filter(code__in=list(codes)):
            VillageLetterType.objects.update_or_create(
                village=village, letter_type=letter_type, defaults={"enabled": True}
            )
        audit.record("letter_types.enabled", village, detail={"codes": sorted(codes)})


def read_own_data(resident) -> list:
    """`resident`'s living family members (besides them), as the registry holds them,
    for the resident signed in with their PIN; the read is audited (UU PDP)."""
    from balai.residents.models import Resident

    members = []
    if resident.family_id is not None:
        members = list(
            Resident.objects.alive()
            .filter(family_id=resident.family_id, village_id=resident.village_id)
            .exclude(pk=resident.pk)
            .order_by("relationship", "birth_date")
        )
    audit.record(
        "resident.data_read_by_self",
        resident,
        detail={"family_members": [m.masked_nik for m in members]},
    )
    return members
