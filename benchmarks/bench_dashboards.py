"""Dashboards over a year of data on PostgreSQL (issue 14).

    .venv/bin/python benchmarks/bench_dashboards.py               # full scale
    .venv/bin/python benchmarks/bench_dashboards.py --scale 0.25  # a quarter of it

Full scale (--scale 1): 1,100,000 residents, 300,000 letter requests (with their
letters and returns), 100,000 complaints, 3,000 cameras with a year of daily
rollups and outages, spread over Lumajang's 205 villages and the last 365 days.
Rows are made by the database itself (INSERT ... SELECT generate_series), and
kept between runs in the database named by DATABASE_URL (default
balai_bench_dashboards); a different --scale starts again.

Targets: regency dashboard p95 under 300 ms, a village dashboard under 100 ms,
beside a bare staff page served the same way in the same run. The first load
of each page is reported apart as the cold one: each page gets fresh gunicorn
workers and the Django cache is emptied just before it. The suppressed figures
kept in tables (the population's, PublishedPopulation; the public periods',
PublicFigures) are data like the rollups: made before measuring, as the task
queue and the first reader do (`publish`). PostgreSQL's buffers are not
emptied. The page's weight is measured gzip-compressed. The dashboards'
rollups are counted by `balai rebuild-dashboards` after the rows are made.
"""

import argparse
import gzip
import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_complaints import ensure_database, latencies, staff_cookie  # noqa: E402
from benchmarks.common import free_port, p95, setup_django, stamp, start_gunicorn  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/balai_bench_dashboards"
RANGE = "periode=rentang&dari=2026-02-10&sampai=2026-09-20"
FULL = {"residents": 1_100_000, "requests": 300_000, "complaints": 100_000, "cameras": 3000}


