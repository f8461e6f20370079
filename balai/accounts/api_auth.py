"""Bearer-token authentication and scope checks for the REST API."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from balai.accounts import ratelimit
from balai.accounts.models import ApiToken, token_digest


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.usable()
            .select_related("user")
            .filter(digest=token_digest(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        # Record use at most once a minute: one write per call would halve throughput.
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found


def require_scope(request, scope: str) -> None:
    token = getattr(request, "api_token", None)
    if token is None or not token.has_scope(scope):
        raise HttpError(403, _("Token ini tidak memiliki cakupan '%(scope)s'.") % {"scope": scope})


class ApiThrottle(BaseThrottle):
    """Requests per client (anonymous calls) or per token (`per_token`), counted
    by Balai's one rate-limit mechanism (ninja's own throttles keep a history
    list in the cache: two cache writes per call, not atomic across processes)."""

    def __init__(self, rate: str, *, per_token: bool = False):
        ratelimit.parse(rate)  # a bad rate fails at start-up
        self.rate = rate
        self.per_token = per_token

    def allow_request(self, request) -> bool:
        token = getattr(request, "auth", None)
        if self.per_token != (token is not None):
            return True  # the other throttle's request
        key = f"token:{token.pk}" if token is not None else ratelimit.client_key(request)
        group = "api-token" if self.per_token else "api-anonymous"
        return not ratelimit.hit(group, key, self.rate)
