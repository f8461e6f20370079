"""Message bodies sealed at rest, and event keys kept as digests.

A body may carry a secret the rest of the system keeps only as a digest (a
complaint's tracking code) or an address that works as one (a letter's
tracking link). It waits in the table only as Fernet ciphertext (AES with an
HMAC, from `cryptography`), under a key derived from SECRET_KEY, so a copy of
the database alone reads nothing; once sent or given up it is erased.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PURPOSE = b"balai.notifications.body:"


def _fernet(secret: str, purpose: bytes) -> Fernet:
    digest = hashlib.sha256(purpose + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys(purpose: bytes) -> MultiFernet:
    # The current key seals; fallbacks still open what was sealed before a rotation.
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(s, purpose) for s in secrets])


def seal(text: str, purpose: bytes = PURPOSE) -> str:
    """Encrypt `text`; another `purpose` (e.g. webhook secrets) gets its own key."""
    return _keys(purpose).encrypt(text.encode()).decode() if text else ""


def unseal(token: str, purpose: bytes = PURPOSE) -> str:
    if not token:
        return ""
    try:
        return _keys(purpose).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""  # sealed under a key no longer configured: nothing to send


def key_digest(key: str) -> str:
    """The stored form of an event's key: still unique per event, the code not readable."""
    return hashlib.sha256(key.encode()).hexdigest()
