"""Cameras registered against real peers on loopback (the simulator's HTTP and
ONVIF server, a refusing port, a silent one, GStreamer's RTSP server), probed
by `balai probe-cameras --once`, alerted through a real SMTP server."""

import pytest
from django.core.management import call_command

from balai.cctv import actions
from balai.cctv.choices import EventKind, State
from balai.cctv.models import Camera, CameraEvent, Outage, Site


@pytest.fixture
def quick(settings):
    from balai.cctv import rounds
    from balai.cctv.probing import Limits

    settings.BALAI_CCTV_ALERT_MINUTES = 0  # alert as soon as a state is settled
    settings.BALAI_CCTV_FLAP_COUNT = 2
    limits = Limits(connect_timeout=1, rtsp_timeout=2, onvif_timeout=2, snapshot_timeout=2)
    original = rounds.DEFAULT_LIMITS
    rounds.DEFAULT_LIMITS = limits
    yield
    rounds.DEFAULT_LIMITS = original


def register(user, village, name, **fields):
    data = {
        "name": name,
        "village": village,
        "purpose": "keamanan",
        "visibility": "public",
        "retention_days": 30,
        "operator_contact": "Kantor desa",
        **fields,
    }
    return actions.create_camera(user, data)


def states():
    return dict(Camera.objects.values_list("name", "state"))


def test_probe_rounds_against_real_cameras_set_states_events_and_alerts(
    cast, camera_servers, smtp_server, quick, django_capture_on_commit_callbacks
):
    s = camera_servers
    cast.operator_a.email = "op@a.example"
    cast.operator_a.save()
    admin = cast.admin
    village = cast.village_a
    secret = {"username": s.username, "password": s.password}
    register(admin, village, "Balai", snapshot_url=s.snapshot("moving", "balai", secure=True),
             onvif_url=s.onvif(0), **secret)  # fmt: skip
    register(admin, village, "Simpang", snapshot_url=s.snapshot("frozen", "simpang"))
    register(admin, village, "Pos ronda", snapshot_url=s.snapshot("moving", "pos", secure=True),
             username=s.username, password="salah")  # fmt: skip
    register(admin, village, "Semeru", snapshot_url=s.snapshot("moving", "semeru"),
             onvif_url=s.onvif(5400))  # fmt: skip
    register(admin, village, "Sawah", snapshot_url=s.refusing())
    register(admin, village, "Sunyi", snapshot_url=s.silent())
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            call_command("probe_cameras", "--once", "--village", village.pk)
    assert states() == {
        "Balai": State.UP,
        "Simpang": State.DEGRADED,
        "Pos ronda": State.DEGRADED,
        "Semeru": State.DEGRADED,
        "Sawah": State.DOWN,
        "Sunyi": State.DOWN,
    }
    cameras = {c.name: c for c in Camera.objects.all()}
    assert cameras["Simpang"].problems == ["frozen"]
    assert cameras["Pos ronda"].problems == ["auth_failed"]
    assert "clock_drift" in cameras["Semeru"].problems
    assert abs(cameras["Semeru"].clock_drift - 5400) < 30
    assert cameras["Sunyi"].problems == ["timeout"]
    assert "tidak dapat dihubungi" in cameras["Sawah"].problem_text
    events = CameraEvent.objects.filter(camera__name="Simpang")
    assert [(e.from_state, e.to_state, e.kind) for e in events] == [
        ("up", "degraded", EventKind.DEGRADED)
    ]
    subjects = sorted(m["Subject"] for m in smtp_server.messages if m["To"] == "op@a.example")
    assert subjects == [
        "CCTV mati: Kamera Sawah (Desa Tempursari)",
        "CCTV mati: Kamera Sunyi (Desa Tempursari)",
        "CCTV membeku: Kamera Simpang (Desa Tempursari)",
    ]
    # A fourth round changes nothing and alerts nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("probe_cameras", "--once", "--village", village.pk)
    assert len(smtp_server.messages) == 3
    assert Outage.objects.open().count() == 3


def test_a_site_whose_router_refuses_raises_one_alert(
    cast, camera_servers, smtp_server, quick, django_capture_on_commit_callbacks
):
    s = camera_servers
    cast.operator_a.email = "op@a.example"
    cast.operator_a.save()
    site = actions.create_site(
        cast.admin,
        {"village": cast.village_a, "name": "Router balai", "host": "127.0.0.1",
         "port": s.refusing_port},
    )  # fmt: skip
    for name in ("Utara", "Selatan"):
        register(cast.admin, cast.village_a, name, site=site, snapshot_url=s.refusing())
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            call_command("probe_cameras", "--once")
    assert set(states().values()) == {State.SITE_DOWN}
    assert Site.objects.get().state == State.DOWN
    [message] = smtp_server.messages
    assert message["Subject"] == "CCTV mati: Situs Router balai (Desa Tempursari)"


def test_rtsp_cameras_with_digest_auth(cast, rtsp_server, quick):
    r = rtsp_server
    register(cast.admin, cast.village_a, "Moving", rtsp_url=r.url("/moving", "digest"),
             username=r.username, password=r.password)  # fmt: skip
    register(cast.admin, cast.village_a, "Wrong", rtsp_url=r.url("/moving", "digest"),
             username=r.username, password="bukan")  # fmt: skip
    register(cast.admin, cast.village_a, "Missing", rtsp_url=r.url("/nothing-here"))
    call_command("probe_cameras", "--once")
    assert states() == {"Moving": State.UP, "Wrong": State.DEGRADED, "Missing": State.DOWN}
