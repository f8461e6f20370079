"""The core journeys through nginx running the shipped configuration
(deploy/nginx/balai.conf) in front of Balai's web processes and a task worker,
over TLS on loopback: what a regency's server does (docs/deploy.md)."""

import functools
import http.client
import http.cookiejar
import json
import re
import shutil
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request

import pytest

from balai.accounts.models import AuditLog
from balai.complaints.models import Complaint
from balai.complaints.tests.conftest import cats, jpeg_bytes  # noqa: F401 - fixtures
from balai.core.tests.browser import PASSWORD, log_in, phone_tab
from balai.letters.models import Letter
from balai.letters.tests.conftest import data_dir, demo_pki  # noqa: F401 - fixtures
from balai.letters.tests.world import png_bytes, world  # noqa: F401 - fixtures

pytestmark = [pytest.mark.deployment, pytest.mark.django_db(transaction=True)]


class Visitor:
    """A plain HTTP client with cookies, connecting from a loopback address of its own
    (127.0.0.2, ...): to nginx, a resident at that address."""

    def __init__(self, site, source: str) -> None:
        self.site, self.source = site, source
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            SourceHTTPSHandler(source, site.tls),
        )

    def get(self, path: str, **headers):
        request = urllib.request.Request(self.site.url + path, headers=headers)  # noqa: S310
        return self._open(request)

    def post_form(self, path: str, fields: dict, **headers):
        """GET the page for its CSRF token, then POST the form as a browser would."""
        page = self.get(path)[2]
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, f"no form on {path}"
        token = found.group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(  # noqa: S310 - https on loopback
            self.site.url + path,
            data=body,
            headers={"Origin": self.site.url, "Referer": self.site.url + path, **headers},
        )
        return self._open(request)

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")


class SourceHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, source: str, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self.source, self.ssl_context = source, context

    def https_open(self, req):
        connection = functools.partial(
            http.client.HTTPSConnection, source_address=(self.source, 0), context=self.ssl_context
        )
        return self.do_open(connection, req)


