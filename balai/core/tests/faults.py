"""Fixtures for fault tests (docs/faults.md): a media disk that fills up.

`small_media_disk` mounts a tmpfs of its own as MEDIA_ROOT (tests run as
root, in CI too); `disk.fill(leave=n)` fills it up to `n` free bytes and
`disk.empty()` frees it again. Without the right to mount, the test skips on
a developer's machine and fails in CI (tools.missing_tool).
"""

import errno
import os
import shutil
import subprocess
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
