"""Tracking codes travel in messages but are never kept in clear in the table.

The notifications layer seals each body (encrypted with a key derived from
SECRET_KEY) while it waits to be sent, erases it once sent or given up, and
keeps each event's key as a digest: letters put their tracking code in the
key, complaints in the body. Checked against the raw rows of the database.
"""

from django.db import connection

from balai.lib import tracking
from balai.notifications.actions import notify
from balai.notifications.choices import Status
from balai.notifications.models import Notification


def raw_rows() -> str:
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table name
        return repr(cursor.fetchall())


def test_a_complaints_code_arrives_by_smtp_and_is_not_in_the_table(db, cast, smtp_server, settings):
    from django_tasks import default_task_backend

    from balai.complaints.actions import submit_complaint
    from balai.complaints.models import Category

    category = Category.objects.create(code="lainnya", name="Lainnya")
    # A queue that keeps tasks for the worker (here: the test) instead of running them.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
    _, code = submit_complaint(
        category=category,
        village=cast.village_a,
        description="Lampu jalan mati.",
        reporter_email="siti@example.com",
    )
    # Queued, not yet sent: sealed, not in clear.
    assert Notification.objects.get().status == Status.QUEUED
    rows = raw_rows()
    assert code not in rows and tracking.grouped(code) not in rows
    # The worker runs the submission's task, which queues the delivery (run at once here).
    [submitted] = default_task_backend.results
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    submitted.task.call(*submitted.args, **submitted.kwargs)
    [message] = smtp_server.messages
    assert tracking.grouped(code) in message.get_payload(decode=True).decode()
    assert Notification.objects.get().status == Status.SENT
    rows = raw_rows()
    assert code not in rows and tracking.grouped(code) not in rows


def test_a_letters_code_in_the_event_key_is_not_in_the_table(
    db, smtp_server, django_capture_on_commit_callbacks
):
    code = "ABCD-EFGH-JKMN"
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            key=f"letter:{code}:ready:1",
            subject="Surat siap",
            body=f"Surat Anda siap. Lacak: https://balai.example/surat/lacak/{code}/",
            email="warga@example.org",
        )
        # The same event again is still recognised (by the key's digest).
        notify(key=f"letter:{code}:ready:1", body="lagi", email="warga@example.org")
    [message] = smtp_server.messages
    assert code in message.get_payload(decode=True).decode()
    assert Notification.objects.count() == 1
    assert code not in raw_rows()


def test_a_failing_gateway_still_has_the_message_for_each_retry(
    db, settings, httpserver, django_capture_on_commit_callbacks
):
    settings.BALAI_MESSAGE_GATEWAY_URL = httpserver.url_for("/send")
    httpserver.expect_request("/send").respond_with_data("down", status=503)
    with django_capture_on_commit_callbacks(execute=True):
        notify(key="complaint:x:received", body="Kode pelacakan: WXYZ-2345.", phone="081234567890")
    messages = [request.get_json()["message"] for request, _ in httpserver.log]
    assert messages == ["Kode pelacakan: WXYZ-2345."] * 5
    assert Notification.objects.get().status == Status.FAILED
    assert "WXYZ-2345" not in raw_rows()
