"""Timelines (assistant.timeline): "Timeline of X", "How did X unfold?", "What has happened
in X since D?" are answered with the dated events of X's story, oldest first, one cited line
each. The reading rules alone (which questions, which days, which sentences), then a small
developing story end to end, then the real bundled articles with the real model."""

from __future__ import annotations

import json

import pytest

from assistant.timeline import events, merge, timeline_asked
from assistant.when import mentions
from index import Chunk


def test_timeline_questions_are_recognised_with_their_topic_and_day():
    assert timeline_asked("Timeline of the Puerto Rico governor crisis").topic == "the Puerto Rico governor crisis"
    assert timeline_asked("Give me a chronology of the Valdoria floods.").topic == "the Valdoria floods"
    assert timeline_asked("How did the Hong Kong protests unfold?").topic == "the Hong Kong protests"
    assert timeline_asked("How has the outbreak developed so far?").topic == "the outbreak"
    since = timeline_asked("What has happened in the Hong Kong protests since 1 September 2019?")
    assert (since.topic, since.since) == ("the Hong Kong protests", "2019-09-01")
    assert timeline_asked("What has happened in the impeachment since October 2019?").since == "2019-10-01"
    assert timeline_asked("What happened since the start of December 2019?").since == "2019-12-01"
    assert timeline_asked("What's happened since Monday?", today="2025-08-06").since == "2025-08-04"
    # a follow-up rewritten with its context: "How did it unfold?" after a question about Pierluisi
    assert timeline_asked("How did the crisis unfold? (Pedro Pierluisi)").topic == "the crisis Pedro Pierluisi"
    latest = timeline_asked("What's the latest on the Navalny poisoning?")
    assert (latest.topic, latest.latest) == ("the Navalny poisoning", True)
    assert timeline_asked("Any updates on the Samoa measles outbreak?").latest
    assert timeline_asked("What is the latest death toll?") is None  # a figure: assistant.latest
    for q in ("How did the fire start?", "How did Ukraine react?", "What happened?",
              "What happened since the election?", "Why did the protests start?"):
        assert timeline_asked(q) is None, q


def test_the_days_news_sentences_name():
    def days(sentence, published="2019-07-28"):
        return [(m.day, m.ahead) for m in mentions(sentence, published)]

    assert days("He announced his resignation late Wednesday night.") == [("2019-07-24", False)]
    assert days("He is set to leave office on August 2.") == [("2019-08-02", True)]
    assert days("The aide resigns effective next Wednesday, July 31.") == [("2019-07-31", True)]
    assert days("He began serving on January 2, 2017.") == [("2017-01-02", False)]
    assert days("The Senate would meet on Monday.") == [("2019-07-22", True)]
    assert days("Cases passed one million on 28 December.", "2021-01-03") == [("2020-12-28", False)]
    assert days("The May 5 vote") == [("2019-05-05", False)] and days("It may 5 times") == []


def _items(body, published="2019-08-08"):
    chunk = Chunk("a:0", "a", 0, body, 0, len(body), "A story")
    return events(body, [chunk], published, lambda t: t.lower().split())


def test_the_events_an_article_reports():
    body = ("On Wednesday, the Supreme Court ruled the oath unconstitutional. "
            "The governor had resigned on August 2, and the House confirmed his successor on August 4. "
            "On the same day, the Senate filed a lawsuit against the successor. "
            "\"It is unconstitutional and it is over,\" the court wrote on Wednesday. "
            "The Senate will meet on August 12 to choose a secretary of state. "
            "Protests had filled the streets for weeks.")
    got = [(i.day, i.text) for i in _items(body)]
    assert got == [
        ("2019-08-07", "The Supreme Court ruled the oath unconstitutional."),
        ("2019-08-02", "The governor had resigned on August 2"),
        ("2019-08-04", "The House confirmed his successor on August 4."),
        ("2019-08-04", "The Senate filed a lawsuit against the successor."),
    ]
    # the lead reports the article's own news, dated by its publication when it names no day
    assert [(i.day, i.text) for i in _items("Floods killed seven people in the Valdoria region.")] == \
        [("2019-08-08", "Floods killed seven people in the Valdoria region.")]


