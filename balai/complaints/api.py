"""/api/v1/complaints for staff tokens: list with filters, detail, state changes.

Tokens act as their user: the same scope (for_user) and the same rules as the
pages, since every change goes through balai.complaints.actions.
"""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from balai.accounts.access import get_for_user_or_404
from balai.accounts.api_auth import TokenAuth, require_scope
from balai.accounts.choices import Scope
from balai.complaints import actions, forms
from balai.complaints.choices import RejectReason, Status
from balai.complaints.models import Complaint
from balai.lib.examples import example, page_example
from balai.lib.listparams import CursorPage, CursorParams, Text, cursor_page

router = Router(tags=["complaints"], auth=TokenAuth())


class ComplaintOut(Schema):
    id: str = Field(description="Public id (also Open311 service_request_id)")
    short_ref: str | None = Field(
        description="Short reference the reporter reads over the phone (with the last four "
        "digits of their phone number it opens the report)"
    )
    category: str
    category_name: str
    status: str
    village: str
    unit_kind: str
    agency: str | None
    description: str
    privacy: str
    latitude: float | None
    longitude: float | None
    address: str
    created_at: datetime
    updated_at: datetime
    verify_due: datetime | None
    response_due: datetime | None
    resolution_due: datetime | None
    next_due: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    assignee: str | None
    reporter_name: str | None = Field(None, description="Hidden for anonymous/confidential")
    reporter_email: str | None = None
    reporter_phone: str | None = None


COMPLAINT_EXAMPLE = {
    "id": "J_lSoZvXGg6OVD8v-VxfxQ",
    "short_ref": "K7QM-3XPA",
    "category": "lampu-lalu-lintas",
    "category_name": "Lampu lalu lintas rusak",
    "status": "received",
    "village": "35.08.03.2001",
    "unit_kind": "agency",
    "agency": "dishub",
    "description": "Lampu merah di perempatan mati sejak pagi.",
    "privacy": "anonymous",
    "latitude": -8.135,
    "longitude": 113.226,
    "address": "",
    "created_at": "2026-12-01T16:18:41.054Z",
    "updated_at": "2026-12-01T16:18:41.054Z",
    "verify_due": "2026-12-02T16:18:41.054Z",
    "response_due": None,
    "resolution_due": "2026-12-07T16:18:41.054Z",
    "next_due": "2026-12-02T16:18:41.054Z",
    "first_response_at": None,
    "resolved_at": None,
    "assignee": None,
    "reporter_name": None,
    "reporter_email": None,
    "reporter_phone": None,
}


class ComplaintPage(CursorPage):
    model_config = page_example(COMPLAINT_EXAMPLE)
    """One page of complaints, newest first."""

    items: list[ComplaintOut]


class EventOut(Schema):
    at: datetime
    kind: str
    from_status: str
    to_status: str
    actor: str
    note: str
    reason: str
    internal: bool


class ComplaintDetailOut(ComplaintOut):
    model_config = example(
        {
            **COMPLAINT_EXAMPLE,
            "status": "verified",
            "events": [
                {
                    "at": "2026-12-01T20:18:41.054Z",
                    "kind": "status",
                    "from_status": "received",
                    "to_status": "verified",
                    "actor": "Command center",
                    "note": "",
                    "reason": "",
                    "internal": False,
                }
            ],
        }
    )

    events: list[EventOut]


class ComplaintFilters(CursorParams):
    status: Status | None = None
    category: Text | None = None
    unit: Literal["mine", "all"] = "all"
    overdue: bool = False
    village: Text | None = None


class ActionIn(Schema):
    action: Literal[
        "verify",
        "dispatch",
        "start",
        "respond",
        "resolve",
        "reject",
        "return",
        "close",
        "note",
        "assign",
    ]
    note: str = Field("", max_length=4000)
    reason: str = Field("", max_length=500)
    unit: Literal["agency", "village"] | None = None
    agency: str | None = Field(None, description="Agency slug for dispatch to an agency")
    reject_reason: RejectReason | None = None
    duplicate_of: str | None = None
    assignee: str | None = Field(None, description="Username; empty to unassign")


