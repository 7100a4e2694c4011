"""The catalog: a SQLite file holding the ingest manifest, article texts and chunks, the
sources followed (``SourceRecords``), the copies of each story (``CopyRecords``) and the
stories articles belong to (``StoryRecords``).

It is the index's source of truth. Each article row records the content hash it
was indexed with (the manifest that makes ingest incremental), its body (for
showing and quoting), and its chunks' spans and texts. Chroma and the keyword index
are derived from it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from corpus import Article

from .attribution import Statement, name_words, speaker_key
from .copy_records import COPY_SCHEMA, CopyRecords
from .source_records import SOURCE_SCHEMA, SourceRecords
from .store import date_number
from .story_records import STORY_SCHEMA, StoryRecords
from .types import Chunk

WRITER = uuid.uuid4().hex
"""This process, as the catalog records who committed the last write (``last_write``)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, body_hash TEXT NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL, source TEXT NOT NULL, url TEXT,
    published_at TEXT, author TEXT, metadata TEXT NOT NULL, origin TEXT NOT NULL,
    indexed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS articles_body_hash ON articles(body_hash);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    n INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE TABLE IF NOT EXISTS statements (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, n INTEGER NOT NULL,
    speaker TEXT, speaker_key TEXT, speaker_fold TEXT, role TEXT, mention TEXT, text TEXT NOT NULL,
    kind TEXT NOT NULL, cue TEXT, start INTEGER NOT NULL, end INTEGER NOT NULL, parts TEXT NOT NULL,
    person INTEGER NOT NULL, date INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (article_id, n)
);
-- the words of organisations' names ("ministry" -> "ukraine s foreign ministry"), so
-- "What did the ministry say?" is an index lookup, not a scan of every statement
CREATE TABLE IF NOT EXISTS speaker_words (
    word TEXT NOT NULL, speaker_fold TEXT NOT NULL, PRIMARY KEY (word, speaker_fold)
) WITHOUT ROWID;
"""

# After the tables exist (and old catalogs gained the date column): a speaker's newest
# statements come straight off an index, however often they are quoted.
_INDEXES = """
DROP INDEX IF EXISTS statements_key;
CREATE INDEX IF NOT EXISTS statements_key_date ON statements(speaker_key, date, article_id, n);
CREATE INDEX IF NOT EXISTS statements_fold_date ON statements(speaker_fold, date, article_id, n);
"""

# Catalogs written before the date column: add it and fill it and speaker_words in SQL.
_MIGRATE_DATE = """
ALTER TABLE statements ADD COLUMN date INTEGER NOT NULL DEFAULT 0;
UPDATE statements SET date = COALESCE((SELECT CAST(REPLACE(SUBSTR(a.published_at, 1, 10), '-', '')
    AS INTEGER) FROM articles a WHERE a.id = statements.article_id), 0);
