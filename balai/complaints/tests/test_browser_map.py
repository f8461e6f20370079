"""The complaint maps on a phone with no internet: the regency's village outlines are the
base layer, markers load, a tap (or the phone's location) sets the point and picks the
village it lies in."""

import pytest
from shapely.geometry import shape

from balai.complaints import actions
from balai.core.tests.axe import assert_no_axe_violations
from balai.regions.models import Boundary

pytestmark = pytest.mark.browser

TO_PIXELS = """([id, lat, lon]) => {
  const p = document.getElementById(id).balaiMap.latLngToContainerPoint([lat, lon]);
  return {x: p.x, y: p.y};
}"""


def inside(feature):
    point = shape(feature["geometry"]).representative_point()
    return point.y, point.x


def record_requests(page, live_server):
    """Every request leaving for another host, and every failed one."""
    outside, failed = [], []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.on(
        "response",
        lambda r: (
            failed.append(r.url) if r.status >= 400 and not r.url.endswith("/favicon.ico") else None
        ),
    )
    return outside, failed


def tap(page, lat, lon):
    map_id = "pick-map"
    position = page.evaluate(TO_PIXELS, [map_id, lat, lon])
    page.locator(f"#{map_id}").tap(position=position)


def test_the_public_map_draws_villages_and_markers_from_balai_alone(
    cast, boundaries, file_report, page, live_server
):
    lat, lon = inside(boundaries[cast.village_a.code])
    complaint, _ = file_report(latitude=lat, longitude=lon)

    actions.verify_complaint(complaint, cast.command_center)
    outside, failed = record_requests(page, live_server)
    page.goto("/aduan/peta/")
    page.wait_for_load_state("networkidle")
    # The cast's villages with a bundled outline, drawn; no tile.
    drawn = Boundary.objects.filter(level="village").count()
    assert drawn == 3 and page.locator("#map path.leaflet-interactive").count() == drawn
    marker = page.locator("#map img.leaflet-marker-icon")
    assert marker.count() == 1
    assert page.evaluate("(img) => img.naturalWidth", marker.element_handle()) == 25
    assert outside == [] and failed == []
    credit = page.get_by_role("link", name="Batas wilayah © Cahya DSN (MIT)")
    assert credit.get_attribute("href") == "https://github.com/cahyadsn/wilayah_boundaries"
    assert_no_axe_violations(page)


def test_a_tap_sets_the_point_and_picks_the_village_it_lies_in(
    cast, cats, boundaries, page, live_server
):
    outside, failed = record_requests(page, live_server)
    page.goto("/aduan/lapor/")
    page.get_by_label("Kategori").select_option(cats.road.code)
    page.wait_for_load_state("networkidle")
    assert page.locator("#pick-map path.leaflet-interactive").count() == 3
    assert_no_axe_violations(page)

    lat, lon = inside(boundaries[cast.village_a.code])
    tap(page, lat, lon)
    status = page.locator("#pick-status")
    status.get_by_text("sudah dipilih di daftar").wait_for()
    assert cast.village_a.name in status.inner_text()
    assert page.get_by_label("Desa/kelurahan").input_value() == cast.village_a.code
    assert abs(float(page.get_by_label("Lintang (opsional)").input_value()) - lat) < 0.002
    assert page.locator("#pick-map img.leaflet-marker-icon").count() == 1

    # A village of the regency that has not joined Balai: said, the choice kept.
    tap(page, *inside(boundaries["35.08.01.2002"]))
    status.get_by_text("belum bergabung").wait_for()
    assert page.get_by_label("Desa/kelurahan").input_value() == cast.village_a.code

    page.get_by_label("Desa/kelurahan").select_option("")
    tap(page, lat, lon)
    status.get_by_text("sudah dipilih di daftar").wait_for()
    page.get_by_role("button", name="Lanjut").click()
    assert page.get_by_label("Desa/kelurahan").input_value() == cast.village_a.code
    assert outside == [] and failed == []


def test_use_my_location_sets_the_point_from_the_phone(cast, cats, boundaries, page):
    lat, lon = inside(boundaries[cast.village_b.code])
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": lat, "longitude": lon})
    page.goto("/aduan/lapor/")
    page.get_by_role("button", name="Pakai lokasi saya").click()
    page.locator("#pick-status").get_by_text("sudah dipilih di daftar").wait_for()
    assert page.get_by_label("Desa/kelurahan").input_value() == cast.village_b.code
    assert page.get_by_label("Bujur (opsional)").input_value() == f"{lon:.6f}"


def test_without_javascript_the_form_still_works(cast, cats, _playwright_browser, live_server):
    context = _playwright_browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="id-ID"
    )
    page = context.new_page()
    page.goto(live_server.url + "/aduan/lapor/")
    assert page.locator("#pick-map").is_hidden()
    page.get_by_label("Kategori").select_option(cats.road.code)
    page.get_by_label("Desa/kelurahan").select_option(cast.village_a.code)
    page.get_by_role("button", name="Lanjut").click()
    assert page.get_by_label("Uraian").is_visible()
    context.close()
