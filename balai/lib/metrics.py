"""Balai's Prometheus metrics, each defined once (docs/observability.md).

prometheus_client keeps them in this process, or, when the environment names
PROMETHEUS_MULTIPROC_DIR (as `balai serve` and the systemd units do), in
files there shared by every web and task process on the machine, which
`/metrics` sums whichever process answers the scrape.

Labels hold names from fixed lists (URL names, task paths, status classes),
never values a person typed.
"""

import os

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

# A page or API call: 5 ms to 10 s.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# A task or a probe round: 10 ms to 5 minutes.
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

REQUEST_SECONDS = Histogram(
    "balai_http_request_duration_seconds",
    "Time to answer a request, by URL name, method and status class (2xx, 4xx, ...).",
    ["view", "method", "status"],
    buckets=REQUEST_BUCKETS,
)
ERRORS = Counter(
    "balai_errors",
    "Unhandled exceptions, by where they happened (request or task) and their class.",
    ["where", "error"],
)
TASK_SECONDS = Histogram(
    "balai_task_duration_seconds",
    "Time a background task ran, by task and outcome.",
    ["task", "status"],
    buckets=TASK_BUCKETS,
)
TASK_WAIT_SECONDS = Histogram(
    "balai_task_wait_seconds",
    "Time a task waited from when it was due until a worker started it.",
    ["task"],
    buckets=TASK_BUCKETS,
)
PROBE_ROUND_SECONDS = Histogram(
    "balai_probe_round_seconds",
    "Time of one probe round (cctv: one shard of cameras; hub: the catalogue's services).",
    ["kind"],
    buckets=TASK_BUCKETS,
)
LETTER_SIGN_SECONDS = Histogram(
    "balai_letter_sign_seconds",
    "Time to issue a letter: number, render, sign and store it.",
    buckets=REQUEST_BUCKETS,
)


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def exposition(*collectors: Collector) -> bytes:
    """The text exposition of every process's metrics plus `collectors`, read now."""
    if multiprocess():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        text = generate_latest(registry)
    else:
        text = generate_latest(REGISTRY)
    extra = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        extra.register(collector)
    return text + generate_latest(extra)
