"""Hourly limits on complaint submissions, counted by Balai's one rate-limit
mechanism (balai.accounts.ratelimit: exact across processes, one statement).

Callers count last in their transaction, so a counter row stays locked only
until the commit just after, and a refused report (rolled back) is not counted.
"""

from datetime import datetime

from balai.accounts import ratelimit

GROUP = "complaints-submit"


def hit(key: str, per_hour: int, now: datetime | None = None) -> bool:
    """Count one submission for `key`; True when it goes over `per_hour`."""
    return ratelimit.hit(GROUP, key, f"{per_hour}/h", now)


def reached(key: str, per_hour: int, now: datetime | None = None) -> bool:
    """Whether `key` has used up this hour's submissions (counting nothing)."""
    return ratelimit.reached((GROUP, key, f"{per_hour}/h"), now=now) is not None
