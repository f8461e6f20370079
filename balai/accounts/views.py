import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.accounts import actions
from balai.accounts.access import require_role, village_for_user_or_404, visible_villages
from balai.accounts.choices import REGENCY_ROLES, Role
from balai.accounts.forms import (
    AuditFilterForm,
    EnrolmentCodeForm,
    LoginForm,
    TokenCodeForm,
    TokenForm,
)
from balai.accounts.models import ApiToken, AuditLog
from balai.lib.pager import paginate


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.log_in(request, form.user)
        response = redirect(_next_url(request))
        form.throttle.trust_device(response)
        return response
    return render(
        request, "registration/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        actions.log_out(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@never_cache
@login_required
def second_factor(request):
    """Verify a TOTP code, or set up the first device when the account has none."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None and actions.needs_enrolment_code(request):
        return _enrolment_code(request)
    setting_up = device is None
    if setting_up:
        device = actions.start_totp_setup(request.user)
    form = TokenCodeForm(device, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            if setting_up:
                actions.confirm_totp_device(request, device)
            else:
                actions.verify_second_factor(request, device)
            return redirect(_next_url(request))
        actions.note_second_factor_failed(request, device)
    context = {"form": form, "setting_up": setting_up, "next": _next_url(request)}
    if setting_up:
        qr = segno.make(device.config_url, error="m")
        context["qr_svg"] = qr.svg_inline(scale=4, title="QR")
        context["secret"] = _base32(device)
    return render(request, "accounts/second_factor.html", context)


def _enrolment_code(request):
    """Before an admin's first authenticator: the one-time code given to them out of band."""
    form = EnrolmentCodeForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect(
            f"{reverse('accounts:second-factor')}?{urlencode({'next': _next_url(request)})}"
        )
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/enrolment_code.html", context)


def _base32(device) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


AUDIT_PAGE_SIZE = 50
NEW_TOKEN_SESSION_KEY = "balai_new_token"  # noqa: S105 - a session key name, not a secret


@require_safe
@login_required
def audit_log(request):
    """The log of the user's scope, filtered and paginated; there is nothing to edit."""
    user = request.user
    require_role(user, *Role.values)
    village = None
    if request.GET.get("village"):
        village = village_for_user_or_404(user, request.GET["village"])
    rows = AuditLog.objects.for_user(user)
    actions_seen = rows.order_by("action").values_list("action", flat=True).distinct()
    wide = user.role in REGENCY_ROLES or user.role == Role.DISTRICT_STAFF
    villages = visible_villages(user) if wide else None
    form = AuditFilterForm(actions_seen, villages, data=request.GET or None)
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if k != "village"}
        rows = rows.filtered(**filters, village=village)
    page = paginate(rows.select_related("village"), request.GET, AUDIT_PAGE_SIZE, count=True)
    return render(
        request,
        "accounts/audit_log.html",
        # An address is personal data: the regency admin's alone (UU PDP).
        {"form": form, "page": page, "show_ip": user.role == Role.REGENCY_ADMIN},
    )


@never_cache
@login_required
def api_tokens(request):
    """The regency admin lists, creates and revokes API tokens; a new value shows once."""
    require_role(request.user, Role.REGENCY_ADMIN)
    form = TokenForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _token, value = actions.create_token(
            data["owner"], data["scopes"], data["days"], by=request.user, name=data["name"]
        )
        # Shown once, on the page this redirects to; a reload neither shows it
        # again nor creates another token.
        request.session[NEW_TOKEN_SESSION_KEY] = value
        return redirect("accounts:api-tokens")
    new_value = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    tokens = ApiToken.objects.select_related("user", "user__api_client", "created_by")
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_value": new_value, "now": timezone.now()},
    )


@require_POST
@login_required
def rotate_api_token(request, pk):
    """A new token with the same owner and scopes (shown once); the old one works
    for another 24 hours."""
    require_role(request.user, Role.REGENCY_ADMIN)
    token = get_object_or_404(ApiToken.objects.usable(), pk=pk)
    _new, value = actions.rotate_token(token, by=request.user)
    request.session[NEW_TOKEN_SESSION_KEY] = value
    return redirect("accounts:api-tokens")


@require_POST
@login_required
def revoke_api_token(request, pk):
    require_role(request.user, Role.REGENCY_ADMIN)
    token = get_object_or_404(ApiToken, pk=pk, revoked_at__isnull=True)
    actions.revoke_token(token, by=request.user)
    messages.success(request, _("Token %(hint)s… dicabut.") % {"hint": token.hint})
    return redirect("accounts:api-tokens")
