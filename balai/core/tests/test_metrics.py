"""/metrics: only for the scraper's token, and what it says after real requests and tasks."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import path
from django.utils import timezone
from django_tasks import task
from prometheus_client.parser import text_string_to_metric_families

from balai.lib.tasks import schedule_once
from balai.urls import urlpatterns as site_urls

TOKEN = "s3cret-scraper-token-0123456789abcdef"


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in a scrape, 0 when it is not there yet."""
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return 0.0


def scrape(client) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


@pytest.fixture
def scraper(settings):
    settings.BALAI_METRICS_TOKEN = TOKEN
    return Client()


def test_metrics_do_not_exist_without_a_configured_token(client, db, settings):
    settings.BALAI_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_need_the_token(scraper, db):
    assert scraper.get("/metrics").status_code == 401
    wrong = scraper.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Bearer")
    assert scraper.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 401  # no scheme
    assert "balai_http_request_duration_seconds" in scrape(scraper)


def test_requests_are_counted_by_url_name_method_and_status_class(scraper, db):
    before = scrape(scraper)
    for _ in range(3):
        assert scraper.get("/healthz").status_code == 200
    assert scraper.get("/tidak-ada/").status_code == 404
    after = scrape(scraper)
    name = "balai_http_request_duration_seconds_count"
    ok = {"view": "healthz", "method": "GET", "status": "2xx"}
    assert sample(after, name, **ok) - sample(before, name, **ok) == 3
    missing = {"view": "unmatched", "method": "GET", "status": "4xx"}
    assert sample(after, name, **missing) - sample(before, name, **missing) == 1
    # Durations are real: the sum grew with the three requests.
    grown = sample(after, "balai_http_request_duration_seconds_sum", **ok) - sample(
        before, "balai_http_request_duration_seconds_sum", **ok
    )
    assert grown > 0


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [path("gagal/", fail, name="fail"), *site_urls]


def test_unhandled_exceptions_are_counted_by_class(scraper, db, settings):
    settings.ROOT_URLCONF = __name__
    before = scrape(scraper)
    response = Client(raise_request_exception=False).get("/gagal/")
    assert response.status_code == 500
    after = scrape(scraper)
    errors = {"where": "request", "error": "RuntimeError"}
    assert (
        sample(after, "balai_errors_total", **errors)
        - sample(before, "balai_errors_total", **errors)
        == 1
    )
    failed = {"view": "fail", "method": "GET", "status": "5xx"}
    name = "balai_http_request_duration_seconds_count"
    assert sample(after, name, **failed) - sample(before, name, **failed) == 1


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def broken() -> None:
    raise ValueError("nothing to see")


def test_tasks_are_timed_and_failures_counted(scraper, db):
    before = scrape(scraper)
    assert add.enqueue(2, 3).return_value == 5  # the immediate backend runs it at once
    broken.enqueue()
    after = scrape(scraper)
    name = "balai_task_duration_seconds_count"
    good = {"task": f"{__name__}.add", "status": "successful"}
    bad = {"task": f"{__name__}.broken", "status": "failed"}
    assert sample(after, name, **good) - sample(before, name, **good) == 1
    assert sample(after, name, **bad) - sample(before, name, **bad) == 1
    errors = {"where": "task", "error": "ValueError"}
    assert (
        sample(after, "balai_errors_total", **errors)
        - sample(before, "balai_errors_total", **errors)
        == 1
    )


def test_the_queue_depth_and_the_oldest_waiting_task(scraper, db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    assert sample(scrape(scraper), "balai_tasks_waiting", queue="default") == 0
    waiting = add.enqueue(1, 1)
    DBTaskResult.objects.filter(pk=waiting.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert schedule_once(broken, dt.timedelta(minutes=5))  # deferred: not waiting yet
    text = scrape(scraper)
    assert sample(text, "balai_tasks_waiting", queue="default") == 1
    assert 600 <= sample(text, "balai_task_oldest_waiting_seconds", queue="default") < 900


def test_letter_signing_and_probe_rounds_are_timed(scraper, db):
    from balai.hub.health import probe_services

    before = scrape(scraper)
    probe_services(services=[])
    after = scrape(scraper)
    name = "balai_probe_round_seconds_count"
    assert sample(after, name, kind="hub") - sample(before, name, kind="hub") == 1
    assert "balai_letter_sign_seconds" in after  # signing itself: balai/letters/tests
