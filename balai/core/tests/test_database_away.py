"""While the database is away the site says so: a styled Indonesian 503 page
(or an RFC 9457 problem from the API) with Retry-After, never a bare 500.

The database is really unreachable here, not mocked: the connection is
closed and pointed at a closed port (PostgreSQL) or a file that cannot be
opened (SQLite), so the driver's own error reaches Django.
"""

import socket
from contextlib import contextmanager

import pytest
from django.db import connections
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens


@contextmanager
def database_away(tmp_path):
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "no-such-dir" / "balai.sqlite3")
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_a_page_says_the_database_is_away_in_indonesian(cast, tmp_path):
    client = Client(raise_request_exception=False)
    with database_away(tmp_path):
        response = client.get("/surat/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert '<html lang="id">' in page and 'rel="stylesheet"' in page
    assert "Basis data sedang tidak dapat dihubungi" in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_a_form_sent_while_the_database_is_away_is_told_it_was_not_saved(cast, tmp_path):
    client = Client(raise_request_exception=False)
    with database_away(tmp_path):
        response = client.post(
            f"/surat/ajukan/{cast.village_a.code}/domisili/", {"nik": "3508014107610001"}
        )
    assert response.status_code == 503
    assert "belum tersimpan" in response.content.decode()


def test_a_signed_in_page_says_it_too(cast, tmp_path):
    from conftest import login

    client = Client(raise_request_exception=False)
    login(client, cast.operator_a)
    with database_away(tmp_path):
        response = client.get("/surat/staf/")
    assert response.status_code == 503
    assert "Basis data sedang tidak dapat dihubungi" in response.content.decode()


def test_the_english_page_is_in_english(cast, tmp_path):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    with database_away(tmp_path):
        response = client.get("/")
    assert response.status_code == 503
    assert "The database cannot be reached" in response.content.decode()


def test_the_api_answers_a_problem_document(cast, tmp_path):
    client = Client(raise_request_exception=False)
    with database_away(tmp_path):
        response = client.get("/api/v1/catalogue")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    problem = response.json()
    assert problem["status"] == 503 and problem["title"]
    assert "basis data" in problem["detail"].lower()


def test_the_site_works_again_when_the_database_is_back(cast, tmp_path):
    client = Client(raise_request_exception=False)
    with database_away(tmp_path):
        assert client.get("/").status_code == 503
    assert client.get("/").status_code == 200
