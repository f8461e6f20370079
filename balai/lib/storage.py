"""Media files that appear whole or not at all, on disk before their row commits.

Django's FileSystemStorage writes straight into the final name: a full disk
(ENOSPC) or a killed process leaves a partial file there, and the data may
still sit in the page cache when the database row naming it commits. Here
each file is written to a hidden `.*.partial` name beside it, flushed to disk
(fsync), then linked under its real name (the link fails rather than
overwrite, as Django's O_EXCL does) and the directory flushed too. A failure
removes the partial file; a process killed mid-write leaves only a
`.partial` name, which `sweep_partials` removes later. See docs/faults.md.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import secrets
import time
from contextlib import suppress
from pathlib import Path

from django.core.files.storage import FileSystemStorage

PARTIAL_SUFFIX = ".partial"


def _fsync(path: str, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DurableFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        directory = posixpath.dirname(name)
        partial = posixpath.join(directory, f".{secrets.token_hex(8)}{PARTIAL_SUFFIX}")
        try:
            partial = super()._save(partial, content)
            _fsync(self.path(partial))
            while True:
                try:
                    os.link(self.path(partial), self.path(name))
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
            _fsync(os.path.dirname(self.path(name)))
        finally:
            with suppress(FileNotFoundError):
                os.unlink(self.path(partial))
        return name


def sweep_partials(root: Path, older_than: dt.timedelta) -> list[Path]:
    """Remove the `.partial` files of writes a killed process left, older than
    `older_than` (younger ones may still be being written); returns them."""
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    for path in Path(root).rglob(f".*{PARTIAL_SUFFIX}"):
        with suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
    return removed
