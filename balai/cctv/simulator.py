"""Simulated cameras on loopback: the peers the probes talk to in the demo,
the tests and the benchmark.

One HTTP server answers snapshots and ONVIF for any number of cameras; what a
camera does is in its URL, so thousands of cameras can share one port:

- `/snapshot/<kind>/<name>.jpg`: `moving` (a clock that ticks every second),
  `frozen`, `blank`, `garbage` (a broken JPEG), `notimage` (an HTML page),
  `huge` (says 2 GB and streams without end), `endless` (chunked, without end),
  `trickle` (one byte a second), `error` (HTTP 500), `empty` (200 and no body,
  as go2rtc does for a camera that is off).
- `/secure/snapshot/<kind>/<name>.jpg`: the same behind Basic auth with
  `USERNAME`/`PASSWORD`.
- `/onvif/<skew>/device_service`: ONVIF GetSystemDateAndTime answering a
  clock `skew` seconds off (an integer, may be negative). Works without
  credentials, like real cameras.

Besides it, a "silent" port accepts connections and never answers, a
"refusing" port is bound but not listening, so connecting is refused, and a
"garbage" port answers anything with bytes of no protocol.

Pure Python (aiohttp and Pillow), no Django: `python -m balai.cctv.simulator`
or `balai simulate-cameras` runs the demo cameras (`DEMO_CAMERAS`).
"""

import argparse
import asyncio
import base64
import contextlib
import functools
import io
import socket
import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from aiohttp import web
from PIL import Image, ImageDraw, ImageFont

HOST = "127.0.0.1"
DEFAULT_BASE_PORT = 8554
USERNAME = "admin"
PASSWORD = "kamera-demo"  # noqa: S105 - a demo camera's password, on loopback only
FRAME_SIZE = (640, 360)
HUGE_BYTES = 2 * 1024**3


