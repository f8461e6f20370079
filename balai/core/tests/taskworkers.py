"""Real RQ workers for tests (a pytest plugin, loaded by the root conftest).

- `rq_settings`: this test process queues tasks in the test session's private
  Redis (`redis_url`) through Balai's RQ backend, as `BALAI_TASKS_BACKEND=rq` does.
- `rq_workers(n, **env)`: starts n worker processes (`balai worker` on that backend)
  that share this test's database, secret key and media folder; they are
  stopped after the test. Tests using them need a transactional database, so
  the workers see what the test wrote.
- `child_env(settings, **extra)`: the environment for such a Balai process.
"""

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from balai.core.tests.deployment import database_url

RQ_BACKEND = "balai.lib.taskqueue.RQBackend"


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


@pytest.fixture
def rq_settings(settings, redis_url):
    settings.TASKS = {"default": {"BACKEND": RQ_BACKEND, "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 3600}}
    return settings


def worker_command() -> list[str]:
    return [sys.executable, "-m", "balai", "worker"]  # production's: RQ here


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
