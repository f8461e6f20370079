"""One consistent snapshot of the database, and its restore, for each vendor Balai runs on.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot; pg_dump dumps
exactly that snapshot (`--snapshot`) while the same transaction counts the
rows and reads the file names, so counts, names and dump agree to the row.
Restore pipes pg_restore's script into one psql transaction that ends by
checking every table's count: a failure anywhere rolls the whole database back.

SQLite: the online backup API copies every page in one step under one read
transaction (in WAL mode writers carry on meanwhile); a file copy of a WAL
database could miss committed pages still in the -wal file. Counts and names
are read from that copy. Restore checks the copy's integrity and counts before
copying it into the empty target, again with the backup API.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.apps import apps
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient

from balai.core.backup.archive import BackupError

Counts = dict[str, int]


@dataclass
class Snapshot:
    """The database at one instant: its dump and what the manifest says about it."""

    dump: Path
    tables: Counts
    migrations: list[str]
    # "letters.Letter.pdf" -> the storage names that rows of the snapshot point to
    references: dict[str, list[str]]
    details: dict[str, Any] = field(default_factory=dict)


class Database(Protocol):
    vendor: str

    def work_dir(self) -> Path | None: ...
    def snapshot(self, work: Path) -> Snapshot: ...
    def existing_tables(self) -> list[str]: ...
    def check_tools(self) -> None: ...
    def check_restore(self, manifest: dict[str, Any]) -> None: ...
    def restore(self, dump: Path, manifest: dict[str, Any], work: Path) -> None: ...


def for_connection(connection: BaseDatabaseWrapper) -> Database:
    if connection.vendor == "postgresql":
        return PostgreSQL(connection)
    if connection.vendor == "sqlite":
        return SQLite(connection)
    raise BackupError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def file_fields() -> Iterable[tuple[str, str, str]]:
    """(label, table, column) of every FileField of every installed model."""
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                yield f"{model._meta.label}.{f.name}", model._meta.db_table, f.column


def read_facts(
    cursor: Any,
    tables: list[str],
    columns_of: Callable[[str], set[str]],
    row_cursor: Callable[[], Any],
) -> tuple[Counts, list[str], dict[str, list[str]]]:
    """Row counts, applied migrations and file references, read through `cursor`."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - quoted table names
        counts[table] = int(cursor.fetchone()[0])
    migrations = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    references = {}
    for label, table, column in file_fields():
        if table not in counts or column not in columns_of(table):
            continue
        rows = row_cursor()
        rows.execute(
            f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''"  # noqa: S608
        )
        names: list[str] = []
        while batch := rows.fetchmany(2000):
            names.extend(row[0] for row in batch)
        rows.close()
        references[label] = sorted(names)
    return counts, migrations, references


def count_mismatches(found: Counts, expected: Counts) -> list[str]:
    return [
        f"{table}: {found.get(table)} rows restored, {rows} in the archive"
        for table, rows in expected.items()
        if found.get(table) != rows
    ]


# PostgreSQL ------------------------------------------------------------------

CLIENT_PACKAGE = "Debian's postgresql-client-{major} (or newer)"


def tool_major(path: str) -> int:
    """15 for `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)`."""
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"\(PostgreSQL\) (\d+)", output)
    if not found:
        raise BackupError(f"{path} --version said {output.strip()!r}: not a PostgreSQL client")
    return int(found.group(1))


