"""Issue 11's measurement in a real browser: residents send reports with two ~1 MB
phone photos over an emulated 150 kbit/s, 400 ms link (Chrome DevTools protocol),
two at once, while another visitor opens the home page every half second.

Against the server `balai serve` starts (gunicorn + uvicorn workers, 2 workers),
on a demo database, port 8106 (or the one given). Three runs: the photos made
smaller by the page's script (what a phone with JavaScript sends), the
originals (JavaScript off), and, for contrast, the originals against gunicorn's
sync workers that `balai serve` used before. balai/complaints/tests/
test_browser_slow_link.py checks the same journey completes; this times it.

.venv/bin/python benchmarks/bench_slow_uploads.py [PORT]
"""

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from balai.complaints.tests.phone import fill_report, phone_photo, send_report, slow_link
from balai.core.tests.browser import LAUNCH_ARGS, VIEWPORT, chromium_path
from benchmarks.bench_server import SERVERS, get, prepare, start
from benchmarks.common import stamp

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8106  # the port to serve on
PROBE_EVERY = 0.5


class Probe(threading.Thread):
    """Another visitor: the home page on a new connection every PROBE_EVERY seconds."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.stop = port, threading.Event()
        self.latencies: list[float] = []

    def run(self):
        while not self.stop.is_set():
            try:
                status, seconds = get(self.port, "/", 30)
                self.latencies.append(seconds if status == 200 else float("inf"))
            except OSError:
                self.latencies.append(float("inf"))
            self.stop.wait(PROBE_EVERY)


def uploads(browser, base: str, photos: list[Path], *, javascript: bool) -> list[float | None]:
    """Two residents send at once; seconds from pressing send to the tracking page each
    (None: no tracking page, e.g. an error page or a timeout)."""
    pages = []
    for n in range(2):
        context = browser.new_context(
            viewport=VIEWPORT,
            base_url=base,
            java_script_enabled=javascript,
            is_mobile=True,
            locale="id-ID",
        )
        context.set_default_timeout(300_000)
        page = context.new_page()
        fill_report(page, photos, f"Jalan berlubang, laporan {n + 1} dengan dua foto.")
        slow_link(page)
        pages.append(page)
    begun = []
    for page in pages:
        if javascript:
            send_report(page)
        else:
            page.get_by_role("button", name="Kirim aduan").click(no_wait_after=True)
        begun.append(time.perf_counter())
    taken: list[float | None] = [None, None]
    failed = [False, False]
    deadline = time.perf_counter() + 300
    while time.perf_counter() < deadline and not all(
        t is not None or f for t, f in zip(taken, failed, strict=True)
    ):
        pages[0].wait_for_timeout(250)  # lets Playwright take in both tabs' events
        for n, page in enumerate(pages):
            if taken[n] is None and "/aduan/lacak/" in page.url:
                taken[n] = time.perf_counter() - begun[n]
            elif not page.url.startswith("http"):
                failed[n] = True  # the browser's own error page: the upload was cut off
    for page in pages:
        page.context.close()
    return taken


def run(name: str, server_args: list[str], env, photos, browser, *, javascript: bool) -> str:
    server = start(server_args, env, PORT)
    try:
        for _ in range(5):
            get(PORT, "/", 10)  # warm up
        idle = [get(PORT, "/", 10)[1] for _ in range(10)]
        probe = Probe(PORT)
        probe.start()
        taken = uploads(browser, f"http://127.0.0.1:{PORT}", photos, javascript=javascript)
        probe.stop.set()
        probe.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    during = probe.latencies
    answered = [x for x in during if x != float("inf")]
    slow = sum(x >= 1 for x in during)
    uploads_text = ", ".join(f"{t:.0f} s" if t is not None else "failed" for t in taken)
    return (
        f"| {name} | {uploads_text} | {statistics.median(idle) * 1000:.0f} ms |"
        f" {statistics.median(answered) * 1000:.0f} ms / {max(during):.2f} s |"
        f" {slow} of {len(during)} |"
    )


def main() -> None:
    env = prepare()
    folder = Path(tempfile.mkdtemp(prefix="balai-phone-photos-"))
    photos = [phone_photo(folder / f"foto{n}.jpg", seed=n) for n in (1, 2)]
    sizes = " + ".join(f"{p.stat().st_size / 1e6:.2f} MB" for p in photos)
    print(f"{stamp()}, load average {os.getloadavg()[0]:.1f}; photos {sizes}, 3000x2250")
    print(
        "| server, photos | two uploads at once: send -> tracking page | home page alone (median)"
        " | home page during the uploads: median / worst | visits >= 1 s |"
    )
    print("| --- | --- | --- | --- | --- |")
    from playwright.sync_api import sync_playwright

    now = SERVERS["gunicorn + uvicorn worker, ASGI (now)"]
    before = SERVERS["gunicorn sync, WSGI (before)"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        try:
            runs = [
                ("balai serve, resized in the phone (JS)", now, True),
                ("balai serve, originals (no JS)", now, False),
                ("gunicorn sync (before), originals (no JS)", before, False),
            ]
            for name, args, javascript in runs:
                print(run(name, args, env, photos, browser, javascript=javascript), flush=True)
        finally:
            browser.close()
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
