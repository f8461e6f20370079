"""What a submission reads on every POST, kept in each process for a short while.

The village's switched-on online letter type with its workflow settings
(views.public._offer) changes rarely: a village's staff or the regency admin
edits it. Reading it from memory spares a four-table join per submission. A
save in this process clears the copy at once; other processes see the change
within TTL_SECONDS (as complaints.lookups). Only offers found are kept: a
request for anything else asks the database each time.
"""

from collections.abc import Callable
from time import monotonic
from typing import Any

TTL_SECONDS = 30

# Whose saves or deletions change an offer.
TABLES = {
    "letters.lettertype",
    "letters.villagelettertype",
    "letters.villagelettersettings",
    "regions.village",
}

_store: dict[tuple[str, str], tuple[float, Any]] = {}


def offer(village: str, letter_type: str, load: Callable[[], Any]) -> Any:
    """`load()`'s answer for this village and type, from memory when found recently."""
    now = monotonic()
    hit = _store.get((village, letter_type))
    if hit is not None and now - hit[0] <= TTL_SECONDS:
        return hit[1]
    found = load()
    if found is not None:
        _store[(village, letter_type)] = (now, found)
    return found


def clear() -> None:
    _store.clear()
