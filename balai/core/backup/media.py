"""Media through Django's storage API (listdir, open, save, delete), never MEDIA_ROOT paths,
so backups work the same on a local disk and on S3-compatible storage."""

from __future__ import annotations

import posixpath
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage

from balai.core.backup.archive import (
    CHUNK,
    MEDIA,
    BackupError,
    HashingReader,
    add_stream,
    media_member,
    members,
)

# A file up to this size is staged in memory, a larger one on disk beside the archive.
SPOOL_BYTES = 8 * 1024 * 1024


def walk(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file's storage name, depth first, sorted."""
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:  # no media yet, or a directory removed while we walk
        return
    for name in sorted(files):
        yield posixpath.join(directory, name)
    for name in sorted(dirs):
        yield from walk(storage, posixpath.join(directory, name))


def archive_media(tar: tarfile.TarFile, storage: Storage, work: Path) -> dict[str, dict[str, Any]]:
    """Copy every stored file into the archive; returns name -> {sha256, size}.

    Each file is read once into a spool (a tar header needs the size before the
    data, and a file may change between asking its size and reading it).
    """
    copied = {}
    for name in walk(storage):
        try:
            source = storage.open(name, "rb")
        except FileNotFoundError:
            continue  # deleted since listed; if a row of the snapshot names it, we fail later
        with source, tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, dir=str(work)) as spool:
            shutil.copyfileobj(source, spool, CHUNK)
            size = spool.tell()
            spool.seek(0)
            sha256 = add_stream(tar, media_member(name), spool, size)
        copied[name] = {"sha256": sha256, "size": size}
    return copied


def stored_names(storage: Storage) -> set[str]:
    return set(walk(storage))


def file_sha256(storage: Storage, name: str) -> str:
    with storage.open(name, "rb") as stored:
        reader = HashingReader(stored)
        while reader.read(CHUNK):
            pass
    return reader.hexdigest()


class _Upload(HashingReader):
    """A member's stream as storages read it: forward only, hashed on the way."""

    closed = False

    def seekable(self) -> bool:
        return False


def restore_media(archive: str, storage: Storage, expected: dict[str, dict], skip: set[str]):
    """Save every archived file under its own name; returns the names written.

    On any failure the files written so far are deleted again.
    """
    written: list[str] = []
    try:
        for member in members(archive):
            if not member.name.startswith(MEDIA):
                continue
            name = member.name[len(MEDIA) :]
            if name in skip:
                continue
            upload = _Upload(member.stream)
            try:
                saved = storage.save(name, File(upload, name=name))  # type: ignore[arg-type]
            except tarfile.TarError:
                raise BackupError(f"{member.name}: the archive is truncated") from None
            written.append(saved)
            if saved != name:
                raise BackupError(f"the media storage saved {name} as {saved}: is it empty?")
            if upload.hexdigest() != expected[name]["sha256"]:
                raise BackupError(f"{member.name} changed since it was verified")
    except BaseException:
        delete_media(storage, written)
        raise
    return written


def delete_media(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
