"""Keeping task workers alive, and closing what a dead one held (docs/faults.md).

Each worker has a stable id (`balai worker --id`, one per systemd unit or
`balai serve`'s one). Before a worker starts, the tasks its previous run left
"running" are failed and their apps resume or clean up after them
(lib.tasks.on_interrupted: an import fails and loses its files, the webhook
dispatcher and probe rounds are queued again); files written by processes
killed before their rows committed are swept. Only that id's tasks are
touched: other workers, on this server or another, keep theirs.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time

logger = logging.getLogger(__name__)


def default_worker_id() -> str:
    return socket.gethostname()[:56] or "worker"


def worker_command(worker_id: str) -> list[str]:
    return [sys.executable, "-m", "balai", "worker", "--id", worker_id]


def recover_interrupted_work(worker_id: str) -> int:
    """Fail and hand back to their apps the tasks `worker_id` was running; returns how many."""
    from django.db import connection, connections
    from django_tasks_db.models import DBTaskResult

    from balai.core.media import sweep_orphans
    from balai.lib.tasks import recover_interrupted

    interrupted = [
        result
        for result in DBTaskResult.objects.running()
        if result.worker_ids and result.worker_ids[-1] == worker_id
    ]
    for result in interrupted:
        logger.warning("task %s (%s) was interrupted; recovering", result.pk, result.task_path)
        recover_interrupted(result)
    sweep_orphans()
    if not connection.in_atomic_block:
        # `balai serve` recovers again maybe days later: a fresh connection then.
        connections.close_all()
    return len(interrupted)


class WorkerSupervisor:
    """Starts the worker, and starts it again whenever it has died (it recovers itself)."""

    def __init__(self, command: list[str] | None = None, backoff: float = 1.0) -> None:
        self.command = command or worker_command(f"{default_worker_id()}-serve")
        self.backoff = backoff
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self.started = 0.0
        self.stopping = False

    def start(self) -> subprocess.Popen:
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
