"""Media through Django's storage API only, so it may live on a disk or in S3.

Uploads, letters, photos and snapshots go through `default_storage` (the
file system, or S3-compatible storage with BALAI_MEDIA_S3_BUCKET: docs/scale-out.md).
Two things the storage API does not say directly live here: replacing a file
under a fixed name, and a local path for tools that read files by name.

On a disk, files appear whole or not at all, on disk before their row commits
(`DurableFileSystemStorage`). Django's FileSystemStorage writes straight into
the final name: a full disk (ENOSPC) or a killed process leaves a partial file
there, and the data may still sit in the page cache when the database row
naming it commits. Here each file is written to a hidden `.*.partial` name
beside it, flushed to disk (fsync), then linked under its real name (the link
fails rather than overwrite, as Django's O_EXCL does) and the directory flushed
too. A failure removes the partial file; a process killed mid-write leaves only
a `.partial` name, which `sweep_partials` removes later. See docs/faults.md.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage

PARTIAL_SUFFIX = ".partial"


def _fsync(path: str, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_into_place(storage: FileSystemStorage, name: str, content, *, overwrite: bool) -> str:
    """Write `content` to a hidden partial file beside `name`, flush it, then put it
    in place: over what is at `name` (`overwrite`), else under `name` or, when that
    is taken, the storage's next free name (a link fails rather than overwrite, as
    Django's O_EXCL does). Returns the name it has; the partial file is gone."""
    directory = posixpath.dirname(name)
    partial = posixpath.join(directory, f".{secrets.token_hex(8)}{PARTIAL_SUFFIX}")
    try:
        # FileSystemStorage's own write: folders, chunks, permissions (django-stubs
        # leave out `_save`, which Storage declares only by convention).
        partial = FileSystemStorage._save(storage, partial, content)  # type: ignore[attr-defined]
        _fsync(storage.path(partial))
        if overwrite:
            os.replace(storage.path(partial), storage.path(name))
        else:
            while True:
                try:
                    os.link(storage.path(partial), storage.path(name))
                    break
                except FileExistsError:
                    name = storage.get_available_name(name)
        _fsync(os.path.dirname(storage.path(name)))
    finally:
        with suppress(FileNotFoundError):
            os.unlink(storage.path(partial))
    return name


class DurableFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        return _write_into_place(self, name, content, overwrite=False)


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


def replace(name: str, data: bytes, storage: Storage = default_storage) -> None:
    """Store `data` under exactly `name`, replacing what was there; a reader gets
    the old file or the new one, never part of either."""
    if isinstance(storage, FileSystemStorage):
        _write_into_place(storage, name, ContentFile(data), overwrite=True)
    else:
        # An object store replaces an object in one PUT. `save` would pick
        # another name when this one exists (as on a disk); `_save`, the method
        # each storage implements (Storage declares it only by convention),
        # writes under the name given.
        storage._save(name, ContentFile(data))  # type: ignore[attr-defined]


@contextmanager
def local_path(name: str, storage: Storage = default_storage) -> Iterator[Path]:
    """A path on this machine holding the stored file `name`: the file itself on
    a disk, a temporary copy (removed afterwards) from an object store."""
    if isinstance(storage, FileSystemStorage):
        yield Path(storage.path(name))
        return
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / Path(name).name  # the same file name, as readers may report it
        with storage.open(name, "rb") as stored, copy.open("wb") as local:
            shutil.copyfileobj(stored, local, 1024 * 1024)
        yield copy
