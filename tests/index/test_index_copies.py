"""Copies of one story (index.copies): edited versions of real Wikinews articles are found
with MinHash/LSH, different stories of the same day are not; retrieval and answers show
one version per story (the earliest, or the one the source filter asks for) and name the
others."""

from __future__ import annotations

import json

import pytest

from corpus import Article
from index.copies import CopyFinder

BUNDLED = json.loads("[" + ",".join(
    line for line in open("corpus/articles/wikinews-2019-2020.jsonl", encoding="utf-8") if line.strip()) + "]")


def edited(body: str, how: str) -> str:
    paragraphs = [p for p in body.split("\n") if p.strip()]
    if how == "trimmed":
        return "\n".join(paragraphs[:-1] if len(paragraphs) > 2 else paragraphs)
    if how == "boilerplate":
        return "LONDON (Agency) - " + body + "\nThis story was distributed by Agency Wire. Follow us for more."
    if how == "half":
        return "\n".join(paragraphs[:max(1, len(paragraphs) // 2 + 1)])
    return body.replace(" said ", " told reporters ", 2)


def test_edited_copies_are_found_and_other_stories_are_not():
    finder = CopyFinder()
    finder.load([])
    originals = [Article(id=f"o{i}", title=a["title"], body=a["body"]) for i, a in enumerate(BUNDLED[:60])]
    rows = {r.article_id: r.group for r in finder.assign(originals)}
    assert len(set(rows.values())) == 60, "sixty different stories, sixty groups"
    copies = [Article(id=f"c{i}-{how}", title="Another headline", body=edited(a.body, how))
              for i, a in enumerate(originals[:40]) for how in ("trimmed", "boilerplate", "half", "words")
              if len(a.body.split()) > 80]
    found = {r.article_id: r.group for r in finder.assign(copies)}
    missed = [aid for aid, group in found.items() if group != "o" + aid[1:].split("-")[0]]
    assert len(missed) <= 0.05 * len(found), missed


def test_signatures_survive_the_catalog_and_short_texts_are_never_copies():
    finder = CopyFinder()
    finder.load([])
    rows = finder.assign([Article(id="a", title="", body=BUNDLED[3]["body"]),
                          Article(id="s1", title="", body="Markets rose on Monday."),
                          Article(id="s2", title="", body="Markets rose on Monday.")])
    assert rows[2].group == "s2", "three words are too few to call two texts copies"
    again = CopyFinder()
    again.load([(r.article_id, r.group, r.shingles, r.signature) for r in rows])
    assert again.assign([Article(id="b", title="", body=edited(BUNDLED[3]["body"], "trimmed"))])[0].group == "a"


STORY = BUNDLED[10]


def versions():
    def one(aid, source, day, body):
        return {"id": aid, "title": STORY["title"] + ("" if aid == "wire" else f" | {source}"),
                "source": source, "published_at": day, "body": body}
    return [one("wire", "Agency Wire", "2020-03-02", STORY["body"]),
            one("daily", "The Daily", "2020-03-03", edited(STORY["body"], "boilerplate")),
            one("herald", "Herald", "2020-03-04", edited(STORY["body"], "trimmed")),
            {**BUNDLED[11], "id": "other"}]


@pytest.fixture
def bot(make_bot, tmp_path, fake_embedder_cls, write_file):
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    path = write_file("copies.jsonl", "\n".join(json.dumps(v) for v in versions()))
    bot.ingest([path])
    return bot


def test_one_story_one_place_in_the_results_and_the_others_named(bot):
    query = STORY["title"]
    hits = bot.search(query, k=4)
    assert [h.chunk.article_id for h in hits].count("wire") >= 1
    assert not {"daily", "herald"} & {h.chunk.article_id for h in hits}, "the copies do not crowd the results"
    answer = bot.ask(STORY["body"].split(".")[0] + "?")
    cited = [c for c in answer.citations if c.article_id in ("wire", "daily", "herald")]
    assert cited and {c.article_id for c in cited} == {"wire"}
    assert [v["source"] for v in cited[0].also_published] == ["The Daily", "Herald"]
    assert cited[0].also_text() == "also published by: The Daily (2020-03-03), Herald (2020-03-04)"
    assert answer.to_dict()["citations"][0]["also_published"][0]["article_id"] == "daily"
    status = bot.status()
    assert (status["copy_groups"], status["articles_in_copy_groups"]) == (1, 3)


def test_a_source_filter_shows_its_own_version_and_every_version_stays(bot):
    from index import SearchFilters

    hits = bot.search(STORY["title"], k=4, filters=SearchFilters(sources=("Herald",)))
    assert {h.chunk.article_id for h in hits} == {"herald"}
    answer = bot.ask(STORY["body"].split(".")[0] + "?", filters=SearchFilters(sources=("Herald",)))
    assert answer.citations and answer.citations[0].article_id == "herald"
    assert [v["article_id"] for v in answer.citations[0].also_published] == ["wire", "daily"]
    assert {r["id"] for r in bot.articles()} >= {"wire", "daily", "herald", "other"}
    assert bot.article("daily").source == "The Daily"


def test_copies_are_found_again_for_an_older_catalog_and_after_a_delete(bot):
    import sqlite3

    with sqlite3.connect(bot.status()["index_path"] + "/catalog.sqlite") as db:
        db.execute("DELETE FROM copies")
        db.execute("DELETE FROM meta WHERE key = 'copies'")
    assert bot.indexer.refresh_copies() == 2
    bot.remove(["wire"])
    hits = bot.search(STORY["title"], k=4)
    assert {h.chunk.article_id for h in hits} & {"daily", "herald"} == {"daily"}
