import pytest

from balai.accounts.models import AuditLog
from balai.portal import actions
from balai.portal.models import EmbedOrigin, normalise_origin

WIDGET = "/desa/35.08.01.2001/sematan/"


def test_the_widget_may_be_framed_only_by_the_villages_registered_sites(client, cast):
    actions.allow_origin(cast.village_a, "https://tempursari.desa.id")
    actions.allow_origin(cast.village_b, "https://sidomulyo.desa.id")
    response = client.get(WIDGET)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://tempursari.desa.id;" in csp
    assert "sidomulyo" not in csp


def test_a_widget_without_registered_sites_is_framed_by_balai_alone(client, cast):
    csp = client.get(WIDGET)["Content-Security-Policy"]
    assert csp.startswith("frame-ancestors 'self';")


def test_everything_else_stays_unframeable(client, cast):
    for url in ["/", "/desa/35.08.01.2001/", "/akun/masuk/", "/desa/35.08.99.9999/sematan/"]:
        response = client.get(url)
        assert response.get("X-Frame-Options") == "DENY" or (
            response["Content-Security-Policy"] == "frame-ancestors 'self'"
        ), url


def widget_token(client, url=WIDGET):
    return client.get(url).content.decode().split('name="t" value="')[1].split('"')[0]


def test_the_widget_needs_no_cookies(client, cast):
    response = client.get(WIDGET)
    assert not response.cookies
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode()
    response = client.post(WIDGET, {"t": widget_token(client), "kode": "ABCD-EFGH"})
    assert response.status_code == 200
    assert not response.cookies


def test_a_widget_post_without_a_valid_form_token_is_refused(client, cast):
    other_village = widget_token(client, "/desa/35.08.02.2001/sematan/")
    for token in ["", "forged", other_village]:
        response = client.post(WIDGET, {"t": token, "kode": "ABCD-EFGH"})
        assert response.status_code == 400
        assert "Formulir ini kedaluwarsa" in response.content.decode()


def test_an_old_widget_form_token_expires(client, cast):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = widget_token(client)
    with time_machine.travel(start + dt.timedelta(hours=13), tick=False):
        response = client.post(WIDGET, {"t": token, "kode": "ABCD-EFGH"})
    assert response.status_code == 400


def test_the_widget_says_when_a_tracking_code_is_unknown(client, cast):
    response = client.post(WIDGET, {"t": widget_token(client), "kode": "ABCD-EFGH"})
    assert "Kode tidak ditemukan" in response.content.decode()


def test_tracking_lookups_are_rate_limited(client, cast):
    token = widget_token(client)
    for _ in range(20):
        client.post(WIDGET, {"t": token, "kode": "ABCD"})
    response = client.post(WIDGET, {"t": token, "kode": "ABCD"})
    assert response.status_code == 429
    assert "Terlalu banyak pencarian" in response.content.decode()


def test_the_embed_page_shows_both_snippets(client, login_as, cast, settings):
    settings.SITE_URL = "https://balai.lumajangkab.go.id"
    login_as(cast.operator_a)
    page = client.get("/staf/desa/35.08.01.2001/sematkan/").content.decode()
    assert '&lt;a href="https://balai.lumajangkab.go.id/desa/35.08.01.2001/"' in page
    assert '&lt;iframe src="https://balai.lumajangkab.go.id/desa/35.08.01.2001/sematan/"' in page


def test_staff_register_and_remove_sites_with_audit(client, login_as, cast):
    login_as(cast.secretary_a)
    url = "/staf/desa/35.08.01.2001/sematkan/"
    assert client.post(url, {"origin": "HTTPS://Tempursari.Desa.id/"}).status_code == 302
    allowed = EmbedOrigin.objects.get()
    assert allowed.origin == "https://tempursari.desa.id"
    assert (
        "Situs ini sudah terdaftar."
        in client.post(url, {"origin": "https://tempursari.desa.id"}).content.decode()
    )
    assert (
        "Tulis alamat situs lengkap"
        in client.post(url, {"origin": "tempursari.desa.id/halaman"}).content.decode()
    )
    client.post(f"{url}{allowed.token}/hapus/")
    assert not EmbedOrigin.objects.exists()
    assert list(
        AuditLog.objects.filter(action__startswith="embed_origin")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["embed_origin_added", "embed_origin_removed"]


def test_another_villages_site_cannot_be_removed(client, login_as, cast):
    allowed = actions.allow_origin(cast.village_b, "https://sidomulyo.desa.id")
    login_as(cast.operator_a)
    url = f"/staf/desa/35.08.01.2001/sematkan/{allowed.token}/hapus/"
    assert client.post(url).status_code == 404
    assert (
        client.post(f"/staf/desa/35.08.02.2001/sematkan/{allowed.token}/hapus/").status_code == 404
    )
    assert EmbedOrigin.objects.exists()


def test_other_roles_cannot_remove_sites(client, login_as, cast):
    allowed = actions.allow_origin(cast.village_a, "https://tempursari.desa.id")
    login_as(cast.district_a)
    url = f"/staf/desa/35.08.01.2001/sematkan/{allowed.token}/hapus/"
    assert client.post(url).status_code == 403
    assert EmbedOrigin.objects.exists()


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("https://desa.id", "https://desa.id"),
        ("https://desa.id:443/", "https://desa.id"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("javascript:alert(1)", None),
        ("https://desa.id/path", None),
        ("https://user@desa.id", None),
        ("https://desa.id;script-src *", None),
        ("https://*", None),
        ("ftp://desa.id", None),
    ],
)
def test_only_plain_web_origins_are_accepted(value, origin):
    assert normalise_origin(value) == origin
