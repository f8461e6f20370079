"""The task queue in Redis: django-tasks-rq's backend, transactional as the database's.

On the database backend a task queued inside a transaction is a row of that
transaction: a worker sees it once the transaction commits, never if it rolls
back. django-tasks-rq pushes the job to Redis at once, so a worker could start
a residents import before its row is committed, or run a complaint's message
for a complaint that was rolled back. This backend pushes a job queued inside
a transaction when it commits (dropping it on a rollback), so every
`task.enqueue()` in Balai means the same on both backends.
"""

from typing import Any

import django_rq
from django.db import transaction
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import backend as rq_backend
from rq.job import Callback, JobStatus


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
            on_failure=Callback(rq_backend.failed_callback),
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
