"""Real RQ workers for tests (a pytest plugin, loaded by the root conftest).

- `rq_settings`: this test process queues tasks in the test session's private
  Redis (`redis_url`) through Balai's RQ backend, as `BALAI_TASKS_BACKEND=rq` does.
- `rq_workers(n, **env)`: starts n worker processes (`balai worker` on that backend)
  that share this test's database, secret key and media folder; they are
  stopped after the test. Tests using them need a transactional database, so
  the workers see what the test wrote.
- `child_env(settings, **extra)`: the environment for such a Balai process.
- `wait_until(condition)`: waits generously for what another process does.
"""

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

RQ_BACKEND = "balai.lib.taskqueue.RQBackend"


def database_url() -> str:
    """The address of the database this test uses (the test database, not the configured one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def child_env(settings, **extra: str) -> dict[str, str]:
    """A Balai process on this test's database, secret key and media folder."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        # MEDIA_ROOT is $BALAI_DATA_DIR/media (settings.py).
        "BALAI_DATA_DIR": str(Path(settings.MEDIA_ROOT).parent),
        "BALAI_SECRET_KEY": settings.SECRET_KEY,
        "BALAI_REDIS_URL": "",
        "BALAI_DEBUG": "",
        "BALAI_LOG_LEVEL": "INFO",
        **extra,
    }


def wait_until(condition: Callable[[], object], timeout: float = 180, what: str = "") -> None:
    """Wait for another process's work; generous, the machine may be busy."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {timeout} s: {what or condition}")
        time.sleep(0.1)


@pytest.fixture
def rq_settings(settings, redis_url):
    settings.TASKS = {"default": {"BACKEND": RQ_BACKEND, "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 3600}}
    return settings


def worker_command() -> list[str]:
    return [sys.executable, "-m", "balai", "rqworker", "default",
            "--job-class", "django_tasks_rq.Job", "--with-scheduler"]  # fmt: skip


@pytest.fixture
def rq_workers(rq_settings, redis_url, tmp_path) -> Iterator[Callable[..., list]]:
    started: list[subprocess.Popen] = []
    logs = []

    def start(count: int = 1, **extra: str) -> list[subprocess.Popen]:
        env = child_env(
            rq_settings, BALAI_TASKS_BACKEND="rq", BALAI_TASKS_REDIS_URL=redis_url, **extra
        )
        for _ in range(count):
            log = (tmp_path / f"worker-{len(started)}.log").open("wb")
            logs.append(log)
            started.append(
                subprocess.Popen(worker_command(), env=env, stdout=log, stderr=subprocess.STDOUT)
            )
        return started[-count:]

    yield start
    for process in started:
        process.terminate()  # RQ's warm shutdown: the job at hand finishes first
    for process in started:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for log in logs:
        log.close()
