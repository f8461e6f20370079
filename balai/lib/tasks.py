"""Queueing a django-tasks task to run later, once; what the queues hold.

Only the database backend runs deferred tasks (the one `balai serve` runs);
with another backend (tests' immediate one) nothing is queued.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


def schedule_once(chosen, delay: dt.timedelta) -> bool:
    """Queue `chosen` after `delay` unless one is waiting already; True if queued."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(chosen.get_backend(), DatabaseBackend):
        return False
    path = f"{chosen.func.__module__}.{chosen.func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists():
        return False
    chosen.using(run_after=timezone.now() + delay).enqueue()
    return True


@dataclass(frozen=True)
class QueueState:
    """A queue's tasks that are due and not started, and how long the first has waited."""

    queue: str
    waiting: int
    oldest_seconds: float


def waiting_tasks(backend) -> list[QueueState]:
    """What `backend`'s queues hold now; raises if their store cannot be read.

    Tasks deferred to later (the next probe round) are not waiting until due.
    A backend that queues nothing (tests' immediate one) has no queues.
    """
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(backend, DatabaseBackend):
        return _database_queues(backend)
    try:
        from django_tasks_rq.backend import RQBackend
    except ImportError:  # django-tasks-rq is installed only where Redis queues are configured
        return []
    if isinstance(backend, RQBackend):
        return _redis_queues(backend)
    return []


def _database_queues(backend) -> list[QueueState]:
    from django.db.models import Case, Count, F, Min, When
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    rows = (
        DBTaskResult.objects.ready()
        .filter(backend_name=backend.alias)
        .values("queue_name")
        # run_after holds the far future for "as soon as possible": then it was due when queued.
        .annotate(
            n=Count("pk"),
            due=Min(
                Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
            ),
        )
    )
    found = {
        row["queue_name"]: QueueState(
            row["queue_name"], row["n"], max(0.0, (now - row["due"]).total_seconds())
        )
        for row in rows
    }
    queues = sorted(set(backend.queues) | set(found) or {"default"})
    return [found.get(name, QueueState(name, 0, 0.0)) for name in queues]


def _redis_queues(backend) -> list[QueueState]:
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry

    now = dt.datetime.now(dt.UTC)
    states = []
    for queue in backend._get_queues():
        waiting, dues = queue.count, []
        first = queue.get_job_ids(0, 1)
        if first:
            job = Job.fetch(first[0], connection=queue.connection)
            if job.enqueued_at is not None:
                dues.append(job.enqueued_at.replace(tzinfo=dt.UTC))
        # Deferred jobs wait in the scheduled registry until RQ's scheduler moves them.
        scheduled = ScheduledJobRegistry(queue=queue)
        cutoff = now.timestamp()
        waiting += queue.connection.zcount(scheduled.key, 0, cutoff)
        earliest = queue.connection.zrangebyscore(
            scheduled.key, 0, cutoff, start=0, num=1, withscores=True
        )
        if earliest:
            dues.append(dt.datetime.fromtimestamp(earliest[0][1], dt.UTC))
        oldest = (now - min(dues)).total_seconds() if dues else 0.0
        states.append(QueueState(queue.name, waiting, max(0.0, oldest)))
    return states
