"""A database made by `balai migrate` alone is complete: nothing else to run first."""

import os
import subprocess
import sys

# Open311's request list is rate-limited per client, in the cache.
RATE_LIMITED_REQUEST = """
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get("/open311/v2/requests.json")
print("status", response.status_code)
"""


def test_migrate_alone_makes_the_cache_table_that_rate_limits_use(tmp_path):
    # A fresh SQLite file whatever the suite runs on: the question is what
    # `migrate` creates, and the cache table is made the same way on PostgreSQL.
    env = {
        **os.environ,
        "BALAI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "BALAI_REDIS_URL": "",
    }
    balai = [sys.executable, "-m", "balai"]
    migrate = subprocess.run([*balai, "migrate", "--no-input"], env=env, capture_output=True)
    assert migrate.returncode == 0, migrate.stderr
    request = subprocess.run(
        [*balai, "shell", "-c", RATE_LIMITED_REQUEST], env=env, capture_output=True, text=True
    )
    assert request.returncode == 0, request.stderr
    assert "status 200" in request.stdout, request.stdout + request.stderr
