"""The web server `balai serve` starts, against the sync gunicorn it replaced.

For each server: throughput and latency of a page (the portal home) from 4
keep-alive clients, then a normal client's latency while slow clients hold
connections (slowloris headers that never end, plus uploads trickling in),
all on loopback with 2 worker processes. docs/server.md explains the choice.

.venv/bin/python benchmarks/bench_server.py
"""

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import free_port, http_load, p95, stamp

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
PAGE = "/"
SLOW_HEADERS = 50
SLOW_UPLOADS = 4
SERVERS = {
    "gunicorn sync, WSGI (before)": ["balai.wsgi:application"],
    "gunicorn + uvicorn worker, ASGI (now)": [
        "balai.asgi:application",
        "--worker-class",
        "balai.core.web.Worker",
    ],
    "gunicorn native asgi worker, ASGI": ["balai.asgi:application", "--worker-class", "asgi"],
}


def prepare() -> dict[str, str]:
    data = tempfile.mkdtemp(prefix="balai-bench-server-")
    env = {
        **os.environ,
        "BALAI_DATA_DIR": data,
        "DATABASE_URL": f"sqlite:///{data}/balai.sqlite3",
        "BALAI_ALLOWED_HOSTS": "127.0.0.1",
        "BALAI_REDIS_URL": "",
    }
    balai = [sys.executable, "-m", "balai"]
    subprocess.run([*balai, "setup-demo"], env=env, check=True, capture_output=True, cwd=ROOT)
    return env


def start(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            *args,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz", 5)[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"{args[0]} did not start")


def get(port: int, path: str, timeout: float) -> tuple[int, float]:
    """(status, seconds) of one request on a new connection, as a new visitor makes."""
    begin = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        head = s.recv(64)
        while s.recv(65536):
            pass
    return int(head.split()[1]), time.perf_counter() - begin


def slow_clients(port: int) -> list[socket.socket]:
    held = []
    for _ in range(SLOW_HEADERS):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
        held.append(s)
    for _ in range(SLOW_UPLOADS):  # two 1 MB photos, of which 1 KB has arrived
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(
            b"POST /aduan/lapor/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 2100000\r\n\r\n"
            + b"x"
            * 1024
        )
        held.append(s)
    return held


def under_slow_clients(port: int, n: int = 5, timeout: float = 35) -> list[float]:
    held = slow_clients(port)
    time.sleep(1)
    latencies = []
    try:
        for _ in range(n):
            try:
                status, seconds = get(port, PAGE, timeout)
                latencies.append(seconds if status == 200 else float("inf"))
            except OSError:
                latencies.append(float("inf"))  # no answer within the timeout
            for s in held:
                with contextlib.suppress(OSError):
                    s.sendall(b"x")  # still trickling
    finally:
        for s in held:
            s.close()
    return latencies


def main() -> None:
    env = prepare()
    load = os.getloadavg()[0]
    print(f"{stamp()}, load average {load:.1f}, {WORKERS} workers each, page {PAGE}")
    print(
        "| server | req/s (4 clients, 15 s) | p50 ms | p95 ms |"
        " normal client with 54 slow ones: p50 / max s |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, args in SERVERS.items():
        port = free_port()
        server = start(args, env, port)
        try:
            for _ in range(20):
                get(port, PAGE, 10)  # warm up
            count, seconds, latencies = http_load(
                port, lambda w, n: ("GET", PAGE, None, {}), clients=4, seconds=15, cap=100_000
            )
            slow = under_slow_clients(port)
        finally:
            server.terminate()
            server.wait(timeout=30)
        median = statistics.median(latencies) * 1000
        worst = max(slow)
        slow_text = (
            f"{statistics.median(slow):.2f} / {worst:.2f}"
            if worst != float("inf")
            else f"{sum(x == float('inf') for x in slow)} of {len(slow)} unanswered in 35 s"
        )
        print(
            f"| {name} | {count / seconds:.0f} | {median:.0f} | {p95(latencies) * 1000:.0f} |"
            f" {slow_text} |",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
