"""The public pages (per entry, agency, theme), the search page, the portal's box,
and the staff's editing pages."""

from balai.accounts.models import AuditLog
from balai.hub.models import Service


def test_the_portal_home_has_the_one_search_box(client, catalogue):
    page = client.get("/").content.decode()
    assert 'action="/katalog/cari/"' in page and 'name="q"' in page


def test_the_search_page_ranks_and_works_without_javascript(client, catalogue):
    page = client.get("/katalog/cari/", {"q": "ktp hlang"}).content.decode()
    assert page.index("Cetak ulang KTP-el hilang atau rusak") < page.index("Perekaman")
    assert "Juga dicari" in page
    assert "Tidak ada layanan" in client.get("/katalog/cari/", {"q": "qwxzvbk"}).content.decode()


def test_agency_page_shows_services_categories_and_on_time_record(client, catalogue):
    page = client.get("/katalog/opd/dinas-pupr/").content.decode()
    assert "Perbaikan jalan kabupaten rusak atau berlubang" in page
    assert "Aduan: Jalan kabupaten rusak/berlubang" in page
    assert "Ketepatan waktu menangani aduan" in page


def test_theme_and_entry_pages(client, catalogue):
    page = client.get("/katalog/tema/kependudukan/").content.decode()
    assert "Akta kelahiran" in page and "Surat Keterangan Domisili" in page
    entry = client.get("/katalog/layanan/surat-domisili/").content.decode()
    assert 'href="/surat/"' in entry  # a village letter is asked for through Balai
    assert client.get("/katalog/layanan/wifi-desa/").status_code == 404  # planned: not yet public
    assert client.get("/katalog/").status_code == 200


def test_agency_staff_edit_their_own_entries_only(client, catalogue, login_as):
    login_as(catalogue.agency_officer)
    listing = client.get("/katalog/staf/").content.decode()
    assert "Perbaikan jalan" in listing and "Akta kelahiran" not in listing
    assert client.get("/katalog/staf/akta-kelahiran/").status_code == 404
    assert client.get("/katalog/staf/aduan-jalan-rusak/").status_code == 404  # generated
    form = client.get("/katalog/staf/perbaikan-jalan/").content.decode()
    assert 'name="agency"' not in form
    response = client.post(
        "/katalog/staf/baru/",
        {
            "name": "Pengaduan jembatan gantung",
            "description": "Jembatan gantung desa.",
            "cost": "Gratis",
            "status": "live",
        },
    )
    assert response.status_code == 302
    made = Service.objects.get(slug="pengaduan-jembatan-gantung")
    assert made.agency == catalogue.agency
    assert AuditLog.objects.filter(action="service_created", object_id=str(made.pk)).exists()


def test_village_staff_and_strangers_cannot_edit(client, catalogue, login_as):
    assert client.get("/katalog/staf/").status_code == 302  # to the login
    login_as(catalogue.operator_a)
    assert client.get("/katalog/staf/").status_code == 403
    assert client.get("/katalog/staf/baru/").status_code == 403