"""

_STATEMENT_SELECT = (
    "SELECT s.article_id, s.n, s.speaker, s.role, s.mention, s.text, s.kind, s.cue, s.start, s.end, "
    "s.parts, s.person, a.published_at, s.date FROM statements s JOIN articles a ON a.id = s.article_id"
)

_CHUNK_SELECT = (
    "SELECT c.id, c.article_id, c.n, c.text, c.start, c.end, a.title, a.source, a.published_at, "
    "a.url, a.author FROM chunks c JOIN articles a ON a.id = c.article_id"
)


class Catalog(SourceRecords, CopyRecords, StoryRecords):
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA + SOURCE_SCHEMA + COPY_SCHEMA + STORY_SCHEMA)
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(statements)")}
        if "date" not in columns:
            self._db.executescript("BEGIN;" + _MIGRATE_DATE + "COMMIT;")
            self._index_speaker_words(self._db.execute(
                "SELECT DISTINCT speaker_fold FROM statements WHERE person = 0 AND speaker_fold IS NOT NULL"))
        self._db.executescript(_INDEXES)
        self._lock = threading.RLock()

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Run a query under the lock: one connection is shared by the server's threads."""
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _rows_in(self, sql: str, ids: Sequence) -> list[tuple]:
        """``sql``, whose ``{marks}`` stands for an IN list, run over ``ids`` in parts of 500
        (SQLite caps the parameters of one statement)."""
        rows: list[tuple] = []
        for a in range(0, len(ids), 500):
            part = list(ids[a:a + 500])
            rows += self._rows(sql.format(marks=",".join("?" * len(part))), part)
        return rows

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write, whole or not at all, under the lock."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # -- meta ------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- manifest --------------------------------------------------------------
    def hashes(self) -> dict[str, tuple[str, str]]:
        """``article id -> (content_hash, body_hash)`` for every indexed article."""
        rows = self._rows("SELECT id, content_hash, body_hash FROM articles")
        return {r[0]: (r[1], r[2]) for r in rows}

    def put(self, articles: Sequence[Article], chunks: Sequence[Chunk],
            statements: Sequence[Statement] = (), copies: Sequence = (), stories: Sequence = ()) -> None:
        """Insert or replace articles with all their chunks, statements, copy rows
        (``index.copies.CopyRow``) and story rows (``index.stories.StoryRow``), atomically."""
        with self._transaction():
            ids = [(a.id,) for a in articles]
            self._db.executemany("DELETE FROM chunks WHERE article_id = ?", ids)
            self._db.executemany("DELETE FROM statements WHERE article_id = ?", ids)
            self._db.executemany(
                "INSERT OR REPLACE INTO articles(id, content_hash, body_hash, title, body, source, "
                "url, published_at, author, metadata, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(a.id, a.content_hash, a.body_hash, a.title, a.body, a.source, a.url,
                  a.published_at, a.author, json.dumps(a.metadata, ensure_ascii=False, default=str),
                  a.origin) for a in articles],
            )
            self._db.executemany(
                "INSERT INTO chunks(id, article_id, n, start, end, text) VALUES (?,?,?,?,?,?)",
                [(c.id, c.article_id, c.n, c.start, c.end, c.text) for c in chunks],
            )
            self._insert_statements(statements)
            self._insert_copies(copies)
            self._insert_stories(stories)
            self._committed()

    def delete(self, article_ids: Iterable[str]) -> None:
        with self._transaction():
            rows = [(i,) for i in article_ids]
            self._db.executemany("DELETE FROM statements WHERE article_id = ?", rows)
            self._db.executemany("DELETE FROM chunks WHERE article_id = ?", rows)
            self._db.executemany("DELETE FROM articles WHERE id = ?", rows)
            self._committed()

    # -- the write-ahead note that makes ingest crash-safe ------------------------
    # Before the vector store is touched for a group of articles, the group is noted
    # here ("pending"); the catalog transaction that commits the group removes the note
    # and counts one more generation. A note found later means a process died between
    # the two stores: ``Indexer.recover`` puts the vector store back in step.
    def note_pending(self, op: str, article_ids: Sequence[str]) -> None:
        self.set_meta("pending", json.dumps({"op": op, "ids": list(article_ids)}))

    def pending(self) -> tuple[str, list[str]] | None:
        raw = self.get_meta("pending")
        if not raw:
            return None
        note = json.loads(raw)
        return note["op"], list(note["ids"])

    def clear_pending(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM meta WHERE key = 'pending'")

    def generation(self) -> int:
        """How many writes the catalog has committed: the keyword index records the
        generation it was built from, so any difference means it is out of date."""
        return self.last_write()[0]

    def last_write(self) -> tuple[int, str | None]:
        """``(generation, writer)``: the writer is the ``WRITER`` of the process that
        committed the last write."""
        meta = dict(self._rows("SELECT key, value FROM meta WHERE key IN ('generation', 'writer')"))
        return int(meta.get("generation") or 0), meta.get("writer")

    def _committed(self) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('writer', ?)", (WRITER,))
        self._db.execute("DELETE FROM meta WHERE key = 'pending'")
        self._db.execute("INSERT INTO meta(key, value) VALUES ('generation', '1') ON CONFLICT(key) "
                         "DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    def _insert_statements(self, statements: Sequence[Statement]) -> None:
        self._db.executemany(
            "INSERT INTO statements(article_id, n, speaker, speaker_key, speaker_fold, role, mention, "
            "text, kind, cue, start, end, parts, person, date) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(s.article_id, s.n, s.speaker, speaker_key(s.speaker) if s.speaker else None,
              name_words(s.speaker) if s.speaker else None, s.role, s.mention, s.text, s.kind, s.cue,
              s.start, s.end, json.dumps(s.parts), int(s.person), date_number(s.published_at))
             for s in statements])
        self._index_speaker_words({(name_words(s.speaker),) for s in statements if s.speaker and not s.person})

    def _index_speaker_words(self, folds: Iterable[tuple[str]]) -> None:
        """Record each word of these organisations' names (stale rows are harmless: the
        statements query still matches the name itself)."""
        self._db.executemany("INSERT OR IGNORE INTO speaker_words(word, speaker_fold) VALUES (?, ?)",
                             [(w, f) for (f,) in folds for w in set(f.split())])

    def replace_statements(self, article_ids: Sequence[str], statements: Sequence[Statement]) -> None:
        """Swap the statements of these articles (re-extraction by a newer extractor)."""
        with self._transaction():
            self._db.executemany("DELETE FROM statements WHERE article_id = ?",
                                 [(i,) for i in article_ids])
            self._insert_statements(statements)

    # -- reading ---------------------------------------------------------------
    def counts(self) -> tuple[int, int]:
        (a,), = self._rows("SELECT COUNT(*) FROM articles")
        (c,), = self._rows("SELECT COUNT(*) FROM chunks")
        return a, c

    def chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        return {row[0]: Chunk(*row) for row in self._rows_in(f"{_CHUNK_SELECT} WHERE c.id IN ({{marks}})", ids)}

    def article_chunks(self, article_id: str) -> list[Chunk]:
        return [Chunk(*row) for row in self._rows(f"{_CHUNK_SELECT} WHERE c.article_id = ? ORDER BY c.n",
                                                  (article_id,))]

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every chunk, in a stable order (article id, position)."""
        for row in self._rows(f"{_CHUNK_SELECT} ORDER BY c.article_id, c.n"):
            yield Chunk(*row)

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self._rows("SELECT id FROM chunks")}

    def integrity(self) -> dict[str, int]:
        """Rows that would break "an article is all there or not at all": articles
        without chunks, and chunks or statements of articles that are not there."""
        (bare,), = self._rows("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
                              "(SELECT 1 FROM chunks c WHERE c.article_id = a.id)")
        (chunks,), = self._rows("SELECT COUNT(*) FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)")
        (statements,), = self._rows("SELECT COUNT(*) FROM statements "
                                    "WHERE article_id NOT IN (SELECT id FROM articles)")
        return {"articles without chunks": bare, "chunks without article": chunks,
                "statements without article": statements}

    def article(self, article_id: str) -> Article | None:
        rows = self._rows(
            "SELECT id, title, body, source, url, published_at, author, metadata, origin "
            "FROM articles WHERE id = ?", (article_id,))
        if not rows:
            return None
        row = rows[0]
        return Article(*row[:7], metadata=json.loads(row[7]), origin=row[8])

    def body(self, article_id: str) -> str | None:
        """An article's text, or None for an unknown id."""
        rows = self._rows("SELECT body FROM articles WHERE id = ?", (article_id,))
        return rows[0][0] if rows else None

    def article_rows(self) -> list[dict]:
        """Title, source and date of every article (no bodies), newest first."""
        rows = self._rows(
            "SELECT id, title, source, published_at, url FROM articles "
            "ORDER BY published_at IS NULL, published_at DESC, title")
        return [dict(zip(("id", "title", "source", "published_at", "url"), r)) for r in rows]

    def iter_bodies(self) -> Iterator[tuple[str, str, str | None, str]]:
        """``(id, body, published_at, title)`` of every article."""
        yield from self._rows("SELECT id, body, published_at, title FROM articles ORDER BY id")

    def statements(self, *, key: str | None = None, org_word: str | None = None,
                   article_ids: Sequence[str] | None = None, attributed: bool = True,
                   since: int | None = None, until: int | None = None,
                   sources: Sequence[str] | None = None, limit: int | None = None) -> list[Statement]:
        """Statements filtered by speaker (surname ``key``; for organisations, any word),
        article, date (``YYYYMMDD`` ints, inclusive) and source; with ``limit``, that
        many, newest first (else in article order)."""
        where, params = [], []
        if attributed:
            where.append("s.speaker IS NOT NULL")
        if article_ids is not None:
            where.append(f"s.article_id IN ({','.join('?' * len(article_ids))})")
            params += list(article_ids)
        if since is not None or until is not None:
            where.append("s.date BETWEEN ? AND ?")
            params += [since or 1, until or 99999999]
        if sources:
            where.append(f"a.source IN ({','.join('?' * len(sources))})")
            params += list(sources)
        if key is None:
            rows = self._select(where, params, limit)
        else:
            # the person (surname key), and organisations with that word in their name; each
            # an index lookup that stops after ``limit`` rows, merged here
            rows = self._select(["s.speaker_key = ?"] + where, [key] + params, limit)
            if org_word:
                head = org_word.split()[-1]
                rows += [r for r in self._select(
                    ["s.person = 0", "s.speaker_key IS NOT ?",
                     "s.speaker_fold IN (SELECT speaker_fold FROM speaker_words WHERE word = ?)",
                     "(' ' || s.speaker_fold || ' ') LIKE ?"] + where,
                    [key, head, f"% {org_word} %"] + params, limit)]
                rows.sort(key=lambda r: (r[13], r[0], r[1]), reverse=bool(limit))
                rows = rows[:limit] if limit else rows
        return [Statement(article_id=r[0], n=r[1], speaker=r[2], role=r[3], mention=r[4], text=r[5],
                          kind=r[6], cue=r[7], start=r[8], end=r[9],
                          parts=tuple(tuple(p) for p in json.loads(r[10])), person=bool(r[11]),
                          published_at=r[12]) for r in rows]

    def _select(self, where: list[str], params: list, limit: int | None) -> list[tuple]:
        sql = _STATEMENT_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        if limit:  # newest first (no date, 0, last), straight off the (key, date, ...) index
            sql += " ORDER BY s.date DESC, s.article_id DESC, s.n DESC LIMIT ?"
            params = params + [int(limit)]
        else:
            sql += " ORDER BY s.article_id, s.n"
        return self._rows(sql, params)

    def speakers(self) -> list[dict]:
        """Every named speaker: statements, articles, first and last date, a role."""
        rows = self._rows(
            "SELECT s.speaker, MAX(s.role), COUNT(*), COUNT(DISTINCT s.article_id), MIN(a.published_at), "
            "MAX(a.published_at), MAX(s.person) FROM statements s JOIN articles a ON a.id = s.article_id "
            "WHERE s.speaker IS NOT NULL GROUP BY s.speaker ORDER BY COUNT(*) DESC, s.speaker")
        keys = ("speaker", "role", "statements", "articles", "first", "last", "person")
        return [dict(zip(keys, r[:6] + (bool(r[6]),))) for r in rows]

    def speaker_keys(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT DISTINCT speaker_key FROM statements "
                                         "WHERE speaker_key IS NOT NULL")]

    def statement_count(self) -> int:
        (n,), = self._rows("SELECT COUNT(*) FROM statements")
        return n

    def sources(self) -> list[str]:
        rows = self._rows("SELECT DISTINCT source FROM articles WHERE source != '' ORDER BY source")
        return [r[0] for r in rows]

    def close(self) -> None:
        self._db.close()
