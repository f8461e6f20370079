"""CCTV at the regency's scale on PostgreSQL (issue 12).

    .venv/bin/python benchmarks/bench_cctv.py              # board, storage, alert latency
    .venv/bin/python benchmarks/bench_cctv.py --skip-alert # without the 2-5 minute alert run

Targets: the command center's board with 3,000 cameras and a year of history,
p95 under 100 ms (beside a bare staff page served in the same run); a year of
history for 3,000 cameras under 1 GB; a camera that dies is alerted within
90 s with the default settings (30 s rounds, flap count 2, 1 minute).

History is what Balai keeps (rollups and state changes, not probes): daily
rollups for 365 days, hourly ones for BALAI_CCTV_HOURLY_DAYS, and one state
change per camera per day. It is written with COPY and kept between runs (the
database named by DATABASE_URL, default balai_bench_cctv).
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_complaints import ensure_database, latencies, staff_cookie  # noqa: E402
from benchmarks.common import free_port, p95, setup_django, stamp, start_gunicorn  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/balai_bench_cctv"
CAMERAS = 3000
DAYS = 365
CHANGES_PER_DAY = 1


def setup(url: str) -> None:
    from django.core.management import call_command

    setup_django(url)  # the cache table comes with the migrations
    call_command("collectstatic", interactive=False, verbosity=0)
    from balai.regions.models import Village

    if not Village.objects.in_regency().exists():
        call_command("load_regions", verbosity=0)


def copy(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out,
    ):
        for row in rows:
            out.write_row(row)


def _copy_history(ids: list[int], now: dt.datetime, rng: random.Random) -> None:
    """A year of daily rollups, the recent hourly ones and the state changes, by COPY."""
    from django.conf import settings
    from django.utils import timezone

    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)

    def daily():
        for camera in ids:
            for back in range(1, DAYS + 1):
                down = rng.choice((0, 0, 0, 0, 0, 600, 3600))
                yield (camera, "day", today - dt.timedelta(days=back), 86400 - down, 0, down)

    def hourly():
        hour = now.replace(minute=0, second=0, microsecond=0)
        for camera in ids:
            for back in range(1, settings.BALAI_CCTV_HOURLY_DAYS * 24 + 1):
                down = 0 if rng.random() < 0.95 else 1800
                yield (camera, "hour", hour - dt.timedelta(hours=back), 3600 - down, 0, down)

    def events():
        for camera in ids:
            for back in range(DAYS * CHANGES_PER_DAY):
                at = now - dt.timedelta(hours=24 * back / CHANGES_PER_DAY + rng.random())
                down = back % 2 == 1
                yield (
                    camera, at, "camera.down" if down else "camera.up",
                    "up" if down else "down", "down" if down else "up",
                    "unreachable" if down else "",
                )  # fmt: skip

    columns = ["camera_id", "period", "start", "up_seconds", "degraded_seconds", "down_seconds"]
    copy("cctv_camerarollup", columns, daily())
    copy("cctv_camerarollup", columns, hourly())
    copy(
        "cctv_cameraevent",
        ["camera_id", "at", "kind", "from_state", "to_state", "problem"],
        events(),
    )  # fmt: skip


def populate() -> float:
    """3,000 cameras in every village of the regency, and a year of their history."""
    from django.db import connection
    from django.utils import timezone

    from balai.accounts.actions import onboard_villages
    from balai.accounts.choices import Role
    from balai.accounts.models import User
    from balai.cctv.models import Camera
    from balai.regions.models import Village

    User.objects.get_or_create(username="cc", defaults={"role": Role.COMMAND_CENTER})
    if Camera.objects.count() >= CAMERAS:
        return 0.0
    started = time.perf_counter()
    villages = list(Village.objects.in_regency().order_by("code").values_list("code", flat=True))
    onboard_villages(villages)
    rng = random.Random(3508)
    now = timezone.now()
    states = ["up"] * 90 + ["degraded"] * 6 + ["down"] * 4
    rows = []
    for n in range(CAMERAS):
        state = rng.choice(states)
        since = now - dt.timedelta(minutes=rng.randrange(1, 60 * 24 * 20))
        rows.append(
            (
                uuid.uuid4(), villages[n % len(villages)], f"Kamera {n:04d}", "", "keamanan",
                "public" if n % 3 else "staff", "", "", f"rtsp://10.{n // 250}.{n % 250}.2/s1",
                "", "", "", "", "", 30, "Operator desa", "[]",
                "" if state == "up" else "Kamera tidak dapat dihubungi.", "", "",
                "{}", now, state, since, "", 0, now, now,
            )
        )  # fmt: skip
    copy(
        "cctv_camera",
        ["public_id", "village_id", "name", "location", "purpose", "visibility", "make",
         "model", "rtsp_url", "onvif_url", "snapshot_url", "hls_url", "relay_path",
         "credentials", "retention_days", "operator_contact", "problems", "problem_text",
         "detail", "fingerprint", "accrued", "created_at", "state", "state_since",
         "pending_state", "pending_count", "last_checked_at", "last_ok_at"],
        rows,
    )  # fmt: skip
    ids = list(Camera.objects.order_by("pk").values_list("pk", flat=True))
    _copy_history(ids, now, rng)
    with connection.cursor() as cursor:
        for table in ("cctv_camera", "cctv_camerarollup", "cctv_cameraevent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


def storage() -> dict:
    from django.db import connection

    sizes = {}
    with connection.cursor() as cursor:
        for table in ("cctv_camera", "cctv_camerarollup", "cctv_cameraevent"):
            count = f"SELECT count(*) FROM {table}"  # noqa: S608 - our own table names
            cursor.execute(f"SELECT pg_total_relation_size(%s), ({count})", [table])
            sizes[table] = cursor.fetchone()
    return sizes


def board(args) -> list[tuple[str, float, float]]:
    from balai.cctv.models import Camera

    camera = Camera.objects.exclude(state="up").order_by("pk").first()
    if camera is None:
        raise SystemExit("no camera is down or degraded: populate first")
    port = free_port()
    server = start_gunicorn("benchmarks.cctv_wsgi", port, args.workers)
    cookie = {"Cookie": staff_cookie("cc")}
    pages = {
        "bare staff page (baseline)": ["/bench/bare"],
        "board `/cctv/` (command center, all 3,000; 50 rows a page)": ["/cctv/"],
        "board fragment (what the JS fetches)": ["/cctv/papan.html"],
        "camera list + uptime per village/district/owner, 7 days": ["/cctv/kamera/?periode=minggu"],
        "camera list + uptime, 24 h (hourly rows)": ["/cctv/kamera/?periode=hari"],
        "camera page with its 7-day SVG timeline": [f"/cctv/kamera/{camera.public_id}/?rentang=7h"],
    }
    try:
        for paths in pages.values():
            latencies(port, paths, 10, cookie)  # warm up
        results = []
        for name, paths in pages.items():
            samples = latencies(port, paths, args.requests, cookie)
            results.append((name, p95(samples) * 1000, sorted(samples)[len(samples) // 2] * 1000))
        return results
    finally:
        server.terminate()
        server.wait(10)


def record_round() -> list[float]:
    """Seconds to record one round's 3,000 results (states, events, rollups, outages),
    twice: a quiet round, and one where 5% of cameras change (the probe time is
    bench_probes.py's)."""
    from django.utils import timezone

    from balai.cctv import alerts
    from balai.cctv.models import Camera
    from balai.cctv.probing import Problem, Result
    from balai.cctv.state import apply_results

    keys = [str(k) for k in Camera.objects.values_list("public_id", flat=True)]
    timings = []
    for changing in (0.0, 0.05):
        now = timezone.now()
        results = [
            Result(
                key=k,
                checked_at=now,
                problems=[Problem.TIMEOUT] if n < changing * len(keys) else [],
            )
            for n, k in enumerate(keys)
        ]
        started = time.perf_counter()
        applied = apply_results(results, now=now)
        alerts.reconcile(applied.cameras, applied.sites, now=now)
        alerts.send_due(now=now)
        timings.append(time.perf_counter() - started)
    return timings


def alert_latency(trials: int) -> list[float]:
    """Seconds from a camera dying (its port starts refusing) to its alert email."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message
    from django.conf import settings

    from balai.accounts.models import User
    from balai.cctv import actions
    from balai.cctv.models import Camera, Outage
    from balai.cctv.rounds import probe_round
    from balai.cctv.simulator import Simulator
    from balai.regions.models import Village

    received = []

    class Inbox(Message):
        def handle_message(self, message):
            received.append((time.monotonic(), message["Subject"]))

    smtp_port = free_port()
    controller = Controller(Inbox(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    User.objects.filter(username="cc").update(email="cc@example.org")
    village = Village.objects.active().order_by("code").first()
    # Only the dying camera is probed there: the others' made-up addresses go.
    Camera.objects.filter(village=village).update(rtsp_url="")
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": "regency_admin"}
    )
    every = settings.BALAI_CCTV_ROUND_SECONDS
    assert (every, settings.BALAI_CCTV_FLAP_COUNT, settings.BALAI_CCTV_ALERT_MINUTES) == (30, 2, 1)
    results = []
    rng = random.Random(90)
    try:
        for trial in range(trials):
            simulator = Simulator(free_port()).start()
            assert simulator.ports  # set by start()
            camera = actions.create_camera(
                admin,
                {
                    "name": f"Mati {trial} {time.time():.0f}",
                    "village": village,
                    "purpose": "keamanan",
                    "retention_days": 30,
                    "operator_contact": "Bench",
                    "snapshot_url": f"http://127.0.0.1:{simulator.ports.http}/snapshot/moving/b.jpg",
                },
            )
            died = None
            # The worker's schedule: a round every 30 s; the camera dies at a random moment.
            death_after = every * 2 + rng.uniform(0, every)
            start = time.monotonic()
            while True:
                round_started = time.monotonic()
                probe_round(village=village.pk)
                if Outage.objects.filter(camera=camera, alerted_at__isnull=False).exists():
                    break
                next_round = round_started + every
                while time.monotonic() < next_round:
                    if died is None and time.monotonic() - start >= death_after:
                        simulator.stop()  # the port now refuses connections
                        died = time.monotonic()
                    time.sleep(0.05)
                if time.monotonic() - start > 600:
                    raise SystemExit("no alert within 10 minutes")
            mail = [t for t, subject in received if camera.name in subject]
            results.append(mail[0] - died)
            Camera.objects.filter(pk=camera.pk).delete()
            print(f"  trial {trial + 1}: alerted {results[-1]:.1f} s after dying", flush=True)
    finally:
        controller.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="GETs per page measured")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--trials", type=int, default=2, help="dying cameras to time")
    parser.add_argument("--skip-alert", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        raise SystemExit("this benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database(url)
    setup(url)
    seconds = populate()
    print(f"# CCTV benchmark, {stamp()}, load average {os.getloadavg()[0]:.1f}")
    if seconds:
        print(f"history written in {seconds:.0f} s")
    total = 0
    print("\n| table | rows | size |\n| --- | --- | --- |")
    for table, (size, rows) in storage().items():
        total += size
        print(f"| {table} | {rows:,} | {size / 2**20:,.0f} MB |")
    print(f"| **all CCTV history** | | **{total / 2**20:,.0f} MB** (target: under 1 GB) |")
    print("\n| page | p95 | median |\n| --- | --- | --- |")
    for name, page_p95, median in board(args):
        print(f"| {name} | {page_p95:.1f} ms | {median:.1f} ms |")
    print(f"(load average afterwards {os.getloadavg()[0]:.1f})")
    quiet, changing = record_round()
    print(
        f"\nrecording a round's 3,000 results: {quiet:.2f} s when nothing changes, "
        f"{changing:.2f} s with 5% of cameras changing"
    )
    if not args.skip_alert:
        delays = alert_latency(args.trials)
        print(
            f"\ndead camera to alert email: {', '.join(f'{d:.1f} s' for d in delays)} "
            f"(worst {max(delays):.1f} s; target under 90 s)"
        )


if __name__ == "__main__":
    main()
