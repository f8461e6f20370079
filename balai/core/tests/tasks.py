"""A task for tests of the task queue itself: each run leaves one audit row
saying which run it was and which process ran it."""

import os

from django_tasks import task

from balai.accounts import audit


@task()
def leave_a_mark(n: int) -> None:
    # RQ runs each task in a child ("work horse") of the worker process, the
    # database worker in the worker process itself: both are recorded.
    audit.record("test.task_ran", detail={"n": n, "pid": os.getpid(), "parent": os.getppid()})
