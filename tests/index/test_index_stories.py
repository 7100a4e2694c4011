"""Stories (index.stories): articles about one developing event are linked as they arrive
(close in time, shared names and terms, close in meaning), others are not; the catalog keeps
them through updates, deletes and older catalogs; the Assistant lists them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from corpus import Article
from corpus.errors import InvalidInput, NotFound
from index.stories import StoryLinker, date_span, key_terms

BUNDLED = {a["id"]: a for a in map(json.loads, open("corpus/articles/wikinews-2019-2020.jsonl", encoding="utf-8"))}
DORIAN = ["wn-20190901-c77aaa", "wn-20190905-adb763"]    # Hurricane Dorian: landfall, then its damage
HUMBERTO = ["wn-20190916-0ecd0b", "wn-20190919-69515c"]  # Hurricane Humberto: upgraded, then strengthening
OTHER = ["wn-20190903-173e50", "wn-20190912-45c8e4"]     # Sirhan Sirhan stabbed; Bolton ousted


def art(aid: str, **changes) -> Article:
    a = BUNDLED[aid]
    return Article(**{"id": aid, "title": a["title"], "body": a["body"], "source": "Wikinews",
                      "published_at": a["published_at"], **changes})


def unit(*values: float) -> np.ndarray:
    v = np.zeros(8, dtype=np.float32)
    v[:len(values)] = values
    return v / np.linalg.norm(v)


def test_key_terms_are_names_and_headline_words_not_function_words():
    terms = key_terms("Hurricane Dorian strengthens to Category 5, makes landfall in the Bahamas",
                      "On Sunday, Hurricane Dorian made landfall on the Abaco Islands of the Bahamas, "
                      "the US National Hurricane Center said.")
    assert {"hurricane dorian", "dorian", "bahamas", "abaco islands", "us national hurricane center",
            "landfall", "strengthens"} <= terms
    assert not {"on", "sunday", "the", "said", "in"} & terms


def test_close_in_time_names_and_meaning_link_otherwise_not():
    linker = StoryLinker()
    quake = Article(id="q1", title="Earthquake strikes Izmir, Turkey", published_at="2020-10-30",
                    body="An earthquake struck off Izmir on Friday, Turkish authorities said.")
    rows = linker.link([quake], [unit(1, 0.2)])
    assert rows[0].story == "q1"
    later = Article(id="q2", title="Turkey ends search for Izmir earthquake survivors", published_at="2020-11-07",
                    body="Turkish authorities ended the search for survivors of the Izmir earthquake.")
    unrelated = Article(id="x", title="Guitarist dies aged 65", published_at="2020-11-01",
                        body="The guitarist Eddie Van Halen died of cancer.")
    months_later = Article(id="q3", title="Izmir earthquake anniversary", published_at="2021-10-30",
                           body="A year after the Izmir earthquake, Turkish authorities rebuilt homes.")
    stories = {r.article_id: r.story for r in linker.link([later, unrelated, months_later],
                                                          [unit(1, 0.25), unit(0, 0, 1), unit(1, 0.2)])}
    assert stories == {"q2": "q1", "x": "x", "q3": "q3"}
    copy = Article(id="c", title="Something else", published_at="2020-10-31", body="Different words entirely.")
    assert linker.link([copy], [unit(0, 1)], copy_of={"c": "q2"})[0].story == "q1", "a copy is in its story"
    # an undated article cannot be placed in a story's time: it is linked only as a copy
    undated = Article(id="u", title="Izmir earthquake: Turkish authorities search for survivors",
                      body="Turkish authorities searched for survivors of the Izmir earthquake.")
    assert linker.link([undated], [unit(1, 0.21)])[0].story == "u"
    after = Article(id="q5", title="Izmir earthquake survivors rehoused", published_at="2020-11-03",
                    body="Turkish authorities rehoused survivors of the Izmir earthquake.")
    assert linker.link([after], [unit(1, 0.21)])[0].story == "q1", "nor does a dated one join it"

    again = StoryLinker()
    again.load(linker_rows(linker, [quake, later, unrelated, months_later, copy]))
    follow = Article(id="q4", title="Izmir earthquake death toll rises", published_at="2020-11-02",
                     body="The death toll of the Izmir earthquake rose, Turkish authorities said.")
    assert again.link([follow], [unit(1, 0.22)])[0].story == "q1", "stored vectors and terms link as before"


def linker_rows(linker: StoryLinker, articles):
    """What the catalog would hold, from a linker's own rows (by linking the same again)."""
    fresh = StoryLinker()
    vectors = {a.id: linker._matrix[linker._row[a.id]] for a in articles}
    return [(r.article_id, linker.story_of(r.article_id), r.day, r.vector, r.terms)
            for r in fresh.link(articles, [vectors[a.id] for a in articles])]


def test_date_span_reads_well():
    assert date_span("2019-09-01", "2019-09-05T10:00:00") == "2019-09-01 to 2019-09-05"
    assert date_span("2019-09-01", "2019-09-01") == "2019-09-01"
    assert date_span(None, None) == ""


@pytest.fixture
def bot(make_bot, tmp_path, fake_embedder_cls, write_file):
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    lines = [json.dumps({**BUNDLED[aid], "source": "Wikinews"}) for aid in DORIAN + HUMBERTO + OTHER]
    bot.ingest([write_file("hurricanes.jsonl", "\n".join(lines))])
    return bot


def test_stories_are_listed_and_shown_in_date_order(bot):
    listed = bot.stories()
    assert {s["story"] for s in listed} == {DORIAN[0], HUMBERTO[0]}
    assert listed[0]["story"] == HUMBERTO[0], "the latest-updated story first"
    assert listed[0]["articles"] == 2 and listed[0]["outlets"] == ["Wikinews"]
    assert (listed[0]["first"], listed[0]["last"]) == ("2019-09-16", "2019-09-19")
    assert listed[0]["title"] == BUNDLED[HUMBERTO[0]]["title"]
    assert [s["story"] for s in bot.stories("2019-09-10")] == [HUMBERTO[0]]
    assert len(bot.stories(single=True)) == 4
    story = bot.story(DORIAN[0])
    assert [a["article_id"] for a in story["articles"]] == DORIAN
    assert story["first"] == "2019-09-01" and story["last"] == "2019-09-05"
    status = bot.status()
    assert (status["stories"], status["articles_in_stories"]) == (2, 4)
    with pytest.raises(NotFound):
        bot.story("no-such-story")
    with pytest.raises(InvalidInput):
        bot.stories("last tuesday")


def test_stories_survive_updates_deletes_and_older_catalogs(bot, write_file):
    import sqlite3

    changed = {**BUNDLED[DORIAN[1]], "source": "Wikinews", "body": BUNDLED[DORIAN[1]]["body"] + "\nUpdated."}
    bot.ingest([write_file("update.jsonl", json.dumps(changed))])
    assert [a["article_id"] for a in bot.story(DORIAN[0])["articles"]] == DORIAN, "an update stays in its story"

    with sqlite3.connect(bot.status()["index_path"] + "/catalog.sqlite") as db:
        db.execute("DELETE FROM stories")
        db.execute("DELETE FROM meta WHERE key = 'stories'")
    assert bot.stories() == []
    assert bot.indexer.refresh_stories() == 2, "linked again from the vector store's vectors"
    assert {s["story"] for s in bot.stories()} == {DORIAN[0], HUMBERTO[0]}

    bot.remove([DORIAN[0]])
    assert [s["story"] for s in bot.stories()] == [HUMBERTO[0]]
    assert [a["article_id"] for a in bot.story(DORIAN[0])["articles"]] == [DORIAN[1]]