class PostgreSQL:
    vendor = "postgresql"

    def __init__(self, connection: BaseDatabaseWrapper):
        self.connection = connection

    def server_major(self) -> int:
        self.connection.ensure_connection()
        return int(self.connection.pg_version) // 10000  # type: ignore[attr-defined]

    def tool(self, name: str, at_least: int) -> tuple[str, int]:
        """The program's path and major version, refused when missing or too old."""
        path = shutil.which(name)
        if path is None:
            raise BackupError(
                f"{name} is not installed: install {CLIENT_PACKAGE.format(major=at_least)}"
            )
        major = tool_major(path)
        if major < at_least:
            raise BackupError(
                f"{name} {major} is older than PostgreSQL {at_least} here: install "
                + CLIENT_PACKAGE.format(major=at_least)
            )
        return path, major

    def command(self, path: str, options: list[str]) -> tuple[list[str], dict[str, str]]:
        """`path options... <connection options> dbname` and its environment (password etc.)."""
        args, env = DatabaseClient.settings_to_cmd_args_env(self.connection.settings_dict, options)
        return [path, *args[1:]], {**os.environ, **(env or {})}

    def work_dir(self) -> Path | None:
        return None  # the system's temporary directory

    def snapshot(self, work: Path) -> Snapshot:
        server = self.server_major()
        pg_dump, client_major = self.tool("pg_dump", at_least=server)
        dump = work / "database.pgdump"
        with (
            transaction.atomic(using=self.connection.alias),
            self.connection.cursor() as cursor,
            tempfile.TemporaryFile() as errors,
        ):
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_schema(), version()")
            snapshot_id, schema, version = cursor.fetchone()
            command, env = self.command(
                pg_dump, ["--format=custom", f"--snapshot={snapshot_id}", f"--file={dump}"]
            )
            dumping = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
            try:
                facts = read_facts(cursor, self.tables(cursor), self.columns_of, self.row_cursor)
            except BaseException:
                dumping.kill()
                raise
            finally:
                # The exported snapshot lives as long as this transaction: keep it open
                # until pg_dump is done.
                dumping.wait()
            if dumping.returncode:
                errors.seek(0)
                raise BackupError(f"pg_dump failed: {errors.read().decode(errors='replace')}")
        counts, migrations, references = facts
        return Snapshot(
            dump,
            counts,
            migrations,
            references,
            {"schema": schema, "server": version, "client_major": client_major},
        )

    def tables(self, cursor: Any) -> list[str]:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]

    def columns_of(self, table: str) -> set[str]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s",
                [table],
            )
            return {row[0] for row in cursor.fetchall()}

    def row_cursor(self) -> Any:
        # A server-side cursor: a table of millions of file names is read in batches.
        return self.connection.chunked_cursor()

    def existing_tables(self) -> list[str]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT n.nspname || '.' || c.relname FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND n.nspname NOT LIKE 'pg\\_%%' ORDER BY 1"
            )
            return [row[0] for row in cursor.fetchall()]

    def check_tools(self) -> None:
        for name in ("pg_restore", "psql"):
            self.tool(name, at_least=self.server_major())

    def restore_tools(self, manifest: dict[str, Any]) -> tuple[str, str]:
        """pg_restore and psql, as new as the server and the pg_dump that wrote the dump."""
        needed = max(int(manifest["database"]["client_major"]), self.server_major())
        return self.tool("pg_restore", at_least=needed)[0], self.tool("psql", at_least=needed)[0]

    def check_restore(self, manifest: dict[str, Any]) -> None:
        self.restore_tools(manifest)

    def restore(self, dump: Path, manifest: dict[str, Any], work: Path) -> None:
        pg_restore, psql = self.restore_tools(manifest)
        verify = work / "verify.sql"
        verify.write_text(verification_sql(manifest["database"]["schema"], manifest["tables"]))
        load, env = self.command(
            psql,
            [
                "--no-psqlrc",
                "--quiet",
                "--set=ON_ERROR_STOP=1",
                # One transaction around both files: the data and the count checks.
                "--single-transaction",
                "--file=-",
                f"--file={verify}",
            ],
        )
        self.connection.close()
        with tempfile.TemporaryFile() as script_errors, tempfile.TemporaryFile() as load_errors:
            scripting = subprocess.Popen(
                # Owners and grants are the old server's: the restoring role owns everything.
                [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump)],
                stdout=subprocess.PIPE,
                stderr=script_errors,
            )
            loading = subprocess.Popen(
                load, env=env, stdin=scripting.stdout, stdout=subprocess.DEVNULL, stderr=load_errors
            )
            assert scripting.stdout is not None
            scripting.stdout.close()  # psql alone reads it; pg_restore sees a closed pipe
            loading.wait()
            scripting.wait()
            if loading.returncode or scripting.returncode:
                load_errors.seek(0)
                script_errors.seek(0)
                said = (load_errors.read() + script_errors.read()).decode(errors="replace")
                raise BackupError(f"the database restore was rolled back: {said.strip()}")


