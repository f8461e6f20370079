"""RTSP OPTIONS and DESCRIBE over asyncio streams, with Basic and Digest auth.

Two requests on one connection are all a health probe needs; see the app's
README ("Probe libraries") for why this is not aiortsp. Every read is bounded
(line length, header count, body size); the caller bounds the time.
"""

import asyncio
import base64
import hashlib
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_LINE = 8192
MAX_HEADERS = 64
MAX_BODY = 65536
DEFAULT_PORT = 554
_PARAM = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]+))')


class RTSPProtocolError(Exception):
    """The peer answered something that is not RTSP."""


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]  # names lower-cased, in order (WWW-Authenticate repeats)
    body: bytes

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key == name), None)

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name]


def _hash(algorithm: str, text: str) -> str:
    name = "sha256" if algorithm.upper().startswith("SHA-256") else "md5"
    return hashlib.new(name, text.encode(), usedforsecurity=False).hexdigest()


def authorization(
    challenges: list[str], method: str, uri: str, username: str, password: str, nc: int
) -> str | None:
    """The Authorization header answering a server's challenges (Digest preferred)."""
    for challenge in challenges:
        if challenge.lower().startswith("digest "):
            params = {m[0].lower(): m[1] or m[2] for m in _PARAM.findall(challenge[7:])}
            algorithm = params.get("algorithm", "MD5")
            realm, nonce = params.get("realm", ""), params.get("nonce", "")
            ha1 = _hash(algorithm, f"{username}:{realm}:{password}")
            ha2 = _hash(algorithm, f"{method}:{uri}")
            fields = {"username": username, "realm": realm, "nonce": nonce, "uri": uri}
            if "auth" in [q.strip() for q in params.get("qop", "").split(",")]:
                cnonce, count = os.urandom(8).hex(), f"{nc:08x}"
                digest = _hash(algorithm, f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
                fields |= {"qop": "auth", "nc": count, "cnonce": cnonce}
            else:
                digest = _hash(algorithm, f"{ha1}:{nonce}:{ha2}")
            fields |= {"response": digest, "algorithm": algorithm}
            if "opaque" in params:
                fields["opaque"] = params["opaque"]
            unquoted = {"qop", "nc", "algorithm"}
            return "Digest " + ", ".join(
                f"{k}={v}" if k in unquoted else f'{k}="{v}"' for k, v in fields.items()
            )
    for challenge in challenges:
        if challenge.lower().startswith("basic"):
            token = base64.b64encode(f"{username}:{password}".encode()).decode()
            return f"Basic {token}"
    return None


class Client:
    """One RTSP connection; `request` retries once with credentials on a 401."""

    def __init__(self, url: str, username: str | None, password: str | None) -> None:
        self.url = url
        self._username, self._password = username, password
        self._challenges: list[str] = []
        self._cseq = 0
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> "Client":
        parts = urlsplit(self.url)
        self._reader, self._writer = await asyncio.open_connection(
            parts.hostname, parts.port or DEFAULT_PORT, limit=MAX_LINE
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._writer:
            self._writer.close()

    async def request(
        self, method: str, headers: dict[str, str] | None = None, url: str | None = None
    ) -> Response:
        response = await self._send(method, headers or {}, url or self.url)
        if response.status == 401 and self._username is not None and not self._challenges:
            self._challenges = response.all("www-authenticate")
            if self._challenges:
                response = await self._send(method, headers or {}, url or self.url)
        return response

    async def _send(self, method: str, headers: dict[str, str], url: str) -> Response:
        assert self._reader and self._writer
        self._cseq += 1
        lines = [f"{method} {url} RTSP/1.0", f"CSeq: {self._cseq}", "User-Agent: Balai"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if self._challenges and self._username is not None:
            auth = authorization(
                self._challenges, method, url, self._username, self._password or "", self._cseq
            )
            if auth:
                lines.append(f"Authorization: {auth}")
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self._writer.drain()
        return await self._read()

    async def _line(self) -> str:
        assert self._reader
        try:
            raw = await self._reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:
            raise RTSPProtocolError("connection closed mid-answer") from exc
        except asyncio.LimitOverrunError as exc:
            raise RTSPProtocolError("line too long") from exc
        return raw.decode("latin-1").rstrip("\r\n")

    async def _read(self) -> Response:
        assert self._reader
        status_line = await self._line()
        match = re.fullmatch(r"RTSP/1\.\d (\d{3})(?: .*)?", status_line)
        if not match:
            raise RTSPProtocolError("not an RTSP status line")
        headers: list[tuple[str, str]] = []
        while line := await self._line():
            if len(headers) >= MAX_HEADERS or ":" not in line:
                raise RTSPProtocolError("bad or too many headers")
            name, value = line.split(":", 1)
            headers.append((name.strip().lower(), value.strip()))
        response = Response(int(match[1]), headers, b"")
        try:
            length = int(response.header("content-length") or 0)
        except ValueError as exc:
            raise RTSPProtocolError("bad Content-Length") from exc
        if not 0 <= length <= MAX_BODY:
            raise RTSPProtocolError("body too large")
        try:
            response.body = await self._reader.readexactly(length)
        except asyncio.IncompleteReadError as exc:
            raise RTSPProtocolError("connection closed mid-body") from exc
        return response

    async def sample(self, describe: Response, seconds: float) -> "Sample":
        """Play the first video track over TCP for `seconds` and count its frames
        (distinct RTP timestamps) and bytes."""
        assert self._reader
        control = video_control(describe, self.url)
        setup = await self.request(
            "SETUP", {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"}, control
        )
        if setup.status != 200:
            raise RTSPProtocolError(f"SETUP {setup.status}")
        session = (setup.header("session") or "").split(";")[0]
        play = await self.request("PLAY", {"Session": session, "Range": "npt=0.000-"})
        if play.status != 200:
            raise RTSPProtocolError(f"PLAY {play.status}")
        sample = Sample()
        loop = asyncio.get_running_loop()
        started = loop.time()
        timestamps: set[bytes] = set()
        while loop.time() - started < seconds:
            head = await self._reader.readexactly(4)
            if head[0:1] != b"$":  # an RTSP message from the server: skip its headers
                while await self._line():
                    pass
                continue
            packet = await self._reader.readexactly(int.from_bytes(head[2:4], "big"))
            if head[1] == 0 and len(packet) >= 12:
                sample.bytes += len(packet)
                timestamps.add(packet[4:8])
        sample.seconds = loop.time() - started
        sample.frames = len(timestamps)
        return sample


@dataclass
class Sample:
    frames: int = 0
    bytes: int = 0
    seconds: float = 0.0

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds else 0.0

    @property
    def kbps(self) -> float:
        return self.bytes * 8 / 1000 / self.seconds if self.seconds else 0.0


def video_control(describe: Response, url: str) -> str:
    """The URL to SETUP the SDP's first video track."""
    base = describe.header("content-base") or describe.header("content-location") or url
    in_video, control = False, None
    for line in describe.body.decode("latin-1").splitlines():
        if line.startswith("m="):
            if in_video:
                break
            in_video = line.startswith("m=video")
        elif in_video and line.startswith("a=control:"):
            control = line.removeprefix("a=control:").strip()
    if not in_video:
        raise RTSPProtocolError("SDP tanpa video")
    if not control or control == "*":
        return base
    if control.startswith("rtsp://") or control.startswith("rtsps://"):
        return control
    return base.rstrip("/") + "/" + control
