"""On BALAI_TASKS_BACKEND=rq a real RQ worker (another process) fans an event
out and delivers it to a real receiver on loopback."""

import pytest

from balai.core.tests.deployment import wait_for
from balai.notifications.events import Kind, publish
from balai.webhooks import actions as webhooks
from balai.webhooks.choices import DeliveryStatus
from balai.webhooks.models import Delivery


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_a_webhook(cast, receiver, regency_client, rq_workers, settings):
    settings.BALAI_WEBHOOKS_ALLOW_PRIVATE = True
    receiver.expect_request("/hook", method="POST").respond_with_data("ok")
    webhooks.create_subscription(regency_client, receiver.url_for("/hook"), [Kind.SERVICE_DOWN])
    publish(Kind.SERVICE_DOWN, {"service": "sipd", "at": "2026-12-05T10:00:00+07:00"})
    rq_workers(1, BALAI_WEBHOOKS_ALLOW_PRIVATE="true")
    wait_for(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SUCCEEDED).exists(),
        "the delivery",
        timeout=180,
    )
    assert len(receiver.log) == 1
