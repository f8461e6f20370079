"""One search over the catalogue: Indonesian, typo-tolerant, synonym-aware, ranked
by the database.

The work is split so that each part is done by what does it best:

- **Words.** Text is lower-cased, split on anything that is not a letter or a
  digit, and each word stemmed with Sastrawi (Indonesian affixes:
  "kehilangan" -> "hilang", "kelahiran" -> "lahir"), both when a service is
  indexed and when a query comes in, so the database matches stems.
- **Typos.** A query word that is in no entry and no synonym is replaced by
  vocabulary words (`IndexWord`): first those one slip away (two letters
  swapped, one too many: "keluraga" -> "keluarga"), looked up exactly, else
  the nearest by trigram similarity, computed by the database: pg_trgm's `%`
  and `similarity()` on PostgreSQL, an FTS5 trigram table on SQLite ("hlang"
  -> "hilang").
- **Synonyms.** Phrases of the query found in the `Synonym` table bring in
  their whole group ("ktp" also searches "kartu tanda penduduk", "e-ktp").
- **Ranking.** The concepts are OR-ed into one full-text query and ranked by
  the database: FTS5's bm25 with the name weighted over keywords over body on
  SQLite, ts_rank over a weighted tsvector on PostgreSQL. No score is
  computed here.
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from balai.hub.choices import PUBLIC_STATUSES
from balai.hub.vocabulary import STOPWORDS

MAX_QUERY_WORDS = 12
MAX_WORD = 40
TRIGRAM_THRESHOLD = 0.3  # pg_trgm.similarity_threshold's default
MIN_CORRECTED = 4  # shorter words are too ambiguous to correct (kk, sd, pju)
CANDIDATES = 2  # nearest vocabulary words tried for a misspelt one
SYNONYMS_SECONDS = 60
WORD = re.compile(r"[^\W_]+", re.UNICODE)


@functools.cache
def _stemmer():
    return StemmerFactory().create_stemmer()


def words(text: str) -> list[str]:
    """Lower-case words without diacritics ("Akta-Kelahiran" -> ["akta", "kelahiran"])."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return [w[:MAX_WORD] for w in WORD.findall(plain)]


@functools.lru_cache(maxsize=20000)
def stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    return _stemmer().stem(word) or word


def stems(text: str) -> str:
    return " ".join(stem(w) for w in words(text))


# ---- the index side --------------------------------------------------------------


def document_text(service) -> dict[str, str]:
    """The three weighted fields a service is found by, stemmed."""
    agency = service.agency
    keywords = [service.tags, *(t.name for t in service.themes.all())]
    body = [service.description, service.audience, service.requirements]
    if agency is not None:
        keywords.append(agency.short_name)
        body.append(agency.name)
    return {
        "name": stems(service.name),
        "keywords": stems(" ".join(keywords)),
        "body": stems(" ".join(body)),
    }


def surface_words(*texts: str) -> set[str]:
    """The words as written, for the vocabulary typos are corrected to."""
    return {w for text in texts for w in words(text) if len(w) >= 3 and not w.isdigit()}


# ---- synonyms ----------------------------------------------------------------------


def _load_synonyms() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    from balai.hub.models import Synonym

    groups: dict[str, list[tuple[str, ...]]] = {}
    for group, phrase in Synonym.objects.values_list("group", "phrase"):
        groups.setdefault(group, []).append(tuple(words(phrase)))
    return {phrase: tuple(members) for members in groups.values() for phrase in members if phrase}


_synonyms: dict = {"at": 0.0, "table": None}


