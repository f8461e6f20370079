"""A resident reports a broken road on a 360 px phone and follows it by tracking code."""

import pytest

from balai.complaints import actions
from balai.complaints.models import Complaint

pytestmark = pytest.mark.browser


def test_a_resident_files_a_report_on_a_phone_and_follows_it(cast, cats, page):
    page.goto("/aduan/lapor/")
    page.get_by_label("Kategori").select_option("jalan-rusak")
    page.get_by_label("Desa/kelurahan").select_option(cast.village_a.code)
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_label("Uraian").fill("Jalan berlubang di depan SD. <b>awas</b>")
    page.get_by_label("Patokan lokasi").fill("Depan SDN Tempursari 01")
    page.get_by_label("Anonim (publik, identitas disembunyikan)").check()
    page.get_by_label("Email (opsional)").fill("warga@example.com")
    page.get_by_role("button", name="Kirim aduan").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert len(code.replace("-", "")) == 28
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    complaint = Complaint.objects.get()
    assert complaint.privacy == "anonymous"
    actions.verify_complaint(complaint, cast.command_center)
    actions.start_progress(complaint, cast.agency_officer, "Tim survei berangkat besok.")

    page.goto("/aduan/lacak/")
    page.get_by_label("Kode lacak").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Lihat").click()
    body = page.locator("main").inner_text()
    assert "Ditindaklanjuti" in body
    assert "Tim survei berangkat besok." in body
    assert "<b>awas</b>" in body  # shown as text, not markup
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