def verification_sql(schema: str, tables: Counts) -> str:
    """A DO block that fails (and so rolls back the restore) unless every count matches."""
    if not tables:
        return "SELECT 1;\n"

    def literal(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    rows = ",\n    ".join(f"({literal(name)}, {int(count)})" for name, count in tables.items())
    # Quoted literals and integers only (literal(), int()).
    return f"""DO $verify$
DECLARE
  expected record;
  found bigint;
BEGIN
  FOR expected IN SELECT * FROM (VALUES
    {rows}
  ) AS t(name, count) LOOP
    EXECUTE format('SELECT count(*) FROM %I.%I', {literal(schema)}, expected.name) INTO found;
    IF found <> expected.count THEN
      RAISE EXCEPTION 'table %: % rows restored, % in the archive',
        expected.name, found, expected.count;
    END IF;
  END LOOP;
END
$verify$;
"""  # noqa: S608


# SQLite ------------------------------------------------------------------------


def sqlite_tables(db: sqlite3.Connection) -> list[str]:
    # sqlite_* are SQLite's own (sqlite_sequence follows the rows it numbers).
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [row[0] for row in rows]


def sqlite_facts(db: sqlite3.Connection) -> tuple[Counts, list[str], dict[str, list[str]]]:
    def columns_of(table: str) -> set[str]:
        return {row[1] for row in db.execute(f"PRAGMA table_info({quote(table)})")}

    return read_facts(db.cursor(), sqlite_tables(db), columns_of, db.cursor)


class SQLite:
    vendor = "sqlite"

    def __init__(self, connection: BaseDatabaseWrapper):
        self.connection = connection
        self.path = Path(connection.settings_dict["NAME"])

    def work_dir(self) -> Path | None:
        # Beside the database: the staged copy is as large, and renames stay on one disk.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self.path.parent

    def snapshot(self, work: Path) -> Snapshot:
        if not self.path.exists():
            raise BackupError(f"there is no database at {self.path}")
        dump = work / "database.sqlite3"
        source = sqlite3.connect(self.path, timeout=60)
        copy = sqlite3.connect(dump)
        try:
            source.backup(copy)  # every page in one step: one read transaction
        finally:
            source.close()
        try:
            # The copy stands alone: no -wal file beside it in the archive.
            copy.execute("PRAGMA journal_mode=DELETE")
            counts, migrations, references = sqlite_facts(copy)
        finally:
            copy.close()
        return Snapshot(dump, counts, migrations, references, {"sqlite": sqlite3.sqlite_version})

    def existing_tables(self) -> list[str]:
        if not self.path.exists():
            return []
        db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            return sqlite_tables(db)
        finally:
            db.close()

    def check_tools(self) -> None:
        return None  # Python's own sqlite3 reads every SQLite 3 file

    def check_restore(self, manifest: dict[str, Any]) -> None:
        return None

    def restore(self, dump: Path, manifest: dict[str, Any], work: Path) -> None:
        staged = sqlite3.connect(dump)
        try:
            (verdict,) = staged.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise BackupError(f"the archived database is damaged: {verdict}")
            wrong = count_mismatches(sqlite_facts(staged)[0], manifest["tables"])
            if wrong:
                raise BackupError("the archived database's counts differ: " + "; ".join(wrong))
            self.connection.close()
            target = sqlite3.connect(self.path, timeout=60)
            try:
                # One write transaction on the target: all pages or none.
                staged.backup(target)
                wrong = count_mismatches(sqlite_facts(target)[0], manifest["tables"])
            finally:
                target.close()
        finally:
            staged.close()
        if wrong:
            raise BackupError("the restored database's counts differ: " + "; ".join(wrong))
