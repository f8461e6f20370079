"""The server `balai serve` starts, driven over real sockets on loopback.

Slow clients (slowloris headers, slow uploads) must not stop others from being
served, and a body over the limit is refused from its headers, before it is sent.
"""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from balai.core.tests.deployment import free_port

LIMIT_MB = 1  # BALAI_MAX_REQUEST_MB for the server under test, so tests send little


def http_get(port: int, path: str, timeout: float) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        return read_all(s)


def read_all(s: socket.socket) -> bytes:
    chunks = []
    while chunk := s.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`balai serve` on a free port, on its own freshly migrated SQLite database."""
    data = tmp_path_factory.mktemp("served")
    env = {
        **os.environ,
        "BALAI_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'balai.sqlite3'}",
        "BALAI_REDIS_URL": "",
        "BALAI_MAX_REQUEST_MB": str(LIMIT_MB),
        "BALAI_DEBUG": "",
    }
    balai = [sys.executable, "-m", "balai"]
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run([*balai, *command], env=env, check=True, capture_output=True)
    port = free_port()
    with (data / "serve.log").open("wb") as log:
        server = subprocess.Popen(
            [*balai, "serve", "--bind", f"127.0.0.1:{port}"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        for _ in range(100):
            try:
                if b" 200 " in http_get(port, "/healthz", timeout=2).split(b"\r\n")[0]:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("balai serve did not answer: " + (data / "serve.log").read_text())
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_slow_clients_do_not_stop_a_normal_request(served):
    slow = []
    try:
        # Slowloris: headers that never end, more connections than workers.
        for _ in range(8):
            s = socket.create_connection(("127.0.0.1", served), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
            slow.append(s)
        # Slow uploads: a form with a photo whose bytes trickle in.
        for _ in range(4):
            s = socket.create_connection(("127.0.0.1", served), timeout=5)
            s.sendall(
                b"POST /aduan/lapor/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/octet-stream\r\nContent-Length: 900000\r\n\r\n"
                + b"x"
                * 1000
            )
            slow.append(s)
        time.sleep(0.5)  # let the server take them all
        response = http_get(served, "/healthz", timeout=5)  # a sync worker would wait 30 s
        assert response.startswith(b"HTTP/1.1 200"), response[:200]
        for s in slow:  # still open, still trickling
            s.sendall(b"x")
        assert http_get(served, "/healthz", timeout=5).startswith(b"HTTP/1.1 200")
    finally:
        for s in slow:
            s.close()


def test_an_over_limit_content_length_is_refused_before_the_body_is_sent(served):
    with socket.create_connection(("127.0.0.1", served), timeout=5) as s:
        s.sendall(
            b"POST /aduan/lapor/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 300000000\r\n\r\n"
        )
        response = read_all(s)  # no body sent: the answer comes from the headers alone
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head
    assert b"text/html" in head.lower()
    page = body.decode()
    assert "Permintaan terlalu besar" in page
    assert f"{LIMIT_MB} MB" in page
    assert 'rel="stylesheet"' in page  # styled like every page


def test_a_chunked_body_is_cut_off_at_the_limit(served):
    chunk = b"x" * 65536
    with socket.create_connection(("127.0.0.1", served), timeout=10) as s:
        s.sendall(
            b"POST /aduan/lapor/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        sent = 0
        try:
            while sent < 20 * LIMIT_MB * 1024 * 1024:  # twenty times the limit, if let
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server hung up once the limit was passed
        response = read_all(s)
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert sent < 20 * LIMIT_MB * 1024 * 1024


def test_a_request_the_server_cannot_parse_gets_the_styled_indonesian_400(served):
    with socket.create_connection(("127.0.0.1", served), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Without Colon\r\n\r\n")
        response = read_all(s)
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), head
    assert b"text/html" in head.lower()
    assert "Permintaan tidak dapat diproses" in body.decode()
    assert b'rel="stylesheet"' in body
