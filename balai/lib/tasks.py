"""Queueing a django-tasks task to run later, once.

Only the database backend runs deferred tasks (the one `balai serve` runs);
with another backend (tests' immediate one) nothing is queued.
"""

import datetime as dt

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
