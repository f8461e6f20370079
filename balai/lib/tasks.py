"""Queueing a django-tasks task to run later, once; what to do when a worker
died running one.

Only the database backend runs deferred tasks (the one `balai serve` runs);
with another backend (tests' immediate one) nothing is queued.
"""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.utils import timezone


def schedule_once(chosen, delay: dt.timedelta) -> bool:
    """Queue `chosen` after `delay` unless one is waiting already; True if queued."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(chosen.get_backend(), DatabaseBackend):
        return False
    if DBTaskResult.objects.filter(task_path=_path(chosen), status=TaskResultStatus.READY).exists():
        return False
    chosen.using(run_after=timezone.now() + delay).enqueue()
    return True


# What to do when a worker died while running a task: each app registers, for
# its task, a function taking the task's arguments that either resumes the
# work (queues it again) or fails it and removes its files (docs/faults.md).
_INTERRUPTED: dict[str, Callable[..., None]] = {}


def _path(chosen) -> str:
    return f"{chosen.func.__module__}.{chosen.func.__qualname__}"


def on_interrupted(*chosen):
    """Register the decorated function for when a worker dies running any of `chosen`."""

    def register(handler: Callable[..., None]) -> Callable[..., None]:
        for one in chosen:
            _INTERRUPTED[_path(one)] = handler
        return handler

    return register


def after_interrupted(result) -> None:
    """Let the app of a task whose worker died (its result already failed) resume
    or clean up."""
    try:
        result.task  # imports the task's module, which registers its handler  # noqa: B018
    except (ImportError, SuspiciousOperation):
        return  # a task that no longer exists: failing it is all there is to do
    handler = _INTERRUPTED.get(result.task_path)
    if handler is not None:
        handler(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
