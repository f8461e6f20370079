import time
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in user may reach before the second factor.
SECOND_FACTOR_EXEMPT = (
    "/akun/masuk/",
    "/akun/keluar/",
    "/akun/verifikasi/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/readyz",
)
SESSION_NEEDS_OTP = "balai_needs_otp"  # set by accounts.actions.log_in


class StaffSessionMiddleware:
    """Ends the session of a disabled account; holds users at the TOTP step.

    Regency admins always need a verified second factor; anyone else who has
    set one up needs it from their next sign-in (the login marks the session).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        session_user_id = request.session.get("_auth_user_id")
        if session_user_id and not user.is_authenticated:
            # The account was disabled or removed since the login.
            logout(request)
        elif (
            user.is_authenticated
            and (user.requires_second_factor or request.session.get(SESSION_NEEDS_OTP))
            and not user.is_verified()
            and not request.path.startswith(SECOND_FACTOR_EXEMPT)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:second-factor')}?{query}")
        return self.get_response(request)


PURPOSE_HEADER = "HTTP_BALAI_PURPOSE"  # `Balai-Purpose: rekap aduan mingguan`


def call_purpose(request) -> str:
    """The caller's stated purpose, printable characters only, at most 120."""
    text = request.META.get(PURPOSE_HEADER, "")
    return "".join(c for c in text if c.isprintable())[:120].strip()


class ApiCallLogMiddleware:
    """Logs every API call made with a token (accounts.models.ApiCall).

    Runs after authentication: the token is known once the view has run
    (TokenAuth sets `request.api_token`); anonymous calls are not logged here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        started = time.monotonic()
        response = self.get_response(request)
        token = getattr(request, "api_token", None)
        if token is not None:
            from balai.accounts.models import ApiCall

            match = request.resolver_match
            route = f"/{match.route}" if match is not None else "(unrouted)"
            ApiCall.objects.create(
                client=getattr(token.user, "api_client", None),
                token=token,
                method=request.method[:8],
                route=route[:200],
                status=response.status_code,
                purpose=call_purpose(request),
                duration_ms=int((time.monotonic() - started) * 1000),
            )
        return response
