"""The probe engine against real peers on loopback (fixtures in servers.py)."""

import asyncio
import concurrent.futures
import dataclasses
import logging
import time

import pytest

from balai.cctv import simulator
from balai.cctv.probing import (
    DEFAULT_LIMITS,
    DEGRADED_PROBLEMS,
    DOWN_PROBLEMS,
    FINGERPRINT_MAX_LENGTH,
    PROBLEM_TEXT,
    Check,
    Limits,
    Problem,
    Target,
    probe,
    run_round,
)
from balai.cctv.probing.engine import parse_system_date_and_time

# Short timeouts for the tests that wait one out; the others keep the defaults,
# so that a busy machine does not turn a slow answer into a timeout.
FAST = Limits(connect_timeout=1, rtsp_timeout=1.5, onvif_timeout=1.5, snapshot_timeout=1.5)


def probe_one(target: Target, limits: Limits = DEFAULT_LIMITS):
    return run_round([target], limits)[0]


def in_a_fresh_thread(function):
    """Run `function` where no event loop runs yet (this test worker's thread
    may run Playwright's)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(function).result()


def test_every_problem_has_text_and_one_severity():
    assert set(PROBLEM_TEXT) == set(Problem)
    assert set(Problem) == DOWN_PROBLEMS | DEGRADED_PROBLEMS
    assert not DOWN_PROBLEMS & DEGRADED_PROBLEMS


# TCP: refused, silent


def test_refusing_port_is_unreachable_and_skips_later_checks(camera_servers):
    result = probe_one(
        Target("cam", snapshot_url=camera_servers.refusing(), onvif_url=camera_servers.refusing())
    )
    assert result.problems == [Problem.UNREACHABLE]
    assert result.down
    assert set(result.durations) == {Check.TCP}


def test_silent_port_times_out_within_its_timeout(camera_servers):
    started = time.monotonic()
    result = probe_one(Target("cam", snapshot_url=camera_servers.silent()), FAST)
    assert result.problems == [Problem.TIMEOUT]
    assert result.down
    assert time.monotonic() - started < FAST.connect_timeout + FAST.snapshot_timeout + 2


# RTSP against GStreamer's server


@pytest.mark.parametrize("path", ["/moving", "/frozen"])
def test_rtsp_stream_answers_options_and_describe(rtsp_server, path):
    result = probe_one(Target("cam", rtsp_url=rtsp_server.url(path)), Limits())
    assert result.problems == []
    assert set(result.durations) == {Check.TCP, Check.RTSP}


def test_rtsp_path_without_video_or_unknown_is_no_stream(rtsp_server):
    audio = probe_one(Target("cam", rtsp_url=rtsp_server.url("/audio")), Limits())
    missing = probe_one(Target("cam", rtsp_url=rtsp_server.url("/tidak-ada")), Limits())
    assert audio.problems == [Problem.NO_STREAM]
    assert missing.problems == [Problem.NO_STREAM]
    assert "404" in missing.detail


@pytest.mark.parametrize("auth", ["digest", "basic"])
def test_rtsp_credentials_right_and_wrong(rtsp_server, auth):
    url = rtsp_server.url("/moving", auth)
    right = Target(
        "cam", rtsp_url=url, username=rtsp_server.username, password=rtsp_server.password
    )
    wrong = dataclasses.replace(right, password="bukan-ini")
    anonymous = Target("cam", rtsp_url=url)
    assert probe_one(right, Limits()).problems == []
    for target in (wrong, anonymous):
        result = probe_one(target, Limits())
        assert result.problems == [Problem.AUTH_FAILED]
        assert result.degraded and not result.down  # wrong credentials, not a dead camera


@pytest.mark.parametrize("auth", ["none", "digest"])
def test_stream_sample_counts_frames_and_bits(rtsp_server, auth):
    limits = dataclasses.replace(Limits(), stream_seconds=2.0, min_fps=5)
    target = Target(
        "cam",
        rtsp_url=rtsp_server.url("/moving", auth),
        username=rtsp_server.username,
        password=rtsp_server.password,
    )
    result = probe_one(target, limits)
    assert result.problems == []
    assert 15 <= result.fps <= 40  # videotestsrc runs at 30 fps
    assert result.kbps > 10
    assert Check.STREAM in result.durations
    assert "fps" in result.detail


def test_stream_below_the_minimum_fps(rtsp_server):
    limits = dataclasses.replace(Limits(), stream_seconds=1.0, min_fps=200)
    result = probe_one(Target("cam", rtsp_url=rtsp_server.url("/moving")), limits)
    assert result.problems == [Problem.LOW_FPS]
    assert result.degraded


def test_stream_sample_is_off_by_default(rtsp_server):
    result = probe_one(Target("cam", rtsp_url=rtsp_server.url("/moving")), Limits())
    assert result.fps is None
    assert Check.STREAM not in result.durations


def test_rtsp_garbage_is_a_protocol_error(camera_servers):
    # The HTTP server answers an RTSP request with HTTP: not RTSP.
    result = probe_one(Target("cam", rtsp_url=f"rtsp://127.0.0.1:{camera_servers.http_port}/x"))
    assert result.problems == [Problem.PROTOCOL_ERROR]


@pytest.mark.parametrize("scheme", ["rtsp", "http"])
def test_a_peer_answering_garbage_is_a_protocol_error(camera_servers, scheme):
    if scheme == "rtsp":
        target = Target("cam", rtsp_url=camera_servers.garbage("rtsp"))
    else:
        target = Target(
            "cam", snapshot_url=camera_servers.garbage(), onvif_url=camera_servers.garbage()
        )
    result = probe_one(target)
    assert result.problems == [Problem.PROTOCOL_ERROR]
    assert result.down


def test_rtsp_silent_times_out(camera_servers):
    result = probe_one(Target("cam", rtsp_url=camera_servers.silent("rtsp")), FAST)
    assert result.problems == [Problem.TIMEOUT]
    assert result.durations[Check.RTSP] < FAST.rtsp_timeout + 1


# ONVIF


def test_onvif_correct_clock(camera_servers):
    result = probe_one(Target("cam", onvif_url=camera_servers.onvif(0)))
    assert result.problems == []
    assert abs(result.clock_drift) <= 2


@pytest.mark.parametrize("skew", [5400, -900])
def test_onvif_skewed_clock_is_flagged_with_its_drift(camera_servers, skew):
    result = probe_one(Target("cam", onvif_url=camera_servers.onvif(skew)))
    assert result.problems == [Problem.CLOCK_DRIFT]
    assert result.degraded
    assert abs(result.clock_drift - skew) <= 2


def test_onvif_drift_within_the_limit_is_fine(camera_servers):
    limits = dataclasses.replace(DEFAULT_LIMITS, max_clock_drift=600)
    result = probe_one(Target("cam", onvif_url=camera_servers.onvif(-300)), limits)
    assert result.problems == []


def test_onvif_answer_that_is_not_soap_is_a_protocol_error(camera_servers):
    # A snapshot URL answers POST with 405: not an ONVIF device.
    result = probe_one(Target("cam", onvif_url=camera_servers.snapshot("moving")))
    assert result.problems == [Problem.PROTOCOL_ERROR]


def test_system_date_and_time_refuses_entities():
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(Exception, match="(?i)entit"):
        parse_system_date_and_time(bomb)


# Snapshots


def test_moving_snapshot_is_fine_and_changes(camera_servers):
    target = Target("cam", snapshot_url=camera_servers.snapshot("moving"))
    first = probe_one(target)
    assert first.problems == []
    assert first.snapshot.startswith(b"\xff\xd8")  # a JPEG for staff
    time.sleep(1.1)  # the clock on the frame ticks every second
    second = probe_one(dataclasses.replace(target, previous_fingerprint=first.fingerprint))
    assert second.problems == []
    assert second.fingerprint != first.fingerprint
    assert len(second.fingerprint) <= FINGERPRINT_MAX_LENGTH


def test_frozen_snapshot_is_flagged_on_the_second_look(camera_servers):
    target = Target("cam", snapshot_url=camera_servers.snapshot("frozen"))
    first = probe_one(target)
    assert first.problems == []  # nothing to compare with yet
    second = probe_one(dataclasses.replace(target, previous_fingerprint=first.fingerprint))
    assert second.problems == [Problem.FROZEN]
    assert second.degraded


def test_frozen_despite_jpeg_reencoding():
    """A camera re-encoding the same frame changes bytes, not the picture."""
    import io

    from PIL import Image

    from balai.cctv.probing import snapshots

    frame = simulator.frame("sama", 1_700_000_000)
    image = Image.open(io.BytesIO(frame))
    again = io.BytesIO()
    image.save(again, "JPEG", quality=60)
    assert again.getvalue() != frame
    a = snapshots.inspect(frame, 10**7).fingerprint
    b = snapshots.inspect(again.getvalue(), 10**7).fingerprint
    later = snapshots.inspect(simulator.frame("sama", 1_700_000_001), 10**7).fingerprint
    assert snapshots.same(a, b)
    assert not snapshots.same(a, later)  # one second on the clock is a change


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("blank", Problem.BLANK),
        ("garbage", Problem.NOT_AN_IMAGE),
        ("notimage", Problem.NOT_AN_IMAGE),
        ("empty", Problem.NOT_AN_IMAGE),
        ("error", Problem.HTTP_ERROR),
        ("tidak-ada", Problem.NO_STREAM),
    ],
)
def test_bad_snapshots_say_why(camera_servers, kind, problem):
    result = probe_one(Target("cam", snapshot_url=camera_servers.snapshot(kind)))
    assert result.problems == [problem]
    assert result.detail.startswith("snapshot:")


def test_two_gigabyte_snapshot_is_refused_without_reading_it(camera_servers):
    before = simulator.SENT["huge"]
    result = probe_one(Target("cam", snapshot_url=camera_servers.snapshot("huge")))
    assert result.problems == [Problem.TOO_LARGE]
    assert result.down
    # Refused on its Content-Length: at most the socket buffers' worth was sent.
    assert simulator.SENT["huge"] - before < 50_000_000


def test_endless_snapshot_stops_at_the_byte_limit(camera_servers):
    limits = dataclasses.replace(DEFAULT_LIMITS, max_snapshot_bytes=1_000_000)
    result = probe_one(Target("cam", snapshot_url=camera_servers.snapshot("endless")), limits)
    assert result.problems == [Problem.TOO_LARGE]


def test_too_many_pixels_refused_before_decoding(camera_servers):
    limits = dataclasses.replace(DEFAULT_LIMITS, max_snapshot_pixels=1000)
    result = probe_one(Target("cam", snapshot_url=camera_servers.snapshot("moving")), limits)
    assert result.problems == [Problem.TOO_LARGE]
    assert "640x360" in result.detail


def test_trickling_snapshot_ends_within_its_timeout(camera_servers):
    started = time.monotonic()
    result = probe_one(Target("cam", snapshot_url=camera_servers.snapshot("trickle")), FAST)
    assert result.problems == [Problem.TIMEOUT]
    assert result.durations[Check.SNAPSHOT] < FAST.snapshot_timeout + 1
    assert time.monotonic() - started < FAST.snapshot_timeout + FAST.connect_timeout + 2


def test_snapshot_credentials(camera_servers):
    url = camera_servers.snapshot("moving", secure=True)
    right = Target(
        "cam", snapshot_url=url, username=camera_servers.username, password=camera_servers.password
    )
    assert probe_one(right).problems == []
    wrong = probe_one(dataclasses.replace(right, password="salah"))
    assert wrong.problems == [Problem.AUTH_FAILED]
    assert not wrong.down


def test_self_signed_https_camera_says_so(tls_camera):
    result = probe_one(Target("cam", snapshot_url=f"{tls_camera}/snapshot/moving/cam.jpg"))
    assert result.problems == [Problem.PROTOCOL_ERROR]
    assert result.detail == "snapshot: sertifikat TLS tidak dipercaya"


# Health URLs and HLS


def test_health_url(camera_servers):
    ok = probe_one(Target("svc", health_url=camera_servers.snapshot("moving")))
    failing = probe_one(Target("svc", health_url=camera_servers.snapshot("error")))
    assert ok.problems == []
    assert failing.problems == [Problem.HTTP_ERROR]
    assert set(failing.durations) == {Check.TCP, Check.HTTP}


def test_hls_url_that_is_not_a_playlist(camera_servers):
    result = probe_one(Target("cam", hls_url=camera_servers.snapshot("notimage")))
    assert result.problems == [Problem.NO_STREAM]


# Secrets and rounds


def test_credentials_never_in_detail_repr_or_logs(camera_servers, rtsp_server, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = []
    targets = []
    for auth in ("digest", "basic"):
        secret = f"pw-{auth}-{time.monotonic_ns()}"
        secrets.append(secret)
        targets.append(
            Target(
                f"rtsp-{auth}",
                rtsp_url=rtsp_server.url("/moving", auth),
                username="operator",
                password=secret,
            )
        )
    secret = f"pw-http-{time.monotonic_ns()}"
    secrets.append(secret)
    targets.append(
        Target(
            "http",
            snapshot_url=camera_servers.snapshot("moving", secure=True),
            username="admin",
            password=secret,
        )
    )
    results = run_round(targets, Limits())
    assert [r.problems for r in results] == [[Problem.AUTH_FAILED]] * 3
    for secret in secrets:
        for text in (caplog.text, *map(repr, targets), *map(repr, results)):
            assert secret not in text
        assert all(secret not in r.detail for r in results)


def test_round_goes_on_past_failures_in_order(camera_servers):
    targets = [
        Target("refused", snapshot_url=camera_servers.refusing()),
        Target("silent", snapshot_url=camera_servers.silent()),
        Target("garbage", snapshot_url=camera_servers.snapshot("garbage")),
        Target("ok", snapshot_url=camera_servers.snapshot("moving")),
        Target("no-urls"),
    ]
    seen = []
    results = run_round(
        targets, dataclasses.replace(FAST, snapshot_timeout=4, concurrency=2), seen.append
    )
    assert [r.key for r in results] == [t.key for t in targets]
    assert sorted(r.key for r in seen) == sorted(t.key for t in targets)
    assert [r.problems for r in results] == [
        [Problem.UNREACHABLE],
        [Problem.TIMEOUT],
        [Problem.NOT_AN_IMAGE],
        [],
        [],
    ]
    assert all(r.checked_at.tzinfo is not None for r in results)


def test_round_keeps_to_its_concurrency_limit(camera_servers):
    # Six cameras that each hold a probe for the whole 0.5 s timeout, two at a
    # time: three waves. Without the limit they would all wait together.
    limits = dataclasses.replace(FAST, snapshot_timeout=0.5, concurrency=2)
    targets = [Target(f"cam-{i}", snapshot_url=camera_servers.silent()) for i in range(6)]
    started = time.monotonic()
    results = run_round(targets, limits)
    assert [r.problems for r in results] == [[Problem.TIMEOUT]] * 6
    assert time.monotonic() - started >= 3 * 0.5


def test_round_from_a_thread_whose_event_loop_runs(camera_servers):
    """Playwright's sync API, an async view or a worker may already run a loop here."""

    async def inside_a_loop():
        return run_round([Target("ok", snapshot_url=camera_servers.snapshot("moving"))])

    results = in_a_fresh_thread(lambda: asyncio.run(inside_a_loop()))
    assert [r.problems for r in results] == [[]]


