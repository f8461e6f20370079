"""The probe engine: one asyncio loop, a concurrency limit, cheapest check first.

Each check runs under its own timeout and turns every failure into a
`Problem`; a camera found down skips the later checks. Details name status
codes and error kinds only, never URLs or credentials.
"""

import asyncio
import concurrent.futures
import contextlib
import errno
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import aiohttp
import uvloop
from defusedxml import ElementTree

from . import rtsp, snapshots
from .results import DEFAULT_LIMITS, Check, Limits, Problem, Result, Target

DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}
MAX_SOAP_BYTES = 65536
MAX_HEALTH_BYTES = 65536
ONVIF_REQUEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>
<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>
</s:Body></s:Envelope>"""
ONVIF_HEADERS = {"Content-Type": "application/soap+xml; charset=utf-8"}


class Failed(Exception):
    """A check found a problem; `detail` is safe to show to staff."""

    def __init__(self, problem: Problem, detail: str) -> None:
        super().__init__(problem, detail)
        self.problem, self.detail = problem, detail


def _connection_failure(check: Check, exc: BaseException) -> Failed:
    """Name a network failure without its message (it may carry an address)."""
    if isinstance(exc, TimeoutError):
        return Failed(Problem.TIMEOUT, f"{check}: tidak menjawab dalam batas waktu")
    code = getattr(exc, "errno", None) or getattr(getattr(exc, "os_error", None), "errno", None)
    reason = errno.errorcode.get(code, type(exc).__name__) if code else type(exc).__name__
    return Failed(Problem.UNREACHABLE, f"{check}: {reason}")


def endpoint(target: Target) -> tuple[str | None, int | None]:
    """The host and port for the TCP check: given, or from the first URL."""
    if target.host and target.port:
        return target.host, target.port
    for url in (
        target.rtsp_url,
        target.onvif_url,
        target.snapshot_url,
        target.hls_url,
        target.health_url,
    ):
        if url:
            parts = urlsplit(url)
            try:
                port = parts.port or DEFAULT_PORTS.get(parts.scheme)
            except ValueError:
                return target.host, target.port
            return target.host or parts.hostname, target.port or port
    return target.host, target.port


async def check_tcp(target: Target, limits: Limits, session: aiohttp.ClientSession) -> None:
    host, port = endpoint(target)
    if not host or not port:
        return
    try:
        async with asyncio.timeout(limits.connect_timeout):
            _, writer = await asyncio.open_connection(host, port)
    except TimeoutError:
        raise Failed(Problem.UNREACHABLE, "tcp: tidak tersambung dalam batas waktu") from None
    except OSError as exc:
        raise _connection_failure(Check.TCP, exc) from None
    writer.close()


async def check_rtsp(target: Target, limits: Limits, session: aiohttp.ClientSession) -> None:
    assert target.rtsp_url
    client = rtsp.Client(target.rtsp_url, target.username, target.password)
    try:
        async with asyncio.timeout(limits.rtsp_timeout), client:
            options = await client.request("OPTIONS")
            if options.status in (401, 403):
                raise Failed(Problem.AUTH_FAILED, f"rtsp: OPTIONS {options.status}")
            describe = await client.request("DESCRIBE", {"Accept": "application/sdp"})
    except (OSError, TimeoutError) as exc:
        raise _connection_failure(Check.RTSP, exc) from None
    except rtsp.RTSPProtocolError as exc:
        raise Failed(Problem.PROTOCOL_ERROR, f"rtsp: {exc}") from None
    if describe.status in (401, 403):
        raise Failed(Problem.AUTH_FAILED, f"rtsp: DESCRIBE {describe.status}")
    if describe.status != 200:
        raise Failed(Problem.NO_STREAM, f"rtsp: DESCRIBE {describe.status}")
    if b"m=video" not in describe.body:
        raise Failed(Problem.NO_STREAM, "rtsp: SDP tanpa video")


async def check_stream_sample(
    target: Target, limits: Limits, session: aiohttp.ClientSession, result: Result
) -> None:
    """A few seconds of the RTSP stream: frames per second and bitrate."""
    assert target.rtsp_url
    client = rtsp.Client(target.rtsp_url, target.username, target.password)
    try:
        async with asyncio.timeout(limits.rtsp_timeout + limits.stream_seconds), client:
            describe = await client.request("DESCRIBE", {"Accept": "application/sdp"})
            if describe.status != 200:
                raise Failed(Problem.NO_STREAM, f"stream: DESCRIBE {describe.status}")
            sample = await client.sample(describe, limits.stream_seconds)
    except (OSError, TimeoutError) as exc:
        raise _connection_failure(Check.STREAM, exc) from None
    except (rtsp.RTSPProtocolError, asyncio.IncompleteReadError) as exc:
        raise Failed(Problem.NO_STREAM, f"stream: {type(exc).__name__}") from None
    result.fps, result.kbps = round(sample.fps, 1), round(sample.kbps)
    result.detail = _join(result.detail, f"stream: {result.fps} fps, {result.kbps} kbit/s")
    if sample.fps < limits.min_fps:
        raise Failed(Problem.LOW_FPS, f"stream: {result.fps} fps < {limits.min_fps}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_system_date_and_time(body: bytes) -> datetime:
    """The camera's UTC clock from a GetSystemDateAndTime answer."""
    root = ElementTree.fromstring(body)
    utc = next((e for e in root.iter() if _local(e.tag) == "UTCDateTime"), None)
    if utc is None:
        raise ValueError("no UTCDateTime")
    values = {_local(e.tag): int((e.text or "").strip()) for e in utc.iter() if len(e) == 0}
    return datetime(
        values["Year"],
        values["Month"],
        values["Day"],
        values["Hour"],
        values["Minute"],
        values["Second"],
        tzinfo=UTC,
    )


