"""The integration pages pass axe-core on a 360 px phone, without CSP violations."""

import pytest

from balai.core.tests.axe import assert_no_axe_violations
from balai.notifications.models import Event
from balai.webhooks.models import Attempt, Delivery, Subscription

pytestmark = pytest.mark.browser


def test_integration_pages_pass_axe(cast, regency_client, page, watched, browser_login):
    subscription = Subscription.objects.create(
        client=regency_client, url="https://dinas.example.go.id/hook", kinds=["service.down"]
    )
    event = Event.objects.create(kind="service.down", data={"service": "sipd"})
    delivery = Delivery.objects.create(subscription=subscription, event=event, attempts=1)
    Attempt.objects.create(delivery=delivery, status_code=500, response_excerpt="galat", error="")
    browser_login(page, cast.admin)
    for path in (
        "/integrasi/",
        f"/integrasi/langganan/{subscription.pk}/",
        "/integrasi/panggilan/",
    ):
        watched(path)
        assert_no_axe_violations(page)
