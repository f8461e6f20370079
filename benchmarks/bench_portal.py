"""Village pages (issue 6): page weight, time on a slow link, and cached latency.

Targets: at most 30 KB compressed on first load (HTML + CSS, gzip), usable
on 400 kbit/s with 400 ms round trips, p95 under 20 ms when cached.

- Weight: the demo village page (profile, announcements, services) and its
  stylesheet as served by gunicorn, each gzipped (level 6, what a proxy or
  WhiteNoise sends).
- Slow link: a model of the first visit over a new HTTPS connection: TCP
  and TLS 1.3 handshakes (one round trip each), the HTML request, then the
  CSS request (render-blocking), each body limited by TCP slow start
  (initial window 10 x 1460 B, doubling per round trip) and by 400 kbit/s.
- Latency: gunicorn (2 sync workers) on loopback, SQLite and the database
  cache; a second process sends requests with a fixed concurrency of 2.
  Baseline in the same run: /healthz (the cheapest view). The uncached figure
  drops the page cache before each request.
"""

import json
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import p95, setup_django, stamp

REQUESTS = 1000
CONCURRENCY = 2
LINK_BITS_PER_S = 400_000
RTT_S = 0.400
INIT_WINDOW = 10 * 1460


def client(url: str, count: int, concurrency: int) -> None:
    """Run in a separate process: fetch `url` count times, print latencies (ms) as JSON."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_thread = count // concurrency

    def work():
        mine = []
        for _ in range(per_thread):
            start = time.perf_counter()
            with urllib.request.urlopen(url) as response:  # noqa: S310 - loopback URL we built
                response.read()
                assert response.status == 200
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(latencies))


def transfer_time(size: int) -> tuple[float, int]:
    """Seconds to receive `size` bytes after the request leaves, and slow-start rounds."""
    rounds, window, sent = 0, INIT_WINDOW, 0
    while sent < size:
        sent += window
        window *= 2
        rounds += 1
    return RTT_S * rounds + size * 8 / LINK_BITS_PER_S, rounds


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:  # noqa: S310 - loopback URL we built
        return response.read()


def wait_until_up(base: str) -> None:
    for _ in range(100):
        try:
            fetch(base + "/healthz")
            return
        except OSError:
            time.sleep(0.1)


def measure(url: str) -> list[float]:
    out = subprocess.run(
        [sys.executable, __file__, "--client", url, str(REQUESTS), str(CONCURRENCY)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    import gzip
    import os
    import re
    import socket
    import statistics

    data_dir = setup_django()
    from django.core.management import call_command

    from balai.complaints.demo import seed as seed_complaints
    from balai.core.demo import seed as seed_core
    from balai.letters.actions import enable_types
    from balai.letters.models import LetterType
    from balai.portal.demo import seed as seed_portal
    from balai.portal.models import Announcement
    from balai.regions.loading import load_regions

    class Quiet:
        def write(self, *_):
            pass

    load_regions()
    seed_core(Quiet())
    seed_complaints(Quiet())
    seed_portal(Quiet())
    call_command("collectstatic", interactive=False, verbosity=0)
    from balai.regions.demo import demo_villages

    village = demo_villages()[0]
    # Every letter of the regency catalogue switched on: the longest services list.
    enable_types(village, list(LetterType.objects.values_list("code", flat=True)))
    # A busy village: four current announcements of realistic length.
    for n in range(3):
        Announcement.objects.create(
            village=village,
            title=f"Jadwal pelayanan minggu ke-{n + 1}",
            body=(
                "Pelayanan surat tetap buka pada jam biasa. Warga yang membutuhkan surat "
                "pengantar SKCK, domisili atau SKTM dapat mengajukan lewat halaman ini dan "
                "mengambilnya di balai desa. Informasi: https://lumajangkab.go.id\n\n"
            )
            * 2,
        )

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "BALAI_DATA_DIR": data_dir, "BALAI_LOG_LEVEL": "ERROR"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "balai.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    page_url = f"{base}/desa/{village.code}/"
    try:
        wait_until_up(base)
        html = fetch(page_url)
        link = re.search(rb'<link rel="stylesheet" href="([^"]+)"', html)
        assert link, "the page links no stylesheet"
        css_path = link.group(1).decode()
        css = fetch(base + css_path)
        html_gz, css_gz = len(gzip.compress(html, 6)), len(gzip.compress(css, 6))
        total_gz = html_gz + css_gz

        for _ in range(50):  # warm both workers and the page cache
            fetch(page_url)
        baseline = measure(base + "/healthz")
        cached = measure(page_url)
        uncached = []
        from balai.portal import pages

        for _ in range(200):
            pages.forget(village.code)
            start = time.perf_counter()
            fetch(page_url)
            uncached.append((time.perf_counter() - start) * 1000)
    finally:
        server.terminate()
        server.wait(timeout=10)

    # CPU time per request in this process (Django's test client, no network):
    # what the page costs the server, little affected by other load on the machine.
    from django.test import Client

    browser = Client(HTTP_HOST="127.0.0.1")
    path = page_url.removeprefix(base)

    def cpu_ms(drop_cache: bool, n: int = 300) -> float:
        spent = []
        for _ in range(n):
            if drop_cache:
                pages.forget(village.code)
            start = time.process_time()
            browser.get(path)
            spent.append((time.process_time() - start) * 1000)
        return statistics.median(spent)

    browser.get(path)
    cpu_cached, cpu_uncached = cpu_ms(False), cpu_ms(True)
    start = time.process_time()
    for _ in range(300):
        browser.get("/healthz")
    cpu_baseline = (time.process_time() - start) * 1000 / 300
    load = os.getloadavg()[0]

    connect = 2 * RTT_S  # TCP + TLS 1.3
    from balai.portal.services import letter_services

    services = letter_services(village)
    html_time, html_rounds = transfer_time(html_gz)
    css_time, _ = transfer_time(css_gz)
    first_render = connect + html_time + css_time

    def describe(samples: list[float]) -> str:
        return f"median {statistics.median(samples):.1f} ms, p95 {p95(samples):.1f} ms"

    print(f"village page, {stamp()}")
    print(
        f"  page: {page_url.removeprefix(base)} (profile, 4 announcements, "
        f"{len(services)} letter services, complaint form)"
    )
    print(f"  HTML: {len(html):,} B raw, {html_gz:,} B gzip")
    print(f"  CSS:  {len(css):,} B raw, {css_gz:,} B gzip")
    print(f"  first load compressed: {total_gz / 1024:.1f} KB (target <= 30 KB)")
    print(
        f"  400 kbit/s, 400 ms RTT: HTML in {connect + html_time:.2f} s "
        f"({html_rounds} round(s) of slow start), styled page in {first_render:.2f} s"
    )
    print(f"  gunicorn 2 workers, concurrency {CONCURRENCY}, {REQUESTS} requests each:")
    print(f"    /healthz (baseline):    {describe(baseline)}")
    print(f"    village page, cached:   {describe(cached)}  (target p95 < 20 ms)")
    print(f"    village page, uncached: {describe(uncached)} (sequential, cache dropped)")
    ratio = statistics.median(cached) / statistics.median(baseline)
    print(f"    cached page / baseline: {ratio:.1f}x  (load average at the end: {load:.1f})")
    print("  CPU time per request, in process (median):")
    print(f"    /healthz {cpu_baseline:.2f} ms, village page cached {cpu_cached:.2f} ms,")
    print(f"    village page uncached {cpu_uncached:.2f} ms")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
