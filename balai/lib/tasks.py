"""Queueing a django-tasks task to run later, once; what to do when a worker
died running one; what the queues hold.

Periodic work (the cameras' rounds, the services' probes, the complaints'
escalation check, webhook delivery) keeps itself going: each run queues the
next one. `schedule_once` queues a run only when none of that task is waiting,
so triggers from many processes make one chain, and a second chain dies out:
its next run finds the other's waiting and queues nothing.

"Waiting" is the backend's own: on the database backend a READY row of the
task; on RQ a key in Redis naming the waiting job, taken with SET NX and
dropped when that job starts (`forget_waiting`, connected in balai.core's
AppConfig). A backend that cannot defer (the tests' immediate one) queues
nothing: the chain would run forever at once.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone

# Held while one process enqueues (it names no job yet); it lapses if that process dies.
_PENDING = "pending:"
_PENDING_SECONDS = 60
_SET_IF = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
return false
"""
_DELETE_IF = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


def can_defer(chosen) -> bool:
    """Whether the task's backend runs tasks later (a worker), rather than at once."""
    return bool(chosen.get_backend().supports_defer)


def schedule_once(chosen, delay: dt.timedelta) -> bool:
    """Queue `chosen` after `delay` unless one is waiting already; True if queued."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_rq.backend import RQBackend

    backend = chosen.get_backend()
    if isinstance(backend, DatabaseBackend):
        return _schedule_in_database(chosen, delay)
    if isinstance(backend, RQBackend):
        return _schedule_on_rq(chosen, delay)
    return False


def _schedule_in_database(chosen, delay: dt.timedelta) -> bool:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=chosen.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    chosen.using(run_after=timezone.now() + delay).enqueue()
    return True


def _waiting_key(chosen) -> str:
    return f"balai:tasks:waiting:{chosen.module_path}"


def _redis(chosen):
    import django_rq

    return django_rq.get_queue(chosen.queue_name).connection


def _schedule_on_rq(chosen, delay: dt.timedelta) -> bool:
    redis, key = _redis(chosen), _waiting_key(chosen)
    token = f"{_PENDING}{uuid.uuid4().hex}"
    while not redis.set(key, token, nx=True, ex=_PENDING_SECONDS):
        holder = redis.get(key)
        if holder is None:
            continue  # dropped in between: try to take it again
        if _still_waiting(redis, holder.decode()):
            return False
        # The job it names ran or was lost without dropping the key: take it over.
        if redis.eval(_SET_IF, 1, key, holder, token, _PENDING_SECONDS):
            break
        return False  # another process took it over first
    try:
        result = chosen.using(run_after=timezone.now() + delay).enqueue()
    except BaseException:
        redis.eval(_DELETE_IF, 1, key, token)
        raise
    # Named once the job is in Redis (balai.lib.taskqueue pushes it when the
    # transaction commits); kept until it starts, a day past its time at most.
    lifetime = int(delay.total_seconds()) + 86400
    transaction.on_commit(lambda: redis.eval(_SET_IF, 1, key, token, result.id, lifetime))
    return True


def _still_waiting(redis, holder: str) -> bool:
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    if holder.startswith(_PENDING):
        return True
    try:
        status = Job.fetch(holder, connection=redis).get_status()
    except NoSuchJobError:
        return False
    return status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def forget_waiting(sender, task_result, **kwargs) -> None:
    """On RQ, a task that starts no longer waits: the next schedule_once may queue one."""
    from django_tasks_rq.backend import RQBackend

    # The immediate backend and RQ send their class; the database worker its backend.
    backend_class = sender if isinstance(sender, type) else type(sender)
    if not issubclass(backend_class, RQBackend):
        return
    from rq import get_current_job

    task, job = task_result.task, get_current_job()
    # In the worker, the job's own connection (django_rq would open another).
    redis = job.connection if job is not None else _redis(task)
    redis.eval(_DELETE_IF, 1, _waiting_key(task), task_result.id)


# What to do when a worker died while running a task: each app registers, for
# its task, a function taking the task's arguments that either resumes the
# work (queues it again) or fails it and removes its files (docs/faults.md).
_INTERRUPTED: dict[str, Callable[..., None]] = {}


def on_interrupted(*chosen):
    """Register the decorated function for when a worker dies running any of `chosen`."""

    def register(handler: Callable[..., None]) -> Callable[..., None]:
        for one in chosen:
            _INTERRUPTED[one.module_path] = handler
        return handler

    return register


def after_interrupted(result) -> None:
    """Let the app of a task whose worker died (its result already failed) resume
    or clean up."""
    try:
        result.task  # imports the task's module, which registers its handler  # noqa: B018
    except (ImportError, SuspiciousOperation):
        return  # a task that no longer exists: failing it is all there is to do
    run_interrupted(result.task_path, result.args_kwargs["args"], result.args_kwargs["kwargs"])


def run_interrupted(task_path: str, args, kwargs) -> None:
    """Call the handler registered for `task_path` (its module imported already), if any."""
    handler = _INTERRUPTED.get(task_path)
    if handler is not None:
        handler(*args, **kwargs)


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
    from django_tasks_rq.backend import RQBackend

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
