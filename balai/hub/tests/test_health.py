"""Live status against a real HTTP server on loopback that goes up and down,
probed by the cameras' engine (balai.cctv.probing)."""

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from balai.hub import health
from balai.hub.choices import Health
from balai.hub.models import HealthChange, Service


class Switchable:
    """A service's health endpoint: answers 200 or 503, or is not listening at all."""

    def __init__(self):
        self.status = 200
        self.server = None
        self.port = None
        self.start()

    def start(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(owner.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/health"


@pytest.fixture
def endpoint():
    server = Switchable()
    yield server
    server.stop()


@pytest.fixture
def service(cast, endpoint):
    return Service.objects.create(
        slug="sipadu",
        name="SIPADU",
        description="Aplikasi layanan",
        agency=cast.agency,
        health_url=endpoint.url,
    )


@pytest.fixture(autouse=True)
def two_results_agree(settings):
    settings.BALAI_HUB_FLAP_COUNT = 2


def probe(service, times=1):
    for _ in range(times):
        health.probe_services(Service.objects.filter(pk=service.pk))
    service.refresh_from_db()
    return service


def test_a_service_goes_down_and_up_and_each_change_is_kept(service, endpoint):
    assert probe(service).health == Health.UP  # a first result is taken at once
    endpoint.status = 503
    assert probe(service).health == Health.UP  # one failure: not yet
    assert "HTTP 503" in service.health_detail  # but the latest result is shown
    first_failure = service.pending_since
    assert probe(service).health == Health.DOWN
    assert service.health_since == first_failure  # down since it was first seen down
    endpoint.status = 200
    assert probe(service, times=2).health == Health.UP
    assert probe(service).health == Health.UP  # no change, no row
    kinds = list(HealthChange.objects.filter(service=service).order_by("at"))
    assert [c.health for c in kinds] == [Health.UP, Health.DOWN, Health.UP]
    assert service.health_since == kinds[-1].at
    assert kinds[1].at == first_failure


def test_one_lost_answer_is_not_an_outage(service, endpoint):
    from balai.notifications.models import Event

    probe(service)
    for status in (503, 200, 503, 200):  # a service that blinks
        endpoint.status = status
        assert probe(service).health == Health.UP
    assert service.pending_count == 0 and service.pending_health == ""
    assert [c.health for c in HealthChange.objects.filter(service=service)] == [Health.UP]
    assert not Event.objects.filter(kind__startswith="service.").exists()


def test_a_server_that_is_gone_is_down(service, endpoint):
    probe(service)
    endpoint.stop()
    assert probe(service, times=2).health == Health.DOWN
    assert "ECONNREFUSED" in service.health_detail
    endpoint.start()  # back on the same port


def test_the_entry_page_says_down_prominently_and_shows_uptime(client, service, endpoint):
    probe(service)
    endpoint.status = 500
    probe(service, times=2)
    page = client.get(service.get_absolute_url()).content.decode()
    assert 'role="alert"' in page and "Layanan ini sedang gangguan" in page
    assert "Waktu aktif 30 hari" in page
    endpoint.status = 200
    probe(service, times=2)
    page = client.get(service.get_absolute_url()).content.decode()
    assert "Layanan ini sedang gangguan" not in page and "Berjalan normal" in page


def test_uptime_over_thirty_days_comes_from_the_changes(service):
    now = timezone.now()
    HealthChange.objects.create(service=service, at=now - dt.timedelta(days=40), health="up")
    HealthChange.objects.create(service=service, at=now - dt.timedelta(days=3), health="down")
    HealthChange.objects.create(service=service, at=now - dt.timedelta(days=0), health="up")
    assert service.uptime(now=now) == pytest.approx(27 / 30)


def test_changes_are_published_as_events_without_personal_data(service, endpoint):
    from balai.notifications.models import Event

    probe(service)  # unknown -> up: no news
    endpoint.status = 503
    probe(service, times=2)
    endpoint.status = 200
    probe(service, times=2)
    sent = list(Event.objects.filter(kind__startswith="service.").order_by("pk"))
    assert [e.kind for e in sent] == ["service.down", "service.up"]
    assert all(e.agency == service.agency for e in sent)
    assert set(sent[0].data) == {"service", "name", "agency", "health", "since", "detail"}
    assert sent[0].data["service"] == "sipadu" and sent[0].data["agency"] == "dinas-pupr"
