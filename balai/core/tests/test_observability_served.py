"""Metrics and logs of `balai serve` itself: two web processes and the task worker,
over real sockets. Whichever web process answers the scrape, it reports every
process's requests and the worker's tasks and probe rounds."""

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
from prometheus_client.parser import text_string_to_metric_families

from balai.core.tests.test_serve_slow_clients import free_port

TOKEN = "scrape-token-for-the-served-test-0123456789"
NIK = "3508014207610001"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def get(port: int, path: str, headers: dict | None = None) -> Answer:
    """One request on a fresh connection, so that requests spread over the web processes."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Connection": "close", **(headers or {})})
    response = conn.getresponse()
    headers_in = {k.lower(): v for k, v in response.getheaders()}
    answer = Answer(response.status, headers_in, response.read())
    conn.close()
    return answer


def samples(port: int) -> list:
    response = get(port, "/metrics", {"Authorization": f"Bearer {TOKEN}"})
    assert response.status == 200, response.body
    text = response.body.decode()
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def value(found: list, name: str, **labels) -> float:
    """The sum of the samples named `name` that carry these labels (and maybe others)."""
    return sum(
        s.value
        for s in found
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`balai serve --workers 2` on its own SQLite database; yields (port, data dir)."""
    data = tmp_path_factory.mktemp("observed")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PROMETHEUS_MULTIPROC_DIR", "BALAI_LOG_LEVEL")
    }
    env.update(
        BALAI_DATA_DIR=str(data),
        DATABASE_URL=f"sqlite:///{data / 'balai.sqlite3'}",
        BALAI_REDIS_URL="",
        BALAI_DEBUG="",
        BALAI_METRICS_TOKEN=TOKEN,
    )
    balai = [sys.executable, "-m", "balai"]
    # No collectstatic: these tests ask for no page that names a static file.
    subprocess.run([*balai, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    port = free_port()
    with (data / "serve.log").open("wb") as log:
        server = subprocess.Popen(
            [*balai, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        for _ in range(150):
            try:
                if get(port, "/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("balai serve did not answer: " + (data / "serve.log").read_text())
        # The probe rounds' chains, as `balai probe-services` and a saved camera start them.
        subprocess.run(
            [
                *balai,
                "shell",
                "-c",
                "from balai.hub import tasks as h; from balai.cctv import tasks as c; "
                "h.start(); c.start()",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        yield port, data
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_a_scrape_sums_every_web_process_and_the_task_worker(served):
    port, data = served
    before = value(samples(port), "balai_http_request_duration_seconds_count", view="healthz")
    for _ in range(20):
        assert get(port, "/healthz").status == 200
    # Two web processes served those; each scrape, whichever answers it, counts all 20.
    for _ in range(4):
        found = samples(port)
        seen = value(found, "balai_http_request_duration_seconds_count", view="healthz")
        assert seen - before >= 20
    web_files = {p.name.rpartition("_")[2] for p in (data / "metrics").glob("histogram_*.db")}
    assert len(web_files) >= 2

    # The worker process's tasks and probe rounds, read through a web process.
    deadline = time.monotonic() + 180
    want = [
        ("balai_task_duration_seconds_count", {"task": "balai.hub.tasks.probe_round"}),
        ("balai_task_duration_seconds_count", {"task": "balai.cctv.tasks.probe_shard"}),
        ("balai_probe_round_seconds_count", {"kind": "hub"}),
        ("balai_probe_round_seconds_count", {"kind": "cctv"}),
    ]
    while True:
        found = samples(port)
        missing = [(name, labels) for name, labels in want if not value(found, name, **labels)]
        if not missing:
            break
        assert time.monotonic() < deadline, f"never seen in a scrape: {missing}"
        time.sleep(1)
    assert any(s.name == "balai_tasks_waiting" for s in found)


def test_readyz_of_the_served_site(served):
    port, _ = served
    response = get(port, "/readyz")
    assert response.status == 200, response.body
    body = json.loads(response.body)
    assert set(body) >= {"database", "cache", "queue"}
    assert "default" in body["queue"]


def test_the_served_log_is_json_lines_without_the_query_string(served):
    port, data = served
    response = get(port, f"/healthz?nik={NIK}", {"X-Request-ID": "probe-1234abcd"})
    assert response.headers["x-request-id"] == "probe-1234abcd"
    assert get(port, f"/readyz?q={NIK}").headers["x-request-id"]  # one made here
    deadline = time.monotonic() + 30
    while True:
        text = (data / "serve.log").read_text()
        if "probe-1234abcd" in text:
            break
        assert time.monotonic() < deadline, "the request line was never written"
        time.sleep(0.2)
    assert NIK not in text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    ours = next(line for line in lines if line.get("request_id") == "probe-1234abcd")
    assert ours["view"] == "healthz" and ours["route"] == "/healthz" and ours["status"] == 200
    assert any(line.get("event") == "task" for line in lines)  # the worker's lines too
