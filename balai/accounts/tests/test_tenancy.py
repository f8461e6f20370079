"""Each role sees its own scope and nothing else; a look outside is a 404, audited.

The audit log is a village-owned table like any other, so it stands in for
every scoped model here; each domain app adds its own cross-tenant tests.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from balai.accounts.access import get_for_user_or_404
from balai.accounts.models import AuditLog


@pytest.fixture
def rows(cast):
    villages = [cast.village_a, cast.village_b, cast.inactive_village, cast.foreign_village]
    return {v.code: AuditLog.objects.create(action="example", village=v) for v in villages}


def visible(user):
    return set(
        AuditLog.objects.for_user(user).filter(action="example").values_list("village", flat=True)
    )


def test_village_staff_see_only_their_village(cast, rows):
    for user in cast.staff_of_a:
        assert visible(user) == {"35.08.01.2001"}
    for user in cast.staff_of_b:
        assert visible(user) == {"35.08.02.2001"}


def test_district_staff_see_their_districts_villages(cast, rows):
    assert visible(cast.district_a) == {"35.08.01.2001", "35.08.01.2002"}


def test_regency_roles_see_the_whole_regency_and_not_beyond(cast, rows):
    for user in (cast.admin, cast.command_center):
        assert visible(user) == {"35.08.01.2001", "35.08.01.2002", "35.08.02.2001"}


def test_agency_staff_outsiders_and_strangers_see_no_village_rows(cast, rows):
    for user in (cast.agency_officer, cast.outsider, AnonymousUser()):
        assert visible(user) == set()


def test_a_disabled_user_sees_nothing(cast, rows):
    cast.operator_a.is_active = False
    assert visible(cast.operator_a) == set()


@pytest.mark.parametrize(
    "who", ["operator_a", "secretary_a", "head_a", "district_a", "agency_officer", "outsider"]
)
def test_fetching_another_tenants_object_is_a_404_and_is_audited(cast, rows, who):
    user = getattr(cast, who)
    target = rows["35.08.02.2001"]
    with pytest.raises(Http404):
        get_for_user_or_404(AuditLog.objects.all(), user, pk=target.pk)
    denied = AuditLog.objects.get(action="access_denied")
    assert (denied.user, denied.object_id) == (user, str(target.pk))


def test_a_missing_object_is_the_same_404_without_an_audit_row(cast):
    with pytest.raises(Http404):
        get_for_user_or_404(AuditLog.objects.all(), cast.operator_a, pk=999999)
    assert not AuditLog.objects.filter(action="access_denied").exists()


def test_own_villages_object_is_returned(cast, rows):
    row = rows["35.08.01.2001"]
    assert get_for_user_or_404(AuditLog.objects.all(), cast.operator_a, pk=row.pk) == row
