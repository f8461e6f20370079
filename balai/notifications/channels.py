"""How each channel delivers: email over SMTP, WhatsApp and SMS through a gateway.

The gateway is any HTTP endpoint (a WhatsApp Business provider, an SMS
aggregator, a village's own modem service) that accepts
`POST {"channel", "to", "message"}` as JSON with a bearer token. Adding a
channel is adding a function here.
"""

import json
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

from balai.notifications.choices import Channel


class DeliveryError(Exception):
    pass


def send_email(notification) -> None:
    send_mail(notification.subject, notification.body, None, [notification.recipient])


def send_via_gateway(notification) -> None:
    url = settings.BALAI_MESSAGE_GATEWAY_URL
    if not url:
        raise DeliveryError("no message gateway configured (BALAI_MESSAGE_GATEWAY_URL)")
    payload = {
        "channel": notification.channel,
        "to": notification.recipient,
        "message": notification.body,
    }
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.BALAI_MESSAGE_GATEWAY_TOKEN}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if response.status >= 300:
                raise DeliveryError(f"gateway answered {response.status}")
    except OSError as exc:
        raise DeliveryError(f"gateway unreachable: {exc}") from exc


SENDERS = {
    Channel.EMAIL: send_email,
    Channel.WHATSAPP: send_via_gateway,
    Channel.SMS: send_via_gateway,
}
