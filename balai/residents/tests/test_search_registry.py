"""Finding people in the registry: partial NIK, surname, any word of a name (issue 11, item 8)."""

import pytest
from django.urls import reverse

from balai.residents.models import Resident


def first(village):
    return Resident.objects.filter(village=village).order_by("pk").first()


@pytest.mark.parametrize("digits", ["3", "3508", "35080", "350801140", "35080114038"])
def test_a_partial_nik_is_never_a_server_error(registry, client, login_as, digits):
    login_as(registry.operator_a)
    response = client.post(reverse("residents:list"), {"q": digits})
    assert response.status_code == 200


def test_a_nik_prefix_finds_the_resident(registry, client, login_as):
    login_as(registry.operator_a)
    resident = first(registry.village_a)
    response = client.post(reverse("residents:list"), {"q": resident.nik[:12]})
    assert response.status_code == 200
    assert resident.name in response.content.decode()


def test_too_few_digits_say_so(registry, client, login_as):
    login_as(registry.operator_a)
    response = client.post(reverse("residents:list"), {"q": "35"})
    assert response.status_code == 200
    assert "paling sedikit 6 angka" in response.content.decode()


def test_a_surname_or_any_word_finds_the_resident(registry, client, login_as):
    login_as(registry.operator_a)
    resident = Resident.objects.filter(village=registry.village_a, name__contains=" ").first()
    last = resident.name.split()[-1]
    response = client.get(reverse("residents:list"), {"q": last.lower()})
    assert response.status_code == 200
    assert resident.name in response.content.decode()


def test_filters_ignore_case(registry, client, login_as):
    login_as(registry.operator_a)
    resident = Resident.objects.filter(village=registry.village_a).select_related("family").first()
    response = client.get(reverse("residents:list"), {"dusun": resident.family.dusun.upper()})
    assert resident.name in response.content.decode()
    response = client.get(reverse("residents:list"), {"dusun": resident.family.dusun.lower()})
    assert resident.name in response.content.decode()


def test_a_surname_search_finds_the_first_holders_by_name_in_the_users_scope(registry, monkeypatch):
    """Its ids are fetched first, capped (SEARCH_LIMIT): the first in list order,
    only from the rows the queryset already holds (the user's village)."""
    from balai.residents import models

    a, b = registry.village_a, registry.village_b
    for village, names in ((a, ["Wati Zzyzxanto", "Budi Zzyzxanto", "Ani Zzyzxanto"]),
                           (b, ["Adi Zzyzxanto"])):  # fmt: skip
        for name, resident in zip(names, Resident.objects.filter(village=village), strict=False):
            resident.name = name
            resident.save(update_fields=["name"])
    monkeypatch.setattr(models, "SEARCH_LIMIT", 2)
    found = Resident.objects.filter(village=a).search("zzyzx").order_by("name_key", "pk")
    assert [r.name for r in found] == ["Ani Zzyzxanto", "Budi Zzyzxanto"]
    everyone = Resident.objects.search("zzyzx").order_by("name_key", "pk")
    assert [r.name for r in everyone] == ["Adi Zzyzxanto", "Ani Zzyzxanto"]


def test_a_search_that_reaches_its_limit_says_so(registry, client, login_as, monkeypatch):
    from balai.residents import models, views

    for name, resident in zip(
        ["Wati Zzyzxanto", "Budi Zzyzxanto", "Ani Zzyzxanto"],
        Resident.objects.filter(village=registry.village_a),
        strict=False,
    ):
        resident.name = name
        resident.save(update_fields=["name"])
    login_as(registry.operator_a)
    monkeypatch.setattr(models, "SEARCH_LIMIT", 2)
    monkeypatch.setattr(views, "SEARCH_LIMIT", 2)
    page = client.get(reverse("residents:list"), {"q": "zzyzx"}).content.decode()
    assert "2 penduduk" in page and "paling banyak 2" in page
    monkeypatch.setattr(models, "SEARCH_LIMIT", 4)  # all three found: no note
    monkeypatch.setattr(views, "SEARCH_LIMIT", 4)
    page = client.get(reverse("residents:list"), {"q": "zzyzx"}).content.decode()
    assert "3 penduduk" in page and "paling banyak" not in page