def synonyms() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Each phrase (as a tuple of words) -> every phrase of its group.

    Kept in the process for SYNONYMS_SECONDS: a search costs no query for it. A
    change is seen at once by the process that made it, by others within that time."""
    now = time.monotonic()
    if _synonyms["table"] is None or now - _synonyms["at"] > SYNONYMS_SECONDS:
        _synonyms.update(table=_load_synonyms(), at=now)
    return _synonyms["table"]


def forget_synonyms() -> None:
    _synonyms["table"] = None


# ---- the query side ----------------------------------------------------------------


@dataclass
class Query:
    """What a resident typed, as the database will be asked it."""

    text: str
    corrected: dict[str, list[str]] = field(default_factory=dict)  # typo -> vocabulary words
    concepts: list[set[tuple[str, ...]]] = field(default_factory=list)  # OR-ed, stemmed phrases

    @property
    def empty(self) -> bool:
        return not self.concepts


def _corrections(tokens: list[str]) -> dict[str, list[str]]:
    from balai.hub.models import IndexWord

    candidates = {t for t in tokens if len(t) >= MIN_CORRECTED and not t.isdigit()} - STOPWORDS
    # One slip of the finger (two letters swapped, one too many): looked up exactly,
    # in the same query that tells which words are known at all.
    slips = {token: _slips(token) for token in candidates}
    asked = candidates.union(*slips.values())
    stems_of = {token: stem(token) for token in candidates}
    asked |= set(stems_of.values())
    known = set(IndexWord.objects.filter(word__in=asked).values_list("word", flat=True))
    found: dict[str, list[str]] = {}
    # A word whose stem is indexed is no typo ("diangkut": "angkut").
    for token in sorted(t for t in candidates - known if stems_of[t] not in known):
        if exact := sorted(v for v in slips[token] if v in known)[:CANDIDATES]:
            found[token] = exact
        elif nearest := backend().similar_words(token, CANDIDATES):
            found[token] = nearest
    return found


def _slips(token: str) -> set[str]:
    """The word with two neighbouring letters swapped, or one letter left out."""
    swapped = {token[:i] + token[i + 1] + token[i] + token[i + 2 :] for i in range(len(token) - 1)}
    dropped = {token[:i] + token[i + 1 :] for i in range(len(token))}
    return (swapped | dropped) - {token}


def _phrase_at(tokens: list[str], i: int, known) -> tuple[int, tuple[tuple[str, ...], ...]]:
    """The longest synonym phrase starting at `i`: its length and its group."""
    for n in (4, 3, 2, 1):
        group = known.get(tuple(tokens[i : i + n])) if i + n <= len(tokens) else None
        if group:
            return n, group
    return 0, ()


def parse(text: str) -> Query:
    tokens = words(text)[:MAX_QUERY_WORDS]
    query = Query(text=text, corrected=_corrections(tokens))
    # The first candidate stands in for a misspelt word when matching synonyms.
    best = [query.corrected.get(t, [t])[0] for t in tokens]
    known = synonyms()
    i = 0
    while i < len(tokens):
        n, group = _phrase_at(best, i, known)
        if n:
            query.concepts.append({tuple(stem(w) for w in p) for p in group})
        if n > 1:  # the words of a phrase count on their own too, with their own synonyms
            for j in range(i, i + n):
                _single(query, best[j], tokens[j], known)
        elif not n:
            _single(query, best[i], tokens[i], known)
        i += max(n, 1)
    query.concepts = [c for c in query.concepts if c]
    return query


def _single(query: Query, word: str, typed: str, known) -> None:
    if word in STOPWORDS or len(word) < 2:  # "e" of "e ktp" says nothing alone
        return
    alternatives = query.corrected.get(typed, [word])
    concept: set[tuple[str, ...]] = {(stem(w),) for w in alternatives}
    for w in alternatives:
        if (group := known.get((w,))) and len(alternatives) == 1:
            concept |= {tuple(stem(x) for x in p) for p in group}
    query.concepts.append(concept)


def _flatten(concepts: Iterable[set[tuple[str, ...]]]) -> list[tuple[str, ...]]:
    seen: dict[tuple[str, ...], None] = {}
    for concept in concepts:
        for phrase in sorted(concept):
            if phrase and all(phrase):
                seen.setdefault(phrase, None)
    return list(seen)


# ---- the database side -------------------------------------------------------------


# Entries with every concept of the query first, then by bm25 (name over keywords over body).
SQLITE_RANKED = """
SELECT s.id FROM hub_search JOIN hub_service s ON s.id = hub_search.rowid
WHERE hub_search MATCH %s AND s.status IN (%s, %s)
ORDER BY hub_search.rowid IN (SELECT rowid FROM hub_search WHERE hub_search MATCH %s) DESC,
    bm25(hub_search, 10.0, 4.0, 1.0), s.name
