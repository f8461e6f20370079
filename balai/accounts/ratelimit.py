"""Balai's one rate-limit mechanism: exact fixed-window counters in one table.

Every limit in Balai (sign-in, residents identifying themselves, letter and
complaint submissions, tracking lookups, Open311, statistics pages) counts
here. Why a table and not django-ratelimit on a cache (benchmarks/RESULTS.md,
"Rate limits"): without Redis the only cache shared by the server's processes
is the database cache, where one counted event costs two write transactions
(add, then incr as get + set) with a COUNT(*) of the cache table each, and the
incr is not atomic, so two processes lose each other's counts. Here one event
is one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement (SQLite 3.35+
and PostgreSQL alike): exact across processes, and a check that counts nothing
is one indexed SELECT for all the limits that apply.

Rates are written as django-ratelimit writes them: "5/h", "20/15m", "50/d".
`is_ratelimited` and `ratelimit` take django-ratelimit's arguments, so a call
switches by its import line alone.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import random
import re
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from balai.accounts.audit import client_ip
from balai.accounts.models import RateCounter

ALL = None  # any HTTP method, as django_ratelimit.ALL
UNSAFE = ["DELETE", "PATCH", "POST", "PUT"]
_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

Check = tuple[str, str, str]  # (group, key, rate)


class Ratelimited(PermissionDenied):
    """Raised by `ratelimit(block=True)`: a 403, as django-ratelimit's."""


def parse(rate: str) -> tuple[int, int]:
    """(events, seconds) of a rate such as "20/15m"."""
    found = _RATE.match(rate)
    if found is None:
        raise ValueError(f"not a rate: {rate!r}")
    count, multiple, unit = found.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


def client_key(request) -> str:
    """The client a limit counts: an IPv4 address, or an IPv6 address's /64
    (one subscriber holds a whole /64 and could otherwise count as millions)."""
    address = client_ip(request) if request is not None else None
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _slot(group: str, key: str, rate: str, now: float) -> tuple[str, int, int]:
    """(hashed key, end of the current window, the limit) for one check."""
    limit, seconds = parse(rate)
    digest = hashlib.sha256(f"{group}\0{key}\0{seconds}".encode()).hexdigest()[:40]
    return digest, (int(now) // seconds + 1) * seconds, limit


def _time(now: datetime | None) -> float:
    return now.timestamp() if now is not None else time.time()


def hit(group: str, key: str, rate: str, now: datetime | None = None) -> bool:
    """Count one event for `key` in `group`; True when it goes over `rate`."""
    return count(group, key, rate, now) > parse(rate)[0]


def count(group: str, key: str, rate: str, now: datetime | None = None) -> int:
    """Count one event (at `now`, by default the clock's time); the number in
    its window, this one included."""
    digest, window_end, _limit = _slot(group, key, rate, _time(now))
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    # One statement: atomic on its own, no savepoint inside a caller's transaction.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_end, count) VALUES (%s, %s, 1) "  # noqa: S608 - the model's table
            f"ON CONFLICT (key, window_end) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [digest, window_end],
        )
        (counted,) = cursor.fetchone()
        if random.random() < 0.001:  # noqa: S311 - pruning now and then is enough
            prune()
    return counted


def usage(*checks: Check, now: datetime | None = None) -> list[int]:
    """The count so far in each check's current window (counting nothing); one query."""
    slots = [_slot(group, key, rate, _time(now)) for group, key, rate in checks]
    found = dict(
        ((key, end), n)
        for key, end, n in RateCounter.objects.filter(
            key__in={key for key, _end, _limit in slots},
            window_end__in={end for _key, end, _limit in slots},
        ).values_list("key", "window_end", "count")
    )
    return [found.get((key, end), 0) for key, end, _limit in slots]


def reached(*checks: Check, now: datetime | None = None) -> int | None:
    """The index of the first check whose window is used up, or None; one query."""
    counts = usage(*checks, now=now)
    for index, ((_group, _key, rate), n) in enumerate(zip(checks, counts, strict=True)):
        if n >= parse(rate)[0]:
            return index
    return None


def prune() -> int:
    """Forget windows that have closed."""
    deleted, _ = RateCounter.objects.filter(window_end__lt=int(time.time())).delete()
    return deleted


# ------------------------------------------------ django-ratelimit's interface


def _key_value(request, group: str, key: str | Callable) -> str:
    if callable(key):
        return str(key(group, request))
    if key == "ip":
        return client_key(request)
    if key == "user_or_ip":
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else client_key(request)
    if key.startswith("header:"):
        return request.META.get("HTTP_" + key[7:].upper().replace("-", "_"), "")
    if key.startswith(("get:", "post:")):
        method, name = key.split(":", 1)
        return getattr(request, method.upper()).get(name, "")
    raise ValueError(f"unknown rate-limit key: {key!r}")


def is_ratelimited(
    request,
    group: str,
    key: str | Callable = "ip",
    rate: str = "",
    method: Iterable[str] | str | None = ALL,
    increment: bool = False,
) -> bool:
    """django-ratelimit's `is_ratelimited`, counted here: True when this request
    (counted when `increment`) is over `rate` for `key` in `group`."""
    methods = [method] if isinstance(method, str) else method
    if methods is not ALL and request.method not in methods:
        return False
    value = _key_value(request, group, key)
    if increment:
        return hit(group, value, rate)
    return usage((group, value, rate))[0] > parse(rate)[0]


def ratelimit(
    group: str | None = None,
    key: str | Callable = "ip",
    rate: str = "",
    method: Iterable[str] | str | None = ALL,
    block: bool = True,
):
    """django-ratelimit's view decorator: counts every matching request; over
    the rate, raises `Ratelimited` (block) or sets `request.limited`."""

    def decorator(view):
        name = group or f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            limited = is_ratelimited(request, name, key, rate, method, increment=True)
            request.limited = getattr(request, "limited", False) or limited
            if limited and block:
                raise Ratelimited
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
