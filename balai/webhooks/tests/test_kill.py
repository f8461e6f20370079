"""The task worker killed (SIGKILL) after a receiver answered, before the answer
was recorded: when the worker starts again the dispatcher is queued again and
the message is delivered once more with the same webhook-id, which receivers
de-duplicate on (at least once, never lost; docs/faults.md)."""

import pytest
from django.db import transaction

from balai.core.tests.processes import wait_for
from balai.notifications.events import Kind, publish
from balai.webhooks import actions
from balai.webhooks.choices import DeliveryStatus
from balai.webhooks.models import Delivery

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_killed_mid_delivery_delivers_again_after_restart(
    processes, receiver, regency_client, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    settings.BALAI_WEBHOOKS_ALLOW_PRIVATE = True
    processes.env.update(BALAI_WEBHOOKS_ALLOW_PRIVATE="1", BALAI_WEBHOOKS_TIMEOUT="1")
    receiver.expect_request("/hook", method="POST").respond_with_data("ok")
    actions.create_subscription(regency_client, receiver.url_for("/hook"), [Kind.SERVICE_DOWN])
    with transaction.atomic():
        publish(Kind.SERVICE_DOWN, {"service": "sipd", "at": "2026-12-05T10:00:00+07:00"})

    processes.worker("w1", pause_at="webhooks.dispatch.answered")
    processes.kill(processes.paused("webhooks.dispatch.answered"))
    assert len(receiver.log) == 1
    assert Delivery.objects.get().status == DeliveryStatus.PENDING  # the answer was not saved

    processes.worker("w1")
    wait_for(
        lambda: Delivery.objects.get().status == DeliveryStatus.SUCCEEDED,
        "the delivery to be made again once the dead worker's claim expired",
    )
    ids = {request.headers["webhook-id"] for request, _ in receiver.log}
    assert len(receiver.log) == 2 and len(ids) == 1
