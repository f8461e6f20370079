"""Under the strict Content-Security-Policy, the main pages run with no violation
(the `watched` fixture is in balai/core/tests/browser.py)."""

import pytest

pytestmark = pytest.mark.browser


def test_public_pages_run_without_violations(cast, watched, page):
    code = cast.village_a.code
    for path in (
        "/",
        "/aduan/",
        "/aduan/lapor/",
        "/aduan/angka/",
        "/surat/",
        f"/desa/{code}/",
        "/akun/masuk/",
        "/tidak-ada/",
        "/api/v1/docs",
    ):
        watched(path)


def test_the_complaints_map_draws_leaflet_and_the_village_outlines(cast, boundaries, watched, page):
    watched("/aduan/peta/")
    assert page.locator("#map.leaflet-container").is_visible()
    assert page.locator(".leaflet-control-zoom-in").is_visible()
    page.wait_for_selector("#map path.leaflet-interactive")


def test_the_widget_runs_inside_a_frame_policy_of_its_own(cast, watched, page):
    watched(f"/desa/{cast.village_a.code}/sematan/")
    assert page.get_by_role("heading", level=1).is_visible()


def test_staff_pages_run_without_violations(cast, watched, page, browser_login):
    browser_login(page, cast.operator_a)
    for path in ("/staf/", "/aduan/staf/", "/surat/staf/", "/penduduk/"):
        watched(path)
