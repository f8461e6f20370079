def test_it_returns_a_regency_with_its_districts(client, cast):
    response = client.get("/api/v1/regions/35.08")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Kabupaten Lumajang"
    assert body["level"] == "regency"
    assert {"code": "35.08.01", "name": "Tempursari"} in body["children"]


def test_a_village_has_no_children(client, cast):
    body = client.get("/api/v1/regions/35.08.01.2001").json()
    assert body == {
        "code": "35.08.01.2001",
        "name": "Tempursari",
        "level": "village",
        "children": [],
    }


def test_unknown_and_malformed_codes_are_problem_404s(client, cast):
    for code in ("35.08.77", "not-a-code"):
        response = client.get(f"/api/v1/regions/{code}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404
