"""Metrics and request ids on the production layout: nginx, two web processes (each its
own gunicorn, as the systemd units run them) and a task worker, sharing one metrics
directory. Each web process's scrape counts the requests the other one served."""

import re
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.deployment

TOKEN = "deployment-scrape-token-0123456789abcdef"


def healthz_count(url: str, context=None) -> float:
    request = urllib.request.Request(  # noqa: S310 - the deployment's own loopback URL
        url + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=60, context=context) as response:  # noqa: S310
        text = response.read().decode()
    return sum(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "balai_http_request_duration_seconds_count" and s.labels["view"] == "healthz"
    )


def test_each_web_process_reports_what_every_one_served(deployment):
    site = deployment(web=2, workers=1, env={"BALAI_METRICS_TOKEN": TOKEN})
    before = [healthz_count(web.url) for web in site.web]
    # Straight to each web process, ten requests each, past nginx.
    for web in site.web:
        for _ in range(10):
            with urllib.request.urlopen(web.url + "/healthz", timeout=30) as response:  # noqa: S310
                assert response.status == 200
    after = [healthz_count(web.url) for web in site.web]
    assert [a - b for a, b in zip(after, before, strict=True)] == [20, 20]
    # Through nginx too, with nginx's request id handed to Balai and back.
    with urllib.request.urlopen(site.url + "/healthz", timeout=30, context=site.tls) as response:  # noqa: S310
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    assert healthz_count(site.url, site.tls) - after[0] == 1
