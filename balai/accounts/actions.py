from django.contrib.auth import login, logout
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login

from balai.accounts import audit
from balai.accounts.choices import Scope
from balai.accounts.middleware import SESSION_NEEDS_OTP
from balai.accounts.models import ApiClient, ApiToken, User
from balai.regions.models import Village


class TokenError(ValueError):
    pass


def token_owner(name: str) -> User:
    """A staff user by username, else the service user of an API client by name."""
    user = User.objects.filter(username=name, is_service=False).first()
    if user is None:
        client = ApiClient.objects.select_related("user").filter(name=name).first()
        user = client.user if client else None
    if user is None or not user.is_active:
        raise TokenError(f"no active user or API client named {name!r}")
    return user


def create_token(owner: str | User, scopes, days: int, *, by=None, name="") -> tuple:
    if not 1 <= days <= 730:
        raise TokenError("a token is valid for 1 to 730 days")
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise TokenError(f"unknown scopes: {', '.join(sorted(unknown)) or '(none)'}")
    user = owner if isinstance(owner, User) else token_owner(owner)
    with transaction.atomic():
        token, value = ApiToken.new(user, scopes, days, created_by=by, name=name)
        token.save()
        audit.record(
            "token_created", token, user=by, detail={"owner": user.username, "scopes": token.scopes}
        )
    return token, value


def revoke_token(token: ApiToken, *, by) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("token_revoked", token, user=by)


# Signing in and out. The audit row names the account tried (the object) and
# the attempted username, so the failures show in that account's village log.


def _account(username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip(), is_service=False).first()


def note_login_failed(username: str, *, trusted_device: bool) -> None:
    audit.record(
        "login_failed",
        _account(username),
        user=None,
        detail={"username": username[:150], "trusted_device": trusted_device},
    )


def note_login_throttled(username: str, limit: str) -> None:
    audit.record(
        "login_throttled",
        _account(username),
        user=None,
        detail={"username": username[:150], "limit": limit},
    )


def log_in(request, user: User) -> None:
    """Start a session (with a new key) and note whether it waits for a TOTP code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        login(request, user)  # cycles the session key: no fixation
        if (
            user.requires_second_factor
            or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        ):
            request.session[SESSION_NEEDS_OTP] = True
        audit.record("login", user, user=user)


def log_out(request) -> None:
    audit.record("logout", request.user, user=request.user)
    logout(request)


def verify_second_factor(request, device) -> None:
    """Mark the session verified by `device` (a code already checked) under a new key."""
    with transaction.atomic():
        otp_login(request, device)
        request.session.cycle_key()
        request.session.pop(SESSION_NEEDS_OTP, None)
        audit.record("second_factor_verified", request.user, detail={"device": device.name})


def note_second_factor_failed(request, device) -> None:
    audit.record("second_factor_failed", request.user, detail={"device": device.name})


def start_totp_setup(user: User):
    """The user's unconfirmed TOTP device, created on first call (its key shown once set up)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def confirm_totp_device(request, device) -> None:
    """The code checked out: the device becomes the account's second factor."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record("second_factor_enrolled", request.user, detail={"device": device.name})
        verify_second_factor(request, device)


# Villages ---------------------------------------------------------------------
# Which villages take part is the regency admin's audited decision about where
# staff work; regions, below accounts, holds only the code list.


class VillageCodeError(ValueError):
    pass


def onboard_villages(codes: list[str], by=None) -> list[Village]:
    """Make these villages of the regency active; all or none."""
    villages = {v.code: v for v in Village.objects.in_regency().filter(code__in=codes)}
    unknown = [code for code in codes if code not in villages]
    if unknown:
        raise VillageCodeError(f"not a village of this regency: {', '.join(unknown)}")
    with transaction.atomic():
        for village in villages.values():
            if not village.is_active:
                village.is_active = True
                village.activated_at = timezone.now()
                village.save(update_fields=["is_active", "activated_at"])
                audit.record("village_onboarded", village, user=by)
    return list(villages.values())
