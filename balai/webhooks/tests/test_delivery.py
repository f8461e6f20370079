"""Deliveries to a real HTTP server on loopback, verified with the
`standardwebhooks` library exactly as a receiving agency would."""

import datetime as dt
import time

import time_machine
from standardwebhooks import Webhook, WebhookVerificationError
from werkzeug import Response

from balai.notifications.events import Kind, publish
from balai.webhooks import actions, delivery
from balai.webhooks.choices import DeliveryStatus, DisabledReason
from balai.webhooks.models import Delivery, Subscription


def received(server):
    return [(request.get_data(), dict(request.headers)) for request, _ in server.log]


def publish_now(capture, kind=Kind.SERVICE_DOWN, data=None, **where):
    with capture(execute=True):
        return publish(
            kind, data or {"service": "sipd", "at": "2026-12-05T10:00:00+07:00"}, **where
        )


def test_a_delivery_verifies_with_standardwebhooks_unchanged(
    allow_private, receiver, regency_client, django_capture_on_commit_callbacks
):
    receiver.expect_request("/hook", method="POST").respond_with_data("ok")
    _, secret = actions.create_subscription(
        regency_client, receiver.url_for("/hook"), [Kind.SERVICE_DOWN]
    )
    assert secret.startswith("whsec_")
    event = publish_now(django_capture_on_commit_callbacks)
    [(body, headers)] = received(receiver)
    payload = Webhook(secret).verify(body, headers)
    assert payload["type"] == "service.down"
    assert payload["data"] == {"service": "sipd", "at": "2026-12-05T10:00:00+07:00"}
    assert dt.datetime.fromisoformat(payload["timestamp"]) == event.created_at
    assert headers["Webhook-Id"] == f"evt_{event.pk}"
    done = Delivery.objects.get()
    assert done.status == DeliveryStatus.SUCCEEDED and done.attempts == 1
    attempt = done.attempt_log.get()
    assert attempt.status_code == 200 and attempt.response_excerpt == "ok"
    assert not Subscription.objects.get().failures


def test_a_failing_receiver_is_retried_on_schedule_until_it_answers(
    allow_private, receiver, regency_client, django_capture_on_commit_callbacks
):
    answers = iter([500, 503, 200])
    receiver.expect_request("/hook").respond_with_handler(
        lambda request: Response("x", status=next(answers))
    )
    _, secret = actions.create_subscription(
        regency_client, receiver.url_for("/hook"), [Kind.SERVICE_DOWN]
    )
    publish_now(django_capture_on_commit_callbacks)
    pending = Delivery.objects.get()
    assert pending.status == DeliveryStatus.PENDING and pending.attempts == 1
    first_retry = pending.next_attempt_at
    assert dt.timedelta(seconds=4) < first_retry - pending.created_at < dt.timedelta(seconds=10)
    assert delivery.dispatch() == 0  # not due yet
    with time_machine.travel(first_retry + dt.timedelta(seconds=1), tick=True):
        assert delivery.dispatch() == 1
        pending.refresh_from_db()
        assert pending.next_attempt_at - first_retry > dt.timedelta(minutes=4)
    with time_machine.travel(pending.next_attempt_at + dt.timedelta(seconds=1), tick=True):
        assert delivery.dispatch() == 1
        # Each attempt is signed afresh: its timestamp is within the receiver's tolerance.
        Webhook(secret).verify(*received(receiver)[-1])
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.SUCCEEDED and pending.attempts == 3
    assert [a.status_code for a in pending.attempt_log.order_by("pk")] == [500, 503, 200]
    stamps = [headers["Webhook-Timestamp"] for _, headers in received(receiver)]
    assert len(set(stamps)) == 3


def test_after_the_last_retry_a_delivery_is_given_up(
    allow_private, receiver, regency_client, django_capture_on_commit_callbacks
):
    receiver.expect_request("/hook").respond_with_data("no", status=500)
    actions.create_subscription(regency_client, receiver.url_for("/hook"), [Kind.SERVICE_DOWN])
    publish_now(django_capture_on_commit_callbacks)
    pending = Delivery.objects.get()
    for _ in delivery.RETRIES:
        with time_machine.travel(pending.next_attempt_at + dt.timedelta(seconds=1), tick=True):
            delivery.dispatch()
        pending.refresh_from_db()
    assert pending.status == DeliveryStatus.FAILED and pending.attempts == 7
    total = pending.attempt_log.order_by("pk").last().at - pending.created_at
    assert dt.timedelta(hours=17) < total < dt.timedelta(hours=24)
    # Failing for over a day switches the endpoint off.
    subscription = Subscription.objects.get()
    with time_machine.travel(subscription.failing_since + dt.timedelta(hours=25), tick=True):
        publish_now(django_capture_on_commit_callbacks)
    subscription.refresh_from_db()
    assert subscription.disabled_reason == DisabledReason.FAILING


