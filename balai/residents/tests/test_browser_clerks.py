"""Village clerks correct the registry on a phone (issue 11, items 8 and 9): search
by a partial NIK, edit a record, move a member to a new KK, download the import
template and decide an import conflict; axe-core on each page."""

import pytest

from balai.core.tests.axe import assert_no_axe_violations
from balai.residents.choices import Relationship
from balai.residents.models import Family, Resident
from balai.residents.tests.conftest import person, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_clerk_finds_corrects_and_moves_a_resident(registry, page, browser_login):
    family = (
        Family.objects.filter(village=registry.village_a, members__relationship=Relationship.CHILD)
        .distinct()
        .first()
    )
    child = family.members.filter(relationship=Relationship.CHILD).first()
    browser_login(page, registry.operator_a)
    page.goto("/staf/")
    assert "penduduk hidup" in page.locator("main").inner_text()
    page.get_by_role("link", name="Data penduduk", exact=True).click()
    page.get_by_label("Cari (NIK, no. KK atau nama)").fill(child.nik[:4])
    page.get_by_role("button", name="Tampilkan").click()
    assert "paling sedikit 6 angka" in page.locator("main").inner_text()
    page.get_by_label("Cari (NIK, no. KK atau nama)").fill(child.nik[:14])
    page.get_by_role("button", name="Tampilkan").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=child.name).click()

    page.get_by_role("link", name="Ubah data penduduk").click()
    page.get_by_label("Telepon").fill("0812 1111 2222")
    assert fits_the_phone(page)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Simpan").click()
    assert "Data penduduk diperbarui." in page.locator("main").inner_text()

    page.get_by_role("link", name="Pindah ke KK baru").click()
    page.get_by_label("Nomor KK baru").fill(family.no_kk[:6] + "0101259999")
    assert fits_the_phone(page)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Pindahkan").click()
    assert "Anggota dipindahkan ke KK baru." in page.locator("main").inner_text()
    child.refresh_from_db()
    assert child.family.no_kk == family.no_kk[:6] + "0101259999"
    assert child.phone == "6281211112222"


def test_a_clerk_decides_an_import_conflict(cast, page, browser_login, tmp_path):
    browser_login(page, cast.operator_a)
    page.goto("/penduduk/impor/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh contoh (xlsx)").click()
    assert download.value.suggested_filename == "contoh-impor-penduduk.xlsx"
    assert_no_axe_violations(page)

    first = write_csv(tmp_path / "a.csv", [person()])
    page.get_by_label("Berkas data penduduk").set_input_files(str(first))
    page.get_by_role("button", name="Unggah dan impor").click()
    page.wait_for_load_state()
    budi = Resident.objects.get()
    other = person(nama="Wati Lestari", tanggallahir="1990-01-02", nik=budi.nik)
    page.goto("/penduduk/impor/")
    page.get_by_label("Berkas data penduduk").set_input_files(
        str(write_csv(tmp_path / "b.csv", [other]))
    )
    page.get_by_role("button", name="Unggah dan impor").click()
    page.wait_for_load_state()
    assert "Wati Lestari" in page.locator("main").inner_text()
    assert fits_the_phone(page)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Pertahankan data lama").click()
    assert "Data lama dipertahankan." in page.locator("main").inner_text()
    budi.refresh_from_db()
    assert budi.name == "Budi Santoso"
