"""Pages: the public report form, list, map, figures and tracking; the staff queue."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from balai.accounts import ratelimit
from balai.accounts.access import get_for_user_or_404
from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role
from balai.accounts.ratelimit import is_ratelimited
from balai.complaints import actions, export, forms, stats
from balai.complaints.choices import FINAL, Privacy, Status
from balai.complaints.models import Category, Complaint, ComplaintPhoto
from balai.lib import drafts, tracking
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
        return render(request, "429.html", status=429)
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
    files = drafts.with_kept(request, "complaint")
    form = forms.ReportForm(request.POST, files)
    if form.is_valid():
        limit = (f"web:{ratelimit.client_key(request)}", WEB_REPORTS_PER_HOUR)
        try:
            complaint, code = actions.submit_complaint(**form.cleaned_data, limit=limit)
        except actions.TooManyReports:
            form.add_error(None, _("Terlalu banyak aduan dari alamat ini. Coba lagi nanti."))
        except ValidationError as exc:
            _attach(form, exc)
        else:
            drafts.discard(request, "complaint")
            response = redirect(reverse("complaints:tracked", args=[code]) + "?baru=1")
            tracking.remember(request, response, "complaints", complaint.public_id)
            return response
    kept = drafts.keep(request, "complaint", form, multiple=("photos",))
    context = {"form": form, "step": 2, "kept_uploads": kept}
    return render(request, "complaints/report.html", context)


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def submitted(request):
    """Where a report used to land; the page is now the report's own (by its code)."""
    return redirect("complaints:track")


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
    # ?ukuran=kecil (lists) or sedang (a page): the copies made at upload, if any.
    size = {"kecil": photo.thumb, "sedang": photo.medium}.get(request.GET.get("ukuran", ""))
    stored = size or photo.image
    return upload_response(stored, download_name=f"foto-{photo.public_id}", cache=cache)


def track(request):
    """Find a report by its long code, or by its short reference and the phone's last
    four digits (POST: codes never sit in this URL); then its own page."""
    form = forms.TrackForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST":
        found = _tracked(request, form)
        if found is not None:
            complaint, code = found
            response = redirect("complaints:tracked", key=code or complaint.public_id)
            tracking.remember(request, response, "complaints", complaint.public_id)
            return response
        if form.has_error("code") and not form.non_field_errors():
            context["help"] = tracking.explain(request.POST.get("code", ""))
            context["mine"] = _remembered(request)
    return render(request, "complaints/track.html", context)


def _tracked(request, form) -> tuple[Complaint, str] | None:
    """(the report, its normalised long code or "") for the posted code; errors on the form."""
    if _limited(request, "complaints:track", "30/h"):
        form.add_error(None, _("Terlalu banyak percobaan. Coba lagi nanti."))
        return None
    if not form.is_valid():
        return None
    text = form.cleaned_data["code"]
    code = tracking.normalise(text)
    if code is not None:
        complaint = actions.find_by_tracking_code(code)
    else:
        complaint = actions.find_by_short_ref(text, form.cleaned_data["phone_tail"])
    if complaint is None:
        form.add_error("code", _("Kode tidak dikenal. Periksa kembali kode lacak Anda."))
        return None
    return complaint, code or ""


def _remembered(request):
    keys = tracking.remembered(request, "complaints")
    found = Complaint.objects.filter(public_id__in=keys).select_related("category", "village")
    return [
        {
            "url": reverse("complaints:tracked", args=[c.public_id]),
            "label": f"{c.category.name} · {c.village} · {c.created_at:%d/%m/%Y}",
        }
        for c in sorted(found, key=lambda c: keys.index(c.public_id))
    ]


def _by_key(request, key: str) -> tuple[Complaint | None, str]:
    """The report a tracking URL names: by its long code, or by its public id when
    this session has opened it with a code before."""
    code = tracking.normalise(key)
    if code is not None:
        return actions.find_by_tracking_code(code), code
    if key in tracking.remembered(request, "complaints"):
        found = Complaint.objects.select_related("category", "village", "agency")
        return found.filter(public_id=key).first(), ""
    return None, ""


@never_cache
def tracked(request, key):
    """The reporter's page: status, thread, and what they may add (PRG throughout)."""
    complaint, code = _by_key(request, key)
    if complaint is None:
        context = {"form": forms.TrackForm(), "help": tracking.explain(key)}
        context["mine"] = _remembered(request)
        return render(request, "complaints/track.html", context, status=404)
    if code and key != code:
        return redirect("complaints:tracked", key=code)
    if request.method == "POST":
        _reporter_post(request, complaint)
        response = redirect(request.path)
    else:
        response = render(
            request, "complaints/tracked.html", _tracked_context(request, complaint, code)
        )
    tracking.remember(request, response, "complaints", complaint.public_id)
    return response


def _tracked_context(request, complaint, code) -> dict:
    now = timezone.now()
    return {
        "complaint": complaint,
        "code": tracking.grouped(code) if code else "",
        "short_ref": tracking.grouped(complaint.short_ref or ""),
        "new": "baru" in request.GET,
        "events": complaint.timeline(),
        "photos": complaint.photos.all(),
        "can_answer": complaint.status == Status.RESOLVED
        and (complaint.confirm_due is None or now <= complaint.confirm_due),
        "can_follow_up": complaint.status not in FINAL,
        "can_rate": actions.can_rate(complaint, now),
        "follow_up_form": forms.FollowUpForm(),
        "rating_form": forms.RatingForm(),
    }


def _reporter_post(request, complaint) -> None:
    """One of the reporter's actions; the outcome is a message on the page."""
    if _limited(request, "complaints:reporter", "30/h"):
        messages.error(request, _("Terlalu banyak percobaan. Coba lagi nanti."))
        return
    action = request.POST.get("action") or request.POST.get("answer", "")
    try:
        done = _REPORTER_ACTIONS[action](request, complaint)
    except KeyError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)


def _answer(request, complaint):
    run, done = ANSWERS[request.POST["answer"]]
    run(complaint, request.POST.get("note", ""))
    return done


def _follow_up(request, complaint):
    form = forms.FollowUpForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationError(forms.error_text(form))
    actions.add_reporter_follow_up(complaint, form.cleaned_data["note"], form.cleaned_data["photo"])
    return _("Tambahan Anda terkirim ke petugas.")


def _rate(request, complaint):
    form = forms.RatingForm(request.POST)
    if not form.is_valid():
        raise ValidationError(forms.error_text(form))
    data = form.cleaned_data
    actions.rate_response(complaint, data["rating"], data["rating_comment"])
    return _("Terima kasih atas penilaian Anda.")


# The reporter's answers on the tracking page: the action and what they are told.
ANSWERS: "dict[str, tuple[Callable[[Complaint, str], Complaint], StrOrPromise]]" = {
    "confirm": (actions.confirm_resolution, _lazy("Terima kasih. Aduan ditutup.")),
    "reopen": (actions.reopen_complaint, _lazy("Aduan dibuka kembali dan dikembalikan ke unit.")),
}
_REPORTER_ACTIONS: "dict[str, Callable[..., StrOrPromise]]" = {
    "confirm": _answer,
    "reopen": _answer,
    "follow-up": _follow_up,
    "rate": _rate,
}


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
