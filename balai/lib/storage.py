"""Media through Django's storage API only, so it may live on a disk or in S3.

Uploads, letters, photos and snapshots go through `default_storage` (the
file system, or S3-compatible storage with BALAI_MEDIA_S3_BUCKET: docs/scale-out.md).
Two things the storage API does not say directly live here: replacing a file
under a fixed name, and a local path for tools that read files by name.
"""

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage


def replace(name: str, data: bytes, storage: Storage = default_storage) -> None:
    """Store `data` under exactly `name`, replacing what was there; a reader gets
    the old file or the new one, never part of either."""
    if isinstance(storage, FileSystemStorage):
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
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