def raw_request(site, head: bytes) -> tuple[str, str]:
    """Send only a request head over TLS; (status line and headers, body) of the answer."""
    port = int(site.url.rsplit(":", 1)[1])
    with (
        socket.create_connection(("127.0.0.1", port), timeout=60) as plain,
        site.tls.wrap_socket(plain, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(head)
        chunks = []
        while chunk := tls.recv(65536):
            chunks.append(chunk)
    head_text, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return head_text.decode(), body.decode(errors="replace")


@pytest.fixture
def tab(_playwright_browser):
    """A phone tab opening pages relative to a deployment's nginx; fails on any 5xx."""
    contexts, errors = [], []

    def open_tab(site):
        # ignore_https_errors: the deployment's self-signed certificate.
        context, page = phone_tab(
            _playwright_browser, site.url, errors, timeout_ms=60_000, ignore_https_errors=True
        )
        contexts.append(context)
        return page

    yield open_tab
    for context in contexts:
        context.close()
    assert not errors, f"server errors during the journey: {errors}"


@pytest.mark.browser
def test_residents_and_staff_through_nginx(deployment, tab, request, tmp_path):
    # The letters' and complaints' own fixtures (imported above).
    people = request.getfixturevalue("world")
    pki_dir = request.getfixturevalue("demo_pki")
    request.getfixturevalue("cats")
    site = deployment(web=2, workers=1)
    # The signers' certificates where the deployment's processes look for them.
    shutil.copytree(pki_dir, site.data_dir / "pki")
    page = tab(site)
    photo = tmp_path / "ktp.png"
    photo.write_bytes(png_bytes())

    # A resident requests a letter and tracks it.
    page.goto("/surat/")
    page.get_by_label("Desa/kelurahan").select_option(people.village_a.code)
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_role("link", name="Surat Keterangan Domisili").click()
    page.get_by_label("NIK").fill(people.siti.nik)
    page.get_by_label("Nomor KK").fill(people.siti.family.no_kk)
    page.get_by_label("Tanggal lahir").fill("1961-07-02")
    page.get_by_label("Keperluan").fill("persyaratan melamar pekerjaan")
    page.get_by_label("Foto KTP-el").set_input_files(str(photo))
    page.get_by_label("Foto Kartu Keluarga").set_input_files(str(photo))
    page.get_by_label("Nomor WhatsApp/telepon").fill("0812 3456 7890")
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url(re.compile(r"/surat/lacak/[0-9A-Z]{28}/"))
    tracking_url = page.url.split("?")[0]
    assert tracking_url.startswith(site.url)  # every redirect kept nginx's https address
    assert "Menunggu verifikasi" in page.locator("main").inner_text()

    # Staff sign in, verify and sign it.
    log_in(page, people.operator_a)
    page.goto("/surat/staf/")
    page.get_by_role("link", name="Surat Keterangan Domisili").click()
    page.get_by_role("button", name="Data sesuai: verifikasi").click()
    assert "Permohonan diverifikasi." in page.locator("main").inner_text()
    page.get_by_role("button", name="Keluar").click()
    log_in(page, people.head_a)
    page.goto("/surat/staf/")
    page.get_by_role("link", name="Surat Keterangan Domisili").click()
    page.get_by_role("button", name="Tandatangani dan beri nomor").click()
    assert "Surat ditandatangani dengan nomor 470/001/" in page.locator("main").inner_text()
    page.get_by_role("button", name="Keluar").click()
    page.goto(tracking_url)
    assert "Siap diambil" in page.locator("main").inner_text()
    letter = Letter.objects.get()  # signed, with its PDF where the processes keep uploads
    assert letter.number.startswith("470/001/")
    assert (site.data_dir / "media" / letter.pdf.name).read_bytes().startswith(b"%PDF")

    # A resident files a complaint with a photo, and tracks it.
    jpeg = tmp_path / "jalan.jpg"
    jpeg.write_bytes(jpeg_bytes(size=(800, 600)))
    page.goto("/aduan/lapor/")
    page.get_by_label("Kategori").select_option("jalan-rusak")
    page.get_by_label("Desa/kelurahan").select_option(people.village_a.code)
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_label("Uraian").fill("Jalan berlubang di depan SD.")
    page.get_by_label("Patokan lokasi").fill("Depan SDN Tempursari 01")
    page.get_by_label("Foto (opsional, maksimal 5)").set_input_files(str(jpeg))
    page.get_by_role("button", name="Kirim aduan").click()
    code = page.locator("#tracking-code").inner_text().strip()
    page.goto("/aduan/lacak/")
    page.get_by_label("Kode lacak").fill(code)
    page.get_by_role("button", name="Lihat").click()
    assert "Diterima" in page.locator("main").inner_text()
    complaint = Complaint.objects.get()
    [stored] = complaint.photos.all()
    assert (site.data_dir / "media" / stored.image.name).is_file()
    # Uploads are Balai's to hand out, never nginx's.
    for prefix in ("/media/", "/media-not-served/"):
        status, _, _ = Visitor(site, "127.0.0.1").get(prefix + stored.image.name)
        assert status == 404, prefix


def test_nginx_in_front_redirects_refuses_serves_static_and_passes_the_real_address(
    deployment, cast, settings
):
    site = deployment(web=2, workers=0)

    # Port 80 sends everyone to https.
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(NoRedirect).open(site.http_url + "/aduan/", timeout=60)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == site.url + "/aduan/"

    # The real client address, not nginx's and not what the client claims, in audit rows...
    resident = Visitor(site, "127.0.0.2")
    status, _, _ = resident.post_form(
        "/akun/masuk/",
        {"username": cast.operator_a.username, "password": PASSWORD},
        **{"X-Forwarded-For": "203.0.113.9"},
    )
    assert status == 200
    login = AuditLog.objects.get(action="login", user=cast.operator_a)
    assert login.ip == "127.0.0.2"

    # ... and in rate limits: one address is refused, its neighbour is not.
    busy, quiet = Visitor(site, "127.0.0.3"), Visitor(site, "127.0.0.4")
    forged = {"X-Forwarded-For": "198.51.100.1"}
    for _ in range(31):
        status, _, page = busy.post_form("/aduan/lacak/", {"code": "X"}, **forged)
    assert "Terlalu banyak percobaan" in page
    status, _, page = quiet.post_form("/aduan/lacak/", {"code": "X"}, **forged)
    assert status == 200 and "Terlalu banyak percobaan" not in page

    # A body over the limit is refused by nginx from its headers, with Balai's page.
    limit_mb = settings.BALAI_MAX_REQUEST_BYTES // (1024 * 1024)
    head, body = raw_request(
        site,
        b"POST /aduan/lapor/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: multipart/form-data; boundary=x\r\n"
        b"Content-Length: %d\r\n\r\n" % ((limit_mb + 1) * 1024 * 1024),
    )
    assert head.startswith("HTTP/1.1 413") and "nginx" in head
    assert "Permintaan terlalu besar" in body and f"{limit_mb} MB" in body
    assert 'rel="stylesheet"' in body

    # Static files: nginx's, compressed, hashed names cached for good...
    manifest = json.loads((site.data_dir / "static" / "staticfiles.json").read_text())
    css = "/static/" + manifest["paths"]["balai/balai.css"]
    _, headers, _ = Visitor(site, "127.0.0.1").get(css, **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    # ... even with every web process down, when nginx answers with Balai's 502 page.
    for process in site.web:
        process.stop()
    status, headers, _ = Visitor(site, "127.0.0.1").get(css)
    assert status == 200 and headers["Server"].startswith("nginx")
    status, _, page = Visitor(site, "127.0.0.1").get("/")
    assert status == 502
    assert "Layanan sedang tidak dapat dihubungi" in page and 'rel="stylesheet"' in page


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
