"""/api/v1/search and /api/v1/catalogue: public reads, writes with catalogue:write
limited to the token user's agency."""

import pytest

from balai.accounts.choices import Scope
from balai.accounts.models import AuditLog
from balai.hub.models import Service

ENTRY = {
    "name": "Layanan izin keramaian",
    "description": "Izin acara yang mengundang banyak orang.",
    "requirements": ["KTP-el", "Surat permohonan"],
    "duration_days": 3,
    "themes": ["perizinan"],
    "tags": ["izin hajatan", "izin acara"],
}


def test_search_is_public_ranked_and_says_what_it_corrected(client, catalogue):
    answer = client.get("/api/v1/search", {"q": "akte kelahrian", "limit": 3}).json()
    assert answer["results"][0]["slug"] == "akta-kelahiran"
    assert "kelahiran" in answer["corrected"]["kelahrian"]
    assert answer["results"][0]["url"] == "/katalog/layanan/akta-kelahiran/"


@pytest.mark.parametrize(
    "query", ["q=", "q=" + "a" * 101, "q=ktp&limit=0", "q=ktp&limit=51", "limit=5"]
)
def test_search_parameters_out_of_bounds_are_a_400_problem(client, catalogue, query):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_catalogue_lists_by_filter_and_pages_by_cursor(client, catalogue):
    first = client.get("/api/v1/catalogue", {"agency": "dispendukcapil", "limit": 3}).json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    rest = client.get(
        "/api/v1/catalogue",
        {"agency": "dispendukcapil", "limit": 100, "cursor": first["next_cursor"]},
    ).json()
    slugs = [e["slug"] for e in first["items"] + rest["items"]]
    assert len(slugs) == len(set(slugs)) and "akta-kelahiran" in slugs
    assert all(e["agency"] == "dispendukcapil" for e in first["items"] + rest["items"])
    themed = client.get("/api/v1/catalogue", {"theme": "sosial", "limit": 100}).json()["items"]
    assert all("sosial" in e["themes"] for e in themed)
    planned = client.get("/api/v1/catalogue", {"status": "planned"}).json()["items"]
    assert [e["slug"] for e in planned] == ["wifi-desa"]
    assert client.get("/api/v1/catalogue", {"status": "sleeping"}).status_code == 400


def test_one_entry_in_full(client, catalogue):
    entry = client.get("/api/v1/catalogue/ktp-el-hilang-rusak").json()
    assert entry["requirements"][0] == "Kartu Keluarga"
    assert entry["live_status"] is None
    assert client.get("/api/v1/catalogue/tidak-ada").status_code == 404


def test_writing_needs_the_scope(client, catalogue, api_token):
    headers = api_token(catalogue.agency_officer, Scope.COMPLAINTS_READ)
    response = client.post(
        "/api/v1/catalogue", ENTRY, content_type="application/json", headers=headers
    )
    assert response.status_code == 403
    assert (
        client.post("/api/v1/catalogue", ENTRY, content_type="application/json").status_code == 401
    )


def test_agency_staff_write_their_own_agencys_entries_only(client, catalogue, api_token):
    headers = api_token(catalogue.agency_officer, Scope.CATALOGUE_WRITE)
    body = {**ENTRY, "agency": "dinsos"}  # not theirs to choose: it is their own agency
    response = client.post(
        "/api/v1/catalogue", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["agency"] == "dinas-pupr" and created["slug"] == "layanan-izin-keramaian"
    assert created["requirements"] == ["KTP-el", "Surat permohonan"]
    assert AuditLog.objects.filter(action="service_created").exists()
    assert "layanan-izin-keramaian" in [
        r["slug"] for r in client.get("/api/v1/search", {"q": "izin hajatan"}).json()["results"]
    ]
    # Another agency's entry, and a generated one: as if they did not exist.
    for slug in ("akta-kelahiran", "aduan-jalan-rusak"):
        response = client.put(
            f"/api/v1/catalogue/{slug}", ENTRY, content_type="application/json", headers=headers
        )
        assert response.status_code == 404
    changed = client.put(
        "/api/v1/catalogue/perbaikan-jalan",
        {**ENTRY, "name": "Tambal jalan", "slug": "perbaikan-jalan"},
        content_type="application/json",
        headers=headers,
    )
    assert changed.status_code == 200 and changed.json()["name"] == "Tambal jalan"


def test_a_body_that_does_not_fit_is_a_422(client, catalogue, api_token):
    headers = api_token(catalogue.admin, Scope.CATALOGUE_WRITE)
    for body in (
        {**ENTRY, "themes": ["tidak-ada"]},
        {**ENTRY, "online_url": "bukan alamat"},
        {**ENTRY, "slug": "akta-kelahiran"},
        {**ENTRY, "agency": "tidak-ada"},
    ):
        response = client.post(
            "/api/v1/catalogue", body, content_type="application/json", headers=headers
        )
        assert response.status_code == 422, body
    response = client.post(
        "/api/v1/catalogue",
        {**ENTRY, "agency": "dinsos"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201 and response.json()["agency"] == "dinsos"


def test_village_staff_cannot_write_even_with_the_scope(client, catalogue, api_token):
    headers = api_token(catalogue.operator_a, Scope.CATALOGUE_WRITE)
    response = client.post(
        "/api/v1/catalogue", ENTRY, content_type="application/json", headers=headers
    )
    assert response.status_code == 403
    assert not Service.objects.filter(name=ENTRY["name"]).exists()
