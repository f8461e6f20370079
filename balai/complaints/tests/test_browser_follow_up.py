"""The reporter reopens their report from the link in their message, adds a photo
and a comment, rates the handling; the codes page and the help page pass axe."""

import pytest

from balai.complaints import actions
from balai.complaints.choices import EventKind
from balai.core.tests.axe import assert_no_axe_violations
from balai.lib import tracking

from .phone import phone_photo

pytestmark = pytest.mark.browser


def test_a_reporter_follows_up_and_rates_from_the_link(cast, cats, file_report, page, tmp_path):
    complaint, code = file_report(reporter_phone="081234567890")
    page.goto(f"/aduan/lacak/{tracking.grouped(code)}/")
    assert tracking.grouped(complaint.short_ref) in page.locator("#short-ref").inner_text()
    assert_no_axe_violations(page)
    page.get_by_label("Tambahan keterangan").fill("Sekarang ada genangan juga.")
    page.get_by_label("Foto tambahan (opsional)").set_input_files(
        str(phone_photo(tmp_path / "f.jpg", seed=3))
    )
    page.locator("p[role=status]", has_text="MB").wait_for()
    page.get_by_role("button", name="Kirim tambahan").click()
    assert "Tambahan Anda terkirim" in page.locator("main").inner_text()
    assert complaint.events.filter(kind=EventKind.REPORTER).exists()

    actions.verify_complaint(complaint, cast.command_center)
    actions.resolve_complaint(complaint, cast.agency_officer, "Sudah ditambal.")
    page.reload()
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Kirim penilaian").click()
    assert "Penilaian Anda: 4 dari 5" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto("/aduan/lacak/")
    wrong = "R" if complaint.short_ref[-1] == "Q" else "Q"  # one character off, never itself
    page.get_by_label("Kode lacak").fill(complaint.short_ref[:7] + wrong)
    page.get_by_label("4 angka terakhir").fill("7890")
    page.get_by_role("button", name="Lihat").click()
    assert "Kode belum cocok" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