def test_410_gone_switches_the_subscription_off_at_once(
    allow_private, receiver, regency_client, django_capture_on_commit_callbacks
):
    receiver.expect_request("/hook").respond_with_data("gone", status=410)
    actions.create_subscription(regency_client, receiver.url_for("/hook"), [Kind.SERVICE_DOWN])
    publish_now(django_capture_on_commit_callbacks)
    subscription = Subscription.objects.get()
    assert subscription.disabled_reason == DisabledReason.GONE
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    publish_now(django_capture_on_commit_callbacks)
    assert Delivery.objects.count() == 1  # a switched-off subscription gets nothing new
    assert len(receiver.log) == 1


def _slow(request):
    time.sleep(5)
    return Response("late")


def _drip(request):
    def chunks():
        for _ in range(20):
            time.sleep(0.3)
            yield b"."

    return Response(chunks())


def _big(request):
    return Response(b"x" * (5 * 1024 * 1024))


def _redirect(request):
    return Response("", status=302, headers={"Location": "http://169.254.169.254/latest/"})


def test_slow_dripping_huge_and_redirecting_receivers_end_within_the_timeout(
    allow_private, receiver, regency_client, django_capture_on_commit_callbacks
):
    handlers = {"/slow": _slow, "/drip": _drip, "/big": _big, "/redirect": _redirect}
    for path, handler in handlers.items():
        receiver.expect_request(path).respond_with_handler(handler)
        actions.create_subscription(regency_client, receiver.url_for(path), [Kind.SERVICE_DOWN])
    started = time.monotonic()
    publish_now(django_capture_on_commit_callbacks)
    # All four at once, each within the 2 s timeout (plus the time to start).
    assert time.monotonic() - started < 2 + 2
    errors = {}
    for item in Delivery.objects.select_related("subscription"):
        assert item.status == DeliveryStatus.PENDING and item.next_attempt_at is not None
        errors[item.subscription.url.rsplit("/", 1)[1]] = item.attempt_log.get()
    assert "2 s" in errors["slow"].error and "2 s" in errors["drip"].error
    assert "64 KB" in errors["big"].error and errors["big"].status_code == 200
    assert errors["redirect"].status_code == 302 and "redirect" in errors["redirect"].error
    for attempt in errors.values():
        assert attempt.duration_ms < 3000
    assert not receiver.log or all("169.254" not in str(r.url) for r, _ in receiver.log)


def test_replay_sends_the_same_message_again(
    allow_private, receiver, regency_client, django_capture_on_commit_callbacks
):
    receiver.expect_request("/hook").respond_with_data("ok")
    _, secret = actions.create_subscription(
        regency_client, receiver.url_for("/hook"), [Kind.SERVICE_DOWN]
    )
    publish_now(django_capture_on_commit_callbacks)
    done = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        actions.replay(done)
    first, second = received(receiver)
    assert first[1]["Webhook-Id"] == second[1]["Webhook-Id"]
    assert Webhook(secret).verify(*second)["type"] == "service.down"
    done.refresh_from_db()
    assert done.status == DeliveryStatus.SUCCEEDED and done.attempt_log.count() == 2


def test_during_a_rotation_both_secrets_sign_then_only_the_new_one(
    allow_private, receiver, regency_client, django_capture_on_commit_callbacks
):
    receiver.expect_request("/hook").respond_with_data("ok")
    subscription, old = actions.create_subscription(
        regency_client, receiver.url_for("/hook"), [Kind.SERVICE_DOWN]
    )
    new = actions.rotate_secret(subscription)
    publish_now(django_capture_on_commit_callbacks)
    body, headers = received(receiver)[-1]
    assert len(headers["Webhook-Signature"].split(" ")) == 2
    Webhook(old).verify(body, headers)
    Webhook(new).verify(body, headers)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=25), tick=True):
        publish_now(django_capture_on_commit_callbacks)
        body, headers = received(receiver)[-1]
        assert len(headers["Webhook-Signature"].split(" ")) == 1
        Webhook(new).verify(body, headers)
        try:
            Webhook(old).verify(body, headers)
        except WebhookVerificationError as error:
            assert "signature" in str(error)
        else:
            raise AssertionError("the old secret still verifies after the overlap")