def test_an_event_told_twice_is_one_line_citing_its_first_report():
    first = _items("On Friday, Rosselló resigned as governor of Puerto Rico.", "2019-08-04")
    again = _items("Rosselló resigned as governor of Puerto Rico on August 2 after protests.", "2019-08-08")
    other = _items("On Friday, Pierluisi was sworn in as the new governor.", "2019-08-04")
    merged = merge(again + first + other)  # a lead counts twice: it is the report's own news
    assert [(i.day, i.order[0], i.support) for i in merged] == [("2019-08-02", "2019-08-04", 4),
                                                               ("2019-08-02", "2019-08-04", 2)]
    assert merge(first + other, since="2019-08-03") == []


def test_a_timeline_of_a_developing_story(flood_bot):
    bot = flood_bot
    answer = bot.ask("Timeline of the Valdoria floods")
    assert answer.answerer == "timeline", answer.text
    lines = [x for x in answer.text.splitlines() if x.startswith("- ")]
    assert [x.split(":")[0] for x in lines] == ["- 30 July 2025", "- 31 July 2025", "- 2 August 2025"], answer.text
    assert [c.article_id for c in answer.citations] == ["flood-1", "flood-2", "flood-3"]
    for n, c in enumerate(answer.citations, 1):  # each line cites the sentence it is, in a passage shown
        assert c.n == n and c.quote in c.passage and f"[{n}]" in lines[n - 1]
        assert any(h.chunk.article_id == c.article_id and h.chunk.start == c.passage_start for h in answer.passages)

    since = bot.ask("What has happened in the Valdoria floods since 31 July 2025?")
    assert [c.article_id for c in since.citations] == ["flood-2", "flood-3"], since.text
    assert "since 31 July 2025" in since.text.splitlines()[0]
    then = bot.ask("How did the Valdoria floods unfold?", as_of="2025-07-31")
    assert [c.article_id for c in then.citations] == ["flood-1", "flood-2"], then.text


def test_the_latest_on_a_story_is_its_newest_days(flood_bot):
    answer = flood_bot.ask("What's the latest on the Valdoria floods?")
    assert answer.text.startswith("The latest on “Floods kill seven in the Valdoria region”"), answer.text
    assert [c.article_id for c in answer.citations] == ["flood-2", "flood-3"]


def test_no_timeline_of_what_the_articles_do_not_cover(flood_bot):
    # the best-retrieved article must name the topic: a near miss is not given a timeline
    answer = flood_bot.ask("Timeline of the Mars rover landing")
    assert answer.answerer != "timeline" and not answer.covered, answer.text


def test_a_timeline_over_http(flood_bot):
    from fastapi.testclient import TestClient

    from assistant.api import create_api

    got = TestClient(create_api(flood_bot)).post("/v1/ask", json={"question": "How did the Valdoria floods unfold?"})
    assert got.status_code == 200 and got.json()["answerer"] == "timeline", got.json()
    assert "- 2 August 2025: The death toll from the Valdoria floods reached 31" in got.json()["text"]


@pytest.mark.integration
def test_timelines_of_real_stories_with_the_real_model(corpus_bot):
    answer = corpus_bot.ask("Timeline of the Puerto Rico governor crisis")
    assert answer.answerer == "timeline", answer.text
    lines = [x for x in answer.text.splitlines() if x.startswith("- ")]
    assert any(x.startswith("- 24 July 2019: ") and "resignation" in x for x in lines), answer.text
    assert any(x.startswith("- 7 August 2019: ") and "Supreme Court" in x for x in lines), answer.text
    assert len({c.article_id for c in answer.citations}) == 3

    from typer.testing import CliRunner

    from assistant.cli import app

    env = {"NEWSDESK_DATA_DIR": corpus_bot.status()["index_path"]}
    if corpus_bot.settings.chroma_url:
        env["NEWSDESK_CHROMA_URL"] = corpus_bot.settings.chroma_url
    result = CliRunner().invoke(app, ["ask", "--json", "How did the poisoning of Alexei Navalny unfold?"], env=env)
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert got["answerer"] == "timeline" and "Novichok" in got["text"], got["text"]
