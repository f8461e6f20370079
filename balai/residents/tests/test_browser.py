"""Journeys through the registry in a phone-sized chromium."""

import pytest

from balai.residents.models import Resident
from balai.residents.tests.conftest import person, write_csv

pytestmark = pytest.mark.browser


def test_an_operator_imports_a_file_then_finds_and_opens_a_resident(
    registry, page, browser_login, tmp_path
):
    browser_login(page, registry.operator_a)
    page.goto("/penduduk/impor/")
    row = person(nama="Sri Wahyuni Dewi", sex=2, nik="3508015403850001", kk_level=1)
    path = write_csv(tmp_path / "warga.csv", [row])
    page.get_by_label("Berkas data penduduk").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan impor").click()
    page.wait_for_load_state()
    assert "1 baru" in page.content()
    page.screenshot(path=str(tmp_path / "import.png"), full_page=True)
    page.goto("/penduduk/")
    page.get_by_label("Cari (NIK, no. KK atau nama)").fill("sri wahyu")
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_role("link", name="Sri Wahyuni Dewi").click()
    page.wait_for_load_state()
    assert "3508015403850001" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(tmp_path / "detail.png"), full_page=True)
    assert Resident.objects.filter(name="Sri Wahyuni Dewi").exists()


def test_the_statistics_page_fits_a_phone(cast, page, tmp_path):
    from balai.residents.tests.conftest import generate

    generate(cast.village_a, 600)
    page.goto(f"/penduduk/statistik/{cast.village_a.code}/")
    assert page.locator("svg rect").count() > 20
    assert page.get_by_role("heading", level=1).inner_text().startswith("Statistik penduduk")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(tmp_path / "stats.png"), full_page=True)