LIMIT %s OFFSET %s"""


class SQLiteSearch:
    """FTS5: `hub_search` (unicode61 over SearchDocument), `hub_word_trigrams` (trigram)."""

    def match(self, phrases: list[tuple[str, ...]]) -> str:
        return " OR ".join('"' + " ".join(p) + '"' for p in phrases)

    def match_all(self, concepts: list[set[tuple[str, ...]]]) -> str:
        return " AND ".join(f"({self.match(_flatten([c]))})" for c in concepts)

    def ranked(self, query: Query, limit: int, offset: int) -> list[int]:
        sql = SQLITE_RANKED
        params: list[str | int] = [
            self.match(_flatten(query.concepts)),
            *PUBLIC_STATUSES,
            self.match_all(query.concepts),
            limit,
            offset,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def similar_words(self, token: str, n: int) -> list[str]:
        grams = {token[i : i + 3] for i in range(len(token) - 2)}
        match = " OR ".join(f'"{g}"' for g in sorted(grams))
        sql = (
            "SELECT w.word FROM hub_word_trigrams JOIN hub_indexword w "
            "ON w.id = hub_word_trigrams.rowid WHERE hub_word_trigrams MATCH %s "
            "AND length(w.word) BETWEEN %s AND %s "
            "ORDER BY bm25(hub_word_trigrams), w.word LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, len(token) - 2, len(token) + 2, n * 4])
            found = [row[0] for row in cursor.fetchall()]
        # FTS5 finds words sharing trigrams; pg_trgm's threshold keeps the near ones,
        # so that both databases correct alike.
        return [w for w in found if trigram_similarity(token, w) >= TRIGRAM_THRESHOLD][:n]


class PostgresSearch:
    """A weighted tsvector ('simple' dictionary over stemmed text) and pg_trgm."""

    def tsquery(self, phrases: list[tuple[str, ...]]) -> str:
        return " | ".join("(" + " <-> ".join(p) + ")" for p in phrases)

    def ranked(self, query: Query, limit: int, offset: int) -> list[int]:
        # Entries with every concept of the query first, then by ts_rank.
        sql = (
            "SELECT s.id FROM hub_searchdocument d JOIN hub_service s ON s.id = d.service_id, "
            "to_tsquery('simple', %s) q, to_tsquery('simple', %s) q_all "
            "WHERE d.vector @@ q AND s.status = ANY(%s) "
            "ORDER BY d.vector @@ q_all DESC, ts_rank(d.vector, q) DESC, s.name "
            "LIMIT %s OFFSET %s"
        )
        every = " & ".join(f"({self.tsquery(_flatten([c]))})" for c in query.concepts)
        params: list[str | int | list[str]] = [
            self.tsquery(_flatten(query.concepts)),
            every,
            list(PUBLIC_STATUSES),
            limit,
            offset,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def similar_words(self, token: str, n: int) -> list[str]:
        sql = (
            "SELECT word FROM hub_indexword WHERE word %% %s "
            "ORDER BY similarity(word, %s) DESC, word LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [token, token, n])
            return [row[0] for row in cursor.fetchall()]


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams of the padded words over all of them."""
    x, y = _trigrams(a), _trigrams(b)
    return len(x & y) / len(x | y)


def backend():
    return PostgresSearch() if connection.vendor == "postgresql" else SQLiteSearch()


def search(text: str, *, limit: int = 20, offset: int = 0):
    """Public services matching `text`, best first; and the parsed query."""
    from balai.hub.models import Service

    query = parse(text)
    if query.empty:
        return [], query
    ids = backend().ranked(query, limit, offset)
    found = Service.objects.select_related("agency").in_bulk(ids)
    return [found[i] for i in ids if i in found], query
