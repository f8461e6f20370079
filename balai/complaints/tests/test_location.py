"""Where a report is: the regency's loaded boundaries refuse a point outside it and
suggest the village of a point (the form works without JavaScript)."""

import pytest
from shapely.geometry import shape

from balai.complaints.forms import LocateForm


def inside(feature):
    point = shape(feature["geometry"]).representative_point()
    return {"latitude": point.y, "longitude": point.x}


@pytest.fixture
def step_one(cats):
    return lambda **fields: LocateForm({"category": cats.road.code, **fields})


def test_a_point_without_a_village_picks_the_village_it_lies_in(cast, boundaries, step_one):
    form = step_one(**inside(boundaries[cast.village_a.code]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["village"] == cast.village_a


def test_a_point_in_a_village_not_yet_on_balai_says_so(cast, boundaries, step_one):
    form = step_one(**inside(boundaries["35.08.01.2002"]))  # in the cast, not active
    assert not form.is_valid()
    assert form.errors["village"] == [
        "Titik ini berada di Desa Pundungsari, yang belum bergabung dengan Balai."
    ]


def test_a_point_outside_the_regency_is_refused_where_the_old_box_let_it_in(
    cast, boundaries, step_one
):
    # The Indian Ocean south of Lumajang: inside the bounding box used before.
    form = step_one(village=cast.village_a.code, latitude=-8.55, longitude=113.1)
    assert not form.is_valid()
    assert form.errors["latitude"] == ["Titik ini berada di luar wilayah kabupaten."]


def test_a_chosen_village_is_kept_and_no_point_no_village_asks_for_one(cast, boundaries, step_one):
    form = step_one(village=cast.village_b.code, **inside(boundaries[cast.village_a.code]))
    assert form.is_valid() and form.cleaned_data["village"] == cast.village_b
    form = step_one()
    assert not form.is_valid()
    assert form.errors["village"] == ["Pilih desa/kelurahan, atau tandai titiknya di peta."]


def test_the_page_without_javascript_carries_the_suggested_village_to_step_two(
    client, cast, cats, boundaries
):
    point = inside(boundaries[cast.village_a.code])
    response = client.get("/aduan/lapor/", {"category": cats.road.code, **point})
    assert response.context["step"] == 2
    assert response.context["form"].initial["village"] == cast.village_a.code


def test_the_api_names_the_village_at_a_point(client, cast, boundaries):
    point = inside(boundaries[cast.village_a.code])
    found = client.get(
        "/api/v1/regions/at", {"lon": point["longitude"], "lat": point["latitude"]}
    ).json()
    assert found == {
        "inside_regency": True,
        "village": {
            "code": cast.village_a.code,
            "name": str(cast.village_a),
            "district": cast.village_a.district.name,
            "is_active": True,
        },
    }
    outside = client.get("/api/v1/regions/at", {"lon": 113.7, "lat": -8.17}).json()
    assert outside == {"inside_regency": False, "village": None}
    assert client.get("/api/v1/regions/at", {"lon": 500, "lat": 0}).status_code == 400
