from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from balai.accounts.access import get_for_user_or_404, require_role
from balai.accounts.ratelimit import is_ratelimited
from balai.lib import fuzzy
from balai.lib.uploads import upload_response
from balai.portal import actions, pages, services
from balai.portal.access import staff_profile_or_404
from balai.portal.forms import (
    AnnouncementForm,
    HostForm,
    OriginForm,
    ProfileForm,
    SearchForm,
    TrackForm,
)
from balai.portal.models import HOST_MAPPERS, Announcement, EmbedOrigin, VillageHost
from balai.regions.models import Village

# ---- public pages -------------------------------------------------------------


def _regency_portal_url(request) -> str:
    """The regency portal's home: on a village's own host `/` is the village page."""
    return settings.SITE_URL + "/" if request.village_host else "/"


def _village_not_found(request, code: str):
    context = {"code": code, "regency_portal_url": _regency_portal_url(request)}
    return render(request, "portal/village_404.html", context, status=404)


def village_names(village: Village) -> tuple[tuple[str, float], ...]:
    return ((village.name, 1.0), (village.district.name, 0.95))


def home(request):
    """The regency portal: onboarded villages by district, searchable, with their services."""
    form = SearchForm(request.GET or None)
    villages = Village.objects.active().select_related("district").order_by("district", "name")
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    # Typos, spaces and district names alike, ranked (balai/lib/fuzzy.py says why in Python).
    villages = fuzzy.rank(query, villages, village_names) if query else list(villages)
    offered = services.services_by_village(villages)
    for village in villages:
        village.services = offered.get(village.code, [])
    return render(request, "portal/home.html", {"villages": villages, "form": form, "query": query})


def _render_village(request, found, path: str):
    village, body = found
    return render(
        request,
        "portal/village.html",
        {
            "village": village,
            "body": body,
            "description": pages.description(village),
            "canonical": request.build_absolute_uri(path),
            "regency_portal_url": _regency_portal_url(request),
        },
    )


def village_page(request, code: str):
    found = pages.village_page(code)
    if found is None:
        return _village_not_found(request, code)
    if request.village_host == code:
        return redirect("/")  # not permanent: the mapping may change
    return _render_village(request, found, request.path)


def village_home(request):
    """`/` on a host mapped to a village (see hosts.py)."""
    found = pages.village_page(request.village_host)
    if found is None:
        raise Http404
    return _render_village(request, found, "/")


def announcement_image(request, code: str, token: str):
    announcement = (
        Announcement.objects.current()
        .filter(village__in=Village.objects.active(), village_id=code, token=token)
        .exclude(image="")
        .first()
    )
    if announcement is None:
        raise Http404
    return upload_response(
        announcement.image, download_name="pengumuman", cache="public, max-age=86400"
    )


def _frame_ancestors(village) -> str:
    origins = EmbedOrigin.objects.filter(village=village).values_list("origin", flat=True)
    return " ".join(["'self'", *origins])


WIDGET_SALT = "balai.portal.widget"
WIDGET_TOKEN_SECONDS = 12 * 3600


def _widget_token_ok(token: str, village) -> bool:
    try:
        return signing.loads(token, salt=WIDGET_SALT, max_age=WIDGET_TOKEN_SECONDS) == village.code
    except signing.BadSignature:
        return False


def _widget_lookup(request, form: TrackForm, village) -> tuple[object | None, int]:
    """Track the code posted into the widget: (what was found or None, HTTP status);
    errors go onto `form`."""
    if not form.is_bound:
        return None, 200
    if not _widget_token_ok(request.POST.get("t", ""), village):
        form.add_error(None, _("Formulir ini kedaluwarsa. Muat ulang halaman, lalu coba lagi."))
        return None, 400
    if not form.is_valid():
        return None, 200
    if is_ratelimited(request, group="portal-track", key="ip", rate="20/m", increment=True):
        form.add_error(None, _("Terlalu banyak pencarian. Coba lagi dalam satu menit."))
        return None, 429
    tracked = services.track(form.cleaned_data["kode"], village)
    if tracked is None:
        form.add_error(
            "kode",
            _(
                "Kode tidak ditemukan. Periksa kembali kode yang tertulis di bukti "
                "permohonan atau aduan Anda."
            ),
        )
    return tracked, 200


def _widget_policy(village) -> str:
    """The widget's CSP: framed only by the village's known sites, nothing inline."""
    return (
        f"frame-ancestors {_frame_ancestors(village)}; default-src 'self'; "
        "img-src 'self'; style-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
    )


