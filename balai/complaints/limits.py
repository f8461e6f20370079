"""Hourly limits on submissions.

`hit`: exact and shared, one statement (upsert a counter row, read it back),
for strangers (the web form, by IP). django-ratelimit on the database cache
costs several queries per call. Works on PostgreSQL and SQLite (both know
INSERT ... ON CONFLICT ... RETURNING).

`hit_in_process`: per process, no query, for API clients.
"""

import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from balai.complaints.models import SubmissionCount


def hit(key: str, per_hour: int, now=None) -> bool:
    """Count one submission for `key`; True when it goes over `per_hour`."""
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    q = connection.ops.quote_name
    table, key_, hour_, count_ = (
        q(SubmissionCount._meta.db_table),
        q("key"),
        q("hour"),
        q("count"),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {hour_}, {count_}) VALUES (%s, %s, 1) "  # noqa: S608 - names from the model
            f"ON CONFLICT ({key_}, {hour_}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
            f"RETURNING {count_}",
            [key[:80], hour],
        )
        (count,) = cursor.fetchone()
    return count > per_hour


def prune(now=None) -> int:
    """Forget counters older than a day."""
    now = now or timezone.now()
    deleted, _ = SubmissionCount.objects.filter(hour__lt=now - timedelta(days=1)).delete()
    return deleted


_local: dict[str, tuple[object, int]] = {}
_local_lock = threading.Lock()


def hit_in_process(key: str, per_hour: int, now=None) -> bool:
    """Like `hit`, counted in this process only: no query and no shared row.

    For API clients (an admin issued their key and can revoke it) the limit
    stops a runaway app; one shared counter row would make all of that app's
    submissions wait for each other. With N server processes an app may
    send up to N x per_hour before every process refuses it.
    """
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    with _local_lock:
        seen_hour, count = _local.get(key, (hour, 0))
        count = count + 1 if seen_hour == hour else 1
        _local[key] = (hour, count)
        if len(_local) > 10_000:  # forget old keys now and then
            for old in [k for k, (h, _) in _local.items() if h != hour]:
                del _local[old]
    return count > per_hour
