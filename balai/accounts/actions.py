from datetime import timedelta
from pathlib import Path

from django.contrib.auth import login, logout
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login

from balai.accounts import audit
from balai.accounts.choices import Scope
from balai.accounts.middleware import SESSION_NEEDS_OTP
from balai.accounts.models import ApiClient, ApiToken, EnrolmentCode, User
from balai.regions.boundaries import BoundaryResult, read_boundaries, save_boundaries
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
    client = ApiClient.objects.filter(user=user).first()
    if client is not None and not client.allows(scopes):
        raise TokenError(f"client {client.name} may not be given: {', '.join(sorted(scopes))}")
    with transaction.atomic():
        token, value = ApiToken.new(user, scopes, days, created_by=by, name=name)
        token.save()
        audit.record(
            "token_created", token, user=by, detail={"owner": user.username, "scopes": token.scopes}
        )
    return token, value


def create_api_client(
    name: str, *, role: str, scopes, by=None, description: str = "", **area
) -> ApiClient:
    """An API client and the service user it acts through; `area` is its
    village, district or agency (none for a regency-wide role)."""
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise TokenError(f"unknown scopes: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        user = User(username=f"klien-{name}", role=role, is_service=True, **area)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        client = ApiClient.objects.create(
            name=name, description=description, user=user, scopes=sorted(set(scopes))
        )
        audit.record(
            "api_client_created",
            client,
            user=by,
            detail={"role": role, "scopes": client.scopes, **{k: str(v) for k, v in area.items()}},
        )
    return client


ROTATION_OVERLAP = timedelta(hours=24)


def rotate_token(token: ApiToken, *, by, days: int = 365, overlap=ROTATION_OVERLAP) -> tuple:
    """A new token with the same owner and scopes; the old one keeps working for
    `overlap` (so the client can switch without a gap), then expires."""
    if not token.is_usable:
        raise TokenError("only a usable token can be rotated")
    with transaction.atomic():
        new, value = ApiToken.new(
            token.user, token.scopes, days, created_by=by, name=token.name or token.hint
        )
        new.save()
        token.rotated_at = timezone.now()
        token.expires_at = min(token.expires_at, token.rotated_at + overlap)
        token.replaced_by = new
        token.save(update_fields=["rotated_at", "expires_at", "replaced_by"])
        audit.record(
            "token_rotated",
            token,
            user=by,
            detail={"new": new.hint, "old_until": token.expires_at.isoformat()},
        )
    return new, value


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
        request.session.pop(SESSION_ENROLMENT_ALLOWED, None)
        verify_second_factor(request, device)


ENROLMENT_CODE_MINUTES = 30
SESSION_ENROLMENT_ALLOWED = "balai_enrolment_allowed"


def needs_enrolment_code(request) -> bool:
    """An account that must use a second factor sets up its first device only after
    giving a one-time code issued out of band (never on the password alone)."""
    user = request.user
    return user.requires_second_factor and request.session.get(SESSION_ENROLMENT_ALLOWED) != user.pk


def issue_enrolment_code(
    user: User, *, by: User | None = None, minutes: int = ENROLMENT_CODE_MINUTES
) -> str:
    """A new one-time enrolment code for `user` (any earlier unused one stops working)."""
    value = EnrolmentCode.new_value()
    now = timezone.now()
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user).usable().update(expires_at=now)
        code = EnrolmentCode.objects.create(
            user=user,
            digest=EnrolmentCode.digest_of(value),
            expires_at=now + timedelta(minutes=minutes),
            issued_by=by,
        )
        audit.record(
            "second_factor_code_issued",
            user,
            user=by,
            detail={"username": user.username, "expires_at": code.expires_at.isoformat()},
        )
    return value


def redeem_enrolment_code(request, value: str) -> bool:
    """Use up a valid code of the signed-in user; their session may then set up a device.

    One UPDATE takes the code, so two sessions racing with the same code cannot both win.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    with transaction.atomic():
        taken = (
            EnrolmentCode.objects.filter(user=user, digest=EnrolmentCode.digest_of(value))
            .usable()
            .update(used_at=timezone.now())
        )
        if not taken:
            audit.record("second_factor_code_refused", user)
            return False
        # A secret shown before this code (to whoever had the password) is void.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        request.session[SESSION_ENROLMENT_ALLOWED] = user.pk
        audit.record("second_factor_code_used", user)
    return True


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


def load_boundaries(path, by=None) -> BoundaryResult:
    """Load a GeoJSON boundaries file (regions.boundaries): all or nothing; a load that
    changes something leaves one audit row, a repeated one writes nothing."""
    outlines = read_boundaries(path)
    with transaction.atomic():
        result = save_boundaries(outlines)
        if result.created or result.updated:
            audit.record(
                "boundaries_loaded",
                user=by,
                detail={
                    "file": Path(path).name,
                    "levels": result.levels,
                    "created": result.created,
                    "updated": result.updated,
                },
            )
    return result
