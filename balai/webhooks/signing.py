"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

`webhook-signature` is one `v1,<base64 HMAC-SHA256>` per signing secret,
space-separated, over `<webhook-id>.<webhook-timestamp>.<body>`; during a
rotation's overlap both the old and the new secret sign, so a receiver
holding either verifies the message.
"""

import base64
import hashlib
import hmac

from balai.webhooks.models import SECRET_PREFIX


def key_of(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets: list[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(s, msg_id, timestamp, body) for s in secrets),
        "content-type": "application/json",
        "user-agent": "Balai-Webhooks/1",
    }
