"""The database's own search machinery over SearchDocument and IndexWord.

SQLite: two FTS5 tables with those tables as external content, kept in step
by triggers: `hub_search` (unicode61, the stemmed document, ranked by bm25)
and `hub_word_trigrams` (trigram tokenizer, for correcting misspelt words).

PostgreSQL: the pg_trgm extension (a trigram GIN index on the vocabulary), and
a generated, weighted tsvector column on the document with a GIN index.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE hub_search USING fts5(
        name, keywords, body, content='hub_searchdocument', content_rowid='service_id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER hub_search_ai AFTER INSERT ON hub_searchdocument BEGIN
        INSERT INTO hub_search(rowid, name, keywords, body)
        VALUES (new.service_id, new.name, new.keywords, new.body); END""",
    """CREATE TRIGGER hub_search_ad AFTER DELETE ON hub_searchdocument BEGIN
        INSERT INTO hub_search(hub_search, rowid, name, keywords, body)
        VALUES ('delete', old.service_id, old.name, old.keywords, old.body); END""",
    """CREATE TRIGGER hub_search_au AFTER UPDATE ON hub_searchdocument BEGIN
        INSERT INTO hub_search(hub_search, rowid, name, keywords, body)
        VALUES ('delete', old.service_id, old.name, old.keywords, old.body);
        INSERT INTO hub_search(rowid, name, keywords, body)
        VALUES (new.service_id, new.name, new.keywords, new.body); END""",
    """CREATE VIRTUAL TABLE hub_word_trigrams USING fts5(
        word, content='hub_indexword', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER hub_word_trigrams_ai AFTER INSERT ON hub_indexword BEGIN
        INSERT INTO hub_word_trigrams(rowid, word) VALUES (new.id, new.word); END""",
    """CREATE TRIGGER hub_word_trigrams_ad AFTER DELETE ON hub_indexword BEGIN
        INSERT INTO hub_word_trigrams(hub_word_trigrams, rowid, word)
        VALUES ('delete', old.id, old.word); END""",
    """CREATE TRIGGER hub_word_trigrams_au AFTER UPDATE ON hub_indexword BEGIN
        INSERT INTO hub_word_trigrams(hub_word_trigrams, rowid, word)
        VALUES ('delete', old.id, old.word);
        INSERT INTO hub_word_trigrams(rowid, word) VALUES (new.id, new.word); END""",
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS hub_search",
    "DROP TABLE IF EXISTS hub_word_trigrams",
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "hub_search_ai",
            "hub_search_ad",
            "hub_search_au",
            "hub_word_trigrams_ai",
            "hub_word_trigrams_ad",
            "hub_word_trigrams_au",
        )
    ),
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE hub_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', name), 'A')
        || setweight(to_tsvector('simple', keywords), 'B')
        || setweight(to_tsvector('simple', body), 'D')) STORED""",
    "CREATE INDEX hub_searchdocument_vector ON hub_searchdocument USING gin (vector)",
    "CREATE INDEX hub_indexword_trigram ON hub_indexword USING gin (word gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS hub_indexword_trigram",
    "DROP INDEX IF EXISTS hub_searchdocument_vector",
    "ALTER TABLE hub_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("hub", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
