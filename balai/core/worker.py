"""Keeping the task worker alive: `balai serve` restarts it when it dies.

Before each start, work the dead worker held is closed: its task results are
marked failed and each app's interrupted jobs are failed with a message (a
residents import deletes its uploaded file). One worker runs at a time, so
whatever is "running" then belongs to no process.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time

logger = logging.getLogger(__name__)

WORKER_COMMAND = [sys.executable, "-m", "balai", "db_worker"]


def recover_interrupted_work() -> None:
    from django.db import connection, connections
    from django_tasks_db.models import DBTaskResult

    from balai.residents.actions import fail_interrupted_imports

    for result in DBTaskResult.objects.running():
        result.set_failed(RuntimeError("the task worker stopped while running this task"))
    fail_interrupted_imports()
    if not connection.in_atomic_block:
        # `balai serve` recovers again maybe days later: a fresh connection then.
        connections.close_all()


class WorkerSupervisor:
    """Starts the worker, and starts it again (after recovery) whenever it has died."""

    def __init__(
        self, command=WORKER_COMMAND, recover=recover_interrupted_work, backoff=1.0
    ) -> None:
        self.command, self.recover, self.backoff = list(command), recover, backoff
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self.started = 0.0
        self.stopping = False

    def start(self) -> subprocess.Popen:
        self.recover()
        self.started = time.monotonic()
        self.process = subprocess.Popen(self.command)
        return self.process

    def check(self) -> None:
        """Restart a dead worker; call this every second or so."""
        if self.stopping or self.process is None or self.process.poll() is None:
            return
        logger.error(
            "task worker (pid %s) exited with %s; restarting",
            self.process.pid,
            self.process.returncode,
        )
        if time.monotonic() - self.started > 60:
            self.restarts = 0
        # A worker that dies at once must not spin: wait longer each time, up to a minute.
        time.sleep(min(self.backoff * 2**self.restarts, 60))
        self.restarts += 1
        self.start()

    def stop(self) -> None:
        self.stopping = True
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> None:
        if self.process is not None:
            self.process.wait()
