"""Journeys on the public pages, in a phone-sized chromium."""

import pytest

pytestmark = pytest.mark.browser


def test_the_public_home_lists_the_onboarded_villages_on_a_phone(cast, page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Layanan publik")
    villages = page.locator("ul.villages li").all_inner_texts()
    assert "Tempursari" in " ".join(villages)
    assert "Pundungsari" not in " ".join(villages)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the home page scrolls sideways on a 360 px phone"
