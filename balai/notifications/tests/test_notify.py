import json

from balai.notifications.actions import notify
from balai.notifications.choices import Status
from balai.notifications.models import Notification


def test_it_emails_through_a_real_smtp_server(db, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            key="letter:1:ready",
            subject="Surat siap",
            body="Surat Anda siap diambil.",
            email="warga@example.org",
        )
    [message] = smtp_server.messages
    assert message["To"] == "warga@example.org"
    assert message["Subject"] == "Surat siap"
    assert "siap diambil" in message.get_payload()
    assert Notification.objects.get().status == Status.SENT


def test_whatsapp_goes_to_the_gateway_with_its_token(
    db, settings, httpserver, django_capture_on_commit_callbacks
):
    settings.BALAI_MESSAGE_GATEWAY_URL = httpserver.url_for("/send")
    settings.BALAI_MESSAGE_GATEWAY_TOKEN = "gw-secret"
    httpserver.expect_request(
        "/send", method="POST", headers={"Authorization": "Bearer gw-secret"}
    ).respond_with_json({"ok": True})
    with django_capture_on_commit_callbacks(execute=True):
        notify(key="complaint:9:resolved", body="Aduan Anda selesai.", phone="081234567890")
    [(request, _)] = httpserver.log
    assert json.loads(request.data) == {
        "channel": "whatsapp",
        "to": "6281234567890",  # one form, whatever was typed (lib.phones)
        "message": "Aduan Anda selesai.",
    }
    assert Notification.objects.get().status == Status.SENT


def test_the_same_event_is_sent_once(db, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            notify(key="letter:1:ready", body="Siap.", email="warga@example.org")
    assert len(smtp_server.messages) == 1
    assert Notification.objects.count() == 1


def test_a_gateway_failure_is_recorded_and_retried_later(
    db, settings, httpserver, django_capture_on_commit_callbacks
):
    settings.BALAI_MESSAGE_GATEWAY_URL = httpserver.url_for("/send")
    httpserver.expect_request("/send").respond_with_data("down", status=503)
    with django_capture_on_commit_callbacks(execute=True):
        notify(key="x", body="Halo.", phone="081234567890")
    notification = Notification.objects.get()
    # Immediate backend in tests: retries run at once until the attempts run out.
    assert notification.status == Status.FAILED
    assert notification.attempts == 5
    assert "503" in notification.error


def test_a_stored_number_that_is_no_phone_number_is_not_sent_to(db, settings):
    settings.BALAI_MESSAGE_GATEWAY_URL = "http://127.0.0.1:9/never"
    assert notify(key="old:1", body="Halo.", phone="12ab") == []
    assert notify(key="old:2", body="Halo.", phone="0812 3456 7890")[0].recipient == (
        "6281234567890"
    )
