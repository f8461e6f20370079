"""Residents registry at regency scale: import, list, search, statistics.

    .venv/bin/python benchmarks/bench_residents.py                       # 110,000 in 20 files
    .venv/bin/python benchmarks/bench_residents.py --residents 1100000 --files 205   # Lumajang
    .venv/bin/python benchmarks/bench_residents.py --database postgres://postgres@127.0.0.1:5432/balai_bench

Targets (issue 3): importing OpenSID xlsx files takes at most 2x reading the same
files with python-calamine plus a raw bulk insert of the same rows (baseline,
measured in the same run), peak memory under 1 GB, a 10,000-resident file in
under 1 s; with the registry loaded, list page, name search and NIK search p95
under 50 ms and regency statistics under 500 ms. The generated files are kept
with --files-dir DIR and reused when they are already there.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import CPU, p95, setup_django, stamp, timed  # noqa: E402


def lumajang_villages(count: int) -> list[str]:
    import csv

    from balai.regions.codes import DATA_DIR

    with open(DATA_DIR / "villages.csv", newline="", encoding="utf-8") as f:
        codes = sorted(row["code"] for row in csv.DictReader(f) if row["code"].startswith("35.08."))
    if count > len(codes):
        raise SystemExit(f"Lumajang has {len(codes)} villages; asked for {count} files")
    return codes[:count]


def generate(files_dir: Path, residents: int, files: int) -> None:
    """Write the OpenSID-format files (run in a child process: its memory is not the import's)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    os.environ.setdefault("BALAI_DATA_DIR", tempfile.mkdtemp(prefix="balai-bench-gen-"))
    import django

    django.setup()
    from balai.residents.generate import Generator, write_opensid_xlsx

    generator = Generator(seed=2026)
    per_file = residents // files
    for i, code in enumerate(lumajang_villages(files)):
        count = per_file + (residents % files if i == files - 1 else 0)
        write_opensid_xlsx(files_dir / f"{code}.xlsx", generator.residents(code, count))
    write_opensid_xlsx(files_dir / "extra-10000.xlsx", generator.residents("35.08.21.2001", 10_000))


def baseline(paths: list[Path]) -> float:
    """Read every file with python-calamine and bulk-insert its rows raw (43 text columns)."""
    # Same insert path as the import (COPY on PostgreSQL), so the ratio shows our work.
    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    from balai.residents.importing.writer import _bulk_insert

    columns = 43
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        cursor.execute(
            f"CREATE TABLE bench_raw ({', '.join(f'c{i} TEXT' for i in range(columns))})"
        )
    start = time.perf_counter()
    for path in paths:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data Penduduk").iter_rows()
        next(rows)
        batch = []
        with transaction.atomic(), connection.cursor() as cursor:
            for row in rows:
                if row[1] == "###":
                    break
                batch.append([None if v == "" else str(v) for v in row[:columns]])
            # The import's own bulk insert: COPY on PostgreSQL, executemany on SQLite.
            _bulk_insert(cursor, "bench_raw", [f"c{i}" for i in range(columns)], batch)
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw")
    return elapsed


def import_phase(args, codes, paths, extra, by_code) -> list[str]:
    """Baseline, the import of every file, a 10,000-row file and a repeat import."""
    from balai.residents.actions import import_residents
    from balai.residents.models import Resident

    cpu_start = time.process_time()
    base = baseline(paths)
    base_cpu = time.process_time() - cpu_start
    cpu_start = time.process_time()
    start = time.perf_counter()
    slowest = 0.0
    for code, path in zip(codes, paths, strict=True):
        t = time.perf_counter()
        result = import_residents(path, by_code[code])
        slowest = max(slowest, time.perf_counter() - t)
        assert result.ok, (path, result.problems[:3])
    imported = time.perf_counter() - start
    imported_cpu = time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # (the files are read by a child process each: benchmarks/bench_hostile_files.py
    # measures that child's peak)
    total = Resident.objects.count()
    print(
        f"import done: {total:,} rows, baseline {base:.1f} s, import {imported:.1f} s "
        f"({imported / base:.2f}x), CPU {base_cpu:.1f} / {imported_cpu:.1f} s, "
        f"peak {peak_mb:,.0f} MB, slowest file {slowest:.2f} s",
        flush=True,
    )
    t = time.perf_counter()
    result = import_residents(extra, by_code[EXTRA_VILLAGE])
    ten_k = time.perf_counter() - t
    assert result.created == 10_000
    t = time.perf_counter()
    again = import_residents(paths[0], by_code[codes[0]])
    reimport = time.perf_counter() - t
    assert again.created == again.updated == 0
    return [
        f"| residents imported | {total:,} in {len(paths)} OpenSID xlsx files |",
        f"| baseline: calamine read + raw bulk insert | {base:.1f} s "
        f"({total / base:,.0f} rows/s) |",
        f"| import (validate, upsert, families, search keys, statistics) | {imported:.1f} s "
        f"({total / imported:,.0f} rows/s), **{imported / base:.2f}x baseline** |",
        f"| same, CPU time of this process (PostgreSQL's own work not included) | "
        f"baseline {base_cpu:.1f} s, import {imported_cpu:.1f} s, {imported_cpu / base_cpu:.2f}x |",
        f"| slowest single file ({args.residents // args.files:,} rows) | {slowest:.2f} s |",
        f"| peak memory of the importing process (ru_maxrss) | {peak_mb:,.0f} MB |",
        f"| a 10,000-resident file into the loaded registry | {ten_k:.2f} s |",
        f"| importing a file again (nothing changes) | {reimport:.2f} s |",
    ]


def query_phase(args, village) -> list[str]:
    """List, search and statistics through the real views (middleware, sessions, templates)."""
    from django.test import Client

    from balai.residents import stats
    from balai.residents.models import Resident
    from benchmarks.common import staff_clients

    op_client, admin_client, token = staff_clients(village)

    rnd = random.Random(1)
    top = Resident.objects.order_by("-pk").values_list("pk", flat=True).first()
    if top is None:
        raise SystemExit("the registry is empty: nothing to look up")
    picks = [rnd.randint(1, top) for _ in range(2000)]
    sample = list(Resident.objects.filter(pk__in=picks).values_list("nik", "name")[:500])
    local = list(Resident.objects.filter(village=village).values_list("nik", "name")[:500])
    n = args.requests

    def get(client, params, **extra):
        response = client.get("/penduduk/", params, **extra)
        assert response.status_code == 200, response.status_code

    def post(client, data):
        response = client.post("/penduduk/", data)
        assert response.status_code == 200, response.status_code

    figures = {
        "list page, village operator (random page of 50)": timed(
            lambda i: get(op_client, {"page": rnd.randint(1, 50)}), n
        ),
        "list page, regency admin (page 1..20)": timed(
            lambda i: get(admin_client, {"page": rnd.randint(1, 20)}), n
        ),
        "name search, village operator (4-letter prefix)": timed(
            lambda i: get(op_client, {"q": rnd.choice(local)[1][:4]}), n
        ),
        "name search, regency admin (full first name)": timed(
            lambda i: get(admin_client, {"q": rnd.choice(sample)[1].split()[0]}), n
        ),
        # A NIK goes in a POST body, never in a URL (issue 10.7).
        "NIK search, regency admin": timed(
            lambda i: post(admin_client, {"q": rnd.choice(sample)[0]}), n
        ),
        # Issue 11.8: the start of a NIK (district + birth date), and a surname.
        "partial NIK search (12 digits), village operator": timed(
            lambda i: post(op_client, {"q": rnd.choice(local)[0][:12]}), n
        ),
        "surname search, village operator": timed(
            lambda i: get(op_client, {"q": rnd.choice(local)[1].split()[-1]}), n
        ),
        "API list + name search, village token": timed(
            lambda i: op_client.get(
                "/api/v1/residents",
                {"village": village.code, "q": rnd.choice(local)[1][:3]},
                HTTP_AUTHORIZATION=f"Bearer {token}",
            ),
            n,
        ),
    }
    stats_ms = timed(lambda i: stats.population("35.08"), 20)
    stats_api = timed(
        lambda i: Client(HTTP_HOST="localhost").get("/api/v1/stats/population/35.08"), 20
    )
    stats_page = timed(lambda i: Client(HTTP_HOST="localhost").get("/penduduk/statistik/"), 20)
    lines = [f"| residents in the registry | {Resident.objects.count():,} |"]
    for name, samples in figures.items():
        median = sorted(samples)[len(samples) // 2]
        cpu = p95(CPU[id(samples)])
        lines.append(
            f"| {name}: p95 | {p95(samples):.1f} ms (median {median:.1f}; CPU p95 {cpu:.1f}) |"
        )
    lines.append(
        f"| regency statistics (aggregates only): p95 | {p95(stats_ms):.1f} ms "
        f"(CPU {p95(CPU[id(stats_ms)]):.1f}) |"
    )
    lines.append(
        f"| regency statistics API / page: p95 | {p95(stats_api):.1f} ms / "
        f"{p95(stats_page):.1f} ms |"
    )
    return lines


EXTRA_VILLAGE = "35.08.21.2001"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--residents", type=int, default=110_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--database", help="DATABASE_URL; default a fresh SQLite file")
    parser.add_argument("--files-dir", help="keep/reuse the generated files here")
    parser.add_argument("--requests", type=int, default=100, help="requests per query figure")
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="skip generating and importing: measure queries on --database as it is",
    )
    parser.add_argument("--generate-only", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.generate_only:
        generate(Path(args.generate_only), args.residents, args.files)
        return

    codes = lumajang_villages(args.files)
    lines = []
    if not args.queries_only:
        files_dir = Path(args.files_dir or tempfile.mkdtemp(prefix="balai-bench-files-"))
        files_dir.mkdir(parents=True, exist_ok=True)
        paths = [files_dir / f"{code}.xlsx" for code in codes]
        extra = files_dir / "extra-10000.xlsx"
        if not all(p.exists() for p in [*paths, extra]):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, __file__, "--generate-only", str(files_dir),
                 "--residents", str(args.residents), "--files", str(args.files)],
                check=True,
            )  # fmt: skip
            lines.append(
                f"| generating the files (not part of the import) | "
                f"{time.perf_counter() - start:.1f} s |"
            )

    if args.queries_only and args.database and args.database.startswith("sqlite:///"):
        os.environ["DATABASE_URL"] = args.database
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
        import django

        django.setup()
    else:
        setup_django(args.database)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # Serve static file names without a collectstatic manifest, as tests do.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    load_before = os.getloadavg()[0]
    from balai.regions.models import Village

    if not args.queries_only:
        if connection.vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
        from balai.accounts.actions import onboard_villages
        from balai.regions.loading import load_regions

        load_regions()
        by_code = {v.code: v for v in onboard_villages([*codes, EXTRA_VILLAGE])}
        lines += import_phase(args, codes, paths, extra, by_code)
    lines += query_phase(args, Village.objects.get(code=codes[0]))
    print(
        f"bench_residents, {stamp()}, {connection.vendor}, "
        f"load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
