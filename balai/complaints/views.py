"""Pages: the public report form, list, map, figures and tracking; the staff queue."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from balai.accounts import ratelimit
from balai.accounts.access import get_for_user_or_404
from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role
from balai.accounts.ratelimit import is_ratelimited
from balai.complaints import actions, export, forms, stats
from balai.complaints.choices import Privacy, Status
from balai.complaints.models import Category, Complaint, ComplaintPhoto
from balai.lib.pager import paginate
from balai.lib.uploads import upload_response

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE = 20
WEB_REPORTS_PER_HOUR = 10  # per IP address
STAFF_ROLES = [*REGENCY_ROLES, *VILLAGE_ROLES, Role.DISTRICT_STAFF, Role.AGENCY_STAFF]


def _limited(request, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)


def _public_list():
    return Complaint.objects.public().select_related(
        "category", "village", "village__district", "agency"
    )


# Public ------------------------------------------------------------------


def public_list(request):
    filters = forms.PublicFilterForm(request.GET)
    page = paginate(filters.apply(_public_list()).order_by("-created_at"), request.GET, PAGE)
    return render(
        request,
        "complaints/public_list.html",
        {
            "page": page,
            "categories": Category.objects.active(),
            "statuses": Status.choices,
            "chosen": filters.chosen(),
        },
    )


def export_csv(request):
    """Public reports as CSV (open data): the newest 10,000 matching the list's filters."""
    if is_ratelimited(request, group="complaints:export", key="ip", rate="30/h", increment=True):
        return HttpResponse(_("Terlalu banyak unduhan. Coba lagi nanti."), status=429)
    complaints = forms.PublicFilterForm(request.GET).apply(_public_list())
    newest = complaints.order_by("-created_at")[: export.EXPORT_MAX]
    return export.csv_response(newest, "aduan-publik.csv")


def report(request):
    """Step 1 (GET) what and where; similar open reports nearby; step 2 (POST) the rest."""
    if request.method == "POST":
        return _submit(request)
    locate = forms.LocateForm(request.GET or None)
    if not locate.is_bound or not locate.is_valid():
        return render(request, "complaints/report.html", {"form": locate, "step": 1})
    data = locate.cleaned_data
    similar = (
        Complaint.objects.similar(
            data["category"], data["village"], data["latitude"], data["longitude"]
        )
        .select_related("category", "village")
        .order_by("-created_at")[:5]
    )
    # A sensitive category is confidential whatever is picked: the form says so.
    privacy = actions.privacy_for(data["category"], Privacy.PUBLIC)
    # The village may come from the map point (LocateForm.clean): step 2 shows it.
    initial = {**request.GET.dict(), "privacy": privacy, "village": data["village"].code}
    form = forms.ReportForm(initial=initial)
    return render(
        request,
        "complaints/report.html",
        {"form": form, "step": 2, "similar": similar, "located": data},
    )


def _submit(request):
    form = forms.ReportForm(request.POST, request.FILES)
    if form.is_valid():
        limit = (f"web:{ratelimit.client_key(request)}", WEB_REPORTS_PER_HOUR)
        try:
            complaint, code = actions.submit_complaint(**form.cleaned_data, limit=limit)
        except actions.TooManyReports:
            form.add_error(None, _("Terlalu banyak aduan dari alamat ini. Coba lagi nanti."))
        except ValidationError as exc:
            _attach(form, exc)
        else:
            request.session["complaint_code"] = code
            request.session["complaint_id"] = complaint.public_id
            return redirect("complaints:submitted")
    return render(request, "complaints/report.html", {"form": form, "step": 2})


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def submitted(request):
    code = request.session.pop("complaint_code", None)
    public_id = request.session.pop("complaint_id", None)
    if not code:
        return redirect("complaints:track")
    from balai.lib.tracking import grouped

    complaint = Complaint.objects.select_related("category", "village").get(public_id=public_id)
    return render(
        request, "complaints/submitted.html", {"code": grouped(code), "complaint": complaint}
    )


def similar_json(request):
    """Similar open reports for the form's script (the page works without it)."""
    locate = forms.LocateForm(request.GET)
    if not locate.is_valid():
        return JsonResponse([], safe=False)
    data = locate.cleaned_data
    found = Complaint.objects.similar(
        data["category"], data["village"], data["latitude"], data["longitude"]
    )
    return JsonResponse(
        [
            {
                "url": c.get_absolute_url(),
                "status": c.get_status_display(),
                "description": c.description[:140],
            }
            for c in found.order_by("-created_at")[:5]
        ],
        safe=False,
    )


def public_detail(request, public_id):
    complaint = get_object_or_404(_public_list(), public_id=public_id)
    photos = complaint.photos.all()
    return render(
        request,
        "complaints/public_detail.html",
        {"complaint": complaint, "events": complaint.timeline(), "photos": photos},
    )


def photo(request, public_id):
    photo = get_object_or_404(
        ComplaintPhoto.objects.select_related("complaint"), public_id=public_id
    )
    complaint = photo.complaint
    public = Complaint.objects.public().filter(pk=complaint.pk).exists()
    allowed = public or (
        request.user.is_authenticated
        and Complaint.objects.for_user(request.user).filter(pk=complaint.pk).exists()
    )
    if not allowed:
        raise Http404
    cache = "public, max-age=86400" if public else "private, max-age=3600"
    return upload_response(photo.image, download_name=f"foto-{photo.public_id}", cache=cache)


