"""Copies of one story in the catalog: each article's copy group and MinHash signature
(``index.copies``); part of ``Catalog`` (a mixin over its connection)."""

from __future__ import annotations

from typing import Iterable, Sequence

COPY_SCHEMA = """
CREATE TABLE IF NOT EXISTS copies (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    copy_group TEXT NOT NULL, shingles INTEGER NOT NULL, signature BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS copies_group ON copies(copy_group);
"""

ARTICLE_FIELDS = ("article_id", "title", "source", "published_at", "url")  # of a version, a story's article


class CopyRecords:
    def _insert_copies(self, rows: Iterable) -> None:
        self._db.executemany("INSERT OR REPLACE INTO copies(article_id, copy_group, shingles, signature) "
                             "VALUES (?, ?, ?, ?)",
                             [(r.article_id, r.group, r.shingles, r.signature) for r in rows])

    def replace_copies(self, rows: Sequence) -> None:
        """Every article's group and signature anew (a newer detector)."""
        with self._transaction():
            self._db.execute("DELETE FROM copies")
            self._insert_copies(rows)

    def copy_rows(self) -> list[tuple[str, str, int, bytes]]:
        """``(article_id, group, shingles, signature)`` of every article."""
        return self._rows("SELECT article_id, copy_group, shingles, signature FROM copies")

    def copy_groups(self, article_ids: Sequence[str]) -> dict[str, str]:
        """``article id -> group`` for those of ``article_ids`` that have copies."""
        return dict(self._rows_in(
            "SELECT c.article_id, c.copy_group FROM copies c WHERE c.article_id IN ({marks}) AND EXISTS "
            "(SELECT 1 FROM copies o WHERE o.copy_group = c.copy_group AND o.article_id != c.article_id)",
            article_ids))

    def copy_versions(self, groups: Sequence[str]) -> dict[str, list[dict]]:
        """Every version of these groups, earliest first (undated last)."""
        out: dict[str, list[dict]] = {}
        if not groups:
            return out
        rows = self._rows(
            "SELECT c.copy_group, a.id, a.title, a.source, a.published_at, a.url FROM copies c JOIN "
            f"articles a ON a.id = c.article_id WHERE c.copy_group IN ({','.join('?' * len(groups))}) "
            "ORDER BY a.published_at IS NULL, a.published_at, a.id", list(groups))
        for row in rows:
            out.setdefault(row[0], []).append(dict(zip(ARTICLE_FIELDS, row[1:])))
        return out

    def copy_group_count(self) -> tuple[int, int]:
        """``(groups with more than one version, articles in them)``."""
        (groups, articles), = self._rows(
            "SELECT COUNT(*), COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM copies "
            "GROUP BY copy_group HAVING COUNT(*) > 1)")
        return groups, articles
