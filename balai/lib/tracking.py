"""Tracking codes that residents can type: 140 random bits in Crockford base32.

Crockford's alphabet has no I, L, O or U, and reading is forgiving: O is 0,
I and L are 1, case, spaces and dashes do not matter. The code is stored
without separators and shown in groups of four.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 28  # 28 x 5 = 140 bits: more than the 128 that make guessing hopeless
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALID = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The stored form of what someone typed, or None if it cannot be a code."""
    code = re.sub(r"[\s\-]", "", text or "").upper().translate(_READ_AS)
    return code if _VALID.match(code) else None


def typed(text: str) -> str | None:
    """What someone typed as (the start of) a code, read forgivingly; None when it
    holds a character no code has."""
    code = re.sub(r"[\s\-]", "", text or "").upper().translate(_READ_AS)
    return code if code and set(code) <= _CHARS and len(code) <= LENGTH else None


_CHARS = set(ALPHABET)


def grouped(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
