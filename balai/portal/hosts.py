"""Own host names: a request to a mapped host gets its village's page as home.

ALLOWED_HOSTS admits the domains in BALAI_VILLAGE_HOST_DOMAINS (a leading dot
means every subdomain), so Django never answers 400 to them; this middleware
then asks the VillageHost table. A host mapped to no onboarded village is
served the regency portal, like the main host. Each worker keeps what it
looked up for HOST_MAP_SECONDS, so a new mapping reaches every worker within
that time (at once in the worker that made it).
"""

import time

from django.conf import settings
from django.http.request import validate_host

from balai.portal.choices import HOST_MAP_SECONDS

HOST_URLCONF = "balai.host_urls"
_MAX_REMEMBERED = 2000
_remembered: dict[str, tuple[str | None, float]] = {}


def host_name(host: str) -> str:
    """`Host` without its port, lower case, no trailing dot."""
    if host.startswith("["):  # IPv6 literal
        return host.split("]")[0].lower() + "]"
    return host.rsplit(":", 1)[0].lower().rstrip(".")


def village_code_for_host(host: str) -> str | None:
    from balai.portal.models import VillageHost

    name = host_name(host)
    now = time.monotonic()
    hit = _remembered.get(name)
    if hit is not None and hit[1] > now:
        return hit[0]
    code = (
        VillageHost.objects.filter(
            host=name,
            village__is_active=True,
            village__district__regency_id=settings.BALAI_REGENCY,
        )
        .values_list("village_id", flat=True)
        .first()
    )
    if len(_remembered) >= _MAX_REMEMBERED:
        _remembered.clear()
    _remembered[name] = (code, now + HOST_MAP_SECONDS)
    return code


def forget() -> None:
    _remembered.clear()


class VillageHostMiddleware:
    """Sets `request.village_host` (a village code or None) and, when mapped, the urlconf."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request.get_host()
        # Only the village domains can be mapped: the main host never costs a query.
        mappable = validate_host(host_name(host), settings.BALAI_VILLAGE_HOST_DOMAINS)
        request.village_host = village_code_for_host(host) if mappable else None
        if request.village_host:
            request.urlconf = HOST_URLCONF
        return self.get_response(request)
