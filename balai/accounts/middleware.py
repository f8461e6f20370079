from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in regency admin may reach before the second factor.
SECOND_FACTOR_EXEMPT = ("/akun/", "/i18n/", "/static/", "/healthz", "/readyz")


class StaffSessionMiddleware:
    """Ends the session of a disabled account; holds regency admins at the TOTP step."""

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
            and user.requires_second_factor
            and not user.is_verified()
            and not request.path.startswith(SECOND_FACTOR_EXEMPT)
        ):
            return redirect(reverse("accounts:second-factor") + f"?next={request.path}")
        return self.get_response(request)
