"""A resident types numbers, money and dates the Indonesian way on a phone."""

import re

import pytest

from balai.letters.models import LetterRequest
from balai.letters.tests.world import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_income_typed_the_indonesian_way_is_stored_as_typed(world, page, tmp_path):
    """ "2,5" once reached the server as 25 (Chromium's type="number" input drops
    the comma); now it is 2.5, and "Rp 1.500.000" is 1500000."""
    photo = tmp_path / "ktp.png"
    photo.write_bytes(png_bytes())
    page.goto(f"/surat/ajukan/{world.village_a.code}/tidak-mampu/")
    page.get_by_label("NIK").fill(world.siti.nik)
    page.get_by_label("Nomor KK").fill(world.siti.family.no_kk)
    page.get_by_label("Tanggal lahir").press_sequentially("02/07/1961")
    page.get_by_label("Keperluan").fill("beasiswa anak")
    page.get_by_label("Penghasilan keluarga per bulan (Rp)").press_sequentially("Rp 1.500.000")
    page.get_by_label("Jumlah tanggungan").press_sequentially("2,5")
    page.get_by_label("Foto KTP-el").set_input_files(str(photo))
    page.get_by_label("Foto Kartu Keluarga").set_input_files(str(photo))
    page.get_by_label("Nomor WhatsApp/telepon").fill("0812 3456 7890")
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url(re.compile(r"/surat/lacak/[0-9A-Z]{28}/"))
    req = LetterRequest.objects.get()
    assert req.values == {"penghasilan": "1500000", "tanggungan": "2.5"}
    assert req.phone == "6281234567890"
    assert dict(req.value_rows()) == {
        "Penghasilan keluarga per bulan (Rp)": "1.500.000",
        "Jumlah tanggungan": "2,5",
    }


def test_a_number_written_the_english_way_is_refused_with_the_fix(world, page):
    page.goto(f"/surat/ajukan/{world.village_a.code}/tidak-mampu/")
    page.get_by_label("Jumlah tanggungan").press_sequentially("2.5")
    page.get_by_role("button", name="Kirim permohonan").click()
    assert "tulis 2,5, bukan 2.5" in page.locator("main").inner_text()
    # What was typed stays in the field, unchanged.
    assert page.get_by_label("Jumlah tanggungan").input_value() == "2.5"
    assert page.get_by_label("Tanggal lahir").get_attribute("placeholder") == "hh/bb/tttt"
