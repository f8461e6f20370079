"""With Redis configured, sessions are read from it and written through to the
database (`cached_db`): losing Redis's copy signs nobody out."""

import pytest
import redis
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

PASSWORD = "correct horse battery"


@pytest.fixture
def redis_sessions(settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return redis.Redis.from_url(redis_url)


def test_a_session_is_kept_in_redis_and_in_the_database(cast, client, redis_sessions):
    client.post("/akun/masuk/", {"username": "operator_a", "password": PASSWORD})
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    assert [k for k in redis_sessions.keys("*") if key.encode() in k]
    assert client.get(reverse("core:staff-home")).status_code == 200


def test_emptying_redis_signs_nobody_out(cast, client, redis_sessions):
    client.post("/akun/masuk/", {"username": "operator_a", "password": PASSWORD})
    redis_sessions.flushdb()  # a restart without persistence, or an eviction
    assert client.get(reverse("core:staff-home")).status_code == 200
    # Read back from the database, the session is in Redis again.
    assert [k for k in redis_sessions.keys("*") if client.cookies["sessionid"].value.encode() in k]


def test_signing_out_removes_both_copies(cast, client, redis_sessions):
    client.post("/akun/masuk/", {"username": "operator_a", "password": PASSWORD})
    key = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is None
    assert client.get(reverse("core:staff-home")).status_code == 302
