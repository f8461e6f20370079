"""No SSRF: targets on the inside are refused when subscribing and when sending."""

import pytest
from django.core.exceptions import ValidationError

from balai.notifications.events import Kind, publish
from balai.webhooks import actions, guard
from balai.webhooks.models import Delivery

INSIDE = [
    "https://127.0.0.1/hook",
    "https://127.1/hook",
    "https://2130706433/hook",
    "https://10.1.2.3/hook",
    "https://172.16.0.9/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
    "https://224.0.0.1/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[fe80::1]/hook",
    "https://[fd00::1]/hook",
    "https://localhost/hook",
    "https://localhost.:8443/hook",
]


@pytest.mark.parametrize("url", INSIDE)
def test_an_inside_target_is_refused_when_subscribing(settings, regency_client, url):
    settings.BALAI_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as refused:
        actions.create_subscription(regency_client, url, [Kind.SERVICE_DOWN])
    assert "url" in refused.value.message_dict


@pytest.mark.parametrize(
    "url", ["http://example.org/hook", "ftp://example.org/", "https://user:pw@example.org/"]
)
def test_only_https_without_credentials(settings, url):
    settings.BALAI_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(guard.Refused):
        guard.check_url(url)


def test_public_addresses_pass():
    assert guard.is_public("93.184.216.34") and guard.is_public("2606:4700::1111")
    assert not guard.is_public("::ffff:10.0.0.1") and not guard.is_public("2002:7f00:1::")


def test_the_address_is_checked_again_when_sending(
    allow_private, receiver, regency_client, django_capture_on_commit_callbacks
):
    """Allowed when subscribing, not any more when sending (as a name that
    re-resolves to the inside would be): refused, nothing reaches the server."""
    receiver.expect_request("/hook").respond_with_data("ok")
    for url in (
        receiver.url_for("/hook"),
        receiver.url_for("/hook").replace("127.0.0.1", "localhost"),
    ):
        actions.create_subscription(regency_client, url, [Kind.SERVICE_DOWN])
    allow_private.BALAI_WEBHOOKS_ALLOW_PRIVATE = False
    with django_capture_on_commit_callbacks(execute=True):
        publish(Kind.SERVICE_DOWN, {"service": "sipd"})
    assert receiver.log == []
    errors = [d.attempt_log.get().error for d in Delivery.objects.all()]
    assert len(errors) == 2 and all(e.startswith("refused") for e in errors)


def test_the_senders_resolver_refuses_a_name_resolving_inside(settings):
    """aiohttp connects to what this resolver returns, so a name is checked on the
    very addresses the connection uses (no second lookup to rebind)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    settings.BALAI_WEBHOOKS_ALLOW_PRIVATE = False

    async def look_up():
        resolver = guard.GuardedResolver()
        try:
            return await resolver.resolve("localhost", 443)
        finally:
            await resolver.close()

    # In a thread of its own: a browser test in this worker may hold a running loop.
    def in_a_thread():
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(asyncio.run, look_up()).result()

    with pytest.raises(guard.Refused, match="not a public address"):
        in_a_thread()
    settings.BALAI_WEBHOOKS_ALLOW_PRIVATE = True
    assert {r["host"] for r in in_a_thread()} & {"127.0.0.1", "::1"}
