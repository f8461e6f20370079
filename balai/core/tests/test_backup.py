"""`balai backup` and `balai restore` as an admin runs them: real processes, real databases.

The backup runs while threads request, verify and sign letters and file
complaints with photos; it is restored with `balai restore` into a new
database (a new PostgreSQL database or a new SQLite file) and a new media
directory, and every table's count and every letter PDF's SHA-256 is compared.
Then what restore refuses, and a backup that fails leaves no file.
"""

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from balai.complaints.tests.conftest import _fresh_lookups, cats, jpeg_upload  # noqa: F401
from balai.core.tests.tools import missing_tool
from balai.letters import actions
from balai.letters.models import Letter
from balai.letters.tests.conftest import *  # noqa: F403 - data_dir, demo_pki, world
from balai.letters.tests.world import submit

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 300  # seconds: generous, the machine may be busy
# The memory test archives a file this large and allows the process to grow this much.
# Larger than the whole peak of starting Django (about 240 MB here), so that reading it
# whole could not hide under that peak.
LARGE_MB, SLACK_MB = 320, 64


def database_url(db: dict) -> str:
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def run_balai(*args: str, data_dir: Path, url: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "balai", *args],
        capture_output=True,
        text=True,
        timeout=WAIT,
        env={**os.environ, **balai_env(data_dir, url), **env},
    )


def balai_env(data_dir: Path, url: str) -> dict[str, str]:
    # The same SECRET_KEY as this process, which sealed what the rows hold.
    return {
        "BALAI_DATA_DIR": str(data_dir),
        "DATABASE_URL": url,
        "BALAI_SECRET_KEY": settings.SECRET_KEY,
        "BALAI_REDIS_URL": "",
    }


class Target:
    """A new, empty database of the run's vendor (or `vendor`) and a new data directory."""

    def __init__(self, tmp_path: Path, vendor: str):
        self.data_dir = tmp_path / f"restored-{secrets.token_hex(3)}"
        self.data_dir.mkdir()
        self.media = self.data_dir / "media"
        self.vendor = vendor
        source = connection.settings_dict
        if vendor == "sqlite":
            self.path = self.data_dir / "balai.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            # Named after the run's database: balai_x for test_balai_x.
            name = f"{source['NAME'].removeprefix('test_')}_restore_{secrets.token_hex(3)}"
            self.name = name
            self.url = database_url({**source, "NAME": name})
            self.admin(f'CREATE DATABASE "{name}"')

    def admin(self, sql: str) -> None:
        source = connection.settings_dict
        with psycopg.connect(database_url({**source, "NAME": "postgres"}), autocommit=True) as db:
            db.execute(sql)

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            if not self.path.exists():
                return []
            with sqlite3.connect(self.path) as db:
                return db.execute(sql).fetchall()
        with psycopg.connect(self.url) as db:
            return db.execute(sql).fetchall()

    def tables(self) -> list[str]:
        if self.vendor == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        return sorted(row[0] for row in self.query(sql))

    def counts(self) -> dict[str, int]:
        return {t: self.query(f'SELECT COUNT(*) FROM "{t}"')[0][0] for t in self.tables()}  # noqa: S608

    def restore(self, archive: Path) -> subprocess.CompletedProcess:
        return run_balai("restore", str(archive), data_dir=self.data_dir, url=self.url)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def target(tmp_path):
    made = []

    def make(vendor=None):
        made.append(Target(tmp_path, vendor or connection.vendor))
        return made[-1]

    yield make
    for t in made:
        t.drop()


def run_backup(data_dir: Path, archive: Path) -> subprocess.CompletedProcess:
    return run_balai(
        "backup", str(archive), data_dir=data_dir, url=database_url(connection.settings_dict)
    )


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.load(member)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _postgresql_client():
    if connection.vendor == "postgresql":
        for tool in ("pg_dump", "pg_restore", "psql"):
            if shutil.which(tool) is None:
                missing_tool(f"{tool} is not installed (Debian's postgresql-client)")


# Under traffic -------------------------------------------------------------------


class Traffic:
    """Threads that sign letters, request letters and file complaints until stopped."""

    def __init__(self, world, categories):
        from balai.complaints.actions import submit_complaint

        def sign():
            req = actions.verify_request(submit(world), world.operator_a)
            actions.sign_request(req, world.head_a)

        def request():
            submit(world, resident=world.budi)

        def report():
            submit_complaint(
                category=categories.road,
                village=world.village_a,
                description="Jalan berlubang di depan balai desa.",
                photos=[jpeg_upload()],
            )

        self.done = {"sign": 0, "request": 0, "report": 0}
        self.errors: list[BaseException] = []
        self.stop = threading.Event()
        self.changed = threading.Condition()
        self.threads = [
            threading.Thread(target=self.loop, args=(kind, work))
            for kind, work in (("sign", sign), ("request", request), ("report", report))
        ]

    def loop(self, kind, work):
        try:
            while not self.stop.is_set():
                work()
                with self.changed:
                    self.done[kind] += 1
                    self.changed.notify_all()
        except BaseException as exc:  # checked by the test
            self.errors.append(exc)
            with self.changed:
                self.changed.notify_all()
        finally:
            connection.close()

    def wait_for(self, **at_least: int) -> None:
        with self.changed:
            met = self.changed.wait_for(
                lambda: self.errors or all(self.done[k] >= n for k, n in at_least.items()),
                timeout=WAIT,
            )
        assert met and not self.errors, (self.done, self.errors)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        for t in self.threads:
            t.join(WAIT)


