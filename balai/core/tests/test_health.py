from django.db import connection


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_ok_with_migrations_applied(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content


def test_readyz_is_503_with_a_reason_when_a_migration_is_missing(client, db):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'regions'")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "migrations not applied" in response.json()["reason"]
