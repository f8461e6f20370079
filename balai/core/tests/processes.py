"""Balai's real processes for fault tests: a web server and task workers on the
test's database, started, paused at a named step (balai.lib.faults), killed
with SIGKILL and started again.

Minimal on purpose: the processes run on the database and data dir of the
test that starts them, so the test's fixtures (the cast, the PKI) are theirs.
Tests speak to them through the API and /healthz: no static files are
collected (about two minutes on a busy two-core machine), so the pages'
templates, which name them, are not served here.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

WAIT = 180  # seconds: generous, for a busy two-core machine


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, headers=None, timeout: float = WAIT):
    """(status, body) from a process on loopback, or the error when no answer came
    (a killed process closes the connection)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    body = b"{}" if method == "POST" else None
    try:
        connection.request(
            method, path, body=body, headers={**(headers or {}), "Content-Type": "application/json"}
        )
        response = connection.getresponse()
        return response.status, response.read()
    except OSError as error:
        return error, b""
    finally:
        connection.close()


def wait_for(condition, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"waited {timeout} s for {what}")


class Processes:
    def __init__(self, data_dir: Path, **env: str):
        self.data_dir = data_dir
        self.pauses = data_dir / "pauses"
        self.pauses.mkdir(exist_ok=True)
        self.env = {
            **os.environ,
            "BALAI_DATA_DIR": str(data_dir),
            "BALAI_SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": database_url(),
            "BALAI_REDIS_URL": "",
            "BALAI_DEBUG": "",
            "BALAI_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "BALAI_PAUSE_DIR": str(self.pauses),
            **env,
        }
        self.started: list[subprocess.Popen] = []

    def _start(self, argv: list[str], log: str, pause_at: str | None) -> subprocess.Popen:
        env = {**self.env, "BALAI_PAUSE_AT": pause_at or ""}
        with (self.data_dir / log).open("ab") as out:
            process = subprocess.Popen(
                argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.started.append(process)
        return process

    def web(self, pause_at: str | None = None, workers: int = 1) -> int:
        """A web server (gunicorn with uvicorn workers) answering; returns its port."""
        port = free_port()
        argv = [
            sys.executable, "-m", "gunicorn", "balai.asgi:application",
            "--worker-class", "balai.core.web.Worker", "--workers", str(workers),
            "--bind", f"127.0.0.1:{port}",
        ]  # fmt: skip
        process = self._start(argv, "web.log", pause_at)
        self.web_master = process

        def answering():
            if process.poll() is not None:
                pytest.fail("the web server exited: " + self.log("web.log"))
            return request(port, "GET", "/healthz", timeout=5)[0] == 200

        wait_for(answering, "the web server")
        return port

    def worker(self, worker_id: str, pause_at: str | None = None) -> subprocess.Popen:
        argv = [sys.executable, "-m", "balai", "worker", "--id", worker_id, "--interval", "0.2"]
        return self._start(argv, f"worker-{worker_id}.log", pause_at)

    def web_workers(self) -> list[int]:
        """The pids of the web server's worker processes (gunicorn's master forks them)."""
        pid = self.web_master.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    def paused(self, step: str) -> int:
        """Wait until a process stands at `step`; its pid."""
        marker = self.pauses / step
        return int(wait_for(lambda: marker.exists() and marker.read_text(), f"pause at {step}"))

    def kill(self, pid: int) -> None:
        """SIGKILL, as the kernel's out-of-memory killer or a power cut would."""
        os.kill(pid, signal.SIGKILL)
        for marker in self.pauses.iterdir():
            if marker.read_text() == str(pid):
                marker.unlink()

    def log(self, name: str) -> str:
        path = self.data_dir / name
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        for marker in self.pauses.iterdir():
            marker.unlink()


@pytest.fixture
def processes(settings, tmp_path):
    """Start Balai's processes on this test's database and data dir (settings.DATA_DIR)."""
    if shutil.which("gunicorn", path=os.path.dirname(sys.executable)) is None:
        pytest.fail("gunicorn is a dependency of Balai; the virtualenv lacks it")
    settings.DATA_DIR = tmp_path  # MEDIA_ROOT is tmp_path / "media" already (conftest)
    running = Processes(tmp_path)
    yield running
    running.stop()
