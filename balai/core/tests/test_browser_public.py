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


def test_switching_to_english_and_back_keeps_the_page(cast, page):
    page.goto("/akun/masuk/")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert page.url.endswith("/akun/masuk/")
    assert page.get_by_role("heading", level=1).inner_text() == "Staff sign-in"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Username").is_visible()
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_selector("html[lang=id]")
    assert page.get_by_role("heading", level=1).inner_text() == "Masuk staf"


def test_a_missing_page_answers_in_english_after_the_switch(cast, page):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    response = page.goto("/tidak-ada/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
