"""Letters API for village kiosks and mobile apps: the same rules as the pages.

Public: a village's letter types, submitting a request, a request's status by
tracking code (no personal data). Staff tokens: the queue (`letters:read`),
the workflow steps (`letters:write`) and issued PDFs (`letters:read`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from uuid import UUID

import pydantic
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from balai.accounts import ratelimit
from balai.accounts.access import get_for_user_or_404, require_role
from balai.accounts.api_auth import TokenAuth, require_scope
from balai.accounts.choices import Scope
from balai.letters import actions, identity, progress
from balai.letters.forms import EXTRA, UPLOAD, LetterRequestForm
from balai.letters.models import Letter, LetterRequest, LetterType
from balai.lib import tracking
from balai.lib.examples import example, page_example
from balai.lib.listparams import CursorPage, CursorParams, Text, cursor_page
from balai.lib.problems import Problem
from balai.regions.models import Village

router = Router(tags=["letters"])

API_STEPS = {
    "verify": "verifikasi",
    "check": "periksa",
    "sign": "tandatangani",
    "return": "kembalikan",
    "reject": "tolak",
    "collect": "ambil",
}


class FieldOut(Schema):
    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: list[str] = []


class RequirementOut(Schema):
    key: str
    label: str
    upload: bool = False
    required: bool = False


class LetterTypeOut(Schema):
    model_config = example(
        {
            "code": "domisili",
            "name": "Surat Keterangan Domisili",
            "classification": "470",
            "description": "",
            "online": True,
            "validity_days": 90,
            "sla_days": 3,
            "requirements": [
                {"key": "ktp", "label": "Foto KTP-el", "upload": True, "required": True}
            ],
            "extra_fields": [],
        }
    )

    code: str
    name: str
    classification: str
    description: str
    online: bool
    validity_days: int
    sla_days: int
    requirements: list[RequirementOut]
    extra_fields: list[FieldOut]


@router.get("/villages/{code}/letter-types", response=list[LetterTypeOut])
def village_letter_types(request, code: str):
    """The letter types an onboarded village serves (all of them, `online` says which
    may be requested here)."""
    village = Village.objects.active().filter(code=code).first()
    if village is None:
        raise Http404
    return list(LetterType.objects.enabled_in(village))


class DocumentIn(Schema):
    name: str
    content_base64: str


class RequestIn(Schema):
    village: str
    letter_type: str
    nik: str
    no_kk: str
    birth_date: dt.date
    purpose: str
    fields: dict[str, str] = {}
    documents: dict[str, DocumentIn] = {}
    phone: str = ""
    email: str = ""
    idempotency_key: UUID


SHORT_REF = (
    "Short reference the resident reads over the phone (with the last four digits of "
    "the request's phone number it opens the request)"
)


class CreatedOut(Schema):
    model_config = example(
        {
            "tracking_code": "ZY48HRJ6FHZ48PEHKVQZQ3MXEDKB",
            "tracking_code_grouped": "ZY48-HRJ6-FHZ4-8PEH-KVQZ-Q3MX-EDKB",
            "short_ref": "K7QM-3XPA",
            "status": "submitted",
            "tracking_url": "https://lumajangkab.go.id/surat/lacak/ZY48HRJ6FHZ48PEHKVQZQ3MXEDKB/",
            "created": True,
        }
    )

    tracking_code: str
    tracking_code_grouped: str
    short_ref: str | None = Field(description=SHORT_REF)
    status: str
    tracking_url: str
    created: bool


class _NotBase64(Exception):
    """A document whose content is not valid base64 (its requirement key)."""


def _village_and_type(body: RequestIn) -> tuple[Village, LetterType]:
    village = Village.objects.in_regency().filter(code=body.village).first()
    letter_type = LetterType.objects.filter(code=body.letter_type).first()
    if village is None or letter_type is None:
        raise HttpError(404, _("Desa atau jenis surat tidak ditemukan."))
    return village, letter_type


def _form_data(body: RequestIn) -> dict[str, str]:
    """The body as LetterRequestForm's fields."""
    return {
        "nik": body.nik,
        "no_kk": body.no_kk,
        "birth_date": body.birth_date.isoformat(),
        "purpose": body.purpose,
        "phone": body.phone,
        "email": body.email,
        "idempotency_key": str(body.idempotency_key),
        **{EXTRA + k: v for k, v in body.fields.items()},
    }


