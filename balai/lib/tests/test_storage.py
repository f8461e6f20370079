"""Files on a disk appear whole or not at all (balai.lib.storage): a new file under a
free name, a replaced one under exactly its name, nothing partial left behind."""

import os
import stat

import pytest
from django.core.files.base import ContentFile, File

from balai.lib.storage import PARTIAL_SUFFIX, DurableFileSystemStorage, replace


def leftovers(root) -> list[str]:
    return [p.name for p in root.rglob(f"*{PARTIAL_SUFFIX}")]


def test_a_taken_name_gets_another_and_keeps_the_first_file(tmp_path):
    storage = DurableFileSystemStorage(location=tmp_path)
    first = storage.save("letters/a.pdf", ContentFile(b"first"))
    second = storage.save("letters/a.pdf", ContentFile(b"second"))
    assert first == "letters/a.pdf" and second != first
    assert storage.open(first).read() == b"first"
    assert storage.open(second).read() == b"second"
    assert leftovers(tmp_path) == []


def test_replace_writes_under_exactly_the_name(tmp_path):
    storage = DurableFileSystemStorage(location=tmp_path)
    replace("cctv/gate.jpg", b"old", storage)
    replace("cctv/gate.jpg", b"new", storage)
    assert storage.listdir("cctv") == ([], ["gate.jpg"])
    assert storage.open("cctv/gate.jpg").read() == b"new"


class Broken(File):
    """An upload whose reading fails half-way (a dropped connection, a full disk)."""

    def chunks(self, chunk_size=None):
        yield b"half of it"
        raise OSError("connection dropped")


def test_a_failed_write_leaves_nothing_partial(tmp_path):
    storage = DurableFileSystemStorage(location=tmp_path)
    with pytest.raises(OSError, match="connection dropped"):
        storage.save("letters/a.pdf", Broken(None, "a.pdf"))
    assert not storage.exists("letters/a.pdf")
    assert leftovers(tmp_path) == []


def test_replace_keeps_the_storages_file_permissions(tmp_path):
    """Snapshots and progress files are as private as uploads (FILE_UPLOAD_PERMISSIONS)."""
    storage = DurableFileSystemStorage(location=tmp_path, file_permissions_mode=0o600)
    replace("cctv/gate.jpg", b"jpeg", storage)
    assert stat.S_IMODE(os.stat(storage.path("cctv/gate.jpg")).st_mode) == 0o600
