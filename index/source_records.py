"""The followed sources (feeds, sitemaps, pages) and the items seen in each, kept in the
catalog so they survive restarts: part of ``Catalog`` (a mixin over its connection)."""

from __future__ import annotations

from typing import Sequence

SOURCE_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, url TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, every INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '', added_at TEXT NOT NULL, etag TEXT, last_modified TEXT,
    last_fetched TEXT, last_status TEXT NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '',
    failures INTEGER NOT NULL DEFAULT 0, next_run TEXT NOT NULL, items_seen INTEGER NOT NULL DEFAULT 0,
    new_articles INTEGER NOT NULL DEFAULT 0, updated_articles INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS source_items (
    source TEXT NOT NULL REFERENCES sources(name) ON DELETE CASCADE, key TEXT NOT NULL,
    url TEXT NOT NULL, article_id TEXT, stamp TEXT NOT NULL DEFAULT '', etag TEXT, last_modified TEXT,
    fetched_at TEXT NOT NULL, error TEXT NOT NULL DEFAULT '', PRIMARY KEY (source, key)
) WITHOUT ROWID;
"""

SOURCE_FIELDS = ("name", "url", "kind", "every", "title", "added_at", "etag", "last_modified",
                 "last_fetched", "last_status", "last_error", "failures", "next_run", "items_seen",
                 "new_articles", "updated_articles")
ITEM_FIELDS = ("key", "url", "article_id", "stamp", "etag", "last_modified", "fetched_at", "error")


class SourceRecords:
    """Rows of ``sources`` and ``source_items`` as dicts (times are ISO 8601 UTC strings)."""

    def followed(self, name: str | None = None) -> list[dict]:
        """Every followed source (or the one called ``name``), by name, with its item count."""
        where, params = ("WHERE name = ?", (name,)) if name else ("", ())
        rows = self._rows(f"SELECT {', '.join(SOURCE_FIELDS)}, (SELECT COUNT(*) FROM source_items i "
                          f"WHERE i.source = s.name) FROM sources s {where} ORDER BY name", params)
        return [dict(zip(SOURCE_FIELDS + ("items",), r)) for r in rows]

    def follow(self, source: dict) -> None:
        """Insert a source (its name and address are new)."""
        keys = [k for k in SOURCE_FIELDS if k in source]
        with self._lock:
            self._db.execute(f"INSERT INTO sources({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})",
                             [source[k] for k in keys])

    def update_followed(self, name: str, fields: dict) -> None:
        """Set these fields of the source called ``name``."""
        keys = [k for k in SOURCE_FIELDS if k in fields and k != "name"]
        with self._lock:
            self._db.execute(f"UPDATE sources SET {', '.join(f'{k} = ?' for k in keys)} WHERE name = ?",
                             [fields[k] for k in keys] + [name])

    def unfollow(self, name: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM sources WHERE name = ?", (name,)).rowcount > 0

    def source_items(self, name: str) -> dict[str, dict]:
        rows = self._rows(f"SELECT {', '.join(ITEM_FIELDS)} FROM source_items WHERE source = ?", (name,))
        return {r[0]: dict(zip(ITEM_FIELDS, r)) for r in rows}

    def put_source_items(self, name: str, items: Sequence[dict]) -> None:
        with self._lock:
            self._db.executemany(
                f"INSERT OR REPLACE INTO source_items(source, {', '.join(ITEM_FIELDS)}) "
                f"VALUES (?, {', '.join('?' * len(ITEM_FIELDS))})",
                [(name, *(i.get(k) for k in ITEM_FIELDS)) for i in items])

    def item_errors(self, name: str, limit: int = 20) -> list[dict]:
        rows = self._rows("SELECT url, error, fetched_at FROM source_items WHERE source = ? AND error != '' "
                          "ORDER BY fetched_at DESC LIMIT ?", (name, limit))
        return [dict(zip(("url", "error", "at"), r)) for r in rows]