def test_a_backup_under_traffic_restores_every_row_and_every_letter(
    world,
    demo_pki,
    cats,  # noqa: F811 - the fixture imported above
    target,
    tmp_path,
):
    archive = tmp_path / "backups" / "balai.tar"
    archive.parent.mkdir()
    with Traffic(world, cats) as traffic:
        traffic.wait_for(sign=2, request=2, report=2)
        # A slow machine may sign nothing during one backup: up to three, until one overlaps.
        for _ in range(3):
            before = dict(traffic.done)
            backup = run_backup(tmp_path, archive)
            after = dict(traffic.done)
            if backup.returncode != 0 or after["sign"] > before["sign"]:
                break
        # The site goes on after the snapshot: one more of each is made after the backup.
        traffic.wait_for(**{kind: n + 1 for kind, n in after.items()})
    assert not traffic.errors, traffic.errors
    assert backup.returncode == 0, backup.stderr
    assert after["sign"] > before["sign"], "no letter was signed while the backup ran"

    manifest = manifest_of(archive)
    in_backup = manifest["tables"]["letters_letter"]
    assert before["sign"] <= in_backup < Letter.objects.count()
    assert manifest["tables"]["complaints_complaintphoto"] >= before["report"]

    restored = target()
    result = restored.restore(archive)
    assert result.returncode == 0, result.stderr
    assert restored.counts() == manifest["tables"]

    # Every letter PDF reads back as signed: its SHA-256 is the row's and the original's.
    letters = restored.query("SELECT pdf, sha256, sequence FROM letters_letter")
    assert len(letters) == in_backup
    for pdf, digest, _ in letters:
        assert sha256(restored.media / pdf) == digest == sha256(Path(settings.MEDIA_ROOT) / pdf)
    # One snapshot: the letters are numbered 1..n without a gap.
    assert sorted(sequence for *_, sequence in letters) == list(range(1, in_backup + 1))
    # Every archived file is restored with the manifest's SHA-256.
    for name, stored in manifest["media"].items():
        assert sha256(restored.media / name) == stored["sha256"], name
    photos = restored.query("SELECT image, thumb, medium FROM complaints_complaintphoto")
    assert all((restored.media / name).is_file() for row in photos for name in row if name)

    check = run_balai("migrate", "--check", data_dir=restored.data_dir, url=restored.url)
    assert check.returncode == 0, check.stdout + check.stderr


# What restore refuses ----------------------------------------------------------


@pytest.fixture
def one_letter(world, demo_pki):
    req = actions.verify_request(submit(world), world.operator_a)
    return actions.sign_request(req, world.head_a)


@pytest.fixture
def archive(one_letter, tmp_path):
    path = tmp_path / "backups" / "balai.tar"
    path.parent.mkdir()
    result = run_backup(tmp_path, path)
    assert result.returncode == 0, result.stderr
    return path


def test_restore_refuses_a_database_that_is_not_empty(archive, tmp_path):
    before = Letter.objects.count(), len(connection.introspection.table_names())
    other_media = tmp_path / "elsewhere"
    result = run_balai(
        "restore", str(archive), data_dir=other_media, url=database_url(connection.settings_dict)
    )
    assert result.returncode != 0
    assert "the database is not empty" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert (Letter.objects.count(), len(connection.introspection.table_names())) == before
    assert not (other_media / "media").exists()


def flip_a_byte_of_the_letter(archive: Path) -> None:
    with tarfile.open(archive) as tar:
        pdf = next(m for m in tar.getmembers() if m.name.endswith(".pdf"))
    with archive.open("r+b") as f:
        f.seek(pdf.offset_data + pdf.size // 2)
        byte = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([byte[0] ^ 0xFF]))


