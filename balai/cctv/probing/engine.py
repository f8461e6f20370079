"""The probe engine: one asyncio loop, a concurrency limit, cheapest check first."""

import asyncio
from collections.abc import Callable, Iterable

from .results import DEFAULT_LIMITS, Limits, Result, Target


async def probe(target: Target, limits: Limits = DEFAULT_LIMITS) -> Result:
    raise NotImplementedError


async def probe_all(
    targets: Iterable[Target],
    limits: Limits = DEFAULT_LIMITS,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    raise NotImplementedError


def run_round(
    targets: Iterable[Target],
    limits: Limits = DEFAULT_LIMITS,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """One probe round from synchronous code (a command or a task)."""
    return asyncio.run(probe_all(targets, limits, on_result))
