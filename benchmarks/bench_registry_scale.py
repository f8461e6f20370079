"""Residents registry at a regency's full size on PostgreSQL: lists, searches, one village's import.

    .venv/bin/python benchmarks/bench_registry_scale.py --regency 32.01 --residents 5500000 \\
        --database postgres://postgres@127.0.0.1:5432/balai_perf_bogor
    .venv/bin/python benchmarks/bench_registry_scale.py --regency 35.08 --residents 1100000 \\
        --database postgres://postgres@127.0.0.1:5432/balai_perf_lumajang

Targets (issue 15): with Kabupaten Bogor's 5.5 M residents in its 435 villages,
the staff list, searches by name, NIK and no. KK, the family page and the API
list with its cursor p95 under 50 ms; importing one village's file (the real
path: xlsx read by python-calamine, validated, upserted) under 2 s. Run at
Lumajang's 1.1 M as well to see how the cost grows.

The first run fills the database (kept: later runs only measure): the regency's
villages from the shipped region data, each with its share of generated
families (`balai.residents.generate`, valid NIKs), parsed by the importer's own
row parser and written with COPY, one transaction per village, then the
statistics rebuilt and the tables analysed. The last village is left empty:
its generated file is what the import figure imports (inside a transaction
that is rolled back, so the database stays as it was). The first village's
file is imported too: the same rows as stored, so nothing changes.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import CPU, ensure_database, p95, staff_clients, stamp, timed  # noqa: E402

FILES = Path(tempfile.gettempdir()) / "balai-registry-scale"


def setup(database: str, regency: str) -> None:
    ensure_database(database)
    os.environ["DATABASE_URL"] = database
    os.environ["BALAI_REGENCY"] = regency
    os.environ.setdefault("BALAI_DATA_DIR", tempfile.mkdtemp(prefix="balai-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    # Serve static file names without a collectstatic manifest, as tests do.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# -- filling the registry


def populate(args, files: Path) -> list[str]:
    """Fill every village but the last with generated residents, in `--jobs` processes
    (by district: NIKs and KKs are unique per district); villages filled already are kept."""
    from django.db import connection

    from balai.accounts.actions import onboard_villages
    from balai.regions.loading import load_regions
    from balai.regions.models import Village

    load_regions()
    onboard_villages(list(Village.objects.in_regency().values_list("code", flat=True)))
    with connection.cursor() as cursor:  # the shards take family ids from the sequence
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('residents_family', 'id'), "
            "(SELECT COALESCE(MAX(id), 0) + 1 FROM residents_family), false)"
        )
    start = time.perf_counter()
    children = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--database",
                args.database,
                "--regency",
                args.regency,
                "--residents",
                str(args.residents),
                "--files-dir",
                str(files),
                "--fill-shard",
                f"{k}/{args.jobs}",
            ]
        )
        for k in range(args.jobs)
    ]
    if any(child.wait() for child in children):
        raise SystemExit("filling the registry failed")
    with connection.cursor() as cursor:
        for table in ("residents_family", "residents_resident", "residents_populationcount"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return [
        f"| filling the registry ({args.jobs} processes: generate, parse, COPY, statistics, "
        f"VACUUM ANALYZE; not a measured figure) | {time.perf_counter() - start:.0f} s |"
    ]


def fill_shard(args, files: Path) -> None:
    """Fill the villages of every `n`th district (shard `k/n`)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from balai.regions.codes import compact
    from balai.regions.models import Village
    from balai.residents import names, stats
    from balai.residents.generate import Generator, as_opensid_row, write_opensid_xlsx
    from balai.residents.importing import OPENSID_COLUMNS
    from balai.residents.importing.rows import (
        RESIDENT_COLUMNS,
        Columns,
        ImportResult,
        header_map,
        parse_row,
    )
    from balai.residents.importing.writer import FAMILY_COLUMNS, _bulk_insert
    from balai.residents.models import Family, Resident, new_uuid

    k, n = map(int, args.fill_shard.split("/"))
    villages = list(Village.objects.in_regency().order_by("code"))
    per_village, extra = divmod(args.residents, len(villages))
    districts = sorted({v.district_id for v in villages})
    mine = set(districts[k::n])
    filled = set(Resident.objects.values_list("village_id", flat=True).distinct())
    cols = Columns(header_map(list(OPENSID_COLUMNS)))
    today = timezone.localdate()
    now = timezone.now()
    resident_cols = (
        "uuid", "nik", "village_id", *RESIDENT_COLUMNS, "name_key", "name_sound",
        "phone", "nik_mismatch_reason", "created_at", "updated_at",
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    files.mkdir(parents=True, exist_ok=True)
    generator, district = Generator(), None
    start = time.perf_counter()
    made = 0
    for i, village in enumerate(villages):
        if village.district_id not in mine or village.code in filled:
            continue
        if village.district_id != district:
            district = village.district_id
            prefix = compact(district)
            taken = set(
                Resident.objects.filter(nik__startswith=prefix).values_list("nik", flat=True)
            )
            taken.update(
                Family.objects.filter(no_kk__startswith=prefix).values_list("no_kk", flat=True)
            )
            generator = Generator(seed=int(prefix), taken=taken)
        count = per_village + (1 if i < extra else 0)
        people = list(generator.residents(village.code, count))
        if i == 0 or i == len(villages) - 1:
            write_opensid_xlsx(files / f"{village.code}.xlsx", people)
        if i == len(villages) - 1:
            continue  # left empty: its file is the import benchmark's
        result = ImportResult()
        code = compact(village.code)
        parsed = []
        for number, person in enumerate(people, start=2):
            p = parse_row(as_opensid_row(person), cols, number, code, today, result)
            assert p is not None, result.problems[:3]
            parsed.append(p)
        with transaction.atomic(), connection.cursor() as cursor:
            kks = list(dict.fromkeys(p.no_kk for p in parsed))
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('residents_family', 'id')) "
                "FROM generate_series(1, %s)",
                [len(kks)],
            )
            families = dict(zip(kks, (row[0] for row in cursor.fetchall()), strict=True))
            family_rows, resident_rows, seen = [], [], set()
            for p in parsed:
                if p.no_kk not in seen:
                    seen.add(p.no_kk)
                    family_rows.append(
                        (families[p.no_kk], new_uuid(), p.no_kk, village.pk, *p.family, now, now)
                    )
                values = [p.values[c] for c in RESIDENT_COLUMNS[:-1]]
                folded = names.fold(values[0])[:150]
                resident_rows.append(
                    (new_uuid(), p.nik, village.pk, *values, families[p.no_kk], folded,
                     names.sound_folded(folded)[:150], "", "", now, now)
                )  # fmt: skip
            _bulk_insert(cursor, Family._meta.db_table, ("id", *FAMILY_COLUMNS), family_rows)
            _bulk_insert(cursor, Resident._meta.db_table, resident_cols, resident_rows)
            stats.rebuild_counts(village)
        made += len(resident_rows)
        print(
            f"  shard {k}: {village.code}, {made:,} residents "
            f"({made / (time.perf_counter() - start):,.0f}/s)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True, help="a PostgreSQL DATABASE_URL (kept)")
    parser.add_argument("--regency", default="32.01", help="Kemendagri regency code")
    parser.add_argument("--residents", type=int, default=5_500_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per figure")
    parser.add_argument("--files-dir", help=f"the two villages' files (default {FILES}/REGENCY)")
    parser.add_argument("--jobs", type=int, default=2, help="processes filling the registry")
    parser.add_argument(
        "--fill", action="store_true", help="fill villages still empty, then measure"
    )
    parser.add_argument("--fill-shard", help=argparse.SUPPRESS)
    args = parser.parse_args()
    files = Path(args.files_dir or FILES / args.regency)
    setup(args.database, args.regency)
    if args.fill_shard:
        fill_shard(args, files)
        return
    from django.db import connection

    from balai.residents.models import Resident

    assert connection.vendor == "postgresql", "this benchmark is for PostgreSQL"
    load_before = os.getloadavg()
    lines = []
    if args.fill or not Resident.objects.exists():
        lines += populate(args, files)
    lines += measure(args, files)
    load_after = os.getloadavg()
    server_version = connection.cursor().connection.info.server_version
    print(
        f"\nbench_registry_scale, {stamp()}, PostgreSQL "
        f"{server_version // 10000}, regency {args.regency}, load average "
        f"{load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f} before, "
        f"{load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f} after"
    )
    print("\n".join(lines))


# -- measuring


def measure(args, files) -> list[str]:
    from balai.regions.models import Village
    from balai.residents.models import Family, Resident

    villages = list(Village.objects.in_regency().order_by("code"))
    village = villages[0]
    op, admin, token = staff_clients(village)
    rnd = random.Random(1)
    top = Resident.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    picks = [rnd.randint(1, top) for _ in range(3000)]
    sample = list(
        Resident.objects.filter(pk__in=picks).values_list("nik", "name", "family__no_kk")[:1000]
    )
    local = list(
        Resident.objects.filter(village=village).values_list("nik", "name", "family__no_kk")[:1000]
    )
    # The last word of a one-word name is a first name, found by the prefix search.
    surnamed = [row for row in local if " " in row[1]]
    local_families = list(Family.objects.filter(village=village).values_list("uuid", flat=True))
    families = list(Family.objects.filter(pk__in=picks).values_list("uuid", flat=True))
    pages = local_pages(village, token, rnd)
    n = args.requests

    def get(client, url, params=None, **extra):
        response = client.get(url, params, **extra)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def post(client, q):
        response = client.post("/penduduk/", {"q": q})
        assert response.status_code == 200, response.status_code

    def api(i, q=""):
        cursor = rnd.choice(pages) if not q else ""
        params = {"village": village.code, "cursor": cursor, **({"q": q} if q else {})}
        get(op, "/api/v1/residents", params, HTTP_AUTHORIZATION=f"Bearer {token}")

    figures = {
        "baseline: /healthz through the same client and middleware": lambda i: get(op, "/healthz"),
        "list, village operator (random page of the village)": lambda i: get(
            op, "/penduduk/", {"page": rnd.randint(1, 200)}
        ),
        "list, regency admin (pages 1-20 of the regency)": lambda i: get(
            admin, "/penduduk/", {"page": rnd.randint(1, 20)}
        ),
        "name search, village operator (4-letter prefix)": lambda i: get(
            op, "/penduduk/", {"q": rnd.choice(local)[1][:4]}
        ),
        "name search, regency admin (full first name)": lambda i: get(
            admin, "/penduduk/", {"q": rnd.choice(sample)[1].split()[0]}
        ),
        "surname search, village operator": lambda i: get(
            op, "/penduduk/", {"q": rnd.choice(surnamed)[1].split()[-1]}
        ),
        "NIK search, regency admin": lambda i: post(admin, rnd.choice(sample)[0]),
        "NIK search, village operator": lambda i: post(op, rnd.choice(local)[0]),
        "no. KK search, regency admin": lambda i: post(admin, rnd.choice(sample)[2]),
        "partial NIK (12 digits), village operator": lambda i: post(op, rnd.choice(local)[0][:12]),
        "family page, village operator": lambda i: get(
            op, f"/penduduk/keluarga/{rnd.choice(local_families)}/"
        ),
        "family page, regency admin": lambda i: get(
            admin, f"/penduduk/keluarga/{rnd.choice(families)}/"
        ),
        "API list, village token, a page by cursor": api,
        "API list + name search (3 letters), village token": lambda i: api(
            i, rnd.choice(local)[1][:3]
        ),
    }
    lines = [
        "| figure | p95 | median | CPU p95 (this process) | database time (EXPLAIN ANALYZE) |",
        "| --- | --- | --- | --- | --- |",
        f"| residents / families / villages | {Resident.objects.count():,} / "
        f"{Family.objects.count():,} / {len(villages)} | | | |",
    ]
    for name, fn in figures.items():
        database = database_ms(fn)
        samples = timed(fn, n, warmups=3)
        median = sorted(samples)[len(samples) // 2]
        mark = "" if p95(samples) < 50 else " **over 50 ms**"
        lines.append(
            f"| {name} | {p95(samples):.1f} ms{mark} | {median:.1f} ms | "
            f"{p95(CPU[id(samples)]):.1f} ms | {database:.2f} ms |"
        )
        print(lines[-1], flush=True)
    lines += import_figures(villages, files)
    return lines


def database_ms(fn, rounds: int = 5) -> float:
    """PostgreSQL's own work for one request: the EXPLAIN ANALYZE execution times of
    the queries it ran (session and cache reads left out), median of `rounds`.

    Unlike wall clock, this hardly moves with the machine's load, so it shows
    how a request's cost grows with the registry."""
    import re
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    totals = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            fn(-1)
        total = 0.0
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or "django_session" in sql or "balai_cache" in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            found = re.search(r"Execution Time: ([\d.]+)", plan)
            total += float(found.group(1)) if found else 0.0
        totals.append(total)
    return statistics.median(totals)


def local_pages(village, token, rnd) -> list[str]:
    """Cursors of the village's API pages (following next_cursor from the first page)."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    cursors, cursor = [""], ""
    while cursor is not None and len(cursors) < 60:
        response = client.get(
            "/api/v1/residents",
            {"village": village.code, "cursor": cursor, "limit": 200},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 200, response.content[:200]
        cursor = response.json()["next_cursor"]
        if cursor:
            cursors.append(cursor)
    return cursors


class _Undo(Exception):
    pass


def _cpu_seconds(backend_pid: int) -> tuple[float, float, float | None]:
    """CPU seconds so far of this process, of its waited-for children (the reading
    child) and of the PostgreSQL backend serving it (None when not on this machine)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        with open(f"/proc/{backend_pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        backend = None
    return (
        own.ru_utime + own.ru_stime,
        children.ru_utime + children.ru_stime,
        backend,
    )


def import_figures(villages, files: Path, rounds: int = 5) -> list[str]:
    """Import the empty village's file and the first village's again, rolled back each time.

    The foreign keys' checks, deferred to the commit, are run before the rollback
    (SET CONSTRAINTS ALL IMMEDIATE) and timed with the import: a real import pays
    for them. Beside the wall clock, the CPU seconds of the three processes at work
    (importer, reading child, PostgreSQL backend): they hardly move with the load.
    """
    import statistics

    from django.db import connection, transaction

    from balai.residents.actions import import_residents

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pid = cursor.fetchone()[0]
    lines = []
    for village, what in (
        (villages[-1], "new village"),
        (villages[0], "a stored village's file again, nothing changed"),
    ):
        path = files / f"{village.code}.xlsx"
        samples, cpus, rows = [], [], 0
        for _ in range(rounds):
            before = _cpu_seconds(backend_pid)
            start = time.perf_counter()
            try:
                with transaction.atomic():
                    result = import_residents(path, village)
                    assert result.ok, result.problems[:3]
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    samples.append(time.perf_counter() - start)
                    rows = result.rows
                    raise _Undo
            except _Undo:
                pass
            after = _cpu_seconds(backend_pid)
            cpus.append(
                [
                    None if a is None or b is None else a - b
                    for a, b in zip(after, before, strict=True)
                ]
            )
        mark = "" if max(samples) < 2 else " **over 2 s**"
        cpu = " / ".join(
            "n/a" if None in column else f"{statistics.median(column):.2f}"
            for column in zip(*cpus, strict=True)
        )
        lines.append(
            f"| import one village's file ({what}), {rows:,} rows, worst of {rounds} | "
            f"{max(samples):.2f} s{mark} | {sorted(samples)[rounds // 2]:.2f} s | "
            f"CPU s, median: importer / reading child / PostgreSQL {cpu} | |"
        )
        print(lines[-1], flush=True)
    return lines


if __name__ == "__main__":
    random.seed(1)
    main()