@contextlib.contextmanager
def _http_failures(check: Check) -> Iterator[None]:
    """Turn an HTTP client's failures into problems."""
    try:
        yield
    except aiohttp.ClientSSLError:
        # Reached, but its certificate is not trusted (often self-signed).
        raise Failed(Problem.PROTOCOL_ERROR, f"{check}: sertifikat TLS tidak dipercaya") from None
    except (aiohttp.ClientConnectionError, OSError, TimeoutError) as exc:
        raise _connection_failure(check, exc) from None
    except aiohttp.ClientError as exc:
        raise Failed(Problem.PROTOCOL_ERROR, f"{check}: {type(exc).__name__}") from None


async def _read_bounded(response: aiohttp.ClientResponse, limit: int) -> bytes | None:
    """At most `limit` bytes of the body; None when the body is longer."""
    if response.content_length is not None and response.content_length > limit:
        return None
    data = bytearray()
    async for chunk in response.content.iter_chunked(65536):
        data += chunk
        if len(data) > limit:
            return None
    return bytes(data)


async def check_onvif(
    target: Target, limits: Limits, session: aiohttp.ClientSession, result: Result
) -> None:
    assert target.onvif_url
    with _http_failures(Check.ONVIF):
        async with asyncio.timeout(limits.onvif_timeout):
            async with session.post(
                target.onvif_url, data=ONVIF_REQUEST, headers=ONVIF_HEADERS
            ) as response:
                body = await _read_bounded(response, MAX_SOAP_BYTES)
                status = response.status
            now = datetime.now(UTC)
    if status in (401, 403):
        result.detail = _join(result.detail, f"onvif: {status}, jam tidak diperiksa")
        return
    if status != 200 or body is None:
        raise Failed(Problem.PROTOCOL_ERROR, f"onvif: HTTP {status}")
    try:
        camera_time = parse_system_date_and_time(body)
    except (ValueError, KeyError, ElementTree.ParseError, TypeError) as exc:
        raise Failed(Problem.PROTOCOL_ERROR, f"onvif: {type(exc).__name__}") from None
    result.clock_drift = (camera_time - now.replace(microsecond=0)).total_seconds()
    if abs(result.clock_drift) > limits.max_clock_drift:
        raise Failed(Problem.CLOCK_DRIFT, f"onvif: jam meleset {result.clock_drift:+.0f} detik")


async def _get(session: aiohttp.ClientSession, url: str, target: Target) -> aiohttp.ClientResponse:
    """GET with the camera's credentials: Digest when challenged, else Basic."""
    if target.username is None:
        return await session.get(url)
    digest = aiohttp.DigestAuthMiddleware(target.username, target.password or "")
    response = await session.get(url, middlewares=(digest,))
    challenge = response.headers.get("WWW-Authenticate", "")
    if response.status == 401 and challenge.lower().startswith("basic"):
        response.release()
        basic = aiohttp.encode_basic_auth(target.username, target.password or "")
        response = await session.get(url, headers={"Authorization": basic})
    return response


async def check_snapshot(
    target: Target, limits: Limits, session: aiohttp.ClientSession, result: Result
) -> None:
    assert target.snapshot_url
    with _http_failures(Check.SNAPSHOT):
        async with asyncio.timeout(limits.snapshot_timeout):
            response = await _get(session, target.snapshot_url, target)
            async with response:
                status = response.status
                body = await _read_bounded(response, limits.max_snapshot_bytes)
    if status in (401, 403):
        raise Failed(Problem.AUTH_FAILED, f"snapshot: HTTP {status}")
    if status == 404:
        raise Failed(Problem.NO_STREAM, "snapshot: HTTP 404")
    if status != 200:
        raise Failed(Problem.HTTP_ERROR, f"snapshot: HTTP {status}")
    if body is None:
        raise Failed(Problem.TOO_LARGE, f"snapshot: lebih dari {limits.max_snapshot_bytes} byte")
    try:
        image = await asyncio.to_thread(snapshots.inspect, body, limits.max_snapshot_pixels)
    except snapshots.SnapshotError as exc:
        raise Failed(exc.problem, f"snapshot: {exc.detail}") from None
    result.fingerprint, result.snapshot = image.fingerprint, image.thumbnail
    if image.blank:
        raise Failed(Problem.BLANK, "snapshot: gambar satu warna")
    if snapshots.same(image.fingerprint, target.previous_fingerprint):
        raise Failed(Problem.FROZEN, "snapshot: sama dengan sebelumnya")


