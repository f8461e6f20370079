"""A private Redis for the tests that need one (a pytest plugin, loaded by the root conftest).

`redis_url`: an empty Redis database of a redis-server started for this test
session (one per xdist worker) on a Unix socket in a temporary folder: no port
to collide on, no key shared with another worker, another suite or the
machine's own Redis. Every test gets it emptied.
"""

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from balai.core.tests.tools import missing_tool


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[str]:
    """The URL of a redis-server of this session's own (database 0)."""
    server = shutil.which("redis-server")
    if server is None:
        missing_tool("redis-server is not installed")
    folder: Path = tmp_path_factory.mktemp("redis")
    socket = folder / "redis.sock"
    process = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
         "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"unix://{socket}?db=0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 60
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    try:
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def redis_url(redis_server) -> str:
    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    client.close()
    return redis_server
