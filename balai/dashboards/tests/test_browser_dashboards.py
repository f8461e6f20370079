"""The dashboards on a 360 px phone: no page-wide sideways scroll, charts with their
tables, axe-clean, and no JavaScript needed (the period form is a plain GET)."""

import pytest

from balai.core.tests.axe import assert_no_axe_violations
from balai.dashboards.tests.conftest import MARCH

pytestmark = pytest.mark.browser


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width


def test_public_and_staff_dashboards_on_a_phone(month, page, watched, browser_login):
    watched(f"/angka/35.08/?{MARCH}")
    assert page.locator("svg.dash-chart").count() >= 1
    _fits_the_phone(page)
    assert_no_axe_violations(page)
    watched(f"/angka/{month.w.village_a.code}/?{MARCH}")
    assert_no_axe_violations(page)

    browser_login(page, month.w.district_a)
    watched(f"/dasbor/{month.w.village_a.district_id}/?{MARCH}")
    _fits_the_phone(page)
    assert_no_axe_violations(page)
    page.get_by_label("Periode", exact=True).select_option("tahun")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    assert "periode=tahun" in page.url
    page.locator("a[href*='/rincian/aduan/received/']").first.click()
    page.wait_for_load_state()
    assert page.locator("tr[data-row]").count() >= 1
    assert_no_axe_violations(page)
