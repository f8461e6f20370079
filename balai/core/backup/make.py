"""Writing an archive: snapshot, dump, media, manifest, then one rename into place."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tarfile
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils.crypto import salted_hmac

from balai.core.backup.archive import (
    DATABASE_MEMBERS,
    FORMAT,
    BackupError,
    add_manifest,
    add_stream,
)
from balai.core.backup.databases import Database, Snapshot, for_connection
from balai.core.backup.media import archive_media


def secret_key_fingerprint() -> str:
    """Tells whether two deployments share SECRET_KEY without saying anything about it."""
    return salted_hmac("balai.backup.secret-key", "fingerprint").hexdigest()[:16]


def make_backup(target: Path, say: Callable[[str], object]) -> dict[str, Any]:
    """Write the archive to `target`; returns its manifest.

    It is written under a temporary name beside `target` and renamed only when
    complete and on disk, so `target` is either the old file or the whole new one.
    """
    database = for_connection(connection)
    target = target.absolute()
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a directory")
    if target.is_dir():
        raise BackupError(f"{target} is a directory: name the archive file")
    media_root = getattr(default_storage, "location", None)  # a local disk's media folder
    if media_root and target.parent.resolve().is_relative_to(Path(media_root).resolve()):
        raise BackupError(f"{target} is inside the media folder it would copy: write it elsewhere")
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    # Staging files beside the archive: same disk, and not a small tmpfs.
    with tempfile.TemporaryDirectory(prefix=".balai-backup-", dir=target.parent) as work:
        try:
            # Personal data: readable by the owner only, from the first byte.
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    manifest = _write(tar, database, Path(work), say)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, target)
            _fsync_directory(target.parent)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _write(
    tar: tarfile.TarFile, database: Database, work: Path, say: Callable[[str], object]
) -> dict[str, Any]:
    snapshot = database.snapshot(work)
    say(
        f"database: {len(snapshot.tables)} tables, {sum(snapshot.tables.values())} rows "
        f"({database.vendor})"
    )
    member = DATABASE_MEMBERS[database.vendor]
    with snapshot.dump.open("rb") as dump:
        size = os.fstat(dump.fileno()).st_size
        sha256 = add_stream(tar, member, dump, size)
    snapshot.dump.unlink()  # the disk it took is needed for the media
    media = archive_media(tar, default_storage, work)
    say(f"media: {len(media)} files, {sum(f['size'] for f in media.values())} bytes")
    _check_references(snapshot, media)
    manifest = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "balai_version": version("balai"),
        "django_version": django.get_version(),
        "regency": settings.BALAI_REGENCY,
        "secret_key_fingerprint": secret_key_fingerprint(),
        "database": {
            "vendor": database.vendor,
            "member": member,
            "sha256": sha256,
            "size": size,
            **snapshot.details,
        },
        "migrations": snapshot.migrations,
        "tables": snapshot.tables,
        "media": media,
        "references": snapshot.references,
    }
    add_manifest(tar, manifest)
    return manifest


def _check_references(snapshot: Snapshot, media: dict[str, Any]) -> None:
    missing = [
        f"{name} ({label})"
        for label, names in snapshot.references.items()
        for name in names
        if name not in media
    ]
    if missing:
        raise BackupError(
            f"{len(missing)} files named by the database are not in the media storage, e.g. "
            f"{', '.join(missing[:5])}. A file deleted during the backup: run it again; "
            "missing every time: the storage lost them."
        )


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
