"""Restoring an archive into an empty database, all or nothing as far as storage allows.

1. Read the whole archive, hashing every member against the manifest (nothing
   is written yet but a staged copy of the database in a temporary directory).
2. Check it fits: same vendor and regency, migrations this code knows, every
   file a row names is in the archive, the database empty, no media file in
   the way.
3. Save the media, hashing again; on failure delete what was saved.
4. Restore the database in one transaction that ends by checking every
   table's count; on failure delete the media saved in step 3.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from balai.core.backup.archive import (
    MANIFEST,
    MANIFEST_MAX_BYTES,
    VENDOR_OF_MEMBER,
    BackupError,
    media_member,
    members,
    parse_manifest,
    read_all,
)
from balai.core.backup.databases import Database, for_connection
from balai.core.backup.make import secret_key_fingerprint
from balai.core.backup.media import delete_media, file_sha256, restore_media, stored_names

VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def restore_backup(archive: Path, say: Callable[[str], object]) -> dict[str, Any]:
    database = for_connection(connection)
    if not archive.is_file():
        raise BackupError(f"there is no archive at {archive}")
    # Refused before reading a large archive: another vendor (before connecting), a
    # database that is not empty, missing client programs.
    _check_vendor(first_member_vendor(str(archive)), database.vendor)
    _check_empty(database)
    database.check_tools()
    with tempfile.TemporaryDirectory(prefix=".balai-restore-", dir=database.work_dir()) as work:
        dump = Path(work) / "database"
        manifest = _verified_manifest(str(archive), dump, database.vendor)
        say(f"archive verified: {len(manifest['media'])} media files, made {manifest['created']}")
        _check_fits(manifest, database, say)
        skip = _media_in_place(manifest["media"])
        written = restore_media(str(archive), default_storage, manifest["media"], skip)
        say(f"media: {len(written)} files restored")
        try:
            database.restore(dump, manifest, Path(work))
        except BaseException:
            delete_media(default_storage, written)
            raise
    tables = manifest["tables"]
    say(f"database: {len(tables)} tables, {sum(tables.values())} rows restored and counted")
    return manifest


def _verified_manifest(archive: str, dump: Path, vendor: str) -> dict[str, Any]:
    """Read every member once; the database member is staged at `dump`."""
    hashes: dict[str, str] = {}
    manifest_data = bytearray()
    for member in members(archive):
        if member.name == MANIFEST:
            if member.size > MANIFEST_MAX_BYTES:
                raise BackupError("the manifest is larger than any Balai writes: not a backup")
            read_all(member, manifest_data.extend)
        elif member.name in VENDOR_OF_MEMBER:
            _check_vendor(VENDOR_OF_MEMBER[member.name], vendor)
            with dump.open("wb") as out:
                hashes[member.name] = read_all(member, out.write)
        else:
            hashes[member.name] = read_all(member)
    if not manifest_data:
        raise BackupError("the archive has no manifest: it is incomplete or not a Balai backup")
    manifest = parse_manifest(bytes(manifest_data))
    _check_vendor(manifest["database"]["vendor"], vendor)
    expected = {manifest["database"]["member"]: manifest["database"]["sha256"]}
    expected.update({media_member(n): f["sha256"] for n, f in manifest["media"].items()})
    wrong = sorted(
        name for name in expected.keys() | hashes.keys() if hashes.get(name) != expected.get(name)
    )
    if wrong:
        raise BackupError(
            f"the archive is damaged: {len(wrong)} members do not match the manifest's "
            f"SHA-256 (e.g. {', '.join(wrong[:5])}). Nothing was restored."
        )
    return manifest


def first_member_vendor(archive: str) -> str:
    """The vendor of the database member, which `balai backup` writes first."""
    with closing(members(archive)) as found:
        first = next(found, None)
    if first is None or first.name not in VENDOR_OF_MEMBER:
        raise BackupError("the archive does not start with a database: not a Balai backup")
    return VENDOR_OF_MEMBER[first.name]


def _check_vendor(archived: str, here: str) -> None:
    if archived != here:
        raise BackupError(
            f"this archive holds a {VENDOR_NAMES.get(archived, archived)} database and this "
            f"Balai uses {VENDOR_NAMES.get(here, here)}: restore it into "
            f"{VENDOR_NAMES.get(archived, archived)} (moving between databases is not supported)"
        )


def _check_empty(database: Database) -> None:
    tables = database.existing_tables()
    if tables:
        raise BackupError(
            f"the database is not empty ({len(tables)} tables, e.g. {', '.join(tables[:3])}): "
            "restore only into a new, empty database. Nothing was changed."
        )


def _check_fits(manifest: dict[str, Any], database: Database, say: Callable[[str], object]):
    if manifest["regency"] != settings.BALAI_REGENCY:
        raise BackupError(
            f"this archive is regency {manifest['regency']}'s and BALAI_REGENCY here is "
            f"{settings.BALAI_REGENCY}: check the environment file"
        )
    database.check_restore(manifest)
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            f"the archive's database has migrations this Balai does not have (made by "
            f"Balai {manifest['balai_version']}?), e.g. {', '.join(unknown[:5])}: "
            "install that version or newer first"
        )
    unlisted = [
        name
        for names in manifest["references"].values()
        for name in names
        if name not in manifest["media"]
    ]
    if unlisted:
        raise BackupError(f"rows name files the archive lacks, e.g. {', '.join(unlisted[:5])}")
    if manifest["secret_key_fingerprint"] != secret_key_fingerprint():
        say(
            "warning: this deployment's SECRET_KEY is not the one the archive was made under; "
            "sealed secrets (webhook secrets, camera passwords without BALAI_CCTV_KEYS) open "
            "only under the old key: set BALAI_SECRET_KEY to it (docs/backups.md)"
        )
    newer = known - set(manifest["migrations"])
    if newer:
        say(f"note: {len(newer)} migrations are newer than the archive: run `balai migrate`")


def _media_in_place(media: dict[str, dict]) -> set[str]:
    """Names already stored with the archive's content (an earlier attempt); refuses others."""
    in_place = set()
    for name in stored_names(default_storage) & media.keys():
        if file_sha256(default_storage, name) != media[name]["sha256"]:
            raise BackupError(
                f"the media storage already holds {name} with other content: restore into "
                "empty media storage. Nothing was changed."
            )
        in_place.add(name)
    return in_place
