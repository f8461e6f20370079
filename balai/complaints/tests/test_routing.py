"""Reports reach the unit whose duty (tupoksi) they are."""

from balai.complaints.choices import UnitKind
from balai.complaints.models import RoutingOverride
from balai.complaints.routing import route


def test_a_category_goes_to_its_agency(cast, cats):
    unit = route(cats.road, cast.village_a)
    assert (unit.kind, unit.agency_id) == (UnitKind.AGENCY, cast.agency.pk)


def test_village_matters_go_to_the_village(cast, cats):
    assert route(cats.village_road, cast.village_a).kind == UnitKind.VILLAGE


def test_sensitive_and_unmatched_categories_go_to_the_command_center(cast, cats):
    assert route(cats.bribery, cast.village_a).kind == UnitKind.COMMAND_CENTER
    assert route(cats.other, cast.village_a).kind == UnitKind.COMMAND_CENTER


def test_an_inactive_agency_sends_the_report_to_triage(cast, cats):
    cast.agency.is_active = False
    cast.agency.save()
    cats.road.refresh_from_db()
    assert route(cats.road, cast.village_a).kind == UnitKind.COMMAND_CENTER


def test_a_village_override_beats_a_district_override_which_beats_the_category(cast, cats):
    RoutingOverride.objects.create(
        category=cats.road,
        district=cast.village_a.district,
        unit_kind=UnitKind.AGENCY,
        agency=cast.other_agency,
    )
    assert route(cats.road, cast.village_a).agency_id == cast.other_agency.pk
    assert route(cats.road, cast.village_b).agency_id == cast.agency.pk
    RoutingOverride.objects.create(
        category=cats.road, village=cast.village_a, unit_kind=UnitKind.VILLAGE
    )
    assert route(cats.road, cast.village_a).kind == UnitKind.VILLAGE
