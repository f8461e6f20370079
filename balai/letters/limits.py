"""Fixed-window rate limits kept in one small table, counted atomically.

django-ratelimit on the database cache costs a write transaction even to
*check* a limit (its `add`, plus a COUNT(*) of the cache table to cull), and
its counts are approximate across processes. Letters check limits on every
submission, so they use this instead: one SELECT reads every limit that
applies, and one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement
counts an event (SQLite 3.35+ and PostgreSQL alike).
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from balai.letters.models import RateCounter

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Limit:
    name: str  # e.g. "identify-ip"
    setting: str  # the settings name that may override the default rate
    default: str  # "20/h"

    @property
    def rate(self) -> tuple[int, int]:
        count, per = getattr(settings, self.setting, self.default).split("/")
        return int(count), UNITS[per[-1]] * int(per[:-1] or 1)

    def key(self, value: str, now: float) -> tuple[str, int]:
        _count, seconds = self.rate
        digest = hashlib.sha256(f"{self.name}:{value}".encode()).hexdigest()[:40]
        return digest, int(now // seconds) * seconds


IDENTIFY_IP = Limit("identify-ip", "BALAI_LETTERS_IDENTIFY_IP_RATE", "20/h")
IDENTIFY_NIK = Limit("identify-nik", "BALAI_LETTERS_IDENTIFY_NIK_RATE", "5/h")
SUBMIT_IP = Limit("submit-ip", "BALAI_LETTERS_SUBMIT_IP_RATE", "60/h")
VERIFY_IP = Limit("verify-ip", "BALAI_LETTERS_VERIFY_IP_RATE", "60/h")


def reached(*checks: tuple[Limit, str]) -> bool:
    """Whether any (limit, value) has used up its window; one query."""
    now = time.time()
    keys = {limit.key(value, now): limit.rate[0] for limit, value in checks}
    rows = RateCounter.objects.filter(
        key__in=[k for k, _w in keys], window_start__in={w for _k, w in keys}
    ).values_list("key", "window_start", "count")
    return any(count >= keys.get((key, window), 1 << 62) for key, window, count in rows)


def hit(limit: Limit, value: str) -> int:
    """Count one event; returns the count in this window (this one included)."""
    key, window = limit.key(value, time.time())
    table = RateCounter._meta.db_table
    # One statement: no savepoint needed inside a caller's transaction.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [key, window],
        )
        (count,) = cursor.fetchone()
        if random.random() < 0.01:  # noqa: S311 - pruning now and then is enough
            old = int(time.time()) - 2 * 86400
            cursor.execute(f"DELETE FROM {table} WHERE window_start < %s", [old])  # noqa: S608
    return count


def over(limit: Limit, value: str) -> bool:
    """Count one event and say whether it went over the limit."""
    return hit(limit, value) > limit.rate[0]
