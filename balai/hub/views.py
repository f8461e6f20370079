"""Pages: the catalogue by theme and agency, one page per entry, the search,
and the staff's editing pages (their agency's entries; the regency admin all)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from balai.accounts import ratelimit
from balai.accounts.access import get_for_user_or_404
from balai.agencies.models import Agency
from balai.complaints import stats
from balai.hub import actions, health, search
from balai.hub.forms import SearchForm, ServiceForm
from balai.hub.models import Service, Theme

SEARCH_RESULTS = 20


def _public():
    return Service.objects.public().select_related("agency")


def index(request):
    themes = Theme.objects.all()
    agencies = Agency.objects.active().filter(services__status__in=("trial", "live")).distinct()
    down = _public().filter(health="down").exclude(health_url="")
    context = {"themes": themes, "agencies": agencies, "down": down, "form": SearchForm()}
    return render(request, "hub/index.html", context)


def search_page(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query and ratelimit.hit("hub-search", ratelimit.client_key(request), "120/m"):
        return render(request, "hub/search.html", {"form": form, "limited": True}, status=429)
    found, parsed = search.search(query, limit=SEARCH_RESULTS) if query else ([], None)
    context = {"form": form, "query": query, "results": found, "parsed": parsed}
    return render(request, "hub/search.html", context)


def service(request, slug: str):
    entry = get_object_or_404(_public().prefetch_related("themes"), slug=slug)
    status = health.status_of(entry) if entry.health_url else None
    can_edit = actions.can_edit(request.user, entry)
    return render(request, "hub/service.html", {"s": entry, "status": status, "can_edit": can_edit})


def theme(request, slug: str):
    chosen = get_object_or_404(Theme, slug=slug)
    services = _public().filter(themes=chosen).order_by("source", "name")
    return render(request, "hub/theme.html", {"theme": chosen, "services": services})


def agency(request, slug: str):
    chosen = get_object_or_404(Agency.objects.active(), slug=slug)
    services = list(_public().filter(agency=chosen).order_by("source", "name"))
    record = next((u for u in stats.figures()["units"] if u["label"] == chosen.name), None)
    context = {
        "agency": chosen,
        "services": [s for s in services if not s.is_generated],
        "categories": [s for s in services if s.is_generated],
        "record": record,
    }
    return render(request, "hub/agency.html", context)


# Staff -------------------------------------------------------------------


@login_required
@never_cache
def staff_list(request):
    if not actions.can_edit(request.user):
        raise PermissionDenied
    entries = Service.objects.for_user(request.user).editable().select_related("agency")
    return render(request, "hub/staff_list.html", {"entries": entries.order_by("name")})


@login_required
@never_cache
def staff_edit(request, slug: str | None = None):
    entry = None
    if slug is not None:
        entry = get_for_user_or_404(Service.objects.editable(), request.user, slug=slug)
    if not actions.can_edit(request.user, entry):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.fields}
        if entry is None:
            entry = actions.create_service(request.user, data)
        else:
            actions.update_service(request.user, entry, data)
        messages.success(request, _("Layanan disimpan."))
        return redirect("hub:staff-list")
    return render(request, "hub/staff_edit.html", {"form": form, "entry": entry})
