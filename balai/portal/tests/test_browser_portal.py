"""Journeys in a phone-sized chromium: the village page and the embedded widget."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from balai.portal import actions
from balai.portal.models import Announcement

pytestmark = pytest.mark.browser


@pytest.fixture
def other_site():
    """A village's own web site on another port: serves one page that frames `src`."""
    servers = []

    def start(src: str) -> str:
        html = (
            "<!doctype html><html><head><meta charset='utf-8'><title>Situs desa</title></head>"
            f"<body><h1>Situs desa</h1><iframe src='{src}' title='Layanan' "
            "style='width:100%;height:560px'></iframe></body></html>"
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(html)))
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_village_page_reads_well_on_a_phone(cast, page, profile_a):
    Announcement.objects.create(
        village=cast.village_a,
        title="Posyandu",
        body="Alamat panjang: https://tempursari.desa.id/pengumuman/posyandu-balita-bulan-november-2026",
    )
    page.goto("/desa/35.08.01.2001/")
    assert page.get_by_role("heading", level=1).inner_text() == "Desa Tempursari"
    assert page.get_by_role("heading", name="Pengumuman").is_visible()
    assert page.get_by_text("Posyandu").first.is_visible()
    assert (
        page.get_by_role("link", name="0812-3456-7890")
        .get_attribute("href")
        .startswith("https://wa.me/62")
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the village page scrolls sideways on a 360 px phone"


def test_script_in_an_announcement_never_runs(cast, page):
    Announcement.objects.create(
        village=cast.village_a,
        title="<img src=x onerror=\"document.title='pwned'\">",
        body="<script>document.title='pwned'</script>",
    )
    page.goto("/desa/35.08.01.2001/")
    assert page.title() != "pwned"
    assert page.get_by_text("<script>document.title='pwned'</script>").is_visible()


def test_the_widget_works_inside_a_registered_site(cast, page, live_server, other_site):
    site = other_site(live_server.url + "/desa/35.08.01.2001/sematan/")
    actions.allow_origin(cast.village_a, site)
    page.goto(site)
    frame = page.frame_locator("iframe")
    heading = frame.get_by_role("heading", level=1)
    assert heading.inner_text() == "Layanan Desa Tempursari"
    frame.get_by_label("Kode lacak").fill("ABCD-EFGH-JKMN")
    frame.get_by_role("button", name="Lacak").click()
    from playwright.sync_api import expect

    # The POST worked inside the frame, without any cookie.
    expect(frame.get_by_text("Kode tidak ditemukan")).to_be_visible()
    assert page.context.cookies() == [], "the widget set a cookie"


def test_the_widget_is_refused_inside_an_unregistered_site(cast, page, live_server, other_site):
    actions.allow_origin(cast.village_a, "https://tempursari.desa.id")
    site = other_site(live_server.url + "/desa/35.08.01.2001/sematan/")
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "frame-ancestors" in m.text else None)
    page.goto(site)
    page.wait_for_timeout(500)
    inner = page.frames[1] if len(page.frames) > 1 else None
    loaded = inner is not None and "Layanan Desa Tempursari" in (inner.content() or "")
    assert not loaded, "an unregistered site could frame the widget"
    assert refused, "the browser did not report the frame-ancestors refusal"


def test_a_resident_starts_a_complaint_from_the_village_page(cast, page, complaint_category):
    page.goto("/desa/35.08.01.2001/")
    page.get_by_label("Apa masalahnya?").select_option("jalan-rusak")
    page.get_by_role("button", name="Lanjut melapor").click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("/aduan/lapor/")
    chosen = page.get_by_label("Desa/kelurahan").input_value()
    assert chosen == "35.08.01.2001"


def test_staff_edit_the_profile_and_residents_see_it(cast, page, browser_login):
    browser_login(page, cast.operator_a)
    page.goto("/staf/desa/35.08.01.2001/profil/")
    page.get_by_label("Nama kepala desa/lurah").fill("Wahyudi")
    page.get_by_label("Jam pelayanan").fill("Senin-Jumat 08.00-14.00")
    page.get_by_role("button", name="Simpan profil").click()
    page.wait_for_load_state()
    page.goto("/desa/35.08.01.2001/")
    assert page.get_by_text("Wahyudi").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
