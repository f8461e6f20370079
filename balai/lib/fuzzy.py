"""Finding a name as people type it: "tegal rejo", "Tegalrejo", "tegalrjo".

For short, bounded lists (a regency's ~205 villages and ~21 districts) that a
page loads anyway. Names and the query are folded (case, accents, spaces,
hyphens and the words "desa", "kelurahan", "kecamatan" dropped), then scored:
an exact fold 1.0, a prefix 0.9, a part of the name 0.85, else difflib's
similarity ratio when it reaches 0.75 (one or two typos in a village name),
scaled below 0.85 so a typo never outranks a name that matches. Done
in Python rather than with trigram indexes: the same answer on SQLite and
PostgreSQL, no database extension (pg_trgm needs a superuser) and no
migration. Ranking Lumajang's 205 villages takes 0.7 ms of CPU per query
(benchmarks/bench_village_search.py): the query is analysed once, names far
off are dropped by difflib's cheap upper bounds, each name is folded once.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher
from typing import TypeVar

T = TypeVar("T")

THRESHOLD = 0.75  # difflib's ratio a typo must reach
TYPO_WEIGHT = 0.84
_NOISE_WORDS = re.compile(r"\b(?:desa|kelurahan|kel|kecamatan|kec)\b\.?")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """`Desa Tegal-Rejo` -> `tegalrejo`."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return _NOT_ALNUM.sub("", _NOISE_WORDS.sub(" ", text))


class Scorer:
    """How well one folded query names folded names, 0 to 1 (see the module)."""

    def __init__(self, query: str, threshold: float = THRESHOLD):
        self.query = query
        self.threshold = threshold
        self.matcher = SequenceMatcher(None, b=query, autojunk=False)  # query analysed once
        self.cache: dict[str, float] = {}

    def __call__(self, name: str) -> float:
        if name not in self.cache:
            self.cache[name] = self._score(name)
        return self.cache[name]

    def _score(self, name: str) -> float:
        query = self.query
        if not query or not name:
            return 0.0
        if query == name:
            return 1.0
        if name.startswith(query):
            return 0.9
        if query in name:
            return 0.85
        self.matcher.set_seq1(name)
        if self.matcher.real_quick_ratio() < self.threshold:
            return 0.0  # cheap upper bounds first: most names are far off
        if self.matcher.quick_ratio() < self.threshold:
            return 0.0
        ratio = self.matcher.ratio()
        # Below any part of the name, so a typo never outranks an exact name.
        return TYPO_WEIGHT * ratio if ratio >= self.threshold else 0.0


def score(query: str, name: str) -> float:
    """How well `query` names `name` (both folded here), 0 to 1."""
    return Scorer(fold(query))(fold(name))


def rank(
    query: str,
    items: Iterable[T],
    names: Callable[[T], Iterable[tuple[str, float]]],
    threshold: float = THRESHOLD,
) -> list[T]:
    """The items that `query` names, best first (ties keep the items' order).

    `names(item)` gives (name, weight) pairs: a village is named by its own
    name (weight 1) and by its district's (a little less, so a village called
    like the district comes first)."""
    folded = fold(query)
    if not folded:
        return list(items)
    scorer = Scorer(folded, threshold)
    scored = []
    for position, item in enumerate(items):
        best = max((scorer(fold(name)) * weight for name, weight in names(item)), default=0)
        if best > 0:
            scored.append((-best, position, item))
    scored.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _score, _position, item in scored]
