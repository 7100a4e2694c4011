"""Stories in the catalog: each article's story and what it was linked by (``index.stories``);
part of ``Catalog`` (a mixin over its connection)."""

from __future__ import annotations

import json
from typing import Iterable, Sequence

from .copy_records import ARTICLE_FIELDS

STORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story TEXT NOT NULL, day INTEGER, vector BLOB NOT NULL, terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_story ON stories(story);
"""


class StoryRecords:
    def _insert_stories(self, rows: Iterable) -> None:
        self._db.executemany("INSERT OR REPLACE INTO stories(article_id, story, day, vector, terms) "
                             "VALUES (?, ?, ?, ?, ?)",
                             [(r.article_id, r.story, r.day, r.vector, r.terms) for r in rows])

    def replace_stories(self, rows: Sequence) -> None:
        """Every article's story anew (a newer linker)."""
        with self._transaction():
            self._db.execute("DELETE FROM stories")
            self._insert_stories(rows)

    def story_rows(self) -> list[tuple[str, str, int | None, bytes, str]]:
        """``(article_id, story, day, vector, terms)`` of every article."""
        return self._rows("SELECT article_id, story, day, vector, terms FROM stories")

    def stories(self, *, since: str | None = None, min_articles: int = 2,
                limit: int | None = None) -> list[dict]:
        """Stories, the latest-updated first: id, title (of the article that started it),
        first and last dates, article count and outlets. ``since``: only stories with an
        article published on or after that date (YYYY-MM-DD)."""
        having = ["COUNT(*) >= ?"]
        params: list = [min_articles]
        if since:
            having.append("MAX(a.published_at) >= ?")
            params.append(since)
        rows = self._rows(
            "SELECT s.story, COUNT(*), MIN(a.published_at), MAX(a.published_at), "
            "json_group_array(DISTINCT a.source) FROM stories s JOIN articles a ON a.id = s.article_id "
            f"GROUP BY s.story HAVING {' AND '.join(having)} "
            "ORDER BY MAX(a.published_at) IS NULL, MAX(a.published_at) DESC, COUNT(*) DESC, s.story"
            + (" LIMIT ?" if limit else ""), params + ([limit] if limit else []))
        titles = self._story_titles([r[0] for r in rows])
        return [{"story": story, "title": titles.get(story, ""), "articles": n, "first": first,
                 "last": last, "outlets": sorted(json.loads(outlets))}
                for story, n, first, last, outlets in rows]

    def _story_titles(self, stories: Sequence[str]) -> dict[str, str]:
        """Each story's title: its earliest article's headline."""
        # the last row of a story is its earliest article (a part of 500 holds whole stories)
        return dict(self._rows_in(
            "SELECT s.story, a.title FROM stories s JOIN articles a ON a.id = s.article_id WHERE s.story "
            "IN ({marks}) ORDER BY a.published_at IS NULL, a.published_at DESC, a.id DESC", stories))

    def story_articles(self, story: str) -> list[dict]:
        """One story's articles, oldest first (undated last)."""
        rows = self._rows(
            "SELECT a.id, a.title, a.source, a.published_at, a.url FROM stories s JOIN articles a "
            "ON a.id = s.article_id WHERE s.story = ? ORDER BY a.published_at IS NULL, a.published_at, a.id",
            (story,))
        return [dict(zip(ARTICLE_FIELDS, r)) for r in rows]

    def story_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """``article id -> story`` for these articles."""
        return dict(self._rows_in("SELECT article_id, story FROM stories WHERE article_id IN ({marks})",
                                  article_ids))

    def story_count(self) -> tuple[int, int]:
        """``(stories with more than one article, articles in them)``."""
        (stories, articles), = self._rows(
            "SELECT COUNT(*), COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM stories "
            "GROUP BY story HAVING COUNT(*) > 1)")
        return stories, articles