def _form_files(body: RequestIn) -> dict[str, SimpleUploadedFile]:
    """The documents as LetterRequestForm's uploads; _NotBase64 for a bad one."""
    files = {}
    for key, doc in body.documents.items():
        try:
            content = base64.b64decode(doc.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise _NotBase64(key) from None
        files[UPLOAD + key] = SimpleUploadedFile(doc.name[:100] or key, content)
    return files


def _created(req: LetterRequest, created: bool) -> Status:
    out = {
        "tracking_code": req.tracking_code,
        "tracking_code_grouped": req.grouped_code,
        "short_ref": req.grouped_short_ref or None,
        "status": req.status,
        "tracking_url": actions.tracking_url(req),
        "created": created,
    }
    return Status(201 if created else 200, out)


@router.post("/letter-requests", response={200: CreatedOut, 201: CreatedOut})
def create_request(request, body: RequestIn):
    """Submit a request (the same checks as the form). Documents come base64-encoded
    by requirement key. Repeating the same `idempotency_key` returns the first request."""
    client = ratelimit.client_key(request)
    if ratelimit.reached(identity.submit_limit(client)) is not None:
        raise HttpError(429, _("Terlalu banyak permohonan dari alamat ini. Coba lagi nanti."))
    village, letter_type = _village_and_type(body)
    try:
        actions.check_open_for_requests(village, letter_type)
        files = _form_files(body)
        form = LetterRequestForm(
            _form_data(body), files, letter_type=letter_type, village=village, http_request=request
        )
        if not form.is_valid():
            errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
            raise Problem(422, _("Data tidak valid"), errors=errors)
        return _created(*form.submit(count_for=client))
    except actions.Refused as refused:
        raise Problem(403, refused.message) from None
    except _NotBase64 as bad:
        errors = {UPLOAD + str(bad): [_("Isi berkas bukan base64 yang sah.")]}
        raise Problem(422, _("Data tidak valid"), errors=errors) from None


class LetterOut(Schema):
    number: str
    issued_at: dt.datetime
    revoked: bool
    verification_url: str


class StatusOut(Schema):
    model_config = example(
        {
            "tracking_code": "ZY48-HRJ6-FHZ4-8PEH-KVQZ-Q3MX-EDKB",
            "short_ref": "K7QM-3XPA",
            "letter_type": "Surat Pengantar SKCK",
            "village": "Desa Tegalrejo",
            "status": "ready",
            "status_label": "Siap diambil",
            "next_step": "Ambil surat di kantor desa pada hari kerja.",
            "submitted_at": "2026-12-05T16:18:46.179Z",
            "status_changed_at": "2026-12-05T16:18:47.234Z",
            "due_at": "2026-12-09T17:00:00Z",
            "reason": "",
            "letter": {
                "number": "331/003/35.08.01.2001/2026",
                "issued_at": "2026-12-05T16:18:47.046Z",
                "revoked": False,
                "verification_url": "https://lumajangkab.go.id/surat/v/NBn6mnJ6EjMd3ItbKNbI0w/",
            },
        }
    )

    tracking_code: str
    short_ref: str | None = Field(description=SHORT_REF)
    letter_type: str
    village: str
    status: str
    status_label: str
    next_step: str
    submitted_at: dt.datetime
    status_changed_at: dt.datetime
    due_at: dt.datetime | None
    reason: str
    letter: LetterOut | None


def _status(req: LetterRequest) -> dict:
    letter = Letter.objects.filter(request=req).first()
    reason = req.return_reason if req.status == "returned" else ""
    reason = req.reject_reason if req.status == "rejected" else reason
    return {
        "tracking_code": req.grouped_code,
        "short_ref": req.grouped_short_ref or None,
        "letter_type": req.letter_type.name,
        "village": str(req.village),
        "status": req.status,
        "status_label": str(req.get_status_display()),
        "next_step": progress.next_step(
            req.status,
            village=str(req.village),
            due_at=req.due_at,
            return_reason=req.return_reason,
            reject_reason=req.reject_reason,
            collected_at=req.collected_at,
        ),
        "submitted_at": req.submitted_at,
        "status_changed_at": req.status_changed_at,
        "due_at": req.due_at,
        "reason": reason,
        "letter": None
        if letter is None
        else {
            "number": letter.number,
            "issued_at": letter.issued_at,
            "revoked": letter.is_revoked,
            "verification_url": actions.verification_url(letter),
        },
    }


@router.get("/letter-requests/{tracking_code}", response=StatusOut)
def request_status(request, tracking_code: str):
    """A request's status by its tracking code; no personal data."""
    code = tracking.normalise(tracking_code)
    req = (
        LetterRequest.objects.select_related("letter_type", "village")
        .filter(tracking_code=code)
        .first()
        if code
        else None
    )
    if req is None:
        raise Http404
    return _status(req)


class StaffRequestOut(Schema):
    id: UUID
    tracking_code: str
    short_ref: str | None = Field(description=SHORT_REF)
    village: str
    village_code: str
    letter_type: str
    status: str
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    resident_name: str
    letter_number: str | None
    letter_id: str | None


STAFF_REQUEST_EXAMPLE = {
    "id": "31332dbd-7288-4c08-a706-499c94095dfb",
    "tracking_code": "HFFS-F876-NTZM-EEG8-2AC3-RWA1-72VM",
    "short_ref": "K7QM-3XPA",
    "village": "Desa Tegalrejo",
    "village_code": "35.08.01.2001",
    "letter_type": "Surat Keterangan Kehilangan",
    "status": "submitted",
    "submitted_at": "2026-12-05T16:18:46.198Z",
    "due_at": "2026-12-09T17:00:00Z",
    "overdue": False,
    "resident_name": "Cengkir Anggriawan",
    "letter_number": None,
    "letter_id": None,
}


class StaffRequestPage(CursorPage):
    model_config = page_example(STAFF_REQUEST_EXAMPLE)
    """One page of requests, newest first."""

    items: list[StaffRequestOut]


class StaffRequestFilters(CursorParams):
    village: Text | None = None
    status: Text | None = None
    limit: int = Field(50, ge=1, le=100)


@router.get("/letter-requests", auth=TokenAuth(), response=StaffRequestPage)
def staff_requests(request, filters: Query[StaffRequestFilters]):
    """The requests the token's user may see; `status=open` for the queue."""
    require_scope(request, Scope.LETTERS_READ)
    require_role(request.user, *actions.QUEUE_ROLES)
    qs = (
        LetterRequest.objects.for_user(request.user)
        .queue(filters.status)
        .select_related("letter_type", "village", "resident", "letter")
    )
    if filters.village:
        qs = qs.filter(village_id=filters.village)
    rows = []
    page, next_cursor = cursor_page(qs, filters)
    for r in page:
        letter = getattr(r, "letter", None)
        rows.append(
            {
                "id": r.uuid,
                "tracking_code": r.grouped_code,
                "short_ref": r.grouped_short_ref or None,
                "village": str(r.village),
                "village_code": r.village_id,
                "letter_type": r.letter_type.name,
                "status": r.status,
                "submitted_at": r.submitted_at,
                "due_at": r.due_at,
                "overdue": r.is_overdue(),
                "resident_name": r.resident.name,
                "letter_number": letter.number if letter else None,
                "letter_id": letter.public_id if letter else None,
            }
        )
    return {"items": rows, "next_cursor": next_cursor}


class StepIn(Schema):
    reason: str = ""
    collected_by: str = ""


@router.post("/letter-requests/{tracking_code}/{action}", auth=TokenAuth(), response=StatusOut)
def staff_step(request, tracking_code: str, action: str):
    """verify, check, sign, return (reason), reject (reason), collect (collected_by).

    The body is optional JSON: `{"reason": ...}` or `{"collected_by": ...}`."""
    if action not in API_STEPS:
        raise Http404
    require_scope(request, Scope.LETTERS_WRITE)
    require_role(request.user, *actions.QUEUE_ROLES)
    code = tracking.normalise(tracking_code) or "-"
    req = get_for_user_or_404(LetterRequest.objects.all(), request.user, tracking_code=code)
    step = API_STEPS[action]
    require_role(request.user, *actions.STEP_ROLES[step])
    try:
        if request.content_type == "application/json":
            raw = json.loads(request.body or b"{}")
        else:
            raw = request.POST.dict()
        body = StepIn(**raw) if isinstance(raw, dict) else None
    except (ValueError, pydantic.ValidationError):
        body = None
    if body is None:
        raise HttpError(400, _("Isi permintaan harus objek JSON."))
    done, message = actions.run_step(req, request.user, step, body.dict())
    if not done:
        raise Problem(409, message)
    req.refresh_from_db()
    return _status(req)


@router.get("/letters/{public_id}/pdf", auth=TokenAuth())
def letter_pdf(request, public_id: str):
    """The signed PDF of an issued letter (staff of its village)."""
    require_scope(request, Scope.LETTERS_READ)
    require_role(request.user, *actions.QUEUE_ROLES)
    letter = get_for_user_or_404(Letter.objects.all(), request.user, public_id=public_id)
    from balai.accounts import audit

    audit.record("letter.pdf_viewed", letter, user=request.user)
    return FileResponse(
        letter.pdf.open("rb"), content_type="application/pdf", filename=f"{public_id}.pdf"
    )