@csrf_exempt  # no cookies inside a third-party frame: the signed form token stands in
@require_http_methods(["GET", "POST"])
@xframe_options_exempt
def widget(request, code: str):
    """The embeddable request-and-tracking box: no cookies, framed only by known sites.

    Letter requests and complaints open in a new tab on Balai itself (first
    party, so their CSRF cookie works there). Tracking posts back into the
    frame with a signed, expiring form token instead of the CSRF cookie,
    which browsers do not send to a third-party frame; the code never sits in
    a URL.
    """
    village = pages.active_village(code)
    if village is None:
        response = _village_not_found(request, code)
        response["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response
    form = TrackForm(request.POST if request.method == "POST" else None)
    tracked, status = _widget_lookup(request, form, village)
    response = render(
        request,
        "portal/widget.html",
        {
            "village": village,
            "services": services.letter_services(village),
            "complaint": services.complaint_form(village),
            "form": form,
            "token": signing.dumps(village.code, salt=WIDGET_SALT),
            "tracked": tracked,
        },
        status=status,
    )
    response["Content-Security-Policy"] = _widget_policy(village)
    response["Cache-Control"] = "no-store"
    return response


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /staf/",
        "Disallow: /akun/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /i18n/",
        "Disallow: /penduduk/",
        "Disallow: /surat/staf/",
        "Disallow: /surat/saya/",
        "Disallow: /surat/lacak/",
        "Disallow: /aduan/staf/",
        "Disallow: /aduan/lacak/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('portal:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# ---- village staff ------------------------------------------------------------


@login_required
def staff_profile(request, code: str):
    profile = staff_profile_or_404(request.user, code)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        actions.save_profile(profile, form.cleaned_data, by=request.user)
        messages.success(request, _("Profil desa disimpan."))
        return redirect("portal:staff-profile", code=code)
    return render(request, "portal/staff_profile.html", {"form": form, "village": profile.village})


@login_required
def staff_announcements(request, code: str):
    profile = staff_profile_or_404(request.user, code)
    announcements = Announcement.objects.for_user(request.user).filter(village_id=code)
    return render(
        request,
        "portal/staff_announcements.html",
        {"village": profile.village, "announcements": announcements},
    )


@login_required
def staff_announcement_new(request, code: str):
    profile = staff_profile_or_404(request.user, code)
    form = AnnouncementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actions.publish_announcement(
            profile.village, form.cleaned_data, image=form.cleaned_data["image"], by=request.user
        )
        messages.success(request, _("Pengumuman disimpan."))
        return redirect("portal:staff-announcements", code=code)
    return render(
        request, "portal/staff_announcement_form.html", {"form": form, "village": profile.village}
    )


@login_required
def staff_announcement_edit(request, code: str, token: str):
    profile = staff_profile_or_404(request.user, code)
    announcement = get_for_user_or_404(Announcement.objects, request.user, token=token)
    form = AnnouncementForm(request.POST or None, request.FILES or None, instance=announcement)
    if request.method == "POST" and form.is_valid():
        actions.update_announcement(
            announcement,
            form.cleaned_data,
            image=form.cleaned_data["image"],
            remove_image=form.cleaned_data.get("remove_image", False),
            by=request.user,
        )
        messages.success(request, _("Pengumuman diperbarui."))
        return redirect("portal:staff-announcements", code=code)
    return render(
        request,
        "portal/staff_announcement_form.html",
        {"form": form, "village": profile.village, "announcement": announcement},
    )


@login_required
@require_POST
def staff_announcement_delete(request, code: str, token: str):
    staff_profile_or_404(request.user, code)
    announcement = get_for_user_or_404(Announcement.objects, request.user, token=token)
    actions.delete_announcement(announcement, by=request.user)
    messages.success(request, _("Pengumuman dihapus."))
    return redirect("portal:staff-announcements", code=code)


@login_required
def staff_embed(request, code: str):
    """The snippets a village pastes into its own site, and the sites allowed to frame."""
    profile = staff_profile_or_404(request.user, code)
    village = profile.village
    form = OriginForm(request.POST or None, village=village)
    if request.method == "POST" and form.is_valid():
        actions.allow_origin(village, form.cleaned_data["origin"], by=request.user)
        messages.success(request, _("Situs ditambahkan."))
        return redirect("portal:staff-embed", code=code)
    site = settings.SITE_URL
    return render(
        request,
        "portal/staff_embed.html",
        {
            "village": village,
            "form": form,
            "origins": EmbedOrigin.objects.for_user(request.user).filter(village=village),
            "page_url": site + reverse("portal:village", args=[code]),
            "widget_url": site + reverse("portal:widget", args=[code]),
            # The same box framed here (its frame-ancestors include Balai itself).
            "widget_preview_url": reverse("portal:widget", args=[code]),
        },
    )


@login_required
@require_POST
def staff_origin_remove(request, code: str, token: str):
    staff_profile_or_404(request.user, code)
    allowed = get_for_user_or_404(EmbedOrigin.objects, request.user, token=token)
    actions.remove_origin(allowed, by=request.user)
    messages.success(request, _("Situs dihapus."))
    return redirect("portal:staff-embed", code=code)


# ---- regency admin --------------------------------------------------------------


@login_required
def staff_hosts(request):
    require_role(request.user, *HOST_MAPPERS)
    form = HostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.map_host(form.cleaned_data["host"], form.cleaned_data["village"], by=request.user)
        messages.success(request, _("Nama host dipetakan."))
        return redirect("portal:staff-hosts")
    mappings = VillageHost.objects.for_user(request.user).select_related("village__district")
    return render(
        request,
        "portal/staff_hosts.html",
        {"form": form, "mappings": mappings, "domains": settings.BALAI_VILLAGE_HOST_DOMAINS},
    )


@login_required
@require_POST
def staff_host_remove(request, host: str):
    require_role(request.user, *HOST_MAPPERS)
    mapping = get_for_user_or_404(VillageHost.objects, request.user, host=host)
    actions.unmap_host(mapping, by=request.user)
    messages.success(request, _("Pemetaan nama host dihapus."))
    return redirect("portal:staff-hosts")
