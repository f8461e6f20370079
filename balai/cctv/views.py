"""Pages: the live board, camera lists and pages, registry forms, import/export,
snapshots through signed links, and each village's public camera page."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from balai.accounts.access import get_for_user_or_404, require_role
from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role
from balai.cctv import actions, history, importing, maps
from balai.cctv.forms import (
    CameraFilters,
    CameraForm,
    MaintenanceForm,
    SiteForm,
    SnapshotForm,
)
from balai.cctv.models import (
    Camera,
    CameraEvent,
    MaintenanceWindow,
    can_manage,
    can_view_snapshots,
)
from balai.cctv.state import snapshot_name
from balai.lib.pager import paginate
from balai.lib.tables import to_csv, to_xlsx
from balai.regions.models import Village
from balai.residents.importing import FileProblem

CCTV_ROLES = [*REGENCY_ROLES, *VILLAGE_ROLES, Role.DISTRICT_STAFF, Role.AGENCY_STAFF]
BOARD_ROWS = 50  # per page: the longest outages first, the rest on the next pages
PAGE = 50


def _cameras(user):
    return Camera.objects.for_user(user).select_related(
        "village", "village__district", "owner_agency", "site"
    )


def _board_context(request) -> dict:
    cameras = Camera.objects.for_user(request.user)
    return {
        "counts": cameras.counts(),
        "page": paginate(_cameras(request.user).in_trouble(), request.GET, BOARD_ROWS),
        "now": timezone.now(),
    }


@login_required
@never_cache
def board(request):
    """Cameras down and degraded, longest first; refreshes itself with JS, or by link."""
    require_role(request.user, *CCTV_ROLES)
    return render(request, "cctv/board.html", _board_context(request))


@login_required
@never_cache
def board_fragment(request):
    require_role(request.user, *CCTV_ROLES)
    return render(request, "cctv/_board.html", _board_context(request))


@login_required
def camera_list(request):
    require_role(request.user, *CCTV_ROLES)
    filters = CameraFilters(request.GET or None)
    cameras = filters.apply(_cameras(request.user)).order_by("village__name", "name")
    page = paginate(cameras, request.GET, PAGE, count=True)
    period = history.Period.from_query(request.GET.get("periode"))
    return render(
        request,
        "cctv/camera_list.html",
        {
            "filters": filters,
            "page": page,
            "period": period,
            "uptime": history.uptime_tables(request.user, period),
            "may_add": can_manage(request.user),
            **_map(maps.staff_markers(cameras), staff=True),
        },
    )


def _map(markers: list[dict], staff: bool) -> dict:
    return {"markers": markers, "staff": staff, "limit": maps.MAP_LIMIT}


@login_required
def camera_detail(request, public_id):
    require_role(request.user, *CCTV_ROLES)
    camera = get_for_user_or_404(_cameras(request.user), request.user, public_id=public_id)
    days = 7 if request.GET.get("rentang") == "7h" else 1
    return render(
        request,
        "cctv/camera_detail.html",
        {
            "camera": camera,
            "days": days,
            "timeline": history.timeline(camera, days=days),
            "events": CameraEvent.objects.filter(camera=camera)[:20],
            "recent": history.recent_counts(camera),
            "may_edit": can_manage(request.user, camera),
            "may_view": can_view_snapshots(request.user)
            and default_storage.exists(snapshot_name(camera)),
            "snapshot_form": SnapshotForm(),
        },
    )


@login_required
def camera_form(request, public_id=None):
    require_role(request.user, *CCTV_ROLES)
    camera = None
    if public_id is not None:
        camera = get_for_user_or_404(_cameras(request.user), request.user, public_id=public_id)
    if not can_manage(request.user, camera):
        raise PermissionDenied
    form = CameraForm(request.POST or None, instance=camera, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if camera is None:
            camera = actions.create_camera(request.user, data)
            messages.success(request, _("Kamera terdaftar."))
        else:
            actions.update_camera(request.user, Camera.objects.get(pk=camera.pk), data)
            messages.success(request, _("Perubahan tersimpan."))
        return redirect("cctv:camera", camera.public_id)
    return render(request, "cctv/camera_form.html", {"form": form, "camera": camera})


@login_required
def site_form(request):
    require_role(request.user, *CCTV_ROLES)
    if not can_manage(request.user):
        raise PermissionDenied
    form = SiteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.create_site(request.user, form.cleaned_data)
        messages.success(request, _("Situs terdaftar."))
        return redirect("cctv:cameras")
    return render(request, "cctv/site_form.html", {"form": form})


@login_required
def maintenance(request):
    """Planned work on cameras, which holds their alerts back."""
    require_role(request.user, *CCTV_ROLES)
    form = MaintenanceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.plan_maintenance(request.user, form.cleaned_data)
        messages.success(request, _("Jadwal pemeliharaan tersimpan."))
        return redirect("cctv:maintenance")
    windows = (
        MaintenanceWindow.objects.for_user(request.user)
        .current_or_coming(timezone.now())
        .select_related("village", "site", "camera")
        .order_by("village__name", "pk")
    )
    return render(
        request,
        "cctv/maintenance.html",
        {"form": form, "windows": windows, "may_add": can_manage(request.user)},
    )


@login_required
@require_POST
def maintenance_cancel(request, pk: int):
    window = get_for_user_or_404(MaintenanceWindow.objects.all(), request.user, pk=pk)
    actions.cancel_maintenance(request.user, window)
    messages.success(request, _("Jadwal pemeliharaan dibatalkan."))
    return redirect("cctv:maintenance")


@login_required
@require_POST
def snapshot_request(request, public_id):
    camera = get_for_user_or_404(_cameras(request.user), request.user, public_id=public_id)
    form = SnapshotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan melihat gambar (paling sedikit 5 huruf)."))
        return redirect("cctv:camera", camera.public_id)
    token = actions.snapshot_link(request.user, camera, form.cleaned_data["reason"])
    return redirect("cctv:snapshot", token)


@login_required
@never_cache
def snapshot(request, token):
    """The last snapshot, through Balai only; the link lasts five minutes."""
    public_id = actions.snapshot_from_link(request.user, token)
    camera = get_for_user_or_404(_cameras(request.user), request.user, public_id=public_id)
    name = snapshot_name(camera)
    if not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def import_page(request):
    require_role(request.user, *CCTV_ROLES)
    if not can_manage(request.user):
        raise PermissionDenied
    result, problem = None, None
    upload = request.FILES.get("berkas")
    if request.method == "POST" and upload is not None:
        if upload.size > importing.MAX_FILE_BYTES:
            problem = _("Berkas terlalu besar (maksimal 5 MB).")
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "daftar"
                with path.open("wb") as f:
                    for chunk in upload.chunks():
                        f.write(chunk)
                try:
                    result = importing.import_file(request.user, path)
                except FileProblem as exc:
                    problem = str(exc)
    return render(request, "cctv/import.html", {"result": result, "problem": problem})


@login_required
def export(request, fmt: str):
    require_role(request.user, *CCTV_ROLES)
    cameras = CameraFilters(request.GET or None).apply(Camera.objects.for_user(request.user))
    rows = importing.export_rows(cameras.order_by("village_id", "name"))
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        body = to_xlsx(importing.EXPORT_HEADERS, rows, sheet_name="Kamera")
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, kind = to_csv(importing.EXPORT_HEADERS, rows), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="kamera-{stamp}.{fmt}"'
    return response


# Public ------------------------------------------------------------------------------


def village_cameras(request, code):
    """A village's public cameras and their status, with the UU PDP Art. 17 notice."""
    village = get_object_or_404(Village.objects.active().select_related("district"), pk=code)
    cameras = Camera.objects.public().filter(village=village).order_by("name")
    return render(
        request,
        "cctv/village_public.html",
        {
            "village": village,
            "cameras": cameras,
            "since": timezone.now() - dt.timedelta(days=1),
            **_map(maps.public_markers(cameras), staff=False),
        },
    )
