"""Shared set-up for benchmarks: a fresh data dir and database, the machine's description."""

import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit


def setup_django(database_url: str | None = None) -> str:
    """Point Balai at a fresh temporary data dir (and database), migrate, return the dir."""
    data_dir = tempfile.mkdtemp(prefix="balai-bench-")
    os.environ["BALAI_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return data_dir


def staff_clients(village):
    """A village operator's and a regency admin's (past the second factor) signed-in
    test clients, and an API token of the operator's that reads residents."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from balai.accounts.actions import create_token
    from balai.accounts.choices import Role, Scope
    from balai.accounts.models import User

    User.objects.filter(username__startswith="bench-").delete()
    operator = User.objects.create_user("bench-op", role=Role.VILLAGE_OPERATOR, village=village)
    admin = User.objects.create_user("bench-admin", role=Role.REGENCY_ADMIN)
    device = TOTPDevice.objects.create(user=admin, name="default", confirmed=True)
    op_client = Client(HTTP_HOST="localhost")
    op_client.force_login(operator)
    admin_client = Client(HTTP_HOST="localhost")
    admin_client.force_login(admin)
    session = admin_client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    _, token = create_token(operator, [Scope.RESIDENTS_READ], 30)
    return op_client, admin_client, token


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database a benchmark keeps its data in, if missing."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(
                line.split(":", 1)[1].strip() for line in f if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def stamp() -> str:
    return f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(wsgi: str, port: int, workers: int) -> subprocess.Popen:
    """gunicorn serving `wsgi` (a benchmarks.*_wsgi module) on loopback, once /healthz answers.

    Its output (a JSON log line per request, as in production) goes to a file
    named on stdout, not between the benchmark's figures."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "BALAI_ALLOWED_HOSTS": "127.0.0.1"}
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (open as long as the server runs)
        "w", prefix="balai-bench-server-", suffix=".log", delete=False
    )
    print(f"server log: {log.name}", flush=True)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            f"{wsgi}:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Generous: on a shared machine at load 40, importing Django alone took over 30 s.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not start (see {log.name})")


def http_load(port, make_request, clients: int, seconds: float, cap: int, ok=(200, 201, 302)):
    """(requests, seconds, latencies) from `clients` threads on keep-alive connections,
    bounded by time and by count; `make_request(worker, n)` gives (method, path, body, headers)."""
    # (seconds, HTTP status) per request
    done: list[tuple[float, int]] = []
    errors: list[tuple[float, int]] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run(worker: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while time.monotonic() < stop_at and n < cap // clients:
            method, path, body, headers = make_request(worker, n)
            start = time.perf_counter()
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            response.read()
            with lock:
                (done if response.status in ok else errors).append(
                    (time.perf_counter() - start, response.status)
                )
            n += 1
        conn.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. status {errors[0][1]}")
    return len(done), elapsed, [d for d, _ in done]


# CPU milliseconds of this process per call, keyed by id() of the list `timed` returns.
CPU: dict[int, list[float]] = {}


def timed(fn, n: int, warmups: int = 2) -> list[float]:
    """Wall-clock milliseconds per call of fn(i) after `warmups` calls fn(-1), fn(-2)...;
    CPU ms go to CPU[id(result)]."""
    for i in range(warmups):
        fn(-1 - i)
    samples, cpu = [], []
    for i in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    CPU[id(samples)] = cpu
    return samples
