"""Short secrets sealed under SECRET_KEY: Fernet (AES with an HMAC, from
`cryptography`), one derived key per purpose, so a token sealed for one use
never opens for another. SECRET_KEY_FALLBACKS still open what was sealed
before a rotation; the current key seals."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _keys(purpose: bytes) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    digests = [hashlib.sha256(purpose + secret.encode()).digest() for secret in secrets]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(digest)) for digest in digests])


def seal(text: str, purpose: bytes) -> str:
    return _keys(purpose).encrypt(text.encode()).decode() if text else ""


def unseal(token: str, purpose: bytes) -> str:
    """The sealed text, or "" for a token that is not one of ours (or no longer opens)."""
    if not token:
        return ""
    try:
        return _keys(purpose).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return ""
