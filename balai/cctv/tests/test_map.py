"""The camera maps: a JSON block of markers scoped like the lists, public ones status only."""

import json

import pytest
from django.urls import reverse

from balai.cctv.models import Camera

pytestmark = pytest.mark.django_db

SPOT = {"latitude": -8.13, "longitude": 113.22}


@pytest.fixture
def placed(cams):
    """Every camera of `cams` has a point, and one camera has none (it stays off the map)."""
    Camera.objects.filter(
        pk__in=[c.pk for c in (cams.gate, cams.market, cams.other, cams.road)]
    ).update(**SPOT)
    Camera.objects.filter(pk=cams.other.pk).update(credentials="admin:rahasia")
    return cams


def markers(response) -> list[dict]:
    page = response.content.decode()
    start = page.index('<script id="camera-markers" type="application/json">')
    block = page[page.index(">", start) + 1 : page.index("</script>", start)]
    return json.loads(block)


def names(response) -> set[str]:
    return {m["name"] for m in markers(response)}


def test_the_staff_map_holds_exactly_the_cameras_the_user_may_see(cast, placed, login_as, client):
    cameras = reverse("cctv:cameras")
    login_as(cast.operator_a)
    assert names(client.get(cameras)) == {"Gerbang", "Pasar", "Jalan raya"}  # Lapangan has no point
    client.logout()
    login_as(cast.operator_b)
    assert names(client.get(cameras)) == {"Balai B"}
    client.logout()
    login_as(cast.command_center)
    response = client.get(cameras)
    assert names(response) == {"Gerbang", "Pasar", "Jalan raya", "Balai B"}
    gate = next(m for m in markers(response) if m["name"] == "Gerbang")
    assert gate == {
        "lat": -8.13,
        "lon": 113.22,
        "name": "Gerbang",
        "state": "unknown",
        "label": "Belum diperiksa",
        "url": reverse("cctv:camera", args=[placed.gate.public_id]),
    }
    assert "rtsp://" not in response.content.decode() and "rahasia" not in response.content.decode()


def test_the_staff_map_follows_the_list_filters(cast, placed, login_as, client):
    login_as(cast.command_center)
    url = reverse("cctv:cameras")
    assert names(client.get(url, {"desa": cast.village_b.pk})) == {"Balai B"}
    assert names(client.get(url, {"pemilik": cast.agency.slug})) == {"Jalan raya"}
    district = cast.village_b.district.code
    expected = set(
        Camera.objects.filter(village__district__code=district, latitude__isnull=False).values_list(
            "name", flat=True
        )
    )
    assert names(client.get(url, {"kecamatan": district})) == expected


def test_the_public_map_shows_the_village_public_cameras_status_only(cast, placed, client):
    response = client.get(reverse("cctv:village", args=[cast.village_a.pk]))
    found = markers(response)
    assert [m["name"] for m in found] == ["Gerbang"]  # Pasar and Jalan raya are staff-only
    assert set(found[0]) == {"lat", "lon", "name", "state", "label"}  # no page, no address
    page = response.content.decode()
    assert "rtsp://" not in page and "/cctv/kamera/" not in page
    other = client.get(reverse("cctv:village", args=[cast.village_b.pk]))
    assert names(other) == {"Balai B"} and "rahasia" not in other.content.decode()


def test_a_site_down_camera_shows_as_down_to_the_public(cast, placed, client):
    Camera.objects.filter(pk=placed.gate.pk).update(state="site_down")
    found = markers(client.get(reverse("cctv:village", args=[cast.village_a.pk])))
    assert (found[0]["state"], found[0]["label"]) == ("down", "Mati")


def test_without_placed_cameras_there_is_no_map(cast, cams, client):
    page = client.get(reverse("cctv:village", args=[cast.village_a.pk])).content.decode()
    assert "camera-markers" not in page and "leaflet" not in page


def test_without_javascript_the_map_stays_hidden_and_the_list_is_the_page(cast, placed, client):
    page = client.get(reverse("cctv:village", args=[cast.village_a.pk])).content.decode()
    assert 'id="camera-map-wrap" class="camera-map-wrap" hidden' in page  # map.js shows it
    assert "<td>Gerbang" in page  # the list, whatever the browser runs
