"""On a phone, a resident types a village the way they say it and finds it."""

import pytest

from balai.core.tests.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_village_typed_with_a_space_and_a_typo_is_found(cast, page):
    page.goto("/")
    page.get_by_label("Cari desa atau kecamatan").fill("tempur sar")
    page.get_by_role("button", name="Cari", exact=True).click()
    results = page.locator("main ol.villages li")
    assert results.count() == 1
    assert "Desa Tempursari" in results.first.inner_text()
    assert "Kecamatan Tempursari" in results.first.inner_text()
    assert_no_axe_violations(page)
    page.get_by_label("Cari desa atau kecamatan").fill("pronojwo")  # a district, mistyped
    page.get_by_role("button", name="Cari", exact=True).click()
    assert "Desa Sidomulyo" in page.locator("main ol.villages").inner_text()
