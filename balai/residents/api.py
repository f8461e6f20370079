"""Residents API: a masked, paginated search for staff tokens; public aggregates."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from balai.accounts.access import require_role, village_for_user_or_404
from balai.accounts.api_auth import TokenAuth, require_scope
from balai.accounts.choices import Scope
from balai.lib.listparams import CursorPage, CursorParams, Text, cursor_page
from balai.regions.codes import level_of
from balai.regions.models import District, Village
from balai.residents import stats
from balai.residents.models import Resident
from balai.residents.nik import has_id_number
from balai.residents.roles import READERS

router = Router(tags=["residents"])


class ResidentOut(Schema):
    id: str
    nik: str
    no_kk: str
    name: str
    sex: int
    birth_year: int | None
    dusun: str
    rt: str
    rw: str
    status: int
    village: str


class ResidentPage(CursorPage):
    """One page of residents by name; `count` is every match."""

    count: int
    items: list[ResidentOut]


class ResidentFilter(CursorParams):
    village: Text
    q: Text = ""


@router.get(
    "/residents",
    response=ResidentPage,
    auth=TokenAuth(),
    summary="List a village's residents, or search them by name (masked NIK/KK)",
)
def residents(request, filters: Query[ResidentFilter]):
    """Residents of one village, `q` by name; needs `residents:read`.

    A NIK or no. KK in `q` is refused (400): URLs end up in logs. Search by
    number with `POST /residents/search`. NIK and no. KK come masked
    (`3508••••••••0001`); the total is in `count`.
    """
    if has_id_number(filters.q):
        raise HttpError(
            400,
            _(
                "NIK atau nomor KK tidak boleh dikirim di URL (alamat tercatat di log server); "
                "cari dengan POST /api/v1/residents/search dan kirim `q` di badan permintaan."
            ),
        )
    return _search(request, filters)


@router.post(
    "/residents/search",
    response=ResidentPage,
    auth=TokenAuth(),
    summary="Search a village's residents by NIK, no. KK or name (query in the body)",
)
def search_residents(request, filters: ResidentFilter):
    """As `GET /residents`, with the query in a JSON body, so a NIK never sits in a URL."""
    return _search(request, filters)


def _search(request, filters: ResidentFilter) -> dict:
    require_scope(request, Scope.RESIDENTS_READ)
    require_role(request.user, *READERS)
    village = village_for_user_or_404(request.user, filters.village)
    qs = Resident.objects.for_user(request.user).filter(village=village)
    if filters.q:
        qs = qs.search(filters.q)
    count = qs.count()
    rows, next_cursor = cursor_page(qs.select_related("family").order_by("name_key", "pk"), filters)
    return {
        "count": count,
        "next_cursor": next_cursor,
        "items": [
            {
                "id": str(r.uuid),
                "nik": r.masked_nik,
                "no_kk": r.family.masked_kk if r.family else "",
                "name": r.name,
                "sex": r.sex,
                "birth_year": r.birth_date.year if r.birth_date else None,
                "dusun": r.family.dusun if r.family else "",
                "rt": r.family.rt if r.family else "",
                "rw": r.family.rw if r.family else "",
                "status": r.status,
                "village": r.village_id,
            }
            for r in rows
        ],
    }


class CountOut(Schema):
    code: int | None
    label: str
    count: int | None


class AgeGroupOut(Schema):
    label: str
    male: int | None
    female: int | None
    count: int | None


class PopulationOut(Schema):
    region: str
    total: int
    small_count_threshold: int
    sex: list[CountOut]
    religion: list[CountOut]
    education: list[CountOut]
    occupation: list[CountOut]
    marital_status: list[CountOut]
    age_groups: list[AgeGroupOut]


@router.get(
    "/stats/population/{region_code}",
    response=PopulationOut,
    auth=None,
    summary="Population aggregates of the regency, a district or a village",
)
def population(request, region_code: str):
    """Living residents by sex, age group, religion, education, occupation and marital status.

    Counts from 1 to 4 are `null` so that nobody can be singled out.
    """
    level = level_of(region_code)
    ok = (
        (level == "regency" and region_code == settings.BALAI_REGENCY)
        or (level == "district" and District.objects.in_regency().filter(code=region_code).exists())
        or (level == "village" and Village.objects.active().filter(code=region_code).exists())
    )
    if not ok:
        raise Http404
    return stats.population(region_code)
