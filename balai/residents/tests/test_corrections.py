"""Staff correct the registry (issue 11, item 8): a resident's record, a family's
address, a member moving to a new KK, a KK split; each change audited with its
values before and after; other villages get 404, read-only roles 403."""

import pytest
from django.urls import reverse

from balai.accounts.models import AuditLog
from balai.residents.choices import MaritalStatus, Occupation, Relationship
from balai.residents.models import Family, Resident


def family_of_several(village):
    counts = {}
    for family_id in Resident.objects.filter(village=village).values_list("family_id", flat=True):
        counts[family_id] = counts.get(family_id, 0) + 1
    best = max(counts, key=counts.get)
    return Family.objects.get(pk=best)


def new_kk(family):
    return family.no_kk[:6] + "0101259999"


def test_staff_correct_a_residents_record_with_before_and_after(registry, client, login_as):
    login_as(registry.operator_a)
    resident = Resident.objects.filter(village=registry.village_a).first()
    old_occupation = resident.occupation
    url = reverse("residents:edit", args=[resident.uuid])
    assert url in client.get(reverse("residents:detail", args=[resident.uuid])).content.decode()
    response = client.post(
        url,
        {
            "occupation": Occupation.FARMER if old_occupation != Occupation.FARMER else 1,
            "marital_status": MaritalStatus.WIDOWED,
            "education": resident.education or "",
            "religion": resident.religion or "",
            "phone": "0812 3456 7890",
        },
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.marital_status == MaritalStatus.WIDOWED
    assert resident.phone == "0812 3456 7890"
    row = AuditLog.objects.get(action="resident.corrected")
    assert row.detail["before"]["occupation"] == old_occupation
    assert row.detail["after"]["marital_status"] == MaritalStatus.WIDOWED
    assert row.detail["after"]["phone"] == "0812 3456 7890"


def test_staff_correct_a_familys_address(registry, client, login_as):
    login_as(registry.operator_a)
    family = family_of_several(registry.village_a)
    response = client.post(
        reverse("residents:family-edit", args=[family.uuid]),
        {"address": "Jl. Mawar 3", "dusun": "Krajan Kidul", "rt": "4", "rw": "2"},
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert (family.address, family.rt, family.rw) == ("Jl. Mawar 3", "004", "002")
    row = AuditLog.objects.get(action="family.corrected")
    assert row.detail["after"]["address"] == "Jl. Mawar 3"
    assert row.detail["before"]["address"] != "Jl. Mawar 3"


def test_a_member_moves_to_a_new_kk(registry, client, login_as):
    login_as(registry.operator_a)
    family = family_of_several(registry.village_a)
    member = family.members.exclude(relationship=Relationship.HEAD).first()
    url = reverse("residents:family-split", args=[family.uuid])
    page = client.get(url, {"members": member.pk, "head": member.pk}).content.decode()
    assert f'value="{member.pk}" selected' in page or "checked" in page
    response = client.post(
        url, {"no_kk": new_kk(family), "members": [member.pk], "head": member.pk}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.family.no_kk == new_kk(family)
    assert member.relationship == Relationship.HEAD
    assert member.family.address == family.address
    row = AuditLog.objects.get(action="family.split")
    (moved,) = row.detail["members"]
    assert moved["before"]["family_id"] == family.pk
    assert moved["after"]["family_id"] == member.family_id


def test_a_kk_splits_in_two(registry, client, login_as):
    login_as(registry.operator_a)
    family = family_of_several(registry.village_a)
    staying, *leaving = list(family.members.order_by("relationship"))
    response = client.post(
        reverse("residents:family-split", args=[family.uuid]),
        {"no_kk": new_kk(family), "members": [m.pk for m in leaving], "head": leaving[0].pk},
    )
    assert response.status_code == 302
    new = Family.objects.get(no_kk=new_kk(family))
    assert set(new.members.all()) == set(leaving)
    assert list(family.members.all()) == [staying]


def test_a_split_refuses_a_taken_kk_and_a_head_who_stays(registry, client, login_as):
    login_as(registry.operator_a)
    family = family_of_several(registry.village_a)
    first, second, *_ = list(family.members.all())
    url = reverse("residents:family-split", args=[family.uuid])
    response = client.post(url, {"no_kk": family.no_kk, "members": [first.pk], "head": first.pk})
    assert "sudah terdaftar" in response.content.decode()
    response = client.post(url, {"no_kk": new_kk(family), "members": [first.pk], "head": second.pk})
    assert "harus salah satu anggota" in response.content.decode()
    assert not Family.objects.filter(no_kk=new_kk(family)).exists()


def pages(resident):
    return [
        reverse("residents:edit", args=[resident.uuid]),
        reverse("residents:family-edit", args=[resident.family.uuid]),
        reverse("residents:family-split", args=[resident.family.uuid]),
    ]


def test_another_villages_staff_get_404(registry, client, login_as):
    login_as(registry.operator_a)
    resident = Resident.objects.filter(village=registry.village_b).select_related("family").first()
    for url in pages(resident):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


@pytest.mark.parametrize("who", ["district_a", "agency_officer", "command_center"])
def test_other_roles_get_403(registry, client, login_as, who):
    login_as(getattr(registry, who))
    resident = Resident.objects.filter(village=registry.village_a).select_related("family").first()
    for url in pages(resident):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