def track(request):
    """The reporter's view, by tracking code (POST: the code never sits in a URL)."""
    form = forms.TrackForm(request.POST or None)
    complaint = _tracked(request, form) if request.method == "POST" else None
    if complaint is not None and request.POST.get("answer") in ANSWERS:
        _answer(request, form, complaint)
    context = {"form": form, "complaint": complaint}
    if complaint is not None:
        context["events"] = complaint.timeline()
        context["photos"] = complaint.photos.all()
        context["can_answer"] = complaint.status == Status.RESOLVED and (
            complaint.confirm_due is None or timezone.now() <= complaint.confirm_due
        )
    return render(request, "complaints/track.html", context)


def _tracked(request, form) -> Complaint | None:
    """The report the posted code names, rate-limited; errors go on the form."""
    if _limited(request, "complaints:track", "30/h"):
        form.add_error(None, _("Terlalu banyak percobaan. Coba lagi nanti."))
        return None
    if not form.is_valid():
        return None
    complaint = actions.find_by_tracking_code(form.cleaned_data["code"])
    if complaint is None:
        form.add_error("code", _("Kode tidak dikenal. Periksa kembali kode lacak Anda."))
    return complaint


# The reporter's answers on the tracking page: the action and what they are told.
ANSWERS: "dict[str, tuple[Callable[[Complaint, str], Complaint], StrOrPromise]]" = {
    "confirm": (actions.confirm_resolution, _lazy("Terima kasih. Aduan ditutup.")),
    "reopen": (actions.reopen_complaint, _lazy("Aduan dibuka kembali dan dikembalikan ke unit.")),
}


def _answer(request, form, complaint) -> None:
    run, done = ANSWERS[request.POST["answer"]]
    try:
        run(complaint, request.POST.get("note", ""))
    except ValidationError as exc:
        form.add_error(None, exc.messages)
    else:
        messages.success(request, done)


def public_map(request):
    return render(request, "complaints/map.html", {"categories": Category.objects.active()})


def map_geojson(request):
    found = (
        _public_list()
        .open()
        .filter(latitude__isnull=False)
        .order_by("-created_at")
        .values("public_id", "latitude", "longitude", "category__name", "status")[:2000]
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {
                "url": f"/aduan/laporan/{row['public_id']}/",
                "category": row["category__name"],
                "status": str(Status(row["status"]).label),
            },
        }
        for row in found
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def figures(request):
    return render(request, "complaints/figures.html", {"figures": stats.figures()})


def who_handles(request):
    categories = (
        Category.objects.active()
        .select_related("agency")
        .prefetch_related("overrides__agency", "overrides__district", "overrides__village")
    )
    return render(request, "complaints/who_handles.html", {"categories": categories})


# Staff -------------------------------------------------------------------


def _staff(request):
    if not request.user.is_authenticated:
        raise PermissionDenied
    if request.user.role not in STAFF_ROLES:
        raise PermissionDenied


@login_required
def queue(request):
    _staff(request)
    filters = forms.QueueFilterForm(request.GET or None)
    scope = request.GET.get("lingkup", "unit")
    complaints = Complaint.objects.queue(
        request.user, unit_only=scope == "unit", **filters.options(request.user)
    ).select_related("category", "village", "agency", "assignee")
    page = paginate(complaints, request.GET, PAGE)
    return render(
        request,
        "complaints/queue.html",
        {"page": page, "filters": filters, "now": timezone.now(), "scope": scope},
    )


def _staff_complaint(request, public_id):
    _staff(request)
    queryset = Complaint.objects.select_related(
        "category", "village", "village__district", "agency", "assignee", "duplicate_of"
    )
    return get_for_user_or_404(queryset, request.user, public_id=public_id)


@login_required
def staff_detail(request, public_id):
    complaint = _staff_complaint(request, public_id)
    user = request.user
    actions.note_identity_viewed(complaint, user)
    context = {
        "complaint": complaint,
        "events": complaint.timeline(internal=True),
        "photos": complaint.photos.all(),
        "can_work": actions.can_work(user, complaint),
        "can_triage": actions.can_triage(user),
        "in_unit": actions.works_in_unit(user, complaint),
        "show_identity": not complaint.identity_hidden or actions.can_triage(user),
        "dispatch_form": forms.DispatchForm(),
        "reject_form": forms.RejectForm(),
        "assign_form": forms.AssignForm(
            people=forms.unit_people(complaint), initial={"assignee": complaint.assignee}
        ),
    }
    return render(request, "complaints/staff_detail.html", context)


@login_required
@require_POST
def staff_action(request, public_id, verb):
    complaint = _staff_complaint(request, public_id)
    if verb not in actions.VERBS:
        raise Http404
    if not actions.may_perform(request.user, complaint, verb):
        raise PermissionDenied
    form = forms.action_form(verb, complaint, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, forms.error_text(form))
        return redirect("complaints:staff-detail", public_id=complaint.public_id)
    try:
        actions.perform(verb, complaint, request.user, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Tersimpan."))
    return redirect("complaints:staff-detail", public_id=complaint.public_id)