def sql(statement: str, params=None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table names
        return cursor.fetchone()[0]


def setup(url: str) -> None:
    from django.core.management import call_command

    setup_django(url)
    call_command("collectstatic", interactive=False, verbosity=0)
    from balai.regions.models import Village

    if not Village.objects.in_regency().exists():
        call_command("load_regions", verbosity=0)
    Village.objects.in_regency().update(is_active=True)
    from balai.regions.boundaries import bundled_files
    from balai.regions.models import Boundary

    if not Boundary.objects.exists():  # the map's outlines (balai load-boundaries)
        for path in bundled_files():
            call_command("load_boundaries", str(path), verbosity=0)


def _people() -> None:
    from balai.accounts.choices import Role
    from balai.accounts.models import User

    if User.objects.filter(username="cc").exists():
        return
    User.objects.create_user("cc", role=Role.COMMAND_CENTER)
    User.objects.create_user("kades", role=Role.VILLAGE_HEAD, village_id="35.08.01.2001")


def _catalogues() -> None:
    from balai.agencies.models import Agency
    from balai.complaints.models import Category
    from balai.letters import catalogue
    from balai.letters.models import LetterType

    if not LetterType.objects.exists():
        catalogue.load(LetterType)
    if Category.objects.exists():
        return
    for i in range(10):
        agency = Agency.objects.create(
            slug=f"opd-{i}", name=f"Dinas {i}", short_name=f"D{i}", duties="uji"
        )
        Category.objects.create(code=f"kategori-{i}", name=f"Kategori {i}", agency=agency)
    Category.objects.create(code="desa", name="Urusan desa", handled_by_village=True)
    Category.objects.create(code="pungli", name="Pungli", sensitive=True)


def populate(scale: float) -> dict:
    """Make the year of data (kept when it is there at this scale); seconds per table."""
    sizes = {k: int(v * scale) for k, v in FULL.items()}
    done = count("residents_resident") == sizes["residents"] and count("cctv_outage") > 0
    if done and count("residents_populationcount") > 0:
        if not count("dashboards_letterrollup"):
            return {"dashboards' rollups": _rollups(sizes)}
        return {}
    for table in (
        "letters_requeststep",
        "letters_letter",
        "letters_letterrequest",
        "complaints_complaint",
        "cctv_outage",
        "cctv_camerarollup",
        "cctv_camera",
        "residents_populationcount",
        "residents_resident",
    ):
        sql(f"TRUNCATE {table} CASCADE")
    _people()
    _catalogues()
    timings = {}
    for name, step in (
        ("residents", _residents),
        ("requests, letters, returns", _requests),
        ("complaints", _complaints),
        ("cameras, rollups, outages", _cameras),
        ("population counts", _population),
        ("dashboards' rollups", _rollups),
    ):
        start = time.perf_counter()
        step(sizes)
        timings[name] = time.perf_counter() - start
    sql("VACUUM ANALYZE")
    return timings


def _residents(sizes) -> None:
    sql(
        """
        INSERT INTO residents_resident (uuid, nik, name, name_key, name_sound, sex, birth_place,
          birth_date, citizenship, father_name, father_nik, mother_name, mother_nik, phone,
          status, nik_mismatch_reason, created_at, updated_at, village_id, religion, education,
          occupation, marital_status)
        SELECT gen_random_uuid(), '3508' || lpad(g::text, 12, '0'), 'WARGA ' || g,
          'warga ' || g, 'W620',
          1 + g %% 2, 'LUMAJANG', date '1940-01-01' + (g * 7919 %% 30000)::int, 1,
          '', '', '', '', '',
          1, '', now(), now(), v[1 + g %% array_length(v, 1)], 1 + g %% 6, 1 + g %% 10,
          1 + g %% 30, 1 + g %% 4
        FROM generate_series(1::bigint, %s::bigint) g,
          (SELECT array_agg(code ORDER BY code) FROM regions_village
           WHERE code LIKE '35.08.%%') AS vs(v)
        """,
        [sizes["residents"]],
    )


def _requests(sizes) -> None:
    from balai.accounts.models import User

    signer = User.objects.get(username="kades").pk
    sql(
        """
        INSERT INTO letters_letterrequest (uuid, tracking_code, purpose, values, phone, email,
          status, submitted_at, status_changed_at, due_at, return_reason, reject_reason,
          collected_by_name, resident_id, village_id, letter_type_id)
        SELECT gen_random_uuid(), left(md5(g::text), 28), 'uji', '{}', '', '',
          CASE WHEN sub > now() - interval '5 days' AND g %% 3 = 0 THEN 'submitted'
               WHEN sub > now() - interval '5 days' AND g %% 3 = 1 THEN 'awaiting_signature'
               WHEN g %% 20 = 0 THEN 'rejected' WHEN g %% 50 = 1 THEN 'returned'
               WHEN g %% 2 = 0 THEN 'collected' ELSE 'ready' END,
          sub, sub, sub + interval '3 days', '', '', '', r.id, r.village_id,
          t[1 + g %% array_length(t, 1)]
        FROM (SELECT g, now() - (g * 104729 %% 31536000) * interval '1 second' AS sub
              FROM generate_series(1::bigint, %s::bigint) g) s,
          (SELECT min(id) AS low, count(*) AS n FROM residents_resident) b,
          (SELECT array_agg(id ORDER BY id) FROM letters_lettertype) AS ts(t),
          residents_resident r
        WHERE r.id = b.low + (g * 7919) %% b.n
        """,
        [sizes["requests"]],
    )
    sql(
        """
        INSERT INTO letters_letter (public_id, number, year, scope, sequence, pdf, sha256,
          issued_at, signer_name, signer_position, signer_authority, resident_name,
          revoke_reason, signed_by_id, village_id, request_id, letter_type_id)
        SELECT md5(id::text || 'l'), 'B/' || id, 2026, '', id, '', md5(id::text),
          submitted_at + (2 + id %% 118) * interval '1 hour', 'KADES', 'Kepala Desa', '',
          'WARGA', '', %s, village_id, id, letter_type_id
        FROM letters_letterrequest WHERE status IN ('ready', 'collected')
        """,
        [signer],
    )
    sql(
        """
        INSERT INTO letters_requeststep (request_id, step, at, note)
        SELECT id, 'returned', submitted_at + interval '1 hour', ''
        FROM letters_letterrequest WHERE id %% 25 = 0 OR status = 'returned'
        """
    )


def _complaints(sizes) -> None:
    sql(
        """
        INSERT INTO complaints_complaint (public_id, tracking_digest, description, address,
          privacy, reporter_name, reporter_email, reporter_phone, source, status, reject_reason,
          unit_kind, agency_id, status_notes, is_public, reopened_count, created_at, updated_at,
          dispatched_at, first_response_at, resolved_at, resolution_due, next_due,
          category_id, village_id, rating_comment)
        SELECT md5(g::text || 'c'), md5(g::text || 't'), 'uji', '', 'public', '', '', '', 'web',
          st, '', CASE WHEN c.agency_id IS NULL THEN 'command_center' ELSE 'agency' END,
          c.agency_id, '', true, 0, at, at, at + interval '1 hour',
          CASE WHEN st <> 'received' THEN at + (1 + g %% 70) * interval '1 hour' END,
          CASE WHEN st IN ('resolved', 'closed') THEN at + (1 + g %% 400) * interval '1 hour' END,
          at + interval '14 days',
          CASE WHEN st NOT IN ('resolved', 'closed', 'rejected') THEN at + interval '14 days' END,
          c.id, v[1 + g %% array_length(v, 1)], ''
        FROM (SELECT g, now() - (g * 104723 %% 31536000) * interval '1 second' AS at,
                CASE WHEN g %% 10 < 6 THEN 'closed' WHEN g %% 10 = 6 THEN 'resolved'
                     WHEN g %% 10 = 7 THEN 'in_progress' WHEN g %% 10 = 8 THEN 'received'
                     ELSE 'rejected' END AS st
              FROM generate_series(1::bigint, %s::bigint) g) s,
          (SELECT array_agg(id ORDER BY id) FROM complaints_category) AS cs(cats),
          complaints_category c,
          (SELECT array_agg(code ORDER BY code) FROM regions_village
           WHERE code LIKE '35.08.%%') AS vs(v)
        WHERE c.id = cats[1 + g %% array_length(cats, 1)]
        """,
        [sizes["complaints"]],
    )


def _cameras(sizes) -> None:
    sql(
        """
        INSERT INTO cctv_camera (state, pending_state, pending_count, public_id, name, location,
          purpose, visibility, make, model, rtsp_url, onvif_url, snapshot_url, hls_url,
          relay_path, credentials, retention_days, operator_contact, problems, problem_text,
          detail, fingerprint, accrued, created_at, village_id)
        SELECT CASE WHEN g %% 20 = 0 THEN 'down' WHEN g %% 20 = 1 THEN 'degraded' ELSE 'up' END,
          '', 0, gen_random_uuid(), 'Kamera ' || g, '', 'keamanan',
          CASE WHEN g %% 2 = 0 THEN 'public' ELSE 'staff' END, '', '', '', '', '', '', '', '',
          30, 'operator', '[]', '', '', '', '{}', now(), v[1 + g %% array_length(v, 1)]
        FROM generate_series(1::bigint, %s::bigint) g,
          (SELECT array_agg(code ORDER BY code) FROM regions_village
           WHERE code LIKE '35.08.%%') AS vs(v)
        """,
        [sizes["cameras"]],
    )
    sql(
        """
        INSERT INTO cctv_camerarollup (camera_id, period, start, up_seconds, degraded_seconds,
          down_seconds)
        SELECT c.id, 'day', date_trunc('day', now() - d * interval '1 day'),
          86400 - (c.id * d) %% 3600 - (c.id + d) %% 600, (c.id * d) %% 3600, (c.id + d) %% 600
        FROM cctv_camera c, generate_series(0, 364) d
        """
    )
    sql(
        """
        INSERT INTO cctv_outage (camera_id, kind, since, ended_at)
        SELECT c.id, 'down', now() - (c.id * k * 7919 %% 31536000) * interval '1 second',
          now() - (c.id * k * 7919 %% 31536000) * interval '1 second'
            + (1 + (c.id + k) %% 48) * interval '1 hour'
        FROM cctv_camera c, generate_series(1, 10) k
        """
    )


def _population(sizes) -> None:
    from balai.regions.models import Village
    from balai.residents.stats import rebuild_counts

    for village in Village.objects.in_regency():
        rebuild_counts(village)


def _rollups(sizes) -> float:
    """`balai rebuild-dashboards`: the rows were made by SQL, not by the actions."""
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("rebuild_dashboards")
    return time.perf_counter() - start


def fetch(port: int, path: str, headers: dict) -> tuple[float, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    assert response.status == 200, (path, response.status)
    return elapsed, body


def measure(args) -> list[tuple[str, float, float, float, int, str]]:
    """(page, cold seconds, p95, median, gzip bytes, load average) for each page."""
    from django.core.cache import cache

    village = "35.08.01.2001"
    who = {"cc": {"Cookie": staff_cookie("cc")}, "kades": {"Cookie": staff_cookie("kades")}}
    pages = [
        ("bare staff page (baseline)", "/bench/bare", "cc"),
        ("regency dashboard, this week (command center)", "/dasbor/35.08/?periode=minggu", "cc"),
        ("regency dashboard, this month", "/dasbor/35.08/", "cc"),
        ("regency dashboard, this quarter", "/dasbor/35.08/?periode=kuartal", "cc"),
        ("regency dashboard, this year", "/dasbor/35.08/?periode=tahun", "cc"),
        ("regency dashboard, a chosen range (223 days)", f"/dasbor/35.08/?{RANGE}", "cc"),
        ("district dashboard, this month", "/dasbor/35.08.01/", "cc"),
        ("village dashboard, this month (village head)", f"/dasbor/{village}/", "kades"),
        ("village dashboard, this year", f"/dasbor/{village}/?periode=tahun", "kades"),
        ("public regency page, this month", "/angka/35.08/", ""),
        ("public village page, this month", f"/angka/{village}/", ""),
    ]
    results = []
    for name, path, user in pages:
        headers = who.get(user, {})
        # Cold: fresh gunicorn workers (nothing imported, no template compiled, no
        # connection open) and an empty Django cache.
        port = free_port()
        server = start_gunicorn("benchmarks.cctv_wsgi", port, args.workers)
        try:
            cache.clear()
            load = os.getloadavg()[0]
            try:
                cold, body = fetch(port, path, headers)
                samples = latencies(port, [path], args.requests, headers)
            except (AssertionError, OSError) as exc:  # gunicorn's 30 s worker timeout
                print(f"  {name}: failed ({exc})", flush=True)
                continue
        finally:
            server.terminate()
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        weight = len(gzip.compress(body))
        median = sorted(samples)[len(samples) // 2]
        loads = f"{load:.1f}-{os.getloadavg()[0]:.1f}"
        results.append((name, cold, p95(samples), median, weight, loads))
        print(f"  {name}: cold {cold * 1000:.0f} ms, load {loads}", flush=True)
    return results


def publish() -> None:
    """What the task queue does after a registry change and the first public
    reader of a period: the suppressed figures kept (PublishedPopulation,
    PublicFigures), so a cold page reads them like the rollups."""
    from balai.dashboards import periods, public, rollups
    from balai.residents import stats

    rollups.refresh()
    stats.publish()
    public.published(periods.from_query({}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="share of the issue's data")
    parser.add_argument("--requests", type=int, default=40, help="GETs per page measured")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(url)
    setup(url)
    timings = populate(args.scale)
    sizes = {
        t: count(t)
        for t in (
            "residents_resident",
            "letters_letterrequest",
            "letters_letter",
            "complaints_complaint",
            "cctv_camera",
            "cctv_camerarollup",
            "cctv_outage",
        )
    }
    publish()
    results = measure(args)
    print(f"Dashboards, {stamp()}, PostgreSQL, scale {args.scale}")
    for name, seconds in timings.items():
        print(f"  generated {name}: {seconds:.1f} s")
    print("  rows: " + ", ".join(f"{t} {n:,}" for t, n in sizes.items()))
    print("| page | cold (fresh workers, empty cache) | p95 | median | gzip | load average |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, cold, tail, median, weight, load in results:
        print(
            f"| {name} | {cold * 1000:.0f} ms | {tail * 1000:.0f} ms | {median * 1000:.0f} ms"
            f" | {weight / 1024:.1f} KB | {load} |"
        )


if __name__ == "__main__":
    main()
