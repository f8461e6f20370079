"""The camera maps on a 360 px phone: one marker per placed camera, no CSP violation."""

import pytest

from balai.cctv.models import Camera

pytestmark = pytest.mark.browser


@pytest.fixture
def placed(cams):
    for n, camera in enumerate((cams.gate, cams.market, cams.other, cams.road)):
        Camera.objects.filter(pk=camera.pk).update(latitude=-8.13 + n / 100, longitude=113.22)
    Camera.objects.filter(pk=cams.market.pk).update(state="down")
    return cams


def marker_count(page) -> int:
    return page.locator("#camera-map path.cam-marker").count()


def test_the_staff_map_draws_a_marker_per_camera_in_scope(
    cast, placed, page, watched, browser_login
):
    browser_login(page, cast.operator_a)
    watched("/cctv/kamera/")
    assert page.locator("#camera-map.leaflet-container").is_visible()
    assert marker_count(page) == 3  # Gerbang, Pasar, Jalan raya; not village B's
    assert page.locator("#camera-map path.cam-marker.state-down").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    watched(f"/cctv/kamera/?desa={cast.village_a.pk}&pemilik={cast.agency.slug}")
    assert marker_count(page) == 1


def test_the_public_map_draws_only_public_cameras(cast, placed, page, watched):
    watched(f"/cctv/desa/{cast.village_a.pk}/")
    assert page.locator("#camera-map.leaflet-container").is_visible()
    assert marker_count(page) == 1
    page.locator("#camera-map path.cam-marker").click()
    assert page.locator(".leaflet-popup-content").inner_text() == "Gerbang · Belum diperiksa"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
