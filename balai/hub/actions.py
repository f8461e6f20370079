"""Every change to the catalogue: one transaction, one audit row each.

Actions check who may act (PermissionDenied): the regency admin changes any
entry, agency staff only their agency's; entries generated from letter types
and complaint categories are changed at their source, never here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from balai.accounts import audit
from balai.accounts.choices import Role
from balai.hub.models import Service


def can_edit(user, service: Service | None = None) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if service is not None and service.is_generated:
        return False
    if user.role == Role.REGENCY_ADMIN:
        return True
    if user.role == Role.AGENCY_STAFF and user.agency_id:
        return service is None or service.agency_id == user.agency_id
    return False


def _start_probing(service: Service) -> None:
    if service.health_url:
        from balai.hub import tasks

        transaction.on_commit(tasks.start)


def _apply(user, service: Service, data: dict) -> list[str]:
    themes = data.pop("themes", None)
    if user.role == Role.AGENCY_STAFF:
        data["agency"] = user.agency
    changed = [name for name, value in data.items() if getattr(service, name, None) != value]
    for name, value in data.items():
        setattr(service, name, value)
    service.updated_at = timezone.now()
    service.full_clean()
    service.save()
    if themes is not None:
        before = set(service.themes.values_list("pk", flat=True))
        service.themes.set(themes)
        if before != {t.pk for t in themes}:
            changed.append("themes")
    return changed


@transaction.atomic
def create_service(user, data: dict) -> Service:
    """`data`: the form's cleaned data (themes as Theme objects)."""
    if not can_edit(user):
        raise PermissionDenied
    service = Service()
    changed = _apply(user, service, dict(data))
    audit.record("service_created", service, user=user, detail={"fields": sorted(changed)})
    _start_probing(service)
    return service


@transaction.atomic
def update_service(user, service: Service, data: dict) -> Service:
    if not can_edit(user, service):
        raise PermissionDenied
    changed = _apply(user, service, dict(data))
    audit.record("service_updated", service, user=user, detail={"fields": sorted(changed)})
    _start_probing(service)
    return service
