"""Village clerks on a phone (issue 11, items 7 and 10): the staff home's counts,
the queue search, thumbnails and contact links, the head's preview before signing
and the secretary's reason for a missing sign button; axe-core on each page."""

import re

import pytest
from django.core.files.base import ContentFile

from balai.core.tests.axe import assert_no_axe_violations
from balai.letters import actions
from balai.letters.tests.world import png_bytes, submit
from balai.portal.models import VillageProfile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Resolves when the image has loaded (or failed), however long a busy machine takes.
LOADED = """img => img.complete && img.naturalWidth > 0 ? true : new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth > 0));
    img.addEventListener("error", () => done(false));
})"""


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_head_finds_previews_and_signs_a_request(world, demo_pki, page, browser_login):
    VillageProfile.objects.create(
        village=world.village_a, head_name="Hj. Sulastri", address="Jl. Raya Tempursari 9"
    )
    req, _ = actions.submit_request(
        village=world.village_a,
        letter_type=world.domisili,
        resident=world.siti,
        purpose="MELAMAR KERJA",
        values={},
        phone="0812 3456 7890",
        documents=[("ktp", "Foto KTP-el", ContentFile(png_bytes(), name="a.png"))],
    )
    actions.verify_request(req, world.operator_a)
    submit(world, resident=world.siti)

    browser_login(page, world.head_a)
    page.goto("/staf/")
    main = page.locator("main").inner_text()
    assert "2 perlu ditangani" in main and "1 menunggu tanda tangan" in main
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Permohonan surat").click()
    page.get_by_label("Cari (nama, kode lacak atau NIK)").fill(req.grouped_code[:9])
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(re.compile(r"q="))
    assert page.locator("tbody tr[data-request]").count() == 1  # not the "no match" row
    assert fits_the_phone(page)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Surat Keterangan Domisili").click()
    assert page.get_by_role("link", name="WhatsApp").get_attribute("href") == (
        "https://wa.me/6281234567890"
    )
    thumb = page.locator("ul.thumbs img")
    thumb.scroll_into_view_if_needed()  # lazy: it loads once on screen, rendered on request
    assert thumb.evaluate(LOADED)
    preview = page.get_by_role("link", name="Pratinjau surat (PDF, belum ditandatangani)")
    response = page.request.get(preview.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert fits_the_phone(page)
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Tandatangani dan beri nomor").click()
    assert "Surat ditandatangani dengan nomor" in page.locator("main").inner_text()
    page.goto(page.url)  # the flash message list is the pages helper's (issue 11, item 14)
    assert_no_axe_violations(page)


def test_the_secretary_reads_why_there_is_no_sign_button(world, page, browser_login):
    req = actions.verify_request(submit(world), world.operator_a)
    browser_login(page, world.secretary_a)
    page.goto(f"/surat/staf/permohonan/{req.uuid}/")
    assert page.get_by_role("button", name="Tandatangani dan beri nomor").count() == 0
    assert "belum mengizinkan sekretaris" in page.locator("[data-sign-blocker]").inner_text()
    assert fits_the_phone(page)
    assert_no_axe_violations(page)
