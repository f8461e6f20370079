"""Who handles a report, by duty (tupoksi).

In order: a sensitive category goes to the command center; an override for
the report's village, then for its district; the category's village matter
goes to the village; the category's agency; anything else to the command
center for triage.
"""

from dataclasses import dataclass

from balai.complaints import lookups
from balai.complaints.choices import UnitKind
from balai.complaints.models import Category


@dataclass(frozen=True)
class Unit:
    kind: str
    agency_id: int | None = None


COMMAND_CENTER = Unit(UnitKind.COMMAND_CENTER)


def route(category: Category, village) -> Unit:
    if category.sensitive:
        return COMMAND_CENTER
    overrides = {
        ("v" if o.village_id else "d"): o
        for o in lookups.overrides(category.pk)
        if o.village_id == village.pk or o.district_id == village.district_id
    }
    override = overrides.get("v") or overrides.get("d")
    if override is not None:
        return Unit(override.unit_kind, override.agency_id)
    if category.handled_by_village:
        return Unit(UnitKind.VILLAGE)
    agency = lookups.agency(category.agency_id) if category.agency_id else None
    if agency is not None and agency.is_active:
        return Unit(UnitKind.AGENCY, category.agency_id)
    return COMMAND_CENTER
