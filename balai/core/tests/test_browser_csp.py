"""Under the strict Content-Security-Policy, the main pages run with no violation."""

import io
from collections.abc import Callable

import pytest
from PIL import Image

pytestmark = pytest.mark.browser

# Every violation the page reports, kept where the test can read it back.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def tile_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def watched(page) -> Callable[[str], None]:
    """The tab, with CSP violations and console errors about the policy collected."""
    page.add_init_script(LISTEN)
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    # The map's tiles, served here instead of openstreetmap.org (no network in tests).
    png = tile_png()
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=png),
    )

    def visit(path: str) -> None:
        response = page.goto(path)
        assert response is not None and response.headers.get("content-security-policy")
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations")
        assert violations == [] and messages == [], (path, violations, messages)

    return visit


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


def test_the_complaints_map_draws_leaflet_and_its_tiles(cast, watched, page):
    watched("/aduan/peta/")
    assert page.locator("#map.leaflet-container").is_visible()
    assert page.locator(".leaflet-control-zoom-in").is_visible()
    page.wait_for_selector("img.leaflet-tile-loaded")


def test_the_widget_runs_inside_a_frame_policy_of_its_own(cast, watched, page):
    watched(f"/desa/{cast.village_a.code}/sematan/")
    assert page.get_by_role("heading", level=1).is_visible()


def test_staff_pages_run_without_violations(cast, watched, page, browser_login):
    browser_login(page, cast.operator_a)
    for path in ("/staf/", "/aduan/staf/", "/surat/staf/", "/penduduk/"):
        watched(path)
