"""Message bodies sealed at rest, and event keys kept as digests.

A body may carry a secret the rest of the system keeps only as a digest (a
complaint's tracking code) or an address that works as one (a letter's
tracking link). It waits in the table only as Fernet ciphertext (AES with an
HMAC, from `cryptography`), under a key derived from SECRET_KEY, so a copy of
the database alone reads nothing; once sent or given up it is erased.
"""

import hashlib

from balai.lib import sealing

PURPOSE = b"balai.notifications.body:"


def seal(text: str) -> str:
    return sealing.seal(text, PURPOSE)


def unseal(token: str) -> str:
    # "" when sealed under a key no longer configured: nothing to send.
    return sealing.unseal(token, PURPOSE)


def key_digest(key: str) -> str:
    """The stored form of an event's key: still unique per event, the code not readable."""
    return hashlib.sha256(key.encode()).hexdigest()
