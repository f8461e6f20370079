"""The production layout on loopback (balai/core/tests/deployment.py): nginx with the
shipped configuration in front of web processes that can be killed and restarted."""

import os
import urllib.request

import pytest

pytestmark = pytest.mark.deployment


def get(site, path):
    url = site.url + path  # https on loopback
    with urllib.request.urlopen(url, timeout=30, context=site.tls) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def test_nginx_spreads_over_web_processes_and_survives_one_killed(deployment):
    site = deployment(web=2, workers=1)
    status, headers, _ = get(site, "/healthz")
    assert status == 200 and headers["Server"].startswith("nginx")

    first = site.web[0]
    pid = first.pid
    first.kill()
    assert not first.alive()
    for _ in range(5):  # every request lands on the survivor
        assert get(site, "/healthz")[0] == 200
    first.start()
    assert first.pid != pid and first.alive()
    assert get(site, "/healthz")[0] == 200


def test_every_process_is_gone_after_stop(deployment):
    site = deployment(web=1, workers=1)
    pids = [p.pid for p in site.processes]
    site.stop()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
