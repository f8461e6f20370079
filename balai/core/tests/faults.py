"""Fixtures for fault tests (docs/faults.md): a media disk that fills up, a
PostgreSQL server of the test's own that it may restart.

`small_media_disk` mounts a tmpfs of its own as MEDIA_ROOT (tests run as
root, in CI too); `disk.fill(leave=n)` fills it up to `n` free bytes and
`disk.empty()` frees it again. Without the right to mount, the test skips on
a developer's machine and fails in CI (tools.missing_tool).
"""

import errno
import os
import shutil
import subprocess
from contextlib import suppress
from pathlib import Path

import pytest

from balai.core.tests.tools import missing_tool

DISK_BYTES = 2 * 1024 * 1024


class SmallDisk:
    def __init__(self, root: Path):
        self.root = root
        self.filler = root / ".filler"

    def fill(self, leave: int = 0) -> None:
        """Write until the disk is full, then give back `leave` bytes."""
        with open(self.filler, "ab", buffering=0) as out:
            block = b"\0" * 65536
            try:
                while True:
                    out.write(block)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
        size = self.filler.stat().st_size
        os.truncate(self.filler, max(0, size - leave))

    def empty(self) -> None:
        self.filler.unlink(missing_ok=True)

    def files(self) -> list[str]:
        """Every file on the disk but the filler, relative to it."""
        return sorted(
            str(p.relative_to(self.root))
            for p in self.root.rglob("*")
            if p.is_file() and p != self.filler
        )


@pytest.fixture
def small_media_disk(settings, tmp_path):
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if mount is None or umount is None:
        missing_tool("mount and umount (util-linux) are needed for the media disk")
    root = tmp_path / "small-media"
    root.mkdir()
    mounted = subprocess.run(
        [mount, "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        missing_tool(f"cannot mount a tmpfs for the media disk ({mounted.stderr.strip()})")
    settings.MEDIA_ROOT = root
    try:
        yield SmallDisk(root)
    finally:
        subprocess.run([umount, "--lazy", str(root)], check=True)


def on_postgresql() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


class PrivatePostgres:
    """A PostgreSQL instance of the test's own, which it may stop and start:
    the machine's shared server is never restarted."""

    def __init__(self, bindir: Path, root: Path, port: int):
        self.bindir, self.root, self.port = bindir, root, port
        self.data, self.logfile = root / "data", root / "postgres.log"
        # initdb and postgres refuse to run as root: as the postgres user then.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _pg_ctl(self, *args: str) -> None:
        command = [*self.as_owner, str(self.bindir / "pg_ctl"), "-D", str(self.data), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=300)

    def init(self) -> None:
        command = [*self.as_owner, str(self.bindir / "initdb"), "-D", str(self.data)]
        subprocess.run(
            [*command, "-A", "trust", "-U", "postgres", "-E", "UTF8"],
            check=True,
            capture_output=True,
            timeout=300,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._pg_ctl("-l", str(self.logfile), "-w", "-t", "300", "-o", options, "start")

    def stop(self) -> None:
        # fast: what systemd's restart does (clients are disconnected, work rolled back)
        self._pg_ctl("-w", "-t", "300", "-m", "fast", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture
def private_postgres(transactional_db):
    """A private, migrated PostgreSQL the test's default connection is pointed at:
    fixtures requested after this one make their rows there."""
    import glob
    import socket
    import sys
    import tempfile

    import psycopg
    from django.db import connections

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found or shutil.which("runuser") is None:
        missing_tool("PostgreSQL's server programs (Debian's postgresql) and runuser")
    root = Path(tempfile.mkdtemp(prefix="balai-pg-", dir="/tmp"))
    shutil.chown(root, "postgres", "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = PrivatePostgres(Path(found[-1]).parent, root, port)
    server.init()
    server.start()
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    try:
        with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE balai")
        env = {**os.environ, "DATABASE_URL": server.url("balai")}
        subprocess.run(
            [sys.executable, "-m", "balai", "migrate", "--no-input"],
            env=env,
            check=True,
            capture_output=True,
            timeout=900,
        )
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(port), NAME="balai")
        yield server
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        with suppress(subprocess.CalledProcessError):
            server._pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


# Pause points (balai.lib.faults) in the deployment's processes ---------------------

WAIT = 180  # seconds: generous, for a busy two-core machine


def wait_until(condition, what: str, timeout: float = WAIT):
    """Poll `condition` until it returns something true; that value."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"waited {timeout} s for {what}")


def pause_env(directory: Path, step: str) -> dict[str, str]:
    """The environment that makes Balai's processes stop at `step`."""
    directory.mkdir(exist_ok=True)
    return {"BALAI_PAUSE_AT": step, "BALAI_PAUSE_DIR": str(directory)}


def paused(directory: Path, step: str) -> int:
    """Wait until a process stands at `step`; its pid. It waits there to be killed
    (removing the marker would let it go on)."""
    marker = directory / step
    return int(wait_until(lambda: marker.exists() and marker.read_text(), f"a pause at {step}"))


def call(site, method: str, path: str, headers: dict | None = None):
    """(status, body) through the deployment's nginx, or the error when no answer came."""
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(site.url)
    connection = http.client.HTTPSConnection(
        address.hostname, address.port, timeout=WAIT, context=site.tls
    )
    body = b"{}" if method == "POST" else None
    try:
        connection.request(
            method, path, body=body, headers={**(headers or {}), "Content-Type": "application/json"}
        )
        response = connection.getresponse()
        return response.status, response.read()
    except OSError as error:
        return error, b""
    finally:
        connection.close()
