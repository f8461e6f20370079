"""The task queue in Redis: django-tasks-rq's backend, transactional as the database's.

On the database backend a task queued inside a transaction is a row of that
transaction: a worker sees it once the transaction commits, never if it rolls
back. django-tasks-rq pushes the job to Redis at once, so a worker could start
a residents import before its row is committed, or run a complaint's message
for a complaint that was rolled back. This backend pushes a job queued inside
a transaction when it commits (dropping it on a rollback), so every
`task.enqueue()` in Balai means the same on both backends.

A job whose worker died while running it (its work horse killed, seen by the
worker at once; or the whole worker gone, seen by RQ's cleanup once its
heartbeat has lapsed) is also handed to its app, as the database backend's
recovery does (balai.lib.tasks.on_interrupted): an import is failed and its
upload deleted, a chain of periodic runs queued again.
"""

from typing import Any

import django_rq
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import backend as rq_backend
from rq import Worker as RQWorker
from rq.exceptions import AbandonedJobError
from rq.job import Callback, JobStatus

from balai.lib.tasks import run_interrupted


class WorkHorseKilled(Exception):
    """The process running a job (RQ's work horse) died: a signal, the OOM killer."""


def failed_callback(job, connection, exception_class, exception_value, traceback) -> None:
    """django-tasks-rq's (the task result failed), then, when the job's worker died
    rather than the task raising, its app's handler (lib.tasks.on_interrupted)."""
    if not isinstance(job, rq_backend.Job):  # fetched by a registry of plain RQ jobs
        job = rq_backend.Job.fetch(job.id, connection=connection)
    rq_backend.failed_callback(job, connection, exception_class, exception_value, traceback)
    if not issubclass(exception_class, AbandonedJobError | WorkHorseKilled):
        return
    try:
        task = job.func  # imports the task's module, which registers its handler
    except (ImportError, AttributeError, SuspiciousOperation):
        return  # a task that no longer exists: failing it is all there is to do
    run_interrupted(task.module_path, job.args, job.kwargs)


class Worker(RQWorker):
    """RQ's worker (`balai worker` on this backend), which also hands the job of a
    work horse that died to its app (RQ fails the job without its failure callback)."""

    def handle_work_horse_killed(self, job, retpid, ret_val, rusage) -> None:
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)
        error = WorkHorseKilled(f"the work horse stopped: waitpid returned {ret_val}")
        failed_callback(job, self.connection, WorkHorseKilled, error, None)


class RQBackend(rq_backend.RQBackend):
    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        task_result: TaskResult = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=rq_backend.Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(rq_backend.success_callback),
            meta={"backend_name": self.alias},
        )

        def push() -> None:
            if task.run_after is None:
                queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
            else:
                queue.schedule_job(job, task.run_after)
            task_enqueued.send(type(self), task_result=task_result)

        # Outside a transaction, at once (on_commit runs it now).
        transaction.on_commit(push)
        return task_result
