"""On a phone: staff give a PIN and print its slip; the resident signs in, reads
their family's data and asks for a letter without typing NIK, reusing a photo."""

import re

import pytest
from django.core.files.base import ContentFile

from balai.core.tests.axe import assert_no_axe_violations
from balai.letters.models import LetterRequest, RequestDocument
from balai.letters.tests.world import make_resident, png_bytes, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pin_slip_then_a_letter_without_typing_nik(world, page, browser_login, tmp_path):
    make_resident(world.village_a, "3508011203900003", world.siti.family.no_kk, name="Agus")
    earlier = submit(world)
    document = RequestDocument(request=earlier, key="ktp", label="Foto KTP-el")
    document.file.save("ktp.png", ContentFile(png_bytes()), save=True)
    photo = tmp_path / "kk.png"
    photo.write_bytes(png_bytes())

    browser_login(page, world.operator_a)
    page.goto("/surat/staf/pin/")
    page.get_by_label("NIK penduduk").fill("3508 0142 0761 0001")
    page.get_by_role("button", name="Buat PIN baru").click()
    slip = page.locator(".slip")
    pin = slip.locator(".pin").inner_text()
    assert re.fullmatch(r"[0-9]{6}", pin)
    assert_no_axe_violations(page)
    page.emulate_media(media="print")
    assert page.locator("header.site").is_hidden() and slip.is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Keluar").click()

    page.goto("/surat/saya/masuk/")
    page.get_by_label("NIK").fill(world.siti.nik)
    page.get_by_label("PIN").fill(pin)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.locator("#id_new_pin").fill("583920")
    page.get_by_label("Ulangi PIN baru").fill("583920")
    page.get_by_role("button", name="Simpan PIN").click()

    page.get_by_role("link", name="Data saya dan keluarga").click()
    main = page.locator("main").inner_text()
    assert world.siti.nik in main and "Agus" in main
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Ajukan surat tanpa mengetik NIK").click()
    page.get_by_role("link", name="Surat Keterangan Domisili").click()
    assert page.get_by_label("NIK").count() == 0
    assert "02/07/1961" in page.locator("main").inner_text()
    page.get_by_label("Keperluan").fill("melamar pekerjaan")
    page.get_by_label("Foto KTP-el: pakai yang pernah Anda kirim").select_option(index=1)
    page.get_by_label("Foto Kartu Keluarga").set_input_files(str(photo))
    page.get_by_label("Nomor WhatsApp/telepon").fill("0812 3456 7890")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url(re.compile(r"/surat/lacak/[0-9A-Z]{28}/"))
    new = LetterRequest.objects.exclude(pk=earlier.pk).get()
    assert new.resident == world.siti
    assert sorted(new.documents.values_list("key", flat=True)) == ["kk", "ktp"]
