"""BALAI_REDIS_URL puts the cache and sessions in Redis (a real one on loopback).

CI starts Redis (.ci/run), so this test fails rather than skips without it.
"""

import os
import subprocess
import sys

REDIS_URL = "redis://127.0.0.1:6379/15"

ROUND_TRIP = """
import uuid
from django.conf import settings
from django.core.cache import cache

print("backend", settings.CACHES["default"]["BACKEND"])
print("sessions", settings.SESSION_ENGINE)
key = f"balai-test-{uuid.uuid4()}"
cache.set(key, "tersimpan", 30)
print("read back", cache.get(key))
cache.delete(key)
print("counted", [cache.incr(key + "-n") if i else cache.add(key + "-n", 1) for i in range(3)])
"""


def test_settings_build_a_redis_cache_that_stores_and_counts(tmp_path):
    env = {**os.environ, "BALAI_DATA_DIR": str(tmp_path), "BALAI_REDIS_URL": REDIS_URL}
    result = subprocess.run(
        [sys.executable, "-m", "balai", "shell", "-c", ROUND_TRIP],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "backend django.core.cache.backends.redis.RedisCache" in result.stdout
    assert "sessions django.contrib.sessions.backends.cached_db" in result.stdout
    assert "read back tersimpan" in result.stdout
    assert "counted [True, 2, 3]" in result.stdout
