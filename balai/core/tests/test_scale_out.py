"""Two web processes behind nginx and two RQ workers, with Redis for the cache,
sessions and queue, on one database (docs/scale-out.md): what one process
guaranteed still holds across processes."""

from collections import Counter

import django_rq
import pytest
import redis
from django.contrib.sessions.models import Session

from balai.accounts.models import AuditLog
from balai.core.tests.deployment import wait_for
from balai.core.tests.scaleout import Browser, at_once, fresh_window
from balai.core.tests.tasks import leave_a_mark

pytestmark = pytest.mark.deployment

EXPORT = "/aduan/ekspor.csv"  # 30 per hour per client (balai/complaints/views.py)


def test_a_rate_limit_counts_exactly_across_both_web_processes(scaled_out):
    site = scaled_out()
    fresh_window(3600)
    # 40 requests at once: half through nginx, ten straight to each web process.
    bases = [site.url] * 20 + [site.web[0].url] * 10 + [site.web[1].url] * 10
    statuses = at_once(
        lambda base: Browser(str(site.certificate)).get(base + EXPORT).status_code, bases
    )
    assert Counter(statuses) == {200: 30, 429: 10}
    # The 31st and every one after it is refused, on either process.
    for base in (site.web[0].url, site.web[1].url, site.url):
        assert Browser(str(site.certificate)).get(base + EXPORT).status_code == 429


def test_a_session_made_on_one_process_is_read_by_the_other(cast, scaled_out, redis_url):
    site = scaled_out()
    browser = Browser(str(site.certificate))
    browser.sign_in(site.url, cast.operator_a)  # through nginx
    key = browser.cookies["sessionid"]
    for web in site.web:  # each process, at its own address
        page = browser.get(web.url + "/staf/")
        assert page.status_code == 200, page.headers.get("Location")
    assert [k for k in redis.Redis.from_url(redis_url).keys("*") if key.encode() in k]
    assert Session.objects.filter(session_key=key).exists()
    # Redis restarted without its data: the database's copy keeps the session.
    redis.Redis.from_url(redis_url).flushdb()
    assert browser.get(site.web[1].url + "/staf/").status_code == 200
    # Signed out on one process, signed out on the other.
    browser.post(site.web[0].url + "/akun/keluar/", {})
    browser.cookies["sessionid"] = key  # a copy kept by someone who took the cookie
    assert browser.get(site.web[1].url + "/staf/").status_code == 302


def test_each_task_runs_exactly_once_on_two_workers(scaled_out):
    site = scaled_out()
    for n in range(200):
        leave_a_mark.enqueue(n)
    marks = AuditLog.objects.filter(action="test.task_ran")
    wait_for(lambda: marks.count() >= 200, "200 tasks run", timeout=180)
    queue = django_rq.get_queue("default")
    wait_for(
        lambda: queue.count == 0 and not queue.started_job_registry.get_job_ids(),
        "an idle queue",
        timeout=180,
    )
    runs = Counter(detail["n"] for detail in marks.values_list("detail", flat=True))
    assert runs == Counter(range(200))  # every task once: none lost, none twice
    workers = {w.pid for w in site.workers}
    ran_in = Counter(
        next(pid for pid in (d["pid"], d["parent"]) if pid in workers)
        for d in marks.values_list("detail", flat=True)
    )
    assert set(ran_in) == workers, ran_in  # both workers took tasks
