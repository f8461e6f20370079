"""The one search box on a 360 px phone, without JavaScript; axe on every new page."""

import pytest

from balai.core.tests.axe import assert_no_axe_violations
from balai.hub.models import Service

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/katalog/",
    "/katalog/cari/?q=ktp+hilang",
    "/katalog/cari/?q=qwxzvbk",
    "/katalog/layanan/ktp-el-hilang-rusak/",
    "/katalog/layanan/surat-domisili/",
    "/katalog/layanan/sipadu/",
    "/katalog/opd/dispendukcapil/",
    "/katalog/tema/kependudukan/",
]


@pytest.fixture
def down_service(catalogue):
    return Service.objects.create(
        slug="sipadu",
        name="SIPADU",
        description="Aplikasi layanan",
        agency=catalogue.agency,
        health_url="http://127.0.0.1:9/",
        health="down",
    )


def test_a_resident_searches_from_the_portal_home(catalogue, page):
    page.goto("/")
    box = page.get_by_role(
        "searchbox", name="Cari layanan: KTP hilang, akta lahir, jalan rusak, bansos..."
    )
    box.fill("akte kelahrian")
    box.press("Enter")
    page.wait_for_url("**/katalog/cari/?q=akte+kelahrian")
    first = page.locator("ol li").first
    assert "Akta kelahiran" in first.inner_text()
    first.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Akta kelahiran"
    assert page.get_by_role("heading", name="Yang perlu disiapkan").is_visible()
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_search_works_without_javascript(catalogue, _playwright_browser, live_server):
    context = _playwright_browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server.url, java_script_enabled=False
    )
    tab = context.new_page()
    tab.goto("/")
    tab.locator("#id_hub_q").fill("jalan rusak")
    tab.locator("form[role=search] button").first.click()
    assert "Perbaikan jalan kabupaten" in tab.locator("ol").inner_text()
    context.close()


def test_the_catalogue_pages_pass_axe(catalogue, down_service, page, watched):
    for path in PUBLIC_PAGES:
        watched(path)
        assert_no_axe_violations(page)


def test_the_staff_pages_pass_axe(catalogue, page, watched, browser_login):
    browser_login(page, catalogue.agency_officer)
    for path in ["/katalog/staf/", "/katalog/staf/baru/", "/katalog/staf/perbaikan-jalan/"]:
        watched(path)
        assert_no_axe_violations(page)
