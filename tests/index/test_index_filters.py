"""Source and date filters, through the whole stack and on each retriever (shared corpus index)."""

from __future__ import annotations

import pytest

from index import SearchFilters

pytestmark = pytest.mark.integration

QUERIES = ["What did Sybiga say?", "Who is Tymur Tkachenko?", "drones and cruise missiles",
           "election results", "What happened in Kyiv?"]


def _hits(bot, filters, k=8):
    return [h for q in QUERIES for h in bot.search(q, k=k, filters=filters)]


def _store_and_keyword_ids(bot, filters):
    ids: set[str] = set()
    for q in QUERIES:
        ids.update(bot.store.query(bot.embedder.embed_query(q), 30, filters))
        ids.update(bot.keyword.search(q, 30, filters))
    return bot.catalog.chunks(sorted(ids)).values()


def test_unfiltered_search_finds_the_seed_article(corpus_bot, seed_article):
    hits = corpus_bot.search("What did Sybiga say?")
    assert hits[0].chunk.article_id == seed_article.id


def test_source_filter_never_returns_the_seed_article(corpus_bot, seed_article):
    filters = SearchFilters(sources=("Wikinews",))
    hits = _hits(corpus_bot, filters)
    assert hits
    assert all(h.chunk.source == "Wikinews" for h in hits)
    assert seed_article.id not in {h.chunk.article_id for h in hits}
    for chunk in _store_and_keyword_ids(corpus_bot, filters):
        assert chunk.source == "Wikinews"
    answer = corpus_bot.ask("What did Sybiga say?", filters=filters)
    assert all(c.article_id != seed_article.id for c in answer.citations)
    assert "maximum pressure on Moscow" not in answer.text


def test_unknown_source_returns_nothing(corpus_bot):
    assert _hits(corpus_bot, SearchFilters(sources=("No Such Wire",))) == []
    answer = corpus_bot.ask("What did Sybiga say?", filters=SearchFilters(sources=("No Such Wire",)))
    assert answer.covered is False and answer.citations == []


def test_date_from_returns_only_later_articles(corpus_bot):
    filters = SearchFilters(date_from="2020-01-01")
    hits = _hits(corpus_bot, filters)
    assert hits
    for h in hits:
        assert h.chunk.published_at and h.chunk.published_at >= "2020-01-01"
    for chunk in _store_and_keyword_ids(corpus_bot, filters):
        assert chunk.published_at and chunk.published_at.startswith("2020")


def test_date_to_returns_only_earlier_dated_articles(corpus_bot):
    filters = SearchFilters(date_to="2019-06-30")
    hits = [h for h in _hits(corpus_bot, filters) if h.chunk.published_at]
    assert hits
    for h in hits:
        assert h.chunk.published_at <= "2019-06-30"


def test_date_range_is_inclusive(corpus_bot):
    day = next(r["published_at"] for r in corpus_bot.catalog.article_rows() if r["published_at"])
    title = next(r["title"] for r in corpus_bot.catalog.article_rows() if r["published_at"] == day)
    hits = corpus_bot.search(title, k=5, filters=SearchFilters(date_from=day, date_to=day))
    assert hits and all(h.chunk.published_at == day for h in hits)


def test_date_to_excludes_undated_articles(corpus_bot, seed_article):
    assert seed_article.published_at is None
    hits = _hits(corpus_bot, SearchFilters(date_to="2019-12-31"))
    assert seed_article.id not in {h.chunk.article_id for h in hits}


def test_combined_filters(corpus_bot, seed_article):
    filters = SearchFilters(sources=("Wikinews",), date_from="2019-06-01", date_to="2019-12-31")
    hits = _hits(corpus_bot, filters)
    assert hits
    for h in hits:
        assert h.chunk.source == "Wikinews"
        assert "2019-06-01" <= h.chunk.published_at <= "2019-12-31"
