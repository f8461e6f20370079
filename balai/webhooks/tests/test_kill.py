"""The task worker killed (SIGKILL) after a receiver answered, before the answer
was recorded: when the worker starts again the dispatcher is queued again and
the message is delivered once more with the same webhook-id, which receivers
de-duplicate on (at least once, never lost; docs/faults.md)."""

import pytest
from django.db import transaction

from balai.core.tests.faults import pause_env, paused, wait_until
from balai.notifications.events import Kind, publish
from balai.webhooks import actions
from balai.webhooks.choices import DeliveryStatus
from balai.webhooks.models import Delivery

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.deployment]

STEP = "webhooks.dispatch.answered"


def test_a_worker_killed_mid_delivery_delivers_again_after_restart(
    deployment, receiver, regency_client, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    settings.BALAI_WEBHOOKS_ALLOW_PRIVATE = True
    pauses = tmp_path / "pauses"
    env = {"BALAI_WEBHOOKS_ALLOW_PRIVATE": "1", "BALAI_WEBHOOKS_TIMEOUT": "1"}
    site = deployment(web=1, workers=1, env={**env, **pause_env(pauses, STEP)})
    worker = site.workers[0]
    receiver.expect_request("/hook", method="POST").respond_with_data("ok")
    actions.create_subscription(regency_client, receiver.url_for("/hook"), [Kind.SERVICE_DOWN])
    with transaction.atomic():
        publish(Kind.SERVICE_DOWN, {"service": "sipd", "at": "2026-12-05T10:00:00+07:00"})

    paused(pauses, STEP)
    worker.kill()
    assert len(receiver.log) == 1
    assert Delivery.objects.get().status == DeliveryStatus.PENDING  # the answer was not saved

    worker.env = {**site.env, "BALAI_PAUSE_AT": ""}
    worker.start()
    wait_until(
        lambda: Delivery.objects.get().status == DeliveryStatus.SUCCEEDED,
        "the delivery to be made again once the dead worker's claim expired",
    )
    ids = {request.headers["webhook-id"] for request, _ in receiver.log}
    assert len(receiver.log) == 2 and len(ids) == 1
