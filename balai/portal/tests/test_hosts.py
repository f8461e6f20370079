import pytest

from balai.accounts.models import AuditLog
from balai.portal import actions
from balai.portal.models import VillageHost

HOST = "tempursari.lumajangkab.go.id"


@pytest.fixture(autouse=True)
def _village_domains(settings):
    settings.BALAI_VILLAGE_HOST_DOMAINS = [".lumajangkab.go.id"]
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", ".lumajangkab.go.id"]
    settings.SITE_URL = "https://balai.lumajangkab.go.id"


def test_a_mapped_host_serves_the_village_page_as_its_home(client, cast, profile_a):
    actions.map_host(HOST, cast.village_a)
    response = client.get("/", HTTP_HOST=HOST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Desa Tempursari</h1>" in page
    assert f'<link rel="canonical" href="http://{HOST}/">' in page


def test_links_and_forms_on_a_mapped_host_stay_on_that_host(client, cast, announcement_a):
    actions.map_host(HOST, cast.village_a)
    page = client.get("/", HTTP_HOST=HOST).content.decode()
    import re

    targets = re.findall(r'(?:href|action|src)="([^"]+)"', page)
    leaving = [
        t
        for t in targets
        if t.startswith(("http://", "https://", "//"))
        and HOST not in t
        and "openstreetmap" not in t
        and "wa.me" not in t
    ]
    # Only the deliberate link back to the regency portal leaves the host.
    assert leaving == ["https://balai.lumajangkab.go.id/"]
    # The village's own address on its host redirects to the host's home.
    response = client.get("/desa/35.08.01.2001/", HTTP_HOST=HOST)
    assert response.status_code == 302 and response["Location"] == "/"
    # Other pages work on the host as on the main one.
    assert client.get("/desa/35.08.02.2001/", HTTP_HOST=HOST).status_code == 200


def test_an_unmapped_host_falls_back_to_the_regency_portal(client, cast):
    page = client.get("/", HTTP_HOST="entah.lumajangkab.go.id").content.decode()
    assert "Desa dan kelurahan yang sudah bergabung" in page


def test_a_host_of_a_village_no_longer_onboarded_gets_the_regency_portal(client, cast):
    actions.map_host(HOST, cast.village_a)
    cast.village_a.is_active = False
    cast.village_a.save()
    from balai.portal import hosts

    hosts.forget()
    page = client.get("/", HTTP_HOST=HOST).content.decode()
    assert "Desa dan kelurahan yang sudah bergabung" in page


def test_a_host_outside_the_allowed_domains_is_refused(client, cast):
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400


def test_the_regency_admin_maps_and_unmaps_hosts_with_audit(client, login_as, cast):
    login_as(cast.admin)
    response = client.post(
        "/staf/portal/host/",
        {"host": " Tempursari.Lumajangkab.go.id. ", "village": "35.08.01.2001"},
    )
    assert response.status_code == 302
    assert VillageHost.objects.get().host == HOST
    assert "<h1>Desa Tempursari</h1>" in client.get("/", HTTP_HOST=HOST).content.decode()
    client.post(f"/staf/portal/host/{HOST}/hapus/")
    assert not VillageHost.objects.exists()
    assert "Desa dan kelurahan" in client.get("/", HTTP_HOST=HOST).content.decode()
    assert list(
        AuditLog.objects.filter(action__startswith="village_host")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["village_host_mapped", "village_host_unmapped"]


@pytest.mark.parametrize(
    ("host", "error"),
    [
        ("desa.example.com", "Server belum menerima nama host ini."),
        ("https://x.lumajangkab.go.id/", "Tulis nama host saja"),
        ("balai.lumajangkab.go.id", "Ini alamat portal kabupaten"),
    ],
)
def test_hosts_that_cannot_work_are_refused_beside_the_field(client, login_as, cast, host, error):
    login_as(cast.admin)
    page = client.post(
        "/staf/portal/host/", {"host": host, "village": "35.08.01.2001"}
    ).content.decode()
    assert error in page
    assert not VillageHost.objects.exists()


def test_a_host_already_taken_is_refused(client, login_as, cast):
    actions.map_host(HOST, cast.village_b)
    login_as(cast.admin)
    page = client.post("/staf/portal/host/", {"host": HOST, "village": "35.08.01.2001"})
    assert "Nama host ini sudah dipakai desa lain." in page.content.decode()


@pytest.mark.parametrize("role", ["operator_a", "head_a", "district_a", "command_center"])
def test_only_the_regency_admin_maps_hosts(client, login_as, cast, role):
    actions.map_host(HOST, cast.village_a)
    login_as(getattr(cast, role))
    assert client.get("/staf/portal/host/").status_code == 403
    assert client.post("/staf/portal/host/", {"host": "x.lumajangkab.go.id"}).status_code == 403
    assert client.post(f"/staf/portal/host/{HOST}/hapus/").status_code == 403
    assert VillageHost.objects.count() == 1


def test_an_unknown_host_mapping_is_404(client, login_as, cast):
    login_as(cast.admin)
    assert client.post("/staf/portal/host/tidak.ada.go.id/hapus/").status_code == 404
