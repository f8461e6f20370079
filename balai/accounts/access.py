"""The one place that decides what a user may see.

Village-owned models use `VillageScopedQuerySet` (or a subclass) so that
`Model.objects.for_user(user)` holds only what the user may see; views fetch
single objects through `get_for_user_or_404`, which answers "does not exist"
and "not yours" with the same 404 and audits the second.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from balai.accounts import audit
from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role
from balai.accounts.models import DENIED

NOTHING = Q(pk__in=[])


def village_filter(user, field: str = "village") -> Q:
    """A filter on `field` (a path to a Village; "" for Village itself) for the
    villages `user` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    village = f"{field}__" if field else ""
    if user.role in REGENCY_ROLES:
        return Q(**{f"{village}district__regency_id": settings.BALAI_REGENCY})
    if user.role in VILLAGE_ROLES and user.village_id:
        return Q(**{f"{village}pk": user.village_id})
    if user.role == Role.DISTRICT_STAFF and user.district_id:
        return Q(**{f"{village}district_id": user.district_id})
    return NOTHING


def visible_villages(user):
    """The villages whose records `user` may see (all of them, active or not)."""
    from balai.regions.models import Village

    return Village.objects.select_related("district").filter(village_filter(user, ""))


def village_for_user_or_404(user, code: str):
    """A village `user` may see by its code, else 404 (audited when it exists)."""
    from balai.regions.models import Village

    village = visible_villages(user).filter(pk=code).first()
    if village is None:
        denied = Village.objects.filter(pk=code).first()
        if denied is not None:
            audit.record(DENIED, denied, user=user, detail={"lookup": {"code": code}})
        raise Http404
    return village


class VillageScopedQuerySet(models.QuerySet):
    """Rows owned by a village; `village_field` names the path to it."""

    village_field = "village"

    def for_user(self, user):
        return self.filter(village_filter(user, self.village_field))


def get_for_user_or_404(queryset, user, **lookup):
    """The object if `user` may see it, else 404; a denied existing one is audited."""
    try:
        return queryset.for_user(user).get(**lookup)
    except queryset.model.DoesNotExist:
        denied = queryset.model._default_manager.filter(**lookup).first()
        if denied is not None:
            audit.record(
                DENIED,
                denied,
                user=user,
                detail={"lookup": {k: str(v) for k, v in lookup.items()}},
            )
        raise Http404 from None


def require_role(user, *roles) -> None:
    """403 for a known staff member whose role may not do this."""
    if user.role not in roles:
        raise PermissionDenied
