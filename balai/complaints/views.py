"""Pages: the public report form, list, map, figures and tracking; the staff queue."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from balai.accounts.access import get_for_user_or_404
from balai.accounts.audit import client_ip
from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role
from balai.complaints import actions, forms, lookups, stats
from balai.complaints.choices import OPEN, Status
from balai.complaints.models import Category, Complaint, ComplaintPhoto

PAGE = 20
WEB_REPORTS_PER_HOUR = 10  # per IP address
STAFF_ROLES = [*REGENCY_ROLES, *VILLAGE_ROLES, Role.DISTRICT_STAFF, Role.AGENCY_STAFF]


class Page(list):
    """One page of a list without counting the whole list (COUNT(*) over a
    million public reports costs more than the page itself). Pages stop at
    MAX_PAGE: deeper than that, filters find things faster than paging."""

    MAX_PAGE = 500

    def __init__(self, queryset, number, size=PAGE):
        try:
            self.number = min(max(1, int(number or 1)), self.MAX_PAGE)
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        super().__init__(rows[:size])
        self.has_next = len(rows) > size and self.number < self.MAX_PAGE
        self.has_previous = self.number > 1
        self.previous_page_number = self.number - 1
        self.next_page_number = self.number + 1
        self.has_other_pages = self.has_next or self.has_previous
        self.paginator = None


def _limited(request, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)


def _public_list():
    return Complaint.objects.public().select_related(
        "category", "village", "village__district", "agency"
    )


# Public ------------------------------------------------------------------


def public_list(request):
    complaints = _public_list()
    category = request.GET.get("kategori")
    if category:
        # By id, not by a join on the code: the planner then uses the category's index.
        found = lookups.category(category)
        complaints = complaints.filter(category_id=found.pk if found else None)
    status = request.GET.get("status")
    if status in Status.values:
        complaints = complaints.filter(status=status)
    page = Page(complaints.order_by("-created_at"), request.GET.get("hal"))
    return render(
        request,
        "complaints/public_list.html",
        {
            "page": page,
            "categories": Category.objects.active(),
            "statuses": Status.choices,
            "chosen": {"kategori": category or "", "status": status or ""},
        },
    )


EXPORT_MAX = 10_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell spreadsheets show as text: no formula from a stranger's words."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def export_csv(request):
    """Public reports as CSV (open data): the newest 10,000 matching the list's filters."""
    if is_ratelimited(request, group="complaints:export", key="ip", rate="30/h", increment=True):
        return HttpResponse(_("Terlalu banyak unduhan. Coba lagi nanti."), status=429)
    complaints = _public_list()
    if request.GET.get("kategori"):
        complaints = complaints.filter(category__code=request.GET["kategori"])
    if request.GET.get("status") in Status.values:
        complaints = complaints.filter(status=request.GET["status"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="aduan-publik.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "kategori",
            "kode_desa",
            "desa",
            "kecamatan",
            "status",
            "unit",
            "diterima",
            "selesai",
            "uraian",
        ]
    )
    for c in complaints.order_by("-created_at")[:EXPORT_MAX]:
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    c.public_id,
                    c.category.name,
                    c.village_id,
                    c.village.name,
                    c.village.district.name,
                    c.get_status_display(),
                    c.unit_label,
                    c.created_at.isoformat(),
                    c.resolved_at.isoformat() if c.resolved_at else "",
                    c.description,
                )
            ]
        )
    return response


def report(request):
    """Step 1 (GET) what and where; similar open reports nearby; step 2 (POST) the rest."""
    if request.method == "POST":
        form = forms.ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint, code = actions.submit_complaint(
                    category=data["category"],
                    village=data["village"],
                    description=data["description"],
                    privacy=data["privacy"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    address=data["address"],
                    reporter_name=data["reporter_name"],
                    reporter_email=data["reporter_email"],
                    reporter_phone=data["reporter_phone"],
                    photos=data["photos"],
                    limit=(f"web:{client_ip(request)}", WEB_REPORTS_PER_HOUR),
                )
            except actions.TooManyReports:
                form.add_error(None, _("Terlalu banyak aduan dari alamat ini. Coba lagi nanti."))
            except ValidationError as exc:
                _attach(form, exc)
            else:
                request.session["complaint_code"] = code
                request.session["complaint_id"] = complaint.public_id
                return redirect("complaints:submitted")
        return render(request, "complaints/report.html", {"form": form, "step": 2})
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
    form = forms.ReportForm(initial={**request.GET.dict(), "privacy": "public"})
    return render(
        request,
        "complaints/report.html",
        {"form": form, "step": 2, "similar": similar, "located": data},
    )


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


def _timeline(complaint):
    return complaint.timeline()


def public_detail(request, public_id):
    complaint = get_object_or_404(_public_list(), public_id=public_id)
    photos = complaint.photos.all()
    return render(
        request,
        "complaints/public_detail.html",
        {"complaint": complaint, "events": _timeline(complaint), "photos": photos},
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
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "public, max-age=86400" if public else "private, max-age=3600"
    return response


def track(request):
    """The reporter's view, by tracking code (POST: the code never sits in a URL)."""
    complaint = None
    form = forms.TrackForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "complaints:track", "30/h"):
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi nanti."))
        elif form.is_valid():
            complaint = actions.find_by_tracking_code(form.cleaned_data["code"])
            if complaint is None:
                form.add_error(
                    "code", _("Kode tidak dikenal. Periksa kembali kode pelacakan Anda.")
                )
            else:
                answer = request.POST.get("answer")
                if answer in ("confirm", "reopen"):
                    try:
                        if answer == "confirm":
                            actions.confirm_resolution(complaint, request.POST.get("note", ""))
                            messages.success(request, _("Terima kasih. Aduan ditutup."))
                        else:
                            actions.reopen_complaint(complaint, request.POST.get("note", ""))
                            messages.success(
                                request, _("Aduan dibuka kembali dan dikembalikan ke unit.")
                            )
                    except ValidationError as exc:
                        form.add_error(None, exc.messages)
    context = {"form": form, "complaint": complaint}
    if complaint is not None:
        context["events"] = _timeline(complaint)
        context["photos"] = complaint.photos.all()
        context["can_answer"] = complaint.status == Status.RESOLVED and (
            complaint.confirm_due is None or timezone.now() <= complaint.confirm_due
        )
    return render(request, "complaints/track.html", context)


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
    user = request.user
    filters = forms.QueueFilterForm(request.GET or None)
    complaints = Complaint.objects.for_user(user)
    scope = request.GET.get("lingkup", "unit")
    if scope == "unit" and user.role != Role.DISTRICT_STAFF:
        complaints = complaints.for_unit(user)
    if filters.is_valid() and filters.cleaned_data["status"]:
        complaints = complaints.filter(status=filters.cleaned_data["status"])
    else:
        complaints = complaints.filter(status__in=OPEN)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["category"]:
            complaints = complaints.filter(category=data["category"])
        if data["overdue"]:
            complaints = complaints.filter(next_due__lt=timezone.now())
        if data["mine"]:
            complaints = complaints.filter(assignee=user)
    complaints = complaints.select_related("category", "village", "agency", "assignee").order_by(
        "next_due", "created_at"
    )
    page = Page(complaints, request.GET.get("hal"))
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
