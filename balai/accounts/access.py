"""The one place that decides what a user may see.

How far each role reaches:

- village roles (operator, secretary, head): their own village;
- district staff: the villages of their district;
- regency roles (regency admin, command center): every village of the regency;
- agency staff: no area; what is queued with their agency (their unit);
- anyone else (no role, disabled, signed out): nothing.

A village-owned model's queryset extends `VillageScopedQuerySet`, names the
roles that may read it (`readers`) and the path to its village
(`village_field`); `Model.objects.for_user(user)` is then the rows of the
user's area, and nothing at all for a role that may not read the model, so a
view that forgets its role check still leaks nothing. Querysets with a rule of
their own (complaints: units and sensitive reports; the audit log) build it
from the filters below. Views fetch single objects through
`get_for_user_or_404` and villages through `village_for_user_or_404`: the
same 404 for "does not exist" and "not yours", the second audited.

`balai/accounts/tests/test_access_matrix.py` holds who reads which model, one
line per model; a model with `for_user` missing from it fails that test.
"""

from collections.abc import Callable, Collection

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from balai.accounts import audit
from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role, Unit
from balai.accounts.models import DENIED

NOTHING = Q(pk__in=[])

# Every role with an area (all but agency staff).
AREA_ROLES = frozenset({*VILLAGE_ROLES, Role.DISTRICT_STAFF, *REGENCY_ROLES})


def is_active_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _path(field: str) -> str:
    return f"{field}__" if field else ""


def regency_filter(field: str = "village") -> Q:
    """The villages of this deployment's regency (`field`: the path to a Village, "" for it)."""
    return Q(**{f"{_path(field)}district__regency_id": settings.BALAI_REGENCY})


def district_filter(district_id: str, field: str = "village", *, by_code: bool = False) -> Q:
    """The villages of one district. `by_code`: a range on the village code itself
    (codes start with their district's), so no join to the village table."""
    if by_code:
        # "." sorts just before "/", so [code + ".", code + "/") holds exactly its villages.
        column = f"{field}_id"
        return Q(**{f"{column}__gte": f"{district_id}.", f"{column}__lt": f"{district_id}/"})
    return Q(**{f"{_path(field)}district_id": district_id})


def village_filter(user, field: str = "village", *, by_code: bool = False) -> Q:
    """A filter on `field` (a path to a Village; "" for Village itself) for the
    villages `user` may see.

    `by_code`: for tables that only ever hold this regency's villages (the
    residents registry: imports and registrations refuse any other): districts
    are code ranges and the regency is every row, with no joins.
    """
    if not is_active_staff(user):
        return NOTHING
    if user.role in REGENCY_ROLES:
        return Q() if by_code else regency_filter(field)
    if user.role in VILLAGE_ROLES and user.village_id:
        return Q(**{f"{_path(field)}pk": user.village_id})
    if user.role == Role.DISTRICT_STAFF and user.district_id:
        return district_filter(user.district_id, field, by_code=by_code)
    return NOTHING


def readable_filter(
    user, readers: Collection[str], field: str = "village", *, by_code: bool = False
) -> Q:
    """The user's area when their role is one of `readers`, else nothing."""
    if not is_active_staff(user) or user.role not in readers:
        return NOTHING
    return village_filter(user, field, by_code=by_code)


def unit_of(user) -> Unit | None:
    """The unit `user` works in: their agency, their village office or the
    command center (regency roles); None for district staff and anyone else."""
    if not is_active_staff(user):
        return None
    if user.role == Role.AGENCY_STAFF and user.agency_id:
        return Unit.AGENCY
    if user.role in VILLAGE_ROLES and user.village_id:
        return Unit.VILLAGE
    if user.role in REGENCY_ROLES:
        return Unit.COMMAND_CENTER
    return None


def unit_filter(
    user, *, kind: str = "unit_kind", agency: str = "agency", village: str = "village"
) -> Q | None:
    """Rows queued with the unit `user` works in (`kind` names the unit kind's
    field); None when the user works in no unit."""
    unit = unit_of(user)
    if unit == Unit.AGENCY:
        return Q(**{kind: unit, f"{agency}_id": user.agency_id})
    if unit == Unit.VILLAGE:
        return Q(**{kind: unit, f"{village}_id": user.village_id})
    if unit == Unit.COMMAND_CENTER:
        return Q(**{kind: unit})
    return None


def works_in(user, kind: str, *, agency_id=None, village_id=None) -> bool:
    """Whether `user` works in the unit of this kind (and agency or village)."""
    unit = unit_of(user)
    if unit is None or unit != kind:
        return False
    if unit == Unit.AGENCY:
        return user.agency_id == agency_id
    if unit == Unit.VILLAGE:
        return user.village_id == village_id
    return True


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
    """Rows owned by a village: `readers` may read their area's, nobody else any.

    Subclasses set `readers` (roles), `village_field` (the path to the Village)
    and, for tables that only hold this regency's villages, `by_code`.
    """

    readers: Collection[str] | None = None
    village_field = "village"
    by_code = False

    def for_user(self, user):
        if self.readers is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} must name its readers (the roles that may read "
                f"{self.model._meta.label}); see balai/accounts/access.py"
            )
        return self.filter(
            readable_filter(user, self.readers, self.village_field, by_code=self.by_code)
        )


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


# Audit rows that area staff (villages, districts) may not read, each rule
# given by the app that wrote the rows (complaints: reports they never see).
# Audit sits below every service, so the services bring their rules to it.
_audit_rows_hidden_from_area: list[Callable[[], Q]] = []


def hide_audit_rows_from_area(rule: Callable[[], Q]) -> None:
    """Register `rule`: a function returning a filter of AuditLog rows to hide."""
    if rule not in _audit_rows_hidden_from_area:
        _audit_rows_hidden_from_area.append(rule)


def audit_rows_hidden_from_area() -> Q:
    hidden = NOTHING
    for rule in _audit_rows_hidden_from_area:
        hidden |= rule()
    return hidden
