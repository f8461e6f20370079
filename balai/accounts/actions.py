from django.db import transaction
from django.utils import timezone

from balai.accounts import audit
from balai.accounts.choices import Scope
from balai.accounts.models import ApiClient, ApiToken, User


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
