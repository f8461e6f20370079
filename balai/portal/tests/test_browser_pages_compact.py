"""The village page fits a phone, the widget keeps its answer in view, and the embed
page copies its code and shows a preview (360 px, real chromium)."""

import pytest

from balai.core.tests.axe import assert_no_axe_violations
from balai.letters.models import LetterType, VillageLetterType

pytestmark = pytest.mark.browser


@pytest.fixture
def many_services(cast):
    for n in range(10):
        letter_type = LetterType.objects.create(
            code=f"surat-{n}",
            name=f"Surat keterangan {n}",
            title="SURAT KETERANGAN",
            classification="470",
            description="Keterangan. " * 20,
        )
        VillageLetterType.objects.create(
            village=cast.village_a, letter_type=letter_type, enabled=True
        )


def test_the_village_page_is_compact_with_ten_services(cast, many_services, page):
    page.goto(f"/desa/{cast.village_a.code}/")
    height = page.evaluate("document.documentElement.scrollHeight")
    # Ten full cards made it over 4,000 px; three cards and a list keep it short.
    assert height < 2600, height
    assert page.locator("article.service").count() == 3
    more = page.locator("details.more-services")
    assert "7 layanan surat lainnya" in more.locator("summary").inner_text()
    more.locator("summary").click()
    assert more.get_by_role("link", name="Surat keterangan 9").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)


def test_the_embed_page_copies_its_code_and_previews_the_box(cast, page, browser_login):
    browser_login(page, cast.operator_a)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/staf/desa/{cast.village_a.code}/sematkan/")
    page.get_by_role("button", name="Salin kode").nth(1).click()
    page.locator("#copy-status").get_by_text("Kode tersalin.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("<iframe src=") and "/sematan/" in copied
    preview = page.frame_locator("iframe.embed-preview")
    assert preview.get_by_role("heading", level=1).inner_text().startswith("Layanan")
    assert_no_axe_violations(page)


def test_the_widget_keeps_the_tracking_answer_in_view(cast, page):
    page.set_viewport_size({"width": 360, "height": 420})
    page.goto(f"/desa/{cast.village_a.code}/sematan/")
    page.get_by_label("Kode lacak").fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name="Lacak").click()
    page.get_by_text("Kode tidak ditemukan").wait_for()
    # The page scrolled to the answer's section: the answer is inside the viewport.
    assert page.evaluate("window.scrollY") > 0
    box = page.get_by_text("Kode tidak ditemukan").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 420, box
