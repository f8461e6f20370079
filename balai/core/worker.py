"""Task workers: `balai worker` runs one; several may run at once, on one server or more.

Each registers itself (core.TaskWorker) under the id it writes into the task
results it claims, and renews a heartbeat while it runs. Work held by a worker
that is dead is closed: its task results are marked failed and each task's
app resumes the work or fails it and removes its files (lib.tasks.on_interrupted:
an import is failed and its upload deleted, the webhook dispatcher and the
probe rounds are queued again; docs/faults.md). A worker is dead when it is
on this host and its pid is gone (a kill -9, the OOM killer: seen at once by
the next worker to start), when its heartbeat is older than DEAD_AFTER (a
server that vanished), or when it never registered. Every worker recovers
when it starts and every RECOVER_EVERY seconds while it runs, so the work of
one that is never restarted is closed too.
It also sweeps media files no row names (core.media) when it starts and every
SWEEP_EVERY seconds: what processes killed between a write and its commit left.

`balai serve` (the demo) keeps one worker alive beside the web server.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

from django.db import OperationalError, connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

WORKER_COMMAND = [sys.executable, "-m", "balai", "worker"]
HEARTBEAT_EVERY = 30  # seconds
# Longer than any wait for SQLite's write lock (a long import holds it) plus a few beats.
DEAD_AFTER = timedelta(minutes=5)
RECOVER_EVERY = 60  # seconds
SWEEP_EVERY = 3600  # seconds: it walks the media folders


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def live_worker_ids() -> set[str]:
    """Registered workers that are alive; the dead are unregistered on the way."""
    from balai.core.models import TaskWorker

    here = socket.gethostname()
    stale = timezone.now() - DEAD_AFTER
    live: set[str] = set()
    dead: set[str] = set()
    for worker in TaskWorker.objects.all():
        gone = worker.seen_at < stale or (worker.hostname == here and not pid_alive(worker.pid))
        (dead if gone else live).add(worker.worker_id)
    TaskWorker.objects.filter(worker_id__in=dead).delete()
    return live


def recover_interrupted_work() -> int:
    """Fail the tasks (and their jobs) of dead workers; returns how many tasks."""
    from django_tasks_db.models import DBTaskResult

    from balai.lib.tasks import after_interrupted

    live = live_worker_ids()
    failed = 0
    for result in DBTaskResult.objects.running():
        if result.worker_ids and result.worker_ids[-1] in live:
            continue
        with transaction.atomic():
            # Another worker may be recovering the same result at this moment.
            claimed = (
                DBTaskResult.objects.select_for_update().filter(pk=result.pk).running().first()
            )
            if claimed is None:
                continue
            claimed.set_failed(RuntimeError("the task worker stopped while running this task"))
        failed += 1
        # Its app resumes the work or fails it and removes its files (on_interrupted).
        after_interrupted(claimed)
    return failed


class Heartbeat(threading.Thread):
    """Keeps this worker's registration fresh and recovers dead workers' work."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="balai-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def register(self) -> None:
        from balai.core.models import TaskWorker

        TaskWorker.objects.create(
            worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid()
        )

    def unregister(self) -> None:
        from balai.core.models import TaskWorker

        self.stopped.set()
        TaskWorker.objects.filter(worker_id=self.worker_id).delete()

    def run(self) -> None:
        from balai.core.media import sweep_orphans
        from balai.core.models import TaskWorker

        last_recovery = last_sweep = time.monotonic()
        while not self.stopped.wait(HEARTBEAT_EVERY):
            try:
                TaskWorker.objects.filter(worker_id=self.worker_id).update(seen_at=timezone.now())
                if time.monotonic() - last_recovery > RECOVER_EVERY:
                    last_recovery = time.monotonic()
                    recover_interrupted_work()
                if time.monotonic() - last_sweep > SWEEP_EVERY:
                    last_sweep = time.monotonic()
                    sweep_orphans()
            except OperationalError:
                # The database is away or busy: the next beat tries again.
                logger.warning("task worker heartbeat failed", exc_info=True)
            finally:
                connections.close_all()


def new_worker_id() -> str:
    # At most 64 characters (django-tasks-db's limit); unique even if a pid is reused.
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


class WorkerSupervisor:
    """Starts the worker, and starts it again whenever it has died (`balai serve`);
    the new worker closes the dead one's work when it starts."""

    def __init__(self, command=WORKER_COMMAND, backoff=1.0) -> None:
        self.command, self.backoff = list(command), backoff
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
