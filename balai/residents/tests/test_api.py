import pytest

from balai.accounts.choices import Scope
from balai.residents.models import PopulationCount, Resident

URL = "/api/v1/residents"


def test_staff_tokens_list_a_villages_residents_masked_with_the_total(registry, client, api_token):
    headers = api_token(registry.operator_a, Scope.RESIDENTS_READ)
    response = client.get(URL, {"village": registry.village_a.code, "limit": 10}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 30 and len(body["items"]) == 10
    nik = body["items"][0]["nik"]
    assert "••••••••" in nik and len(nik) == 16
    assert not Resident.objects.filter(nik=nik).exists()


def test_another_village_is_404(registry, client, api_token):
    headers = api_token(registry.operator_a, Scope.RESIDENTS_READ)
    response = client.get(URL, {"village": registry.village_b.code}, headers=headers)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_token_without_the_scope_is_403(registry, client, api_token):
    headers = api_token(registry.operator_a, Scope.LETTERS_READ)
    response = client.get(URL, {"village": registry.village_a.code}, headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["agency_officer", "command_center"])
def test_roles_without_residents_access_are_403(registry, client, api_token, who):
    headers = api_token(getattr(registry, who), Scope.RESIDENTS_READ)
    response = client.get(URL, {"village": registry.village_a.code}, headers=headers)
    assert response.status_code == 403


def test_no_token_is_401(registry, client):
    assert client.get(URL, {"village": registry.village_a.code}).status_code == 401


def test_bad_paging_is_400(registry, client, api_token):
    headers = api_token(registry.operator_a, Scope.RESIDENTS_READ)
    response = client.get(URL, {"village": registry.village_a.code, "limit": 1000}, headers=headers)
    assert response.status_code == 400


def test_population_stats_are_public_and_hide_small_counts(registry, client):
    response = client.get(f"/api/v1/stats/population/{registry.village_a.code}")
    assert response.status_code == 200
    body = response.json()
    alive = Resident.objects.filter(village=registry.village_a, status=1).count()
    assert body["total"] == alive
    counts = [i["count"] for key in ("religion", "occupation", "education") for i in body[key]]
    assert all(c is None or c >= 5 for c in counts)
    assert None in counts  # a 30-person village has small groups
    assert {g["label"] for g in body["age_groups"]} >= {"0-4", "75+"}


def test_population_stats_sum_up_to_the_district_and_regency(registry, client):
    district = client.get(f"/api/v1/stats/population/{registry.village_a.district_id}").json()
    regency = client.get("/api/v1/stats/population/35.08").json()
    assert (
        regency["total"]
        == district["total"]
        + client.get(f"/api/v1/stats/population/{registry.village_b.code}").json()["total"]
    )


def test_population_stats_of_unknown_or_foreign_regions_are_404(registry, client):
    PopulationCount.objects.create(
        village=registry.foreign_village, dimension="sex", key="1", count=9
    )
    for code in ["35.09", "35.09.01.2001", "35.08.01.2002", "99", "x"]:
        assert client.get(f"/api/v1/stats/population/{code}").status_code == 404, code


@pytest.mark.parametrize("q", ["{nik}", "{spaced}", "budi {nik}", "{kk}"])
def test_a_nik_or_kk_in_the_query_string_is_refused_with_a_pointer_to_post(
    registry, client, api_token, q
):
    resident = Resident.objects.filter(village=registry.village_a).select_related("family").first()
    nik = resident.nik
    q = q.format(nik=nik, spaced=f"{nik[:6]} {nik[6:12]}.{nik[12:]}", kk=resident.family.no_kk)
    headers = api_token(registry.admin, Scope.RESIDENTS_READ)
    response = client.get(URL, {"village": registry.village_a.code, "q": q}, headers=headers)
    assert response.status_code == 400
    assert "POST /api/v1/residents/search" in response.json()["title"]


def test_the_api_searches_by_nik_in_a_post_body(registry, client, api_token):
    resident = Resident.objects.filter(village=registry.village_a).first()
    headers = api_token(registry.operator_a, Scope.RESIDENTS_READ)
    response = client.post(
        URL + "/search",
        {"village": registry.village_a.code, "q": resident.nik},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1
    assert response.json()["items"][0]["id"] == str(resident.uuid)
    assert resident.nik not in response.content.decode()


def test_post_search_keeps_the_same_access_rules(registry, client, api_token):
    headers = api_token(registry.operator_a, Scope.RESIDENTS_READ)
    other = Resident.objects.filter(village=registry.village_b).first()
    response = client.post(
        URL + "/search",
        {"village": registry.village_b.code, "q": other.nik},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 404


def test_a_list_pages_by_cursor_to_its_end_without_repeating(registry, client, api_token):
    """Every row once, in name order, then no next page; a changed cursor is refused."""
    headers = api_token(registry.operator_a, Scope.RESIDENTS_READ)
    params = {"village": registry.village_a.code, "limit": 2}
    seen, cursors = [], []
    while True:
        body = client.get(URL, params, headers=headers).json()
        seen += [row["id"] for row in body["items"]]
        if body["next_cursor"] is None:
            break
        cursors.append(body["next_cursor"])
        params["cursor"] = body["next_cursor"]
    everything = client.get(
        URL, {"village": registry.village_a.code, "limit": 200}, headers=headers
    ).json()["items"]
    assert len(cursors) == 14 and seen == [row["id"] for row in everything]
    forged = cursors[0][:-2] + ("A" if cursors[0][-2] != "A" else "B") + cursors[0][-1]
    params["cursor"] = forged
    response = client.get(URL, params, headers=headers)
    assert response.status_code == 400 and "cursor" in response.json()["detail"]
