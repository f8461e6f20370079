"""Staff dashboards (/dasbor/CODE/), the public ones (/angka/CODE/), their
tables as CSV and xlsx, and the lists behind the numbers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.accounts.access import AREA_ROLES, require_role
from balai.accounts.choices import REGENCY_ROLES, Role
from balai.accounts.ratelimit import ratelimit
from balai.dashboards import areas, lists, page, periods
from balai.dashboards import public as public_version
from balai.dashboards.scope import LETTERS, Scope
from balai.lib.pager import paginate
from balai.lib.tables import to_csv, to_xlsx

PAGE = 50
FORMATS: dict[str, tuple[str, Callable[[list[str], list], bytes]]] = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
}


def _crumbs(scope: Scope, period: periods.Period) -> list[tuple[str, str]]:
    """The area's parents, linked where the viewer may open their dashboard."""
    return [
        (
            name,
            scope.dashboard(code, period)
            if scope.public or areas.reaches(scope.user, code)
            else "",
        )
        for code, name in scope.area.parents
    ]


def _render(request, scope: Scope, period: periods.Period):
    context = {
        "area": scope.area,
        "crumbs": _crumbs(scope, period),
        "small": public_version.SMALL,
        "period": period,
        "previous": period.previous(),
        "kinds": periods.KINDS,
        "public": scope.public,
        "export": "dashboards:public-export" if scope.public else "dashboards:staff-export",
        **page.build(scope, period, map_measure=request.GET.get("peta", "")),
    }
    return render(request, "dashboards/dashboard.html", context)


def _export(scope: Scope, period: periods.Period, slug: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    table = page.table(page.build(scope, period, population=False), slug)
    if table is None:
        raise Http404
    content_type, write = FORMATS[fmt]
    headers = [str(h) for h in table.headers]
    response = HttpResponse(write(headers, table.values()), content_type=content_type)
    name = f"{slug}-{scope.area.code}-{period.first}-{period.last}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def staff_home(request):
    """The user's own area's dashboard."""
    user = request.user
    require_role(user, *AREA_ROLES)
    if user.role in REGENCY_ROLES:
        code = settings.BALAI_REGENCY
    elif user.role == Role.DISTRICT_STAFF:
        code = user.district_id
    else:
        code = user.village_id
    return redirect("dashboards:staff", code)


@login_required
def staff(request, code):
    area = areas.for_staff(request.user, code)
    period = periods.from_query(request.GET)
    return _render(request, Scope(area, request.user, timezone.now()), period)


@login_required
def staff_export(request, code, slug, fmt):
    area = areas.for_staff(request.user, code)
    scope = Scope(area, request.user, timezone.now())
    return _export(scope, periods.from_query(request.GET), slug, fmt)


@login_required
def rows(request, code, kind, measure):
    area = areas.for_staff(request.user, code)
    period = periods.from_query(request.GET)
    scope = Scope(area, request.user, timezone.now())
    found = lists.rows(scope, kind, measure, period, request.GET)
    context = {
        "area": area,
        "period": period,
        "kind": kind,
        "letters": kind == LETTERS,
        "measure": measure,
        "page": paginate(found, request.GET, PAGE, count=True),
        "back": scope.dashboard(code, period),
        "title": _("Rincian"),
    }
    return render(request, "dashboards/list.html", context)


@ratelimit(key="ip", rate="120/m", block=True)
def public(request, code):
    area = areas.find(code, public=True)
    return _render(request, Scope(area, None, timezone.now()), periods.from_query(request.GET))


@ratelimit(key="ip", rate="60/m", block=True)
def public_export(request, code, slug, fmt):
    area = areas.find(code, public=True)
    scope = Scope(area, None, timezone.now())
    return _export(scope, periods.from_query(request.GET), slug, fmt)
