"""The catalog's statement queries: index-backed speaker lookups, organisations by any
word of their name, dates, and the migration of catalogs written before the date column."""

from __future__ import annotations

import json
import sqlite3

from corpus import Article
from index.attribution import Statement
from index.catalog import Catalog
from index.keyword import STOPWORDS, KeywordIndex, _bm25s


def _article(aid: str, date: str | None) -> Article:
    return Article(id=aid, title=aid, body=f"{aid} " * 50, source="S", published_at=date, origin="test")


def _statement(aid: str, n: int, speaker: str, person: bool, date: str | None) -> Statement:
    return Statement(article_id=aid, n=n, speaker=speaker, role=None, mention=speaker,
                     text=f"words {aid} {n}", kind="direct", cue="said", start=n, end=n + 1,
                     parts=((n, n + 1),), person=person, published_at=date)


def _filled(path) -> Catalog:
    cat = Catalog(path)
    dates = {"a1": "2024-01-05", "a2": "2025-03-01", "a3": None}
    for aid, date in dates.items():
        cat.put([_article(aid, date)], [], [
            _statement(aid, 0, "Andrii Sybiga", True, date),
            _statement(aid, 1, "Ukraine's foreign ministry", False, date)])
    return cat


def test_newest_first_with_undated_last_and_date_bounds(tmp_path):
    cat = _filled(tmp_path / "c.sqlite")
    newest = cat.statements(key="sybiga", limit=10)
    assert [s.article_id for s in newest] == ["a2", "a1", "a3"]
    assert [s.article_id for s in cat.statements(key="sybiga", since=20250101, limit=10)] == ["a2"]
    assert [s.article_id for s in cat.statements(key="sybiga", limit=1)] == ["a2"]


def test_organisations_are_found_by_any_word_of_their_name(tmp_path):
    cat = _filled(tmp_path / "c.sqlite")
    found = cat.statements(key="ministry", org_word="ministry", limit=10)
    assert {s.speaker for s in found} == {"Ukraine's foreign ministry"}
    assert len(cat.statements(key="foreign", org_word="foreign ministry")) == 3
    assert cat.statements(key="army", org_word="army") == []


def test_a_catalog_from_before_the_date_column_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite"
    _filled(path)._db.close()
    db = sqlite3.connect(path)  # make it look like the old schema: no date, no speaker_words
    db.executescript("DROP INDEX statements_key_date; DROP INDEX statements_fold_date;"
                     "ALTER TABLE statements DROP COLUMN date; DELETE FROM speaker_words;")
    db.close()
    cat = Catalog(path)
    assert [s.article_id for s in cat.statements(key="sybiga", limit=10)] == ["a2", "a1", "a3"]
    assert len(cat.statements(key="ministry", org_word="ministry")) == 3
    plan = cat._rows("EXPLAIN QUERY PLAN SELECT * FROM statements WHERE speaker_key = ? "
                     "ORDER BY date DESC, article_id DESC, n DESC LIMIT 5", ["sybiga"])
    assert "statements_key_date" in json.dumps(plan)


def test_keyword_terms_match_bm25s_tokenize(tmp_path):
    """KeywordIndex.terms re-implements bm25s.tokenize's analysis without its overhead:
    the terms must be exactly those bm25s indexes."""
    index = KeywordIndex(tmp_path / "bm25")
    texts = ["What did Andrii Sybiga say about the 1,000 drones fired at Kyiv's outskirts?",
             "“It's time,” said Zelenskyy — über-naïve CAFÉ a b c don't won't", "", "a an the"]
    for text in texts:
        expected = list(_bm25s().tokenize([text], stopwords=STOPWORDS, stemmer=index._stem,
                                          return_ids=False, show_progress=False)[0])
        assert index.terms(text) == expected, text