def serialise(complaint: Complaint, user, events=None) -> dict:
    hidden = complaint.identity_hidden and not actions.can_triage(user)
    data: dict[str, Any] = {
        "id": complaint.public_id,
        "short_ref": complaint.grouped_short_ref or None,
        "category": complaint.category.code,
        "category_name": complaint.category.name,
        "status": complaint.status,
        "village": complaint.village_id,
        "unit_kind": complaint.unit_kind,
        "agency": complaint.agency.slug if complaint.agency else None,
        "description": complaint.description,
        "privacy": complaint.privacy,
        "latitude": complaint.latitude,
        "longitude": complaint.longitude,
        "address": complaint.address,
        "created_at": complaint.created_at,
        "updated_at": complaint.updated_at,
        "verify_due": complaint.verify_due,
        "response_due": complaint.response_due,
        "resolution_due": complaint.resolution_due,
        "next_due": complaint.next_due,
        "first_response_at": complaint.first_response_at,
        "resolved_at": complaint.resolved_at,
        "assignee": complaint.assignee.username if complaint.assignee else None,
        "reporter_name": None if hidden else complaint.reporter_name,
        "reporter_email": None if hidden else complaint.reporter_email,
        "reporter_phone": None if hidden else complaint.reporter_phone,
    }
    if events is not None:
        data["events"] = [
            {
                "at": e.at,
                "kind": e.kind,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": e.actor_label,
                "note": e.note,
                "reason": e.reason,
                "internal": e.is_internal,
            }
            for e in events
        ]
    return data


def _queryset():
    return Complaint.objects.select_related("category", "village", "agency", "assignee")


@router.get("/complaints", response=ComplaintPage, summary="Aduan yang dapat dilihat token")
def list_complaints(request, filters: Query[ComplaintFilters]):
    require_scope(request, Scope.COMPLAINTS_READ)
    found = _queryset().queue(
        request.user,
        unit_only=filters.unit == "mine",
        status=filters.status,
        category=filters.category or "",
        village=filters.village or "",
        overdue=filters.overdue,
    )
    found, next_cursor = cursor_page(found, filters)
    actions.note_identities_listed(found, request.user)
    return {"items": [serialise(c, request.user) for c in found], "next_cursor": next_cursor}


@router.get("/complaints/{public_id}", response=ComplaintDetailOut, summary="Satu aduan")
def get_complaint(request, public_id: str):
    require_scope(request, Scope.COMPLAINTS_READ)
    complaint = get_for_user_or_404(_queryset(), request.user, public_id=public_id)
    actions.note_identity_viewed(complaint, request.user)
    return serialise(complaint, request.user, complaint.timeline(internal=True))


@router.post(
    "/complaints/{public_id}/actions", response=ComplaintDetailOut, summary="Ubah status aduan"
)
def act_on_complaint(request, public_id: str, body: ActionIn):
    require_scope(request, Scope.COMPLAINTS_WRITE)
    user = request.user
    complaint = get_for_user_or_404(_queryset(), user, public_id=public_id)
    if not actions.may_perform(user, complaint, body.action):
        raise PermissionDenied
    form = forms.action_form(body.action, complaint, form_data(body), people_by="username")
    if not form.is_valid():
        raise HttpError(422, forms.error_text(form))
    try:
        actions.perform(body.action, complaint, user, form.cleaned_data)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    complaint.refresh_from_db()
    return serialise(complaint, user, complaint.timeline(internal=True))


def form_data(body: ActionIn) -> dict:
    """The API's field names onto the page's form for the same verb."""
    data = {"note": body.note, "reason": body.reason}
    match body.action:
        case "dispatch":
            data["unit"] = _unit(body)
        case "reject":
            data["reason"] = body.reject_reason or ""
            data["duplicate_of"] = body.duplicate_of or ""
        case "return":
            data["reason"] = body.reason or body.note
        case "assign":
            data["assignee"] = body.assignee or ""
    return data


def _unit(body: ActionIn) -> str:
    """The dispatch form's value for the unit: "village" or "agency:<pk>"."""
    from balai.agencies.models import Agency

    if body.unit == "village":
        return "village"
    agency = Agency.objects.active().filter(slug=body.agency or "").first()
    return f"agency:{agency.pk}" if agency else ""
