"""An exact hourly limit in one statement: upsert a counter row and read it back.

django-ratelimit on the database cache costs several queries per call; a
submission from an Open311 client pays one round trip here instead. Works on
PostgreSQL and SQLite (both know INSERT ... ON CONFLICT ... RETURNING).
"""

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
