"""Writing the audit log.

The acting user and IP come from the request being served (set by
AuditContextMiddleware) unless given, so actions need not pass them along.
"""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

from balai.accounts.models import AuditLog

_request: ContextVar = ContextVar("balai_audit_request", default=None)


def client_ip(request) -> str | None:
    """The client's address; behind the proxy, the last X-Forwarded-For entry (the
    one the proxy appended: entries before it are whatever the client sent)."""
    if settings.SECURE_PROXY_SSL_HEADER and request.META.get("HTTP_X_FORWARDED_FOR"):
        forwarded = request.META["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass  # not an address (a misconfigured proxy): the peer's address instead
    return request.META.get("REMOTE_ADDR") or None


def record(action: str, obj=None, *, user=None, village=None, detail=None) -> AuditLog:
    """Append one audit row: who, from where, did what to which object."""
    request = _request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if village is None and obj is not None:
        village = obj.pk if obj._meta.label_lower == "regions.village" else None
        village = village or getattr(obj, "village_id", None)
    return AuditLog.objects.create(
        user=user,
        username=user.get_username() if user else "",
        role=user.role if user else "",
        ip=client_ip(request) if request is not None else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        village_id=getattr(village, "pk", village),
        detail=detail or {},
    )


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
