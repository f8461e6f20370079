"""Real camera peers on loopback for the probe tests (a pytest plugin, loaded
by the root conftest).

- `camera_servers`: the simulator's HTTP server (snapshots of every kind,
  ONVIF with any clock skew), a port that accepts and never answers, a port
  that refuses and one that answers garbage. See `balai.cctv.simulator` for the URL scheme.
- `tls_camera`: the same HTTP server over HTTPS with a self-signed
  certificate (its base URL).
- `rtsp_server`: GStreamer's RTSP server (Debian's python3-gst-1.0 and
  gir1.2-gst-rtsp-server-1.0) serving /moving, /frozen and /audio three
  times: open, behind Digest and behind Basic auth.

Both live for the test session (one per xdist worker).
"""

import os
import select
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from balai.cctv import simulator
from balai.core.tests.tools import self_signed_certificate

SYSTEM_PYTHON = "/usr/bin/python3"
RTSP_SCRIPT = Path(__file__).with_name("rtsp_server.py")
RTSP_USERNAME = "operator"
RTSP_PASSWORD = "rtsp-rahasia-7"


@dataclass
class CameraServers:
    http_port: int
    silent_port: int
    refusing_port: int
    garbage_port: int
    username: str = simulator.USERNAME
    password: str = field(default=simulator.PASSWORD, repr=False)

    def snapshot(self, kind: str, name: str = "cam", secure: bool = False) -> str:
        prefix = "/secure" if secure else ""
        return f"http://{simulator.HOST}:{self.http_port}{prefix}/snapshot/{kind}/{name}.jpg"

    def onvif(self, skew: int = 0) -> str:
        return f"http://{simulator.HOST}:{self.http_port}/onvif/{skew}/device_service"

    def silent(self, scheme: str = "http") -> str:
        return f"{scheme}://{simulator.HOST}:{self.silent_port}/cam"

    def refusing(self, scheme: str = "http") -> str:
        return f"{scheme}://{simulator.HOST}:{self.refusing_port}/cam"

    def garbage(self, scheme: str = "http") -> str:
        return f"{scheme}://{simulator.HOST}:{self.garbage_port}/cam"


@pytest.fixture(scope="session")
def camera_servers() -> Iterator[CameraServers]:
    with simulator.Simulator() as running:
        assert running.ports
        ports = running.ports
        yield CameraServers(ports.http, ports.silent, ports.refusing, ports.garbage)


def _self_signed(directory: Path) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for 127.0.0.1."""
    cert, key_file = self_signed_certificate(directory, "kamera.local")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key_file)
    return context


@pytest.fixture(scope="session")
def tls_camera(tmp_path_factory) -> Iterator[str]:
    """The simulator over HTTPS with a self-signed certificate, as many
    cameras ship; the base URL (`/snapshot/...` and `/onvif/...` below it)."""
    context = _self_signed(tmp_path_factory.mktemp("tls-camera"))
    with simulator.Simulator(ssl_context=context) as running:
        assert running.ports
        yield f"https://{simulator.HOST}:{running.ports.http}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gstreamer_missing_reason() -> str | None:
    check = (
        "import gi; gi.require_version('GstRtspServer', '1.0');"
        " from gi.repository import GstRtspServer"
    )
    try:
        subprocess.run([SYSTEM_PYTHON, "-c", check], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return (
            "RTSP test skipped: no GStreamer RTSP server for /usr/bin/python3 (apt-get install "
            "gir1.2-gst-rtsp-server-1.0 python3-gst-1.0 gstreamer1.0-plugins-ugly "
            "gstreamer1.0-plugins-good gstreamer1.0-plugins-base)"
        )
    return None


def _start_rtsp(port: int, method: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [SYSTEM_PYTHON, str(RTSP_SCRIPT), str(port), method, RTSP_USERNAME, RTSP_PASSWORD],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if line.strip() == "READY":
                return process
            if not line:
                break
    process.kill()
    raise RuntimeError(f"the GStreamer RTSP server ({method}) did not start")


@dataclass
class RTSPServers:
    ports: dict[str, int]  # "none", "digest", "basic"
    username: str = RTSP_USERNAME
    password: str = field(default=RTSP_PASSWORD, repr=False)

    def url(self, path: str, auth: str = "none") -> str:
        return f"rtsp://127.0.0.1:{self.ports[auth]}{path}"


@pytest.fixture(scope="session")
def rtsp_server() -> Iterator[RTSPServers]:
    reason = gstreamer_missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs it (.ci/run): missing there is a failure
        pytest.skip(reason)
    processes: list[subprocess.Popen[str]] = []
    ports: dict[str, int] = {}
    try:
        for method in ("none", "digest", "basic"):
            ports[method] = _free_port()
            processes.append(_start_rtsp(ports[method], method))
        yield RTSPServers(ports)
    finally:
        for process in processes:
            process.kill()
            process.wait(10)
