"""BALAI_REDIS_URL puts the cache and the rate limits in Redis (a real one on loopback).

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
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

print("backend", settings.CACHES["default"]["BACKEND"])
key = f"balai-test-{uuid.uuid4()}"
cache.set(key, "tersimpan", 30)
print("read back", cache.get(key))
cache.delete(key)
request = RequestFactory().get("/", REMOTE_ADDR=f"192.0.2.{uuid.uuid4().int % 250}")
group = f"balai-test-{uuid.uuid4()}"
limited = [
    is_ratelimited(request, group=group, key="ip", rate="2/m", increment=True) for _ in range(3)
]
print("limited", limited)
"""


def test_settings_build_a_redis_cache_that_stores_and_rate_limits(tmp_path):
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
    assert "read back tersimpan" in result.stdout
    assert "limited [False, False, True]" in result.stdout
