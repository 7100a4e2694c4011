"""Incremental ingest against the real Chroma, MiniLM and tiktoken, each test on its own small index."""

from __future__ import annotations

import json

import pytest

from index import SearchFilters

pytestmark = pytest.mark.integration

# small chunks, so an article has several and an edit can change their number
SMALL_CHUNKS = {"chunk_tokens": 40, "chunk_overlap_tokens": 8}


def chroma_ids(bot, article_id: str) -> set[str]:
    return set(bot.store.collection.get(where={"article_id": article_id}, include=[])["ids"])


def catalog_ids(bot, article_id: str) -> set[str]:
    return {c.id for c in bot.catalog.iter_chunks() if c.article_id == article_id}


def article_id_by_title(bot, prefix: str) -> str:
    return next(r["id"] for r in bot.catalog.article_rows() if r["title"].startswith(prefix))


def assert_consistent(bot):
    """Catalog, Chroma and BM25 hold exactly the same chunks."""
    status = bot.status()
    assert status["chunks"] == status["vectors"] == status["keyword_chunks"]
    all_ids = set(bot.store.collection.get(include=[])["ids"])
    assert all_ids == {c.id for c in bot.catalog.iter_chunks()}


def searched_articles(bot, query: str) -> set[str]:
    return {h.chunk.article_id for h in bot.search(query, k=10)}


@pytest.fixture
def bot(make_bot, tmp_path):
    return make_bot(tmp_path / "data", **SMALL_CHUNKS)


def test_second_ingest_embeds_nothing_even_in_a_new_process(bot, make_bot, small_corpus, tmp_path):
    first = bot.ingest([small_corpus])
    assert (first.files, first.added, first.unchanged, first.problems) == (3, 3, 0, [])
    assert first.chunks_embedded == bot.status()["chunks"] > 3
    assert_consistent(bot)

    second = bot.ingest([small_corpus])
    assert (second.added, second.updated, second.unchanged, second.removed) == (0, 0, 3, 0)
    assert second.chunks_embedded == 0 and not second.changed

    again = make_bot(tmp_path / "data", **SMALL_CHUNKS)  # a fresh Assistant reads the manifest
    third = again.ingest([small_corpus])
    assert (third.unchanged, third.chunks_embedded) == (3, 0)
    assert not again.embedder.loaded, "nothing was embedded, so the model never loaded"
    assert_consistent(again)


def test_editing_an_article_replaces_its_chunks(bot, small_corpus):
    bot.ingest([small_corpus])
    aid = article_id_by_title(bot, "Harbour bridge")
    old = catalog_ids(bot, aid)
    assert len(old) >= 2 and chroma_ids(bot, aid) == old
    total_before = bot.store.count()

    (small_corpus / "harbour.txt").write_text(
        "Harbour bridge reopens after storm repairs\n\n"
        "The Zanzibarian delegation inspected the bridge.\n", encoding="utf-8")
    report = bot.ingest([small_corpus])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    assert report.chunks_embedded == 1

    new = catalog_ids(bot, aid)
    assert new == chroma_ids(bot, aid) == {f"{aid}:0"}
    assert bot.store.count() == total_before - len(old) + 1
    assert_consistent(bot)
    assert "Zanzibarian" in bot.catalog.article(aid).body
    hits = bot.search("Zanzibarian delegation")
    assert hits and hits[0].chunk.article_id == aid and "Zanzibarian" in hits[0].chunk.text
    assert all("forty cables" not in c.text for c in bot.catalog.iter_chunks())
    answer = bot.ask("What did the Zanzibarian delegation inspect?")
    assert answer.covered and "Zanzibarian delegation inspected the bridge" in answer.text


def test_prune_removes_a_deleted_file_everywhere(bot, small_corpus):
    bot.ingest([small_corpus])
    aid = article_id_by_title(bot, "Apple harvest")
    assert aid in searched_articles(bot, "Valdoria apple harvest")
    (small_corpus / "orchard.txt").unlink()

    kept = bot.ingest([small_corpus])  # without prune nothing is deleted
    assert kept.removed == 0 and bot.catalog.article(aid) is not None

    report = bot.ingest([small_corpus], prune=True)
    assert (report.removed, report.unchanged, report.chunks_embedded) == (1, 2, 0)
    assert bot.catalog.article(aid) is None
    assert chroma_ids(bot, aid) == set() and catalog_ids(bot, aid) == set()
    assert not any(cid.startswith(aid + ":") for cid in bot.keyword.search("Valdoria apples", 50))
    assert aid not in searched_articles(bot, "Valdoria apple harvest")
    assert bot.status()["articles"] == 2
    assert_consistent(bot)


