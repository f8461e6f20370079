"""Keys that make name search fast, accent- and case-insensitive and typo-tolerant.

Both keys are computed in Python and stored in indexed columns, so the same
prefix query works on SQLite and PostgreSQL without extensions:

- `name_key`: the name folded to lower-case ASCII letters and single spaces
  ("Siti Nur'aini" -> "siti nuraini").
- `name_sound`: a phonetic key per word tuned to Indonesian spellings (old and
  new: dj/j, tj/c, oe/u, ch/kh/h; doubled letters; every vowel run written
  "a"), so "Mochamad", "Muhammad" and "Mohamad" share one key, "Sutrisno" and
  "Sutrisna" too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_REWRITES = (
    ("dj", "j"),
    ("tj", "c"),
    ("sj", "sy"),
    ("oe", "u"),
    ("ph", "f"),
    ("ch", "h"),
    ("kh", "h"),
    ("q", "k"),
    ("x", "ks"),
    ("v", "f"),
    ("z", "s"),
)
_CONSONANTS = str.maketrans({"b": "p", "d": "t", "c": "k", "y": "i"})
_VOWELS = set("aeiou")


def fold(text: str) -> str:
    """Lower-case ASCII letters and single spaces: the searchable form of a name."""
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    text = text.replace("'", "").replace("`", "").replace("\u2019", "")
    return _SPACES.sub(" ", _NON_LETTERS.sub(" ", text)).strip()


@lru_cache(maxsize=50_000)
def sound_word(word: str) -> str:
    if not word:
        return ""
    for old, new in _REWRITES:
        word = word.replace(old, new)
    word = word[0] + word[1:].replace("h", "")
    key: list[str] = []
    for ch in word.translate(_CONSONANTS):
        if ch in _VOWELS:
            ch = "a"  # vowels keep their place, not their colour (o/u/a slips)
        if not key or key[-1] != ch:
            key.append(ch)
    return "".join(key)


def sound(text: str) -> str:
    """The phonetic key of a name: one key per word, space-separated."""
    return sound_folded(fold(text))


def sound_folded(folded: str) -> str:
    return " ".join(sound_word(w) for w in folded.split())


def prefix_range(prefix: str) -> tuple[str, str]:
    """[low, high) bounds holding exactly the strings that start with `prefix`.

    A range on a plain B-tree index works on both databases, where LIKE 'x%'
    would need a special operator class on PostgreSQL and case-sensitive LIKE
    on SQLite. The keys hold only a-z and spaces, so the bounds are exact.
    """
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)