def test_probe_one_target_in_a_loop(camera_servers):
    target = Target("cam", snapshot_url=camera_servers.snapshot("blank"))
    result = in_a_fresh_thread(lambda: asyncio.run(probe(target)))
    assert result.problems == [Problem.BLANK]


def test_demo_cameras_show_what_they_promise():
    with simulator.Simulator() as running:
        assert running.ports
        cameras = simulator.demo_cameras(running.ports.http)
        # demo_cameras() puts the refusing port at base + 2; point it at ours.
        refused = f"127.0.0.1:{running.ports.http + 2}"
        targets = [
            Target(
                c.name,
                snapshot_url=c.snapshot_url.replace(refused, f"127.0.0.1:{running.ports.refusing}"),
                onvif_url=c.onvif_url.replace(refused, f"127.0.0.1:{running.ports.refusing}"),
                username=c.username,
                password=c.password,
            )
            for c in cameras
        ]
        first = run_round(targets)
        time.sleep(1.1)  # let the clocks on the frames tick
        second = run_round(
            [
                dataclasses.replace(t, previous_fingerprint=r.fingerprint)
                for t, r in zip(targets, first, strict=True)
            ]
        )
    for camera, result in zip(cameras, second, strict=True):
        expected = [camera.expected_problem] if camera.expected_problem else []
        assert result.problems == expected, camera.name
        state = "down" if result.down else "degraded" if result.degraded else "up"
        assert state == camera.expected, camera.name
