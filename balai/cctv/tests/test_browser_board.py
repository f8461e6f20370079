"""The command center's board on a 360 px phone: it refreshes itself without a
page reload, and the camera page and public page fit the screen."""

import datetime as dt

import pytest

from balai.cctv.state import apply_results
from balai.cctv.tests.conftest import result

pytestmark = pytest.mark.browser


def test_the_board_refreshes_without_reloading_and_fits_a_phone(
    cast, cams, page, browser_login, settings
):
    settings.BALAI_CCTV_FLAP_COUNT = 1
    now = dt.datetime.now(dt.UTC)
    apply_results([result(cams.field, "unreachable", at=now - dt.timedelta(minutes=30))])
    page.clock.install()
    browser_login(page, cast.command_center)
    page.goto("/cctv/")
    board = page.locator("#board")
    assert "Lapangan" in board.inner_text() and "Balai B" not in board.inner_text()
    page.evaluate("window.notReloaded = true")
    apply_results([result(cams.other, "unreachable", at=now)])
    page.clock.fast_forward(16_000)
    page.wait_for_function("() => document.getElementById('board').innerText.includes('Balai B')")
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name="Lapangan").click()
    assert page.locator("svg.timeline-svg rect").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(f"/cctv/desa/{cast.village_a.pk}/")
    assert "Pasal 17" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_without_javascript_the_board_is_a_page_with_a_refresh_link(
    cast, cams, _playwright_browser, live_server, settings
):
    from balai.core.tests.browser import VIEWPORT, log_in

    settings.BALAI_CCTV_FLAP_COUNT = 1
    context = _playwright_browser.new_context(
        viewport=VIEWPORT,
        base_url=live_server.url,
        locale="id-ID",
        java_script_enabled=False,
    )
    tab = context.new_page()
    log_in(tab, cast.operator_a)
    tab.goto("/cctv/")
    assert "Semua kamera aktif" in tab.locator("#board").inner_text()
    apply_results([result(cams.field, "unreachable")])
    tab.get_by_role("link", name="Muat ulang").click()
    assert "Lapangan" in tab.locator("#board").inner_text()
    context.close()