async def _check_http(
    check: Check, url: str, session: aiohttp.ClientSession, timeout: float
) -> bytes:
    with _http_failures(check):
        async with asyncio.timeout(timeout), session.get(url) as response:
            status = response.status
            body = await response.content.read(MAX_HEALTH_BYTES)
    if status == 404 and check == Check.STREAM:
        raise Failed(Problem.NO_STREAM, f"{check}: HTTP 404")
    if status >= 400:
        raise Failed(Problem.HTTP_ERROR, f"{check}: HTTP {status}")
    return body


async def check_hls(target: Target, limits: Limits, session: aiohttp.ClientSession) -> None:
    assert target.hls_url
    body = await _check_http(Check.STREAM, target.hls_url, session, limits.snapshot_timeout)
    if not body.lstrip().startswith(b"#EXTM3U"):
        raise Failed(Problem.NO_STREAM, "stream: bukan playlist HLS")


async def check_health(target: Target, limits: Limits, session: aiohttp.ClientSession) -> None:
    assert target.health_url
    await _check_http(Check.HTTP, target.health_url, session, limits.snapshot_timeout)


def _join(detail: str, more: str) -> str:
    return f"{detail}; {more}" if detail else more


def _plan(
    target: Target, limits: Limits
) -> list[tuple[Check, Callable[..., Awaitable[None]], bool]]:
    """The checks that apply, cheapest first; True where the check fills `result`."""
    plan: list[tuple[Check, Callable[..., Awaitable[None]], bool]] = [(Check.TCP, check_tcp, False)]
    if target.rtsp_url:
        plan.append((Check.RTSP, check_rtsp, False))
        if limits.stream_seconds > 0:
            plan.append((Check.STREAM, check_stream_sample, True))
    if target.onvif_url:
        plan.append((Check.ONVIF, check_onvif, True))
    if target.snapshot_url:
        plan.append((Check.SNAPSHOT, check_snapshot, True))
    if target.hls_url:
        plan.append((Check.STREAM, check_hls, False))
    if target.health_url:
        plan.append((Check.HTTP, check_health, False))
    return plan


def new_session(limits: Limits) -> aiohttp.ClientSession:
    """One HTTP client for a round: no pooling across cameras, no decompression
    (a gzip bomb stays a small body), only our own timeouts."""
    connector = aiohttp.TCPConnector(limit=0, force_close=True, ttl_dns_cache=300)
    return aiohttp.ClientSession(
        connector=connector,
        auto_decompress=False,
        timeout=aiohttp.ClientTimeout(total=None),
        headers={"User-Agent": "Balai"},
    )


async def _probe(target: Target, limits: Limits, session: aiohttp.ClientSession) -> Result:
    result = Result(key=target.key, checked_at=datetime.now(UTC))
    for check, run, fills in _plan(target, limits):
        started = time.perf_counter()
        try:
            await (run(target, limits, session, result) if fills else run(target, limits, session))
        except Failed as failure:
            result.problems.append(failure.problem)
            result.detail = _join(result.detail, failure.detail)
        except Exception as exc:  # one camera's surprise never stops the round
            result.problems.append(Problem.PROTOCOL_ERROR)
            result.detail = _join(result.detail, f"{check}: {type(exc).__name__}")
        finally:
            spent = time.perf_counter() - started
            result.durations[check] = result.durations.get(check, 0.0) + spent
        if result.down:
            break
    return result


async def probe(target: Target, limits: Limits = DEFAULT_LIMITS) -> Result:
    """Probe one camera or service."""
    async with new_session(limits) as session:
        return await _probe(target, limits, session)


async def probe_all(
    targets: Iterable[Target],
    limits: Limits = DEFAULT_LIMITS,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Probe many targets at once, at most `limits.concurrency` at a time;
    results in the order of the targets, `on_result` called as each ends."""
    semaphore = asyncio.Semaphore(limits.concurrency)

    async def one(target: Target) -> Result:
        async with semaphore:
            result = await _probe(target, limits, session)
        if on_result:
            on_result(result)
        return result

    async with new_session(limits) as session:
        return list(await asyncio.gather(*(one(t) for t in targets)))


def run_round(
    targets: Iterable[Target],
    limits: Limits = DEFAULT_LIMITS,
    on_result: Callable[[Result], None] | None = None,
    loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop,
) -> list[Result]:
    """One probe round from synchronous code (a command or a task), on uvloop:
    the round spends its CPU in the event loop (benchmarks/RESULTS.md)."""

    def run() -> list[Result]:
        with asyncio.Runner(loop_factory=loop_factory) as runner:
            return runner.run(probe_all(targets, limits, on_result))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    # This thread already runs a loop (an async caller, Playwright's sync API):
    # the round gets a thread and a loop of its own.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()
