"""Rate-limit mechanisms side by side (issue 9.5): counted checks/s and exactness.

    .venv/bin/python benchmarks/bench_ratelimit.py [--events 2000]

Candidates, each counting events for one key from one process, then from two
processes at once (as two gunicorn workers would):

- `balai.accounts.ratelimit` (the counter table, one upsert per event);
- django-ratelimit on the database cache (Balai's default cache);
- django-ratelimit on Redis (only when `redis-server` and the `redis` client
  are installed; Balai uses Redis when BALAI_REDIS_URL is set).

The two django-ratelimit candidates need the `bench` extra
(`pip install -e ".[bench]"`); without it only the table is measured.

Exact means the final count equals the events sent by both processes. The
database figures are on SQLite (WAL), Balai's default.
"""

import argparse
import importlib.util
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import free_port, setup_django, stamp  # noqa: E402

RATE = "1000000/h"  # never reached: every event is counted


def _setup(data_dir: str, redis_url: str | None) -> None:
    os.environ["BALAI_DATA_DIR"] = data_dir
    if redis_url:
        os.environ["BALAI_REDIS_URL"] = redis_url
    import django

    django.setup()


def _hit(kind: str, request, key: str) -> None:
    if kind == "table":
        from balai.accounts import ratelimit

        ratelimit.hit("bench", key, RATE)
    else:
        from django_ratelimit.core import is_ratelimited

        is_ratelimited(request, group="bench", key=lambda g, r: key, rate=RATE, increment=True)


def _count(kind: str, request, key: str) -> int:
    if kind == "table":
        from balai.accounts import ratelimit

        return ratelimit.usage(("bench", key, RATE))[0]
    from django_ratelimit.core import get_usage

    usage = get_usage(request, group="bench", key=lambda g, r: key, rate=RATE, increment=False)
    return usage["count"]


def worker(data_dir, redis_url, kind, key, events, barrier, results):
    _setup(data_dir, redis_url)
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    _hit(kind, request, "warm-up")
    barrier.wait()
    start = time.perf_counter()
    for _ in range(events):
        _hit(kind, request, key)
    end = time.perf_counter()
    barrier.wait()  # all done: read the count back through the same mechanism
    results.put((start, end, _count(kind, request, key)))


def run(kind: str, data_dir: str, redis_url: str | None, events: int, processes: int):
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    key = f"{kind}-{processes}-{time.time()}"
    procs = [
        ctx.Process(target=worker, args=(data_dir, redis_url, kind, key, events, barrier, results))
        for _ in range(processes)
    ]
    for p in procs:
        p.start()
    spans = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    span = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    return processes * events / span, spans[0][2], processes * events


def start_redis() -> tuple[subprocess.Popen | None, str | None]:
    if not shutil.which("redis-server"):
        return None, None
    try:
        import redis  # noqa: F401
    except ImportError:
        return None, None
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"redis://127.0.0.1:{port}/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000, help="events per process")
    args = parser.parse_args()
    data_dir = setup_django()
    from django.db import connection

    connection.close()
    print(f"# Rate limits — {stamp()}; load average {os.getloadavg()[0]:.1f}")
    redis_server, redis_url = start_redis()
    candidates: list[tuple[str, str | None, str]] = [
        ("table", None, "counter table (balai.accounts.ratelimit)")
    ]
    if importlib.util.find_spec("django_ratelimit"):  # pip install -e ".[bench]"
        candidates.append(("cache", None, "django-ratelimit, database cache"))
        if redis_url:
            candidates.append(("cache", redis_url, "django-ratelimit, Redis"))
    else:
        print("  (django-ratelimit not installed: the `bench` extra measures it too)")
    try:
        for kind, url, label in candidates:
            for processes in (1, 2):
                rate, counted, sent = run(kind, data_dir, url, args.events, processes)
                exact = "exact" if counted == sent else f"LOST {sent - counted} of {sent}"
                print(f"  {label:<45} {processes} process(es): {rate:8.0f} events/s  {exact}")
    finally:
        if redis_server:
            redis_server.terminate()
            redis_server.wait(timeout=10)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
