"""Complaints at scale on PostgreSQL (issue 5).

    .venv/bin/python benchmarks/bench_complaints.py                     # 300,000 reports
    .venv/bin/python benchmarks/bench_complaints.py --reports 1000000   # the issue's figure

Targets: with 1,000,000 reports stored, the unit queue and the public list p95
under 100 ms; submission (Open311 POST: token, routing, clocks, timeline,
audit, notification) at least 50% of a bare Django insert view's requests/s,
both served by the same gunicorn in the same run.

Reports are stored with COPY and kept between runs (the database named by
DATABASE_URL, default balai_bench_complaints): a larger --reports tops up.
Load comes from this process (threads, keep-alive HTTP) against gunicorn on
127.0.0.1; every loop is bounded in count and time.
"""

import argparse
import http.client
import io
import os
import random
import secrets
import signal
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    ensure_database,
    free_port,
    http_load,
    p95,
    stamp,
    start_gunicorn,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/balai_bench_complaints"
WORDS = [
    "jalan",
    "berlubang",
    "sampah",
    "menumpuk",
    "lampu",
    "mati",
    "saluran",
    "tersumbat",
    "banjir",
    "pohon",
    "tumbang",
    "depan",
    "pasar",
    "dekat",
    "sekolah",
    "gang",
    "dusun",
    "sejak",
    "minggu",
    "lalu",
    "mohon",
    "segera",
    "ditangani",
]


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("BALAI_DATA_DIR", tempfile.mkdtemp(prefix="balai-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "balai.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from balai.regions.models import Village

    if not Village.objects.in_regency().exists():
        call_command("load_regions", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert "
            "(id bigserial PRIMARY KEY, body text, created_at timestamptz)"
        )


def top_up(target: int) -> tuple[int, float]:
    """Store reports until there are `target`; returns (added, seconds)."""
    from django.db import connection

    from balai.complaints.choices import Privacy, Status, UnitKind
    from balai.complaints.models import Category, Complaint
    from balai.regions.models import Village

    have = Complaint.objects.count()
    if have >= target:
        return 0, 0.0
    categories = list(Category.objects.all())
    villages = list(Village.objects.active().values_list("code", flat=True))
    now = datetime.now(UTC)
    rng = random.Random(have)
    columns = [
        "public_id",
        "tracking_digest",
        "category_id",
        "description",
        "village_id",
        "latitude",
        "longitude",
        "address",
        "privacy",
        "reporter_name",
        "reporter_email",
        "reporter_phone",
        "source",
        "status",
        "reject_reason",
        "unit_kind",
        "agency_id",
        "status_notes",
        "rating_comment",
        "is_public",
        "reopened_count",
        "created_at",
        "updated_at",
        "verified_at",
        "dispatched_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "verify_due",
        "response_due",
        "resolution_due",
        "next_due",
    ]
    start = time.perf_counter()
    added = 0
    batch = 50_000
    while have + added < target:
        n = min(batch, target - have - added)
        buf = io.StringIO()
        for _ in range(n):
            cat = rng.choice(categories)
            created = now - timedelta(seconds=rng.randint(0, 730 * 86400))
            age_days = (now - created).days
            # Older reports are mostly finished; about 4% of all stay open.
            roll = rng.random()
            if age_days > 30 or roll < 0.6:
                status = rng.choice([Status.CLOSED] * 8 + [Status.REJECTED, Status.RESOLVED])
            else:
                status = rng.choice([Status.RECEIVED, Status.DISPATCHED, Status.IN_PROGRESS])
            if cat.sensitive or not (cat.agency_id or cat.handled_by_village):
                unit, agency = UnitKind.COMMAND_CENTER, None
            elif cat.handled_by_village:
                unit, agency = UnitKind.VILLAGE, None
            else:
                unit, agency = UnitKind.AGENCY, cat.agency_id
            privacy = rng.choice(
                [Privacy.PUBLIC] * 7 + [Privacy.ANONYMOUS] * 2 + [Privacy.CONFIDENTIAL]
            )
            verify_due = created + timedelta(days=1)
            dispatched = (
                created + timedelta(hours=rng.randint(1, 30)) if status != Status.RECEIVED else None
            )
            response_due = dispatched + timedelta(days=3) if dispatched else None
            resolution_due = (dispatched or created) + timedelta(days=cat.resolution_days)
            first = (
                dispatched + timedelta(hours=rng.randint(1, 90))
                if dispatched and status != Status.DISPATCHED
                else None
            )
            finished = status in (Status.CLOSED, Status.RESOLVED)
            resolved = (first or created) + timedelta(days=rng.randint(0, 15)) if finished else None
            if status == Status.RECEIVED:
                next_due = verify_due
            elif status in (Status.DISPATCHED, Status.IN_PROGRESS):
                next_due = min(
                    d for d in (response_due if not first else None, resolution_due) if d
                )
            else:
                next_due = None
            reject = "duplicate" if status == Status.REJECTED else ""
            lat = -8.0 - rng.random() * 0.4
            lng = 112.9 + rng.random() * 0.4
            text = " ".join(rng.choices(WORDS, k=rng.randint(8, 30)))

            def ts(value):
                return value.isoformat() if value else r"\N"

            row = [
                secrets.token_urlsafe(16),
                secrets.token_hex(32),
                str(cat.pk),
                text,
                rng.choice(villages),
                f"{lat:.6f}",
                f"{lng:.6f}",
                "",
                privacy,
                "Warga",
                "",
                "",
                "web",
                status,
                reject,
                unit,
                str(agency) if agency else r"\N",
                "",
                "",
                "t" if privacy != Privacy.CONFIDENTIAL else "f",
                "0",
                ts(created),
                ts(resolved or created),
                ts(dispatched),
                ts(dispatched),
                ts(first),
                ts(resolved),
                ts(resolved if status == Status.CLOSED else None),
                ts(verify_due),
                ts(response_due),
                ts(resolution_due),
                ts(next_due),
            ]
            buf.write("\t".join(row) + "\n")
        buf.seek(0)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY complaints_complaint ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            copy.write(buf.read())
        added += n
        print(f"  stored {have + added:,} reports", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_complaint")
    return added, time.perf_counter() - start


def staff_cookie(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from balai.accounts.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def latencies(port: int, paths: list[str], count: int, headers=None) -> list[float]:
    """Sequential GETs (one client), cycling through `paths`; seconds each."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    samples = []
    for i in range(count):
        start = time.perf_counter()
        conn.request("GET", paths[i % len(paths)], headers=headers or {})
        response = conn.getresponse()
        response.read()
        samples.append(time.perf_counter() - start)
        assert response.status == 200, (paths[i % len(paths)], response.status)
    conn.close()
    return samples


def throughput(port: int, path: str, make_body, clients: int, seconds: float, cap: int):
    """(requests, seconds, latencies) of form-encoded POSTs from `clients` threads."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    def make_request(worker: int, n: int):
        return "POST", path, urlencode(make_body(worker, n)), headers

    return http_load(port, make_request, clients, seconds, cap, ok=(200, 201))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=300, help="GETs per page measured")
    parser.add_argument("--seconds", type=float, default=30, help="per kind of POST, in all")
    parser.add_argument("--rounds", type=int, default=6, help="alternating slices per kind")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        raise SystemExit("this benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database(url)
    setup(url)
    added, store_seconds = top_up(args.reports)

    from balai.accounts.actions import create_token
    from balai.accounts.choices import Scope
    from balai.accounts.models import User
    from balai.complaints.models import Category, Complaint
    from balai.regions.models import Village

    total = Complaint.objects.count()
    public = Complaint.objects.public().count()
    cc = User.objects.get(username="commandcenter")
    _, key = create_token(cc, [Scope.OPEN311], 1)
    village = Village.objects.active().order_by("code").first().code
    agency_open = Complaint.objects.for_unit(User.objects.get(username="opd")).open().count()

    port = free_port()
    server = start_gunicorn("benchmarks.complaints_wsgi", port, args.workers)
    try:
        cookie = {"Cookie": staff_cookie("opd")}
        latencies(port, ["/aduan/", "/aduan/staf/"], 20, cookie)  # warm up both workers
        queue = latencies(
            port,
            ["/aduan/staf/", "/aduan/staf/?status=dispatched", "/aduan/staf/?overdue=on"],
            args.requests,
            cookie,
        )
        codes = list(Category.objects.values_list("code", flat=True))
        lists = [f"/aduan/?kategori={c}" for c in codes[:5]] + ["/aduan/", "/aduan/?hal=20"]
        public_list = latencies(port, lists, args.requests)
        open311_list = latencies(port, ["/open311/v2/requests.json?service_code=sampah"], 60)

        def bare(worker, n):
            return {"description": f"Jalan berlubang {worker}-{n}"}

        def submit(worker, n):
            return {
                "api_key": key,
                "service_code": "jalan-rusak",
                "description": f"Jalan berlubang di depan pasar ({worker}-{n}).",
                "lat": "-8.133",
                "long": "113.224",
                "attribute[village]": village,
                "email": "warga@example.org",
            }

        throughput(port, "/bench/insert", bare, args.clients, 2, 200)  # warm up
        # The machine is shared: alternate short slices of each kind so that
        # a change in background load hits all three alike.
        kinds = {
            "orm": ("/bench/insert", bare),
            "sql": ("/bench/insert-sql", bare),
            "submit": ("/open311/v2/requests.json", submit),
        }
        # requests, seconds, latencies
        totals: dict[str, list[Any]] = {k: [0.0, 0.0, []] for k in kinds}
        for _ in range(args.rounds):
            for kind, (path, make) in kinds.items():
                count, elapsed, samples = throughput(
                    port, path, make, args.clients, args.seconds / args.rounds, 20_000
                )
                totals[kind][0] += count
                totals[kind][1] += elapsed
                totals[kind][2] += samples
        rates = {k: t[0] / t[1] for k, t in totals.items()}
        tails = {k: p95(t[2]) for k, t in totals.items()}
        bare_rps, sql_rps, submit_rps = rates["orm"], rates["sql"], rates["submit"]
        bare_p95, sql_p95, submit_p95 = tails["orm"], tails["sql"], tails["submit"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(f"complaints, {stamp()}, PostgreSQL, gunicorn sync x{args.workers}")
    print(f"  reports stored:              {total:,} ({public:,} public)")
    if added:
        print(f"  stored now:                  {added:,} in {store_seconds:.0f} s (COPY)")
    print(f"  open in the agency's queue:  {agency_open:,}")
    print(
        f"  unit queue p95:              {p95(queue) * 1000:.1f} ms "
        f"(median {statistics.median(queue) * 1000:.1f} ms, {len(queue)} GETs)"
    )
    print(
        f"  public list p95:             {p95(public_list) * 1000:.1f} ms "
        f"(median {statistics.median(public_list) * 1000:.1f} ms, {len(public_list)} GETs)"
    )
    print(f"  Open311 GET requests p95:    {p95(open311_list) * 1000:.1f} ms")
    print(f"  bare insert view (ORM):      {bare_rps:.0f} req/s (p95 {bare_p95 * 1000:.0f} ms)")
    print(f"  bare insert view (raw SQL):  {sql_rps:.0f} req/s (p95 {sql_p95 * 1000:.0f} ms)")
    print(f"  submission (Open311 POST):   {submit_rps:.0f} req/s (p95 {submit_p95 * 1000:.0f} ms)")
    print(f"  submission / bare insert:    {submit_rps / bare_rps:.0%} (target: at least 50%)")
    print(f"  submission / raw SQL insert: {submit_rps / sql_rps:.0%}")


if __name__ == "__main__":
    main()
