import socket

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


def test_readyz_reports_the_database_the_cache_and_the_queue(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    from balai.core.tests.test_metrics import add

    add.enqueue(1, 2)
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["database"] == {} and body["cache"] == {}
    assert body["queue"]["default"]["waiting"] == 1
    assert body["queue"]["default"]["oldest_seconds"] >= 0


def test_readyz_names_the_cache_when_it_cannot_be_reached(client, db, settings):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["reason"] == "cache: ConnectionError"
    assert body["database"] == {}  # the rest still says how it is


def test_readyz_names_the_queue_when_its_store_cannot_be_read(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE django_tasks_database_dbtaskresult")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"].startswith("queue: ")