def cut_in_half(archive: Path) -> None:
    with archive.open("r+b") as f:
        f.truncate(archive.stat().st_size // 2)


@pytest.mark.parametrize(
    "damage, said",
    [
        (flip_a_byte_of_the_letter, "the archive is damaged"),
        (cut_in_half, "truncated"),
    ],
)
def test_restore_refuses_a_damaged_archive_and_writes_nothing(archive, target, damage, said):
    damage(archive)
    restored = target()
    result = restored.restore(archive)
    assert result.returncode != 0
    assert said in result.stderr
    assert restored.tables() == []
    assert not restored.media.exists() or not any(restored.media.rglob("*.pdf"))


def test_restore_refuses_an_archive_of_the_other_database_vendor(archive, target, tmp_path):
    if connection.vendor == "postgresql":
        other = target("sqlite")
        result = other.restore(archive)
        said = "this archive holds a PostgreSQL database and this Balai uses SQLite"
        assert other.tables() == []
    else:
        # Refused from the archive's first member, before connecting: no server needed.
        url = "postgres://balai@127.0.0.1:9/balai_never_created"
        result = run_balai("restore", str(archive), data_dir=tmp_path / "other", url=url)
        said = "this archive holds a SQLite database and this Balai uses PostgreSQL"
    assert result.returncode != 0
    assert said in result.stderr


def test_a_restore_that_fails_half_way_leaves_nothing(archive, target):
    restored = target()
    if restored.vendor == "sqlite":
        pytest.skip("SQLite restores in one backup-API step; the PostgreSQL run tests this")
    # An object the dump also creates, but not a table: the emptiness check lets it by
    # and the restore fails after it has created tables.
    name = "letters_letter_id_seq"
    with psycopg.connect(restored.url, autocommit=True) as db:
        db.execute(f'CREATE SEQUENCE "{name}"')
    result = restored.restore(archive)
    assert result.returncode != 0
    assert "rolled back" in result.stderr
    assert restored.tables() == []
    assert not any(restored.media.rglob("*.pdf"))


# A backup that fails ----------------------------------------------------------------


def test_a_failed_backup_leaves_the_old_file_and_nothing_else(one_letter, tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    archive = backups / "balai.tar"
    archive.write_bytes(b"yesterday's backup")
    one_letter.pdf.storage.delete(one_letter.pdf.name)  # the storage lost a letter's PDF
    result = run_backup(tmp_path, archive)
    assert result.returncode != 0
    assert one_letter.pdf.name in result.stderr
    assert "letters.Letter.pdf" in result.stderr
    assert archive.read_bytes() == b"yesterday's backup"
    assert [p.name for p in backups.iterdir()] == ["balai.tar"]


def test_a_backup_refuses_a_pg_dump_older_than_the_server(one_letter, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite needs no client program; the PostgreSQL run tests this")
    old = tmp_path / "old-client"
    old.mkdir()
    (old / "pg_dump").write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    (old / "pg_dump").chmod(0o755)
    archive = tmp_path / "balai.tar"
    result = run_balai(
        "backup",
        str(archive),
        data_dir=tmp_path,
        url=database_url(connection.settings_dict),
        PATH=f"{old}:{os.environ['PATH']}",
    )
    assert result.returncode != 0
    assert "pg_dump 9 is older than PostgreSQL" in result.stderr
    assert "postgresql-client-" in result.stderr
    assert not archive.exists()


def test_files_still_being_written_are_not_archived(one_letter, tmp_path):
    partial = Path(settings.MEDIA_ROOT) / "letters" / "issued" / f".{secrets.token_hex(8)}.partial"
    partial.write_bytes(b"half a PDF")
    archive = tmp_path / "balai.tar"
    result = run_backup(tmp_path, archive)
    assert result.returncode == 0, result.stderr
    assert list(manifest_of(archive)["media"]) == [one_letter.pdf.name]


def test_a_backup_is_not_written_into_the_media_it_copies(one_letter, tmp_path):
    inside = Path(settings.MEDIA_ROOT) / "balai.tar"
    result = run_backup(tmp_path, inside)
    assert result.returncode != 0
    assert "inside the media folder" in result.stderr
    assert not inside.exists()


# Memory ------------------------------------------------------------------------------

MEASURE_PEAK = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(done.returncode)"
)


def peak_kib(command: str, archive: Path, data_dir: Path, url: str) -> int:
    """The peak resident memory of one `balai` run, in KiB (its own process only)."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE_PEAK, sys.executable, "-m", "balai", command, str(archive)],
        capture_output=True,
        text=True,
        timeout=WAIT,
        env={**os.environ, **balai_env(data_dir, url)},
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def test_memory_does_not_grow_with_the_media(one_letter, target, tmp_path):
    url = database_url(connection.settings_dict)
    (tmp_path / "backups").mkdir()
    small, big = tmp_path / "backups" / "small.tar", tmp_path / "backups" / "big.tar"
    backing_up = peak_kib("backup", small, tmp_path, url)
    large = Path(settings.MEDIA_ROOT) / "imports" / "large.bin"
    large.parent.mkdir(parents=True)
    block = os.urandom(1024 * 1024)
    with large.open("wb") as f:
        for _ in range(LARGE_MB):
            f.write(block)
    backing_up_large = peak_kib("backup", big, tmp_path, url)
    assert manifest_of(big)["media"]["imports/large.bin"]["size"] == LARGE_MB * 1024 * 1024

    restoring = target()
    restoring_large = target()
    restore_peak = peak_kib("restore", small, restoring.data_dir, restoring.url)
    restore_large_peak = peak_kib("restore", big, restoring_large.data_dir, restoring_large.url)
    assert sha256(restoring_large.media / "imports" / "large.bin") == sha256(large)
    # Reading the file whole would add LARGE_MB; streaming adds at most the spool and buffers.
    assert backing_up_large - backing_up < SLACK_MB * 1024, (backing_up, backing_up_large)
    assert restore_large_peak - restore_peak < SLACK_MB * 1024, (restore_peak, restore_large_peak)
