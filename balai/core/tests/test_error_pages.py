"""404, 403 and 500 pages speak the user's language and never show a stack trace."""

import pytest
from django.test import Client


def get(path, language=None, user=None):
    client = Client(raise_request_exception=False)
    if language:
        client.cookies["django_language"] = language
    if user:
        from conftest import login

        login(client, user)
    return client.get(path)


@pytest.mark.parametrize(
    ("language", "text"), [(None, "Halaman tidak ditemukan"), ("en", "Page not found")]
)
def test_the_404_page_is_in_the_users_language(db, language, text):
    response = get("/tidak-ada/", language)
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.parametrize(("language", "text"), [(None, "Tidak diizinkan"), ("en", "Not allowed")])
def test_the_403_page_is_in_the_users_language(cast, language, text):
    response = get("/akun/token-api/", language, user=cast.operator_a)
    assert response.status_code == 403
    assert text in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"), [(None, "Terjadi gangguan"), ("en", "Something went wrong")]
)
def test_the_500_page_is_in_the_users_language_without_a_trace(db, settings, language, text):
    settings.ROOT_URLCONF = "balai.core.tests.urls_failing"
    response = get("/gagal/", language)
    assert response.status_code == 500
    page = response.content.decode()
    assert text in page
    assert "RuntimeError" not in page and "Traceback" not in page


def test_an_english_browser_gets_english_pages(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").get("/").content.decode()
    assert "Villages that have joined" in page
    assert '<html lang="en">' in page


def test_switching_language_sets_the_cookie_and_returns_to_the_page(db, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    assert response["Location"] == "/akun/masuk/"
    page = client.get("/akun/masuk/").content.decode()
    assert "Staff sign-in" in page and 'for="id_username">Username' in page
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Masuk staf" in client.get("/akun/masuk/").content.decode()


def test_a_bad_request_gets_the_styled_indonesian_400_page(db):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="penyerang.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Permintaan tidak dapat diproses" in page
    assert 'rel="stylesheet"' in page


def test_a_failed_csrf_check_gets_the_styled_indonesian_page(db):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.post("/akun/masuk/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formulir kedaluwarsa" in page
    assert 'rel="stylesheet"' in page


def test_the_proxys_error_pages_are_written_styled_and_in_indonesian(db, tmp_path):
    from django.core.management import call_command

    call_command("error_pages", str(tmp_path), "--limit-mb", "45")
    pages = {p.stem: p.read_text() for p in tmp_path.glob("*.html")}
    assert sorted(pages) == ["400", "408", "413", "429", "500", "502", "503", "504"]
    for page in pages.values():
        assert 'rel="stylesheet"' in page and '<html lang="id">' in page
    assert "45 MB" in pages["413"] and "Layanan sedang tidak dapat dihubungi" in pages["502"]


def test_a_rate_limit_is_answered_with_the_429_page(db, settings):
    from django.test import RequestFactory

    from balai.accounts.ratelimit import Ratelimited
    from balai.core.views import error_403

    response = error_403(RequestFactory().get("/"), Ratelimited())
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in response.content.decode()
