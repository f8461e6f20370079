"""/api/v1/cameras for staff tokens: list with filters, detail, state, history,
the camera.down / camera.up event feed, and registering or changing a camera.

Tokens act as their user: the same scope (for_user), the same form and the
same actions as the pages. Credentials may be written, never read.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from balai.accounts.access import get_for_user_or_404
from balai.accounts.api_auth import TokenAuth, require_scope
from balai.accounts.choices import Scope
from balai.cctv import actions, history
from balai.cctv.choices import Purpose, State, Visibility
from balai.cctv.forms import CameraForm
from balai.cctv.models import Camera, CameraEvent, CameraRollup, Site, can_manage, uptime
from balai.lib.listparams import MAX_LIMIT, CursorPage, CursorParams, Text, cursor_page

router = Router(tags=["cctv"], auth=TokenAuth())


class CameraOut(Schema):
    id: UUID = Field(description="Public id")
    name: str
    village: str = Field(description="Village code")
    district: str
    site: UUID | None
    location: str
    latitude: float | None
    longitude: float | None
    purpose: Purpose
    owner: str | None = Field(description="Owner agency slug; null for the village itself")
    visibility: Visibility
    make: str
    model: str
    installed_on: dt.date | None
    retention_days: int
    operator_contact: str
    has_credentials: bool
    state: State
    state_since: dt.datetime | None
    problems: list[str]
    problem_text: str
    last_checked_at: dt.datetime | None
    clock_drift: float | None


class CameraPage(CursorPage):
    """One page of cameras, oldest first."""

    items: list[CameraOut]


class CameraDetailOut(CameraOut):
    rtsp_url: str
    onvif_url: str
    snapshot_url: str
    hls_url: str
    relay_path: str
    reconnects_24h: int
    freezes_24h: int


class CameraEventOut(Schema):
    id: int = Field(description="Increasing; pass the last one seen as `after`")
    camera: UUID
    type: str = Field(description="camera.down, camera.up or camera.degraded")
    at: dt.datetime
    from_state: State
    to_state: State
    problem: str
    text: str


class UptimeOut(Schema):
    days: int
    up_seconds: int
    degraded_seconds: int
    down_seconds: int
    uptime: float | None


# Event ids are 64-bit: a larger `after` could only overflow the database's integer.
MAX_EVENT_ID = 2**63 - 1


class CameraFilters(CursorParams):
    village: Text | None = None
    district: Text | None = None
    owner: Text | None = Field(None, description="Agency slug, or 'village' for villages' own")
    state: State | None = None
    purpose: Purpose | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)


class CameraIn(Schema):
    name: str = Field(max_length=120)
    village: str
    site: UUID | None = None
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    purpose: Purpose
    owner: str | None = Field(None, description="Agency slug (regency admin only)")
    visibility: Visibility = Visibility.STAFF
    make: str = ""
    model: str = ""
    installed_on: dt.date | None = None
    rtsp_url: str = ""
    onvif_url: str = ""
    snapshot_url: str = ""
    hls_url: str = ""
    relay_path: str = ""
    retention_days: int = 30
    operator_contact: str
    username: str = Field("", description="Write-only; stored encrypted")
    password: str = Field("", description="Write-only; stored encrypted")


def _cameras(user):
    return Camera.objects.for_user(user).select_related(
        "village", "village__district", "site", "owner_agency"
    )


def serialise(camera: Camera) -> dict:
    return {
        "id": camera.public_id,
        "name": camera.name,
        "village": camera.village_id,
        "district": camera.village.district_id,
        "site": camera.site.public_id if camera.site else None,
        "location": camera.location,
        "latitude": camera.latitude,
        "longitude": camera.longitude,
        "purpose": camera.purpose,
        "owner": camera.owner_agency.slug if camera.owner_agency else None,
        "visibility": camera.visibility,
        "make": camera.make,
        "model": camera.model,
        "installed_on": camera.installed_on,
        "retention_days": camera.retention_days,
        "operator_contact": camera.operator_contact,
        "has_credentials": camera.has_credentials,
        "state": camera.state,
        "state_since": camera.state_since,
        "problems": camera.problems,
        "problem_text": camera.problem_text,
        "last_checked_at": camera.last_checked_at,
        "clock_drift": camera.clock_drift,
    }


def detail(camera: Camera) -> dict:
    recent = history.recent_counts(camera)
    return {
        **serialise(camera),
        **{name: getattr(camera, name) for name in ("rtsp_url", "onvif_url", "snapshot_url")},
        "hls_url": camera.hls_url,
        "relay_path": camera.relay_path,
        "reconnects_24h": recent["reconnects"],
        "freezes_24h": recent["freezes"],
    }


def event_out(event: CameraEvent) -> dict:
    return {
        "id": event.pk,
        "camera": event.camera.public_id,
        "type": event.kind,
        "at": event.at,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "problem": event.problem,
        "text": event.text,
    }


@router.get("/cameras", response=CameraPage, summary="Kamera yang dapat dilihat token")
def list_cameras(request, filters: Query[CameraFilters]):
    require_scope(request, Scope.CCTV_READ)
    found = _cameras(request.user)
    if filters.village:
        found = found.filter(village_id=filters.village)
    if filters.district:
        found = found.filter(village__district_id=filters.district)
    if filters.owner == "village":
        found = found.filter(owner_agency__isnull=True)
    elif filters.owner:
        found = found.filter(owner_agency__slug=filters.owner)
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.purpose:
        found = found.filter(purpose=filters.purpose)
    page, next_cursor = cursor_page(found.order_by("pk"), filters)
    return {"items": [serialise(c) for c in page], "next_cursor": next_cursor}


@router.get("/cameras/{public_id}", response=CameraDetailOut, summary="Satu kamera")
def get_camera(request, public_id: UUID):
    require_scope(request, Scope.CCTV_READ)
    return detail(get_for_user_or_404(_cameras(request.user), request.user, public_id=public_id))


@router.get("/cameras/{public_id}/events", response=list[CameraEventOut], summary="Riwayat status")
def camera_events(request, public_id: UUID, limit: int = Query(100, ge=1, le=1000)):
    require_scope(request, Scope.CCTV_READ)
    camera = get_for_user_or_404(_cameras(request.user), request.user, public_id=public_id)
    events = CameraEvent.objects.filter(camera=camera).select_related("camera")[:limit]
    return [event_out(e) for e in events]


@router.get("/cameras/{public_id}/uptime", response=UptimeOut, summary="Waktu aktif per hari")
def camera_uptime(request, public_id: UUID, days: int = Query(7, ge=1, le=366)):
    require_scope(request, Scope.CCTV_READ)
    camera = get_for_user_or_404(_cameras(request.user), request.user, public_id=public_id)
    today = timezone.localdate()
    totals = (
        CameraRollup.objects.filter(camera=camera)
        .days(today - dt.timedelta(days=days - 1), today)
        .totals()
    )
    return {
        "days": days,
        "up_seconds": totals["up"],
        "degraded_seconds": totals["degraded"],
        "down_seconds": totals["down"],
        "uptime": uptime(totals),
    }


@router.get(
    "/camera-events",
    response=list[CameraEventOut],
    summary="camera.down / camera.up untuk sistem lain",
    description="State changes oldest first; pass the last id seen as `after` to continue.",
)
def event_feed(
    request, after: int = Query(0, ge=0, le=MAX_EVENT_ID), limit: int = Query(100, ge=1, le=1000)
):
    require_scope(request, Scope.CCTV_READ)
    events = CameraEvent.objects.for_user(request.user).select_related("camera")
    events = events.filter(pk__gt=after).order_by("pk")
    return [event_out(e) for e in events[:limit]]


def _form_data(body: CameraIn) -> dict:
    data = body.dict()
    data["owner_agency"] = None
    if body.owner:
        from balai.agencies.models import Agency

        agency = Agency.objects.active().filter(slug=body.owner).first()
        data["owner_agency"] = agency.pk if agency else -1
    site = Site.objects.filter(public_id=body.site).first() if body.site else None
    data["site"] = site.pk if site else ("" if body.site is None else -1)
    return {k: ("" if v is None else v) for k, v in data.items() if k != "owner"}


def _save(request, body: CameraIn, camera: Camera | None) -> Camera:
    form = CameraForm(_form_data(body), instance=camera, user=request.user)
    if not form.is_valid():
        raise HttpError(
            422, "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items())
        )
    if camera is None:
        return actions.create_camera(request.user, dict(form.cleaned_data))
    return actions.update_camera(request.user, camera, dict(form.cleaned_data))


@router.post("/cameras", response={201: CameraDetailOut}, summary="Daftarkan kamera")
def create_camera(request, body: CameraIn):
    require_scope(request, Scope.CCTV_WRITE)
    camera = _save(request, body, None)
    return Status(201, detail(_cameras(request.user).get(pk=camera.pk)))


@router.put("/cameras/{public_id}", response=CameraDetailOut, summary="Ubah kamera")
def update_camera(request, public_id: UUID, body: CameraIn):
    require_scope(request, Scope.CCTV_WRITE)
    camera = get_for_user_or_404(_cameras(request.user), request.user, public_id=public_id)
    if not can_manage(request.user, camera):
        raise HttpError(403, _("Tidak diizinkan"))
    _save(request, body, camera)
    return detail(_cameras(request.user).get(pk=camera.pk))
