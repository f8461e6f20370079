"""The region a dashboard is about (regency, district or village) and who may see it.

Staff reach: the regency admin and the command center the whole regency,
district staff their district and its villages, village staff their village
(balai.accounts.access decides; another area's code is a 404, a role with no
area a 403). The public reaches the regency, its districts and onboarded
villages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.http import Http404

from balai.accounts.access import AREA_ROLES, require_role, village_for_user_or_404
from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role
from balai.regions.models import District, Regency, Village

LEVELS = ("regency", "district", "village")


@dataclass
class Area:
    level: str
    code: str
    name: str
    parents: list[tuple[str, str]] = field(default_factory=list)  # (code, name), top first

    def filter(self, path: str = "village") -> Q:
        """Rows of this area; `path` leads to the Village. Village codes start with
        their district's and regency's, so districts and the regency are code ranges."""
        column = f"{path}_id" if path else "pk"
        if self.level == "village":
            return Q(**{column: self.code})
        return Q(**{f"{column}__gte": f"{self.code}.", f"{column}__lt": f"{self.code}/"})

    def children(self) -> list[tuple[str, str]]:
        """(code, name) one level down: districts, or a district's onboarded villages."""
        if self.level == "regency":
            return list(District.objects.in_regency().values_list("code", "name"))
        if self.level == "district":
            villages = Village.objects.active().filter(district_id=self.code)
            return [(v.code, str(v)) for v in villages]
        return []

    @property
    def child_level(self) -> str | None:
        return {"regency": "district", "district": "village"}.get(self.level)


def find(code: str, *, public: bool = False) -> Area:
    """The area by its code, in this deployment's regency; else 404."""
    regency = settings.BALAI_REGENCY
    dots = code.count(".")
    if dots == 1 and code == regency:
        found = Regency.objects.filter(code=code).first()
        if found:
            return Area("regency", code, found.name)
    elif dots == 2:
        district = District.objects.in_regency().select_related("regency").filter(code=code)
        if d := district.first():
            return Area("district", code, d.name, [(d.regency_id, d.regency.name)])
    elif dots == 3:
        villages = Village.objects.active() if public else Village.objects.in_regency()
        if v := villages.select_related("district__regency").filter(code=code).first():
            regency_row = v.district.regency
            parents = [(regency_row.code, regency_row.name), (v.district_id, v.district.name)]
            return Area("village", code, str(v), parents)
    raise Http404


def reaches(user, code: str) -> bool:
    """Whether `user`'s area holds the whole area `code`."""
    if user.role in REGENCY_ROLES:
        return code.startswith(settings.BALAI_REGENCY)
    if user.role == Role.DISTRICT_STAFF and user.district_id:
        return code == user.district_id or code.startswith(f"{user.district_id}.")
    if user.role in VILLAGE_ROLES:
        return code == user.village_id
    return False


def for_staff(user, code: str) -> Area:
    """403 for a role without an area; 404 for an area out of reach (audited for
    villages) or not in this regency."""
    require_role(user, *AREA_ROLES)
    if code.count(".") == 3:
        village_for_user_or_404(user, code)
    if not reaches(user, code):
        raise Http404
    return find(code)
