"""The HTTP side of a delivery: one POST, bounded in time and in what it reads.

aiohttp (already Balai's HTTP client for the camera probes) with a resolver
that refuses non-public addresses (guard.GuardedResolver), no redirects
followed, one total timeout over connecting, sending and reading (a slow
drip ends with it), and at most READ_CAP bytes of the answer read; an
answer longer than that is a failure, as is any status outside 2xx.

A `Sender` runs an event loop in its own thread: the worker's (synchronous)
dispatcher hands it requests and collects results as each finishes, so one
hanging receiver holds one of the window's slots, never the others.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass

import aiohttp

from balai.webhooks.guard import GuardedResolver, Refused, check_url

READ_CAP = 64 * 1024
EXCERPT = 500


@dataclass
class Outcome:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return not self.error and self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


async def _read_capped(response: aiohttp.ClientResponse) -> tuple[bytes, bool]:
    """At most READ_CAP bytes; True if there was more."""
    data = b""
    while len(data) <= READ_CAP:
        chunk = await response.content.read(READ_CAP + 1 - len(data))
        if not chunk:
            return data, False
        data += chunk
    return data[:READ_CAP], True


async def post(session, url: str, headers: dict, body: bytes, timeout: float) -> Outcome:
    started = time.monotonic()
    outcome = Outcome()
    try:
        check_url(url)
        async with asyncio.timeout(timeout):
            async with session.post(
                url, data=body, headers=headers, allow_redirects=False
            ) as response:
                outcome.status_code = response.status
                data, more = await _read_capped(response)
        outcome.excerpt = data[:EXCERPT].decode("utf-8", "replace")
        if more:
            outcome.error = f"answer longer than {READ_CAP // 1024} KB"
        elif 300 <= response.status < 400:
            outcome.error = "redirect not followed"
    except Refused as error:
        outcome.error = f"refused: {error}"[:200]
    except TimeoutError:
        outcome.error = f"no complete answer within {timeout:g} s"
    except aiohttp.ClientError as error:
        outcome.error = f"{type(error).__name__}: {error}"[:200]
    except OSError as error:
        outcome.error = f"{type(error).__name__}: {error}"[:200]
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


class Sender:
    """An event loop thread with one aiohttp session (its connection pool)."""

    def __init__(self, *, connections: int = 64) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.session = self._run(self._open(connections))

    async def _open(self, connections: int) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(), limit=connections, limit_per_host=0, ttl_dns_cache=10
        )
        # Cookies are not kept between deliveries; no proxy from the environment.
        return aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), trust_env=False
        )

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def submit(self, url: str, headers: dict, body: bytes, timeout: float) -> Future:
        return asyncio.run_coroutine_threadsafe(
            post(self.session, url, headers, body, timeout), self.loop
        )

    def close(self) -> None:
        self._run(self.session.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()
