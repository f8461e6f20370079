"""The archive's layout: a plain tar file written and read in one pass, never whole in memory.

    database.pgdump | database.sqlite3   the database, from one snapshot
    media/<name>                         every file in the media storage, by its storage name
    manifest.json                        last: versions, vendor, migrations, row counts,
                                         the SHA-256 and size of every other member

Plain tar, not compressed: PDFs, photos and pg_dump's custom format are
compressed already, and an uncompressed tar is read back at disk speed.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
VENDOR_OF_MEMBER = {member: vendor for vendor, member in DATABASE_MEMBERS.items()}
CHUNK = 1024 * 1024
# A manifest names every media file once: generous, but a bound before json.loads.
MANIFEST_MAX_BYTES = 2 * 1024 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message tells the admin why and what to do."""


class HashingReader:
    """Reads from `source` and hashes what passes through (tarfile and storages read it)."""

    def __init__(self, source: IO[bytes]):
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def media_member(name: str) -> str:
    return MEDIA + name


def safe_name(name: str) -> bool:
    """A relative path inside the archive, without `..`, as restore will write it."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def add_stream(tar: tarfile.TarFile, name: str, source: IO[bytes], size: int) -> str:
    """Append `size` bytes of `source` as member `name`; returns their SHA-256."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    reader = HashingReader(source)
    tar.addfile(info, reader)  # tarfile only calls read()
    if reader.size != size:
        raise BackupError(f"{name}: read {reader.size} bytes where {size} were expected")
    return reader.hexdigest()


def add_manifest(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    data = json.dumps(manifest, indent=1, sort_keys=True).encode()
    info = tarfile.TarInfo(MANIFEST)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


@dataclass
class Member:
    name: str
    size: int
    stream: IO[bytes]


def members(path: str) -> Generator[Member, None, None]:
    """Every regular member of the archive at `path`, in order, its content as a stream.

    A damaged or truncated archive raises BackupError, never a tarfile error.
    """
    try:
        with tarfile.open(path, "r:") as tar:
            while (info := tar.next()) is not None:
                # tarfile keeps every header it has read: memory would grow with the media.
                tar.members.clear()  # type: ignore[attr-defined]  # not in typeshed
                if not info.isfile() or not safe_name(info.name):
                    raise BackupError(f"{path}: unexpected member {info.name!r}")
                stream = tar.extractfile(info)
                assert stream is not None  # a regular file always has one
                yield Member(info.name, info.size, stream)
    except (tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{path}: damaged or truncated archive ({exc})") from None


def read_all(member: Member, sink: Callable[[bytes], object] | None = None) -> str:
    """Read a member to its end (into `sink` when given); returns its SHA-256."""
    reader = HashingReader(member.stream)
    try:
        while chunk := reader.read(CHUNK):
            if sink is not None:
                sink(chunk)
    except (tarfile.TarError, EOFError):
        raise BackupError(f"{member.name}: the archive is truncated") from None
    if reader.size != member.size:
        raise BackupError(f"{member.name}: the archive is truncated")
    return reader.hexdigest()


def parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except ValueError:
        raise BackupError("the manifest is damaged (not JSON)") from None
    if not isinstance(manifest, dict):
        raise BackupError("the manifest is damaged (not an object)")
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"archive format {manifest.get('format')!r}: this Balai reads format {FORMAT} only"
        )
    return manifest
