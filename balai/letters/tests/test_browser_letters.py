"""A resident asks for a letter on a phone; staff verify and sign; the resident sees it ready."""

import re

import pytest

from balai.letters.tests.world import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_requests_a_letter_and_collects_it_ready(
    world, demo_pki, page, browser_login, tmp_path
):
    photo = tmp_path / "ktp.png"
    photo.write_bytes(png_bytes())

    page.goto("/surat/")
    page.get_by_label("Desa/kelurahan").select_option(world.village_a.code)
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_role("link", name="Surat Keterangan Domisili").click()
    assert fits_the_phone(page)

    # A first try with a wrong birth date: one message, nothing said about which part.
    page.get_by_label("NIK").fill(world.siti.nik)
    page.get_by_label("Nomor KK").fill(world.siti.family.no_kk)
    page.get_by_label("Tanggal lahir").fill("1961-07-03")
    page.get_by_label("Keperluan").fill("persyaratan melamar pekerjaan")
    page.get_by_label("Foto KTP-el").set_input_files(str(photo))
    page.get_by_label("Foto Kartu Keluarga").set_input_files(str(photo))
    page.get_by_label("Nomor WhatsApp/telepon").fill("0812 3456 7890")
    page.get_by_role("button", name="Kirim permohonan").click()
    assert "Data tidak cocok" in page.get_by_role("alert").inner_text()

    # The first files were kept (a checkbox labelled with their name): choose new ones.
    page.get_by_label("Tanggal lahir").fill("1961-07-02")
    page.locator("#id_syarat_ktp").set_input_files(str(photo))
    page.locator("#id_syarat_kk").set_input_files(str(photo))
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url(re.compile(r"/surat/lacak/[0-9A-Z]{28}/"))
    tracking_url = page.url.split("?")[0]
    assert "Menunggu verifikasi" in page.locator("main").inner_text()
    assert fits_the_phone(page)

    browser_login(page, world.operator_a)
    page.goto("/surat/staf/")
    page.get_by_role("link", name="Surat Keterangan Domisili").click()
    assert "SITI" in page.locator("main").inner_text().upper()
    page.get_by_role("button", name="Data sesuai: verifikasi").click()
    assert "Permohonan diverifikasi." in page.locator("main").inner_text()
    page.get_by_role("button", name="Keluar").click()

    browser_login(page, world.head_a)
    page.goto("/surat/staf/")
    page.get_by_role("link", name="Surat Keterangan Domisili").click()
    page.get_by_role("button", name="Tandatangani dan beri nomor").click()
    main = page.locator("main").inner_text()
    assert "Surat ditandatangani dengan nomor 470/001/35.08.01.2001/" in main
    page.get_by_role("button", name="Keluar").click()

    page.goto(tracking_url)
    assert "Siap diambil" in page.locator("main").inner_text()
    assert "siap diambil di kantor Desa Tempursari" in page.locator("main").inner_text()
    assert fits_the_phone(page)
