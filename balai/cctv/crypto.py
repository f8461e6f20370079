"""Camera credentials at rest: Fernet tokens under keys from the environment.

BALAI_CCTV_KEYS holds one or more Fernet keys: the first encrypts, every one
decrypts (cryptography's MultiFernet), so a new key is put first, the stored
tokens re-encrypted (`balai rotate-camera-keys`), then the old key removed.
Plaintext lives only in memory, for the probe that needs it.
"""

import base64
import hashlib
import json
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialError(Exception):
    """Stored credentials cannot be read with the configured keys."""


def derived_key() -> bytes:
    """The demo's key when BALAI_CCTV_KEYS is unset: derived from SECRET_KEY."""
    digest = hashlib.sha256(b"balai-cctv:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def keys_configured() -> bool:
    return bool(settings.BALAI_CCTV_KEYS)


def _fernet() -> MultiFernet:
    keys: Sequence[str | bytes] = settings.BALAI_CCTV_KEYS or [derived_key()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(username: str, password: str) -> str:
    """A token holding both; "" when there is nothing to hide."""
    if not username and not password:
        return ""
    payload = json.dumps({"u": username, "p": password}).encode()
    return _fernet().encrypt(payload).decode()


def decrypt(token: str) -> tuple[str, str]:
    if not token:
        return "", ""
    try:
        data = json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise CredentialError(
            "camera credentials cannot be decrypted with BALAI_CCTV_KEYS"
        ) from None
    return data["u"], data["p"]


def rotate(token: str) -> str:
    """The same secret under the first key."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise CredentialError(
            "camera credentials cannot be decrypted with BALAI_CCTV_KEYS"
        ) from None
