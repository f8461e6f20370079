"""/api/v1/search and /api/v1/catalogue: the catalogue for residents' apps and
agencies' systems.

Reading is public; writing needs a token with `catalogue:write` and reaches
only the token user's entries (their agency's; the regency admin's all),
through the same form and actions as the staff pages.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from balai.accounts.access import get_for_user_or_404
from balai.accounts.api_auth import TokenAuth, require_scope
from balai.accounts.choices import Scope
from balai.agencies.models import Agency
from balai.hub import actions, health, search
from balai.hub.choices import Health, Source
from balai.hub.choices import Status as EntryStatus
from balai.hub.forms import ServiceForm
from balai.hub.models import Service, Theme
from balai.lib.listparams import CursorPage, CursorParams, Text, cursor_page

router = Router(tags=["catalogue"])

MAX_QUERY = 100


class CatalogueEntryOut(Schema):
    slug: str
    name: str
    source: Source = Field(description="service, letter (village letter) or complaint")
    description: str
    agency: str | None = Field(description="Agency slug; null for village offices")
    cost: str
    duration_days: int | None = Field(description="Working days")
    status: EntryStatus
    themes: list[str]
    url: str = Field(description="The entry's public page")


class CatalogueHealthOut(Schema):
    health: Health
    since: dt.datetime | None
    checked_at: dt.datetime | None
    uptime_30d: float | None = Field(description="Share of the last 30 days it answered")


class CatalogueDetailOut(CatalogueEntryOut):
    audience: str
    requirements: list[str]
    online_url: str
    office_address: str
    office_hours: str
    whatsapp: str
    phone: str
    app_url: str
    contact: str
    tags: list[str]
    health_url: str
    live_status: CatalogueHealthOut | None = Field(description="Only for entries with a health URL")


class SearchOut(Schema):
    query: str
    corrected: dict[str, list[str]] = Field(description="Misspelt words and what was searched")
    results: list[CatalogueEntryOut]


class SearchParams(Schema):
    q: str = Field(..., min_length=1, max_length=MAX_QUERY, description="What the resident typed")
    limit: int = Field(
        20, ge=1, le=50, description="The best this many; a ranked answer, not a list to page"
    )


class CataloguePage(CursorPage):
    items: list[CatalogueEntryOut]


class CatalogueFilters(CursorParams):
    agency: Text | None = Field(None, description="Agency slug")
    theme: Text | None = Field(None, description="Theme slug")
    status: EntryStatus | None = Field(None, description="Default: trial and live")
    source: Source | None = None


class CatalogueEntryIn(Schema):
    name: str = Field(max_length=200)
    slug: str = Field("", max_length=80)
    description: str = Field(max_length=2000)
    audience: str = ""
    requirements: list[str] = Field(default_factory=list, max_length=50)
    cost: str = "Gratis"
    duration_days: int | None = Field(None, ge=0, le=3650)
    online_url: str = ""
    office_address: str = ""
    office_hours: str = ""
    whatsapp: str = ""
    phone: str = ""
    app_url: str = ""
    agency: str | None = Field(None, description="Agency slug (regency admin only)")
    contact: str = ""
    themes: list[str] = Field(default_factory=list, max_length=20, description="Theme slugs")
    tags: list[str] = Field(default_factory=list, max_length=30)
    status: EntryStatus = EntryStatus.LIVE
    health_url: str = ""


def entry_out(s: Service) -> dict:
    return {
        "slug": s.slug,
        "name": s.name,
        "source": s.source,
        "description": s.description,
        "agency": s.agency.slug if s.agency else None,
        "cost": s.cost,
        "duration_days": s.duration_days,
        "status": s.status,
        "themes": [t.slug for t in s.themes.all()],
        "url": s.get_absolute_url(),
    }


def detail_out(s: Service) -> dict:
    live = None
    if s.health_url:
        status = health.status_of(s)
        live = {
            "health": status["health"],
            "since": status["since"],
            "checked_at": status["checked_at"],
            "uptime_30d": status["uptime"],
        }
    return {
        **entry_out(s),
        **{name: getattr(s, name) for name in ("audience", "online_url", "office_address")},
        **{name: getattr(s, name) for name in ("office_hours", "whatsapp", "phone", "app_url")},
        "requirements": s.requirement_list,
        "contact": s.contact,
        "tags": s.tag_list,
        "health_url": s.health_url,
        "live_status": live,
    }


def _entries():
    return Service.objects.select_related("agency").prefetch_related("themes")


@router.get("/search", response=SearchOut, summary="Cari layanan", auth=None)
def search_catalogue(request, params: Query[SearchParams]):
    """Indonesian, typo-tolerant and synonym-aware search over live and trial entries."""
    found, parsed = search.search(params.q, limit=params.limit)
    ids = [s.pk for s in found]
    themed = _entries().in_bulk(ids)
    return {
        "query": params.q,
        "corrected": parsed.corrected,
        "results": [entry_out(themed[i]) for i in ids],
    }


@router.get("/catalogue", response=CataloguePage, summary="Katalog layanan", auth=None)
def list_catalogue(request, filters: Query[CatalogueFilters]):
    found = _entries()
    found = found.filter(status=filters.status) if filters.status else found.public()
    if filters.agency:
        found = found.filter(agency__slug=filters.agency)
    if filters.theme:
        found = found.filter(themes__slug=filters.theme)
    if filters.source:
        found = found.filter(source=filters.source)
    page, next_cursor = cursor_page(found.order_by("slug").distinct(), filters)
    return {"items": [entry_out(s) for s in page], "next_cursor": next_cursor}


@router.get("/catalogue/{slug}", response=CatalogueDetailOut, summary="Satu layanan", auth=None)
def get_entry(request, slug: str):
    entry = _entries().filter(slug=slug[:80]).first()
    if entry is None:
        raise HttpError(404, _("Tidak ditemukan"))
    return detail_out(entry)


def _form_data(body: CatalogueEntryIn) -> dict:
    data = body.dict()
    data["requirements"] = "\n".join(body.requirements)
    data["tags"] = ", ".join(body.tags)
    data["themes"] = list(Theme.objects.filter(slug__in=body.themes).values_list("pk", flat=True))
    if len(data["themes"]) != len(set(body.themes)):
        raise HttpError(422, _("themes: tema tidak dikenal"))
    data["agency"] = ""
    if body.agency:
        agency = Agency.objects.active().filter(slug=body.agency).first()
        data["agency"] = agency.pk if agency else -1
    return {k: ("" if v is None else v) for k, v in data.items()}


def _save(request, body: CatalogueEntryIn, entry: Service | None) -> Service:
    form = ServiceForm(_form_data(body), instance=entry, user=request.user)
    if not form.is_valid():
        raise HttpError(
            422, "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items())
        )
    data = {k: form.cleaned_data[k] for k in form.fields}
    if entry is None:
        return actions.create_service(request.user, data)
    return actions.update_service(request.user, entry, data)


@router.post(
    "/catalogue",
    response={201: CatalogueDetailOut},
    summary="Tambah layanan",
    auth=TokenAuth(),
)
def create_entry(request, body: CatalogueEntryIn):
    require_scope(request, Scope.CATALOGUE_WRITE)
    if not actions.can_edit(request.user):
        raise HttpError(403, _("Tidak diizinkan"))
    entry = _save(request, body, None)
    return Status(201, detail_out(_entries().get(pk=entry.pk)))


@router.put(
    "/catalogue/{slug}", response=CatalogueDetailOut, summary="Ubah layanan", auth=TokenAuth()
)
def update_entry(request, slug: str, body: CatalogueEntryIn):
    require_scope(request, Scope.CATALOGUE_WRITE)
    entry = get_for_user_or_404(Service.objects.editable(), request.user, slug=slug[:80])
    _save(request, body, entry)
    return detail_out(_entries().get(pk=entry.pk))