def test_the_same_article_in_json_and_jsonl_is_indexed_once(bot, write_file, tmp_path):
    record = {"title": "Lighthouse keeper retires after 40 years", "url": "https://example.org/lh",
              "source": "Coast Times", "published_at": "2021-05-01",
              "body": "Keeper Agnes Holm switched off the Skerry lighthouse lamp for the last time."}
    folder = tmp_path / "dups"
    write_file("a.json", json.dumps(record), base=folder)
    write_file("b.jsonl", json.dumps(record) + "\n", base=folder)
    # same story, no url, another title: caught by its body
    write_file("c.txt", "Skerry keeper retires\n\n" + record["body"] + "\n", base=folder)
    report = bot.ingest([folder])
    assert (report.articles, report.added, report.duplicates) == (3, 1, 2)
    assert bot.status()["articles"] == 1
    assert_consistent(bot)
    hits = bot.search("Agnes Holm lighthouse")
    assert len({h.chunk.article_id for h in hits}) == 1


def test_bad_files_are_reported_and_the_rest_is_indexed(bot, small_corpus, write_file, tmp_path):
    bot.ingest([small_corpus])
    before = {r["id"] for r in bot.catalog.article_rows()}
    bad = tmp_path / "batch"
    write_file("good.txt", "Glacier retreats a record 90 metres\n\n"
               "Scientists measured the Nordfonna glacier retreating 90 metres this year.\n", base=bad)
    write_file("records.jsonl", "\n".join([
        json.dumps({"title": "Kite festival draws crowds", "body": "Ten thousand people flew kites at Vesterhavn."}),
        '{"title": "broken", "body": ',
        json.dumps({"title": "Only a title"}),
    ]) + "\n", base=bad)
    write_file("latin1.txt", "Caf\xe9 opens\n\nThe caf\xe9 opened.\n".encode("latin-1"), base=bad)
    write_file("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), base=bad)
    write_file("nobody.json", json.dumps({"title": "No body here", "source": "X"}), base=bad)
    write_file("title-only.txt", "Just a headline\n", base=bad)

    # prune is requested, but a batch with problems must not delete anything
    report = bot.ingest([bad], prune=True)
    problems = {p.origin.replace(str(bad) + "/", ""): p.reason for p in report.problems}
    assert set(problems) == {"records.jsonl:2", "records.jsonl:3", "latin1.txt", "image.txt",
                             "nobody.json", "title-only.txt"}, problems
    assert "malformed JSON" in problems["records.jsonl:2"]
    assert "no body" in problems["records.jsonl:3"]
    assert "UTF-8" in problems["latin1.txt"] and "0xe9" in problems["latin1.txt"]
    assert "binary" in problems["image.txt"]
    assert "no body" in problems["nobody.json"]
    assert "no body" in problems["title-only.txt"]
    for p in report.problems:
        assert str(p).startswith(p.origin) and p.reason in str(p)

    assert (report.added, report.removed) == (2, 0)
    after = {r["id"] for r in bot.catalog.article_rows()}
    assert before < after and len(after) == len(before) + 2
    assert_consistent(bot)
    assert bot.search("Nordfonna glacier")[0].chunk.title.startswith("Glacier retreats")
    assert bot.search("kites Vesterhavn")[0].chunk.title == "Kite festival draws crowds"
    assert searched_articles(bot, "Lindqvist harbour bridge")  # still there


def test_remove_by_id(bot, small_corpus):
    bot.ingest([small_corpus])
    aid = article_id_by_title(bot, "Teenager wins")
    assert bot.remove([aid, "no-such-id"]) == 1
    assert bot.catalog.article(aid) is None and chroma_ids(bot, aid) == set()
    assert_consistent(bot)


def test_filters_on_a_small_index(bot, small_corpus):
    bot.ingest([small_corpus])
    hits = bot.search("Zembla chess open", filters=SearchFilters(sources=("Example News",)))
    assert hits and {h.chunk.source for h in hits} == {"Example News"}
    assert bot.search("Zembla chess open", filters=SearchFilters(date_from="2022-01-01")) == []
