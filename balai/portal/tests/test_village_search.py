"""The portal's village search, on the regency's real 205 villages: spaces, typos,
district names, best first."""

import csv

import pytest

from balai.regions.loading import DATA_DIR
from balai.regions.models import District, Province, Regency, Village


@pytest.fixture
def lumajang(db, settings):
    settings.BALAI_REGENCY = "35.08"
    Province.objects.create(code="35", name="Jawa Timur")
    Regency.objects.create(code="35.08", province_id="35", name="Kabupaten Lumajang")
    with (DATA_DIR / "districts.csv").open() as rows:
        District.objects.bulk_create(
            District(code=r["code"], regency_id="35.08", name=r["name"])
            for r in csv.DictReader(rows)
            if r["code"].startswith("35.08.")
        )
    with (DATA_DIR / "villages.csv").open() as rows:
        Village.objects.bulk_create(
            Village(code=r["code"], district_id=r["district_code"], name=r["name"], is_active=True)
            for r in csv.DictReader(rows)
            if r["code"].startswith("35.08.")
        )
    assert Village.objects.count() == 205


def found(client, query) -> list[str]:
    return [v.name for v in client.get("/", {"q": query}).context["villages"]]


@pytest.mark.parametrize(
    "query", ["Tegalrejo", "tegal rejo", "TEGAL-REJO", "tegalrjo", "tegalreja"]
)
def test_spaces_case_and_typos_find_the_village_first(client, lumajang, query):
    assert found(client, query)[0] == "Tegalrejo"


def test_a_district_name_lists_that_districts_villages(client, lumajang):
    names = found(client, "yosowilangun")
    expected = set(
        Village.objects.filter(district__name="Yosowilangun").values_list("name", flat=True)
    )
    assert set(names) == expected and len(expected) > 5
    # A typo in the district, and "kecamatan" before it, find the same.
    assert set(found(client, "kecamatan yosowilangn")) == expected


def test_a_name_written_with_spaces_and_dashes_is_found_without_them(client, lumajang):
    assert found(client, "selok awar awar")[0] == "Selok Awar - Awar"
    assert found(client, "selokawarawar")[0] == "Selok Awar - Awar"


def test_results_are_ranked_exact_before_prefix_before_typo(client, lumajang):
    names = found(client, "tegal")
    assert set(names[:4]) == {"Tegalrejo", "Tegalrandu", "Tegalciut", "Tegalbangsri"}
    assert found(client, "pasirian")[0] == "Pasirian"  # the village before its district's others


def test_nothing_like_it_says_so(client, lumajang):
    response = client.get("/", {"q": "zzzqqq"})
    assert response.context["villages"] == []
    assert "Tidak ada desa atau kecamatan dengan nama itu." in response.content.decode()


def test_search_needs_a_fixed_number_of_queries(client, lumajang, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/", {"q": "tegal rejo"})