@functools.lru_cache(maxsize=16)
def frame(label: str, second: int) -> bytes:
    """A JPEG with a label, a clock and a block that moves every second."""
    image = Image.new("RGB", FRAME_SIZE, (40, 90, 60))
    draw = ImageDraw.Draw(image)
    width, height = FRAME_SIZE
    x = (second * 37) % (width - 80)
    draw.rectangle((x, height // 2 - 40, x + 80, height // 2 + 40), fill=(220, 200, 60))
    stamp = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%d %H:%M:%S")
    draw.text((16, 12), stamp, fill="white", font=ImageFont.load_default(28))
    draw.text((16, height - 44), label, fill="white", font=ImageFont.load_default(24))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


@functools.cache
def blank_frame() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", FRAME_SIZE, (12, 12, 12)).save(out, "JPEG", quality=80)
    return out.getvalue()


def onvif_answer(now: datetime) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"
    xmlns:tds="http://www.onvif.org/ver10/device/wsdl"
    xmlns:tt="http://www.onvif.org/ver10/schema">
<SOAP-ENV:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>
<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>
<tt:TimeZone><tt:TZ>WIB-7</tt:TZ></tt:TimeZone>
<tt:UTCDateTime><tt:Time><tt:Hour>{now.hour}</tt:Hour><tt:Minute>{now.minute}</tt:Minute>
<tt:Second>{now.second}</tt:Second></tt:Time><tt:Date><tt:Year>{now.year}</tt:Year>
<tt:Month>{now.month}</tt:Month><tt:Day>{now.day}</tt:Day></tt:Date></tt:UTCDateTime>
</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""


# Bytes the endless snapshots wrote, by kind: tests check that a probe stopped early.
SENT: dict[str, int] = {"huge": 0, "endless": 0}


async def _endless(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    kind = request.match_info["kind"]
    await response.prepare(request)
    chunk = b"\xff" * 65536
    while True:  # ends when the client goes away
        await response.write(chunk)
        SENT[kind] += len(chunk)


async def _streamed(request: web.Request, kind: str, name: str, now: int) -> web.StreamResponse:
    """Snapshots that never finish, or finish one byte a second."""
    jpeg = {"Content-Type": "image/jpeg"}
    if kind == "huge":
        return await _endless(
            request, web.StreamResponse(headers={**jpeg, "Content-Length": str(HUGE_BYTES)})
        )
    if kind == "endless":
        return await _endless(request, web.StreamResponse(headers=jpeg))
    response = web.StreamResponse(headers=jpeg)
    await response.prepare(request)
    for byte in frame(name, now):
        await response.write(bytes([byte]))
        await asyncio.sleep(1)
    return response


async def snapshot(request: web.Request) -> web.StreamResponse:
    kind, name = request.match_info["kind"], request.match_info["name"]
    now = int(datetime.now(UTC).timestamp())
    jpeg = {"Content-Type": "image/jpeg"}
    if kind == "moving":
        return web.Response(body=frame(name, now), headers=jpeg)
    if kind == "frozen":
        return web.Response(body=frame(name, 1_700_000_000), headers=jpeg)
    if kind == "blank":
        return web.Response(body=blank_frame(), headers=jpeg)
    if kind == "garbage":
        return web.Response(body=frame(name, now)[:200] + b"\x00garbage" * 64, headers=jpeg)
    if kind == "notimage":
        return web.Response(text="<html><body>Login</body></html>", content_type="text/html")
    if kind in ("huge", "endless", "trickle"):
        return await _streamed(request, kind, name, now)
    if kind == "error":
        return web.Response(status=500, text="Internal Server Error")
    if kind == "empty":
        return web.Response(body=b"", headers=jpeg)
    raise web.HTTPNotFound()


async def secure_snapshot(request: web.Request) -> web.StreamResponse:
    expected = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    if request.headers.get("Authorization") != expected:
        raise web.HTTPUnauthorized(headers={"WWW-Authenticate": 'Basic realm="camera"'})
    return await snapshot(request)


async def onvif(request: web.Request) -> web.Response:
    body = await request.read()
    if b"GetSystemDateAndTime" not in body:
        raise web.HTTPBadRequest()
    skew = int(request.match_info.get("skew", 0))
    now = datetime.now(UTC) + timedelta(seconds=skew)
    return web.Response(text=onvif_answer(now), content_type="application/soap+xml")


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/snapshot/{kind}/{name}.jpg", snapshot)
    app.router.add_get("/secure/snapshot/{kind}/{name}.jpg", secure_snapshot)
    app.router.add_post(r"/onvif/{skew:-?\d+}/device_service", onvif)
    app.router.add_post("/onvif/device_service", onvif)  # the standard path, a correct clock
    return app


async def _hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Accept and never answer: read until the client gives up."""
    try:
        while await reader.read(65536):
            pass
    finally:
        writer.close()


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answer anything with bytes of no protocol, then hang up."""
    writer.write(b"\x00\xff\x13garbage, not a protocol\r\n" * 64)
    await writer.drain()
    writer.close()


def refusing_socket(port: int = 0) -> socket.socket:
    """A port bound but not listening: connections to it are refused, and no
    other program takes it while the socket is open."""
    sock = socket.socket()
    sock.bind((HOST, port))
    return sock


@dataclass
class Ports:
    http: int
    silent: int
    refusing: int
    garbage: int


@dataclass
class Simulator:
    """The simulated cameras' servers on one event loop of their own thread."""

    base_port: int = 0  # 0: any free ports
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False)  # HTTPS when given
    ports: Ports | None = None
    _loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _stop: asyncio.Event | None = field(default=None, repr=False)

    async def run(self, started: threading.Event | None = None) -> None:
        self._stop = asyncio.Event()
        base = self.base_port
        runner = web.AppRunner(make_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, HOST, base, backlog=1024, ssl_context=self.ssl_context)
        await site.start()
        http_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        silent = await asyncio.start_server(_hold, HOST, base + 1 if base else 0, backlog=1024)
        refusing = refusing_socket(base + 2 if base else 0)
        garbage = await asyncio.start_server(_garbage, HOST, base + 3 if base else 0)
        self.ports = Ports(
            http_port,
            silent.sockets[0].getsockname()[1],
            refusing.getsockname()[1],
            garbage.sockets[0].getsockname()[1],
        )
        if started:
            started.set()
        try:
            await self._stop.wait()
        finally:
            silent.close()
            garbage.close()
            refusing.close()
            await runner.cleanup()

    def start(self) -> "Simulator":
        started = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_until_complete, args=(self.run(started),), daemon=True
        )
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the camera simulator did not start")
        return self

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread:
            self._thread.join(10)

    def __enter__(self) -> "Simulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True)
class SimulatedCamera:
    """One demo camera as the cctv app registers it, and what a probe should find."""

    name: str
    snapshot_url: str
    onvif_url: str
    expected: str  # "up", "degraded" or "down"
    expected_problem: str | None  # a probing.Problem value, or None when all is well
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def demo_cameras(base_port: int = DEFAULT_BASE_PORT) -> list[SimulatedCamera]:
    http = f"http://{HOST}:{base_port}"
    refused = f"http://{HOST}:{base_port + 2}"
    ok = f"{http}/onvif/0/device_service"

    def cam(name: str, kind: str, expected: str, problem: str | None, **kw: str) -> SimulatedCamera:
        snap = f"{http}/secure/snapshot/{kind}/{name}.jpg"
        return SimulatedCamera(name, snap, kw.pop("onvif", ok), expected, problem, **kw)

    secret = {"username": USERNAME, "password": PASSWORD}
    return [
        cam("balai-desa", "moving", "up", None, **secret),
        cam("pasar", "moving", "up", None, **secret),
        cam("jembatan", "moving", "up", None, **secret),
        cam("simpang-tiga", "frozen", "degraded", "frozen", **secret),
        cam("pos-ronda", "moving", "degraded", "auth_failed", username=USERNAME, password="salah"),  # noqa: S106
        cam("lereng-semeru", "moving", "degraded", "clock_drift",
            onvif=f"{http}/onvif/5400/device_service", **secret),
        SimulatedCamera(
            "sawah", f"{refused}/snapshot/moving/sawah.jpg", f"{refused}/onvif/0/device_service",
            "down", "unreachable", USERNAME, PASSWORD,
        ),
    ]  # fmt: skip


DEMO_CAMERAS = demo_cameras()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run simulated cameras on loopback.")
    parser.add_argument("--base-port", type=int, default=DEFAULT_BASE_PORT, help="0: any free")
    args = parser.parse_args(argv)
    simulator = Simulator(args.base_port).start()
    assert simulator.ports
    ports = simulator.ports
    # The first line tells a parent process (the benchmark) where to connect.
    print(f"READY {ports.http} {ports.silent} {ports.refusing} {ports.garbage}", flush=True)
    print(
        f"Simulated cameras on {HOST}:{ports.http} (silent {ports.silent}, refusing "
        f"{ports.refusing}, garbage {ports.garbage}); Ctrl-C stops."
    )
    for camera in demo_cameras(ports.http):
        print(f"  {camera.name:14} {camera.expected:9} {camera.snapshot_url}")
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()
    simulator.stop()


if __name__ == "__main__":
    main()
