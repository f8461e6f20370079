"""Tracking codes that residents can type: 140 random bits in Crockford base32.

Crockford's alphabet has no I, L, O or U, and reading is forgiving: O is 0,
I and L are 1, case, spaces and dashes do not matter. The code is stored
without separators and shown in groups of four.
"""

import re
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError

T = TypeVar("T")

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


# Short references: what people read over the phone -------------------------
#
# Eight characters in two groups of four (e.g. "K7QM-3XPA"). In each group three
# characters are random and the fourth checks them, so a mistyped reference is
# told from an unknown one, and the group that is wrong can be named without
# looking anything up. 6 x 5 = 30 random bits: too few to keep a report secret
# alone, which is why a short reference only opens a report together with the
# last four digits of the phone number given with it (docs/tracking.md).

SHORT_GROUPS = 2
SHORT_RANDOM = 3  # random characters per group; one check character follows
SHORT_LENGTH = SHORT_GROUPS * (SHORT_RANDOM + 1)
_SHORT_VALID = re.compile(f"^[{ALPHABET}]{{{SHORT_LENGTH}}}$")
_CHECK_MOD = 31  # prime: a changed character or two swapped ones change the sum


def _check_char(group: str, index: int) -> str:
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(group)) + 7 * (index + 1)
    return ALPHABET[total % _CHECK_MOD]


def new_short_ref() -> str:
    groups = []
    for index in range(SHORT_GROUPS):
        body = "".join(secrets.choice(ALPHABET) for _ in range(SHORT_RANDOM))
        groups.append(body + _check_char(body, index))
    return "".join(groups)


SHORT_TRIES = 8  # clashes in a row before giving up: the space is full


def unused_short_ref(taken: Callable[[str], bool]) -> str:
    """A new short reference for which `taken(ref)` is false."""
    for _attempt in range(SHORT_TRIES):
        ref = new_short_ref()
        if not taken(ref):
            return ref
    raise RuntimeError("no free short reference")


def insert_with_short_ref(insert: Callable[[str], T], taken: Callable[[str], bool]) -> T:
    """`insert(ref)` (one transaction) with a new short reference, and again with
    another when the unique index refuses it (`taken(ref)`): a clash of 30 random
    bits is rare, so no read asks first. Other integrity errors are raised."""
    for _attempt in range(SHORT_TRIES):
        ref = new_short_ref()
        try:
            return insert(ref)
        except IntegrityError:
            if not taken(ref):
                raise
    raise RuntimeError("no free short reference")


def fill_short_refs(model, batch_size: int = 2000) -> None:
    """Give every row of `model` without a short reference one (a migration's step),
    in batches: one UPDATE per row took minutes on a year of a regency's rows."""
    used = set(model.objects.exclude(short_ref=None).values_list("short_ref", flat=True))
    batch = []
    for row in model.objects.filter(short_ref=None).only("pk").iterator(chunk_size=batch_size):
        row.short_ref = unused_short_ref(used.__contains__)
        used.add(row.short_ref)
        batch.append(row)
        if len(batch) == batch_size:
            model.objects.bulk_update(batch, ["short_ref"])
            batch = []
    model.objects.bulk_update(batch, ["short_ref"])


def _compact(text: str) -> str:
    return re.sub(r"[\s\-.]", "", text or "").upper().translate(_READ_AS)


def wrong_short_groups(text: str) -> list[int] | None:
    """The groups (1, 2) whose check character does not match, [] when the reference
    is well formed, None when `text` is not shaped like a short reference at all."""
    code = _compact(text)
    if not _SHORT_VALID.match(code):
        return None
    step = SHORT_RANDOM + 1
    return [
        index + 1
        for index in range(SHORT_GROUPS)
        if code[index * step + SHORT_RANDOM]
        != _check_char(code[index * step : index * step + SHORT_RANDOM], index)
    ]


def normalise_short(text: str) -> str | None:
    """The stored form of a short reference, or None unless it is one and checks out."""
    return _compact(text) if wrong_short_groups(text) == [] else None


def phone_tail(phone: str) -> str:
    """The last four digits of a phone number, as people say them."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:] if len(digits) >= 4 else ""


def explain(text: str) -> dict:
    """What looks wrong in a code someone typed, found without looking anything up
    (so it tells nothing about anyone's reports): is it a short reference or a
    long code, how many characters it has against how many it should, which
    groups of four hold a character codes never use or fail their check, and
    whether it is well formed (then it is simply not known, or the phone digits
    do not match)."""
    compact = _compact(text)
    short = len(compact) <= SHORT_LENGTH + 2
    expected = SHORT_LENGTH if short else LENGTH
    groups = [compact[i : i + GROUP] for i in range(0, len(compact), GROUP)]
    bad = [n + 1 for n, group in enumerate(groups) if any(c not in ALPHABET for c in group)]
    if short and not bad and len(compact) == SHORT_LENGTH:
        bad = wrong_short_groups(compact) or []
    return {
        "short": short,
        "length": len(compact),
        "expected": expected,
        "bad_groups": bad,
        "well_formed": not bad and len(compact) == expected,
    }


def distance(a: str, b: str) -> int:
    """Levenshtein distance (small strings: a suggestion among a person's own codes)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# What this browser may see again: the reports and requests it sent or opened
# with a code, as public keys (never codes or row ids) in a signed cookie per
# kind. A "did you mean" page lists only these, so a mistyped code never shows
# anyone else's. A cookie, not the session: a submission then writes its own
# rows and nothing else (no session row to save in a second transaction).
REMEMBERED = 10


def _cookie(kind: str) -> str:
    return f"balai_{kind}_mine"


def remembered(request, kind: str) -> list[str]:
    """This browser's keys of `kind`, newest first (a cookie not signed by us: none)."""
    value = request.get_signed_cookie(
        _cookie(kind), default="", salt=_cookie(kind), max_age=settings.SESSION_COOKIE_AGE
    )
    return [key for key in value.split(",") if key]


def remember(request, response, kind: str, key: str) -> None:
    """Add `key` to what this browser may see again, on the response it is sent."""
    keys = [key, *(k for k in remembered(request, kind) if k != key)][:REMEMBERED]
    response.set_signed_cookie(
        _cookie(kind),
        ",".join(keys),
        salt=_cookie(kind),
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )
