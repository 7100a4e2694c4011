""""Latest" and "as of" answers (assistant.latest): a figure that changes over a story's reports
is answered newest first, dated, with the earlier figures after it; as of a date, as things
stood then; reports of one day that disagree are both cited. The reading rules alone, then a
small developing story end to end, then real COVID-19 reports with the real model."""

from __future__ import annotations

import json

import pytest

from assistant.latest import as_of_in, asks_latest, fits
from assistant.when import reported_date
from assistant.question import analyze


def test_as_of_dates_are_read_and_taken_out_of_the_question():
    assert as_of_in("As of 1 May 2020, how many cases had been confirmed?") == \
        ("2020-05-01", "How many cases had been confirmed?")
    assert as_of_in("How many had died by March 3, 2020?") == ("2020-03-03", "How many had died?")
    assert as_of_in("How many seats did they win?") == (None, "How many seats did they win?")


def test_current_state_questions_are_told_from_past_events():
    for q in ("How many people have died so far?", "What is the latest death toll?",
              "How many cases does Spain have?", "What is the global death toll from the virus now?"):
        assert asks_latest(analyze(q)), q
    for q in ("How many seats did the party win?", "When did the strike begin?", "Why did they resign?"):
        assert not asks_latest(analyze(q)), q


def test_a_figure_is_dated_by_its_sentence_else_by_its_article():
    assert reported_date("The toll rose to 31 on Wednesday.", "2025-08-01") == "2025-07-30"
    assert reported_date("By yesterday, 18 had died.", "2025-08-01") == "2025-07-31"
    assert reported_date("Cases passed one million on April 28.", "2020-05-29") == "2020-04-28"
    assert reported_date("Cases passed one million on 28 December.", "2021-01-03") == "2020-12-28"
    assert reported_date("At least 52 thousand deaths.", "2020-04-05") == "2020-04-05"


def test_the_figure_must_count_what_is_asked_and_where():
    us = analyze("How many people have died of COVID-19 in the United States so far?")
    assert fits(us, "At least 55,000 deaths were linked to COVID-19 in the United States.", "At least 55,000 deaths")
    assert not fits(us, "The United Kingdom reported 37,542 deaths.", "37,542 deaths")
    assert not fits(us, "Over 1.6 million cases were confirmed in the United States.", "over 1.6 million")
    assert not fits(us, "The virus may cause 32,000 more deaths in the US.", "32,000 more deaths")
    assert fits(us, "The total surpassed 100,000.", "100,000", context="COVID-19 deaths in the US surpass 100,000")
    world = analyze("How many people have died of COVID-19 worldwide?")
    assert not fits(world, "In Italy, 27,000 people have died.", "27,000 people")


def test_which_figure_of_a_sentence_counts_what():
    deaths = analyze("How many people has the coronavirus killed in China?")
    early = "Chinese officials confirmed the coronavirus has infected over 200 people in China and killed three people."
    assert fits(deaths, early, "three people") and not fits(deaths, early, "over 200 people")
    stated = ("The total number of those infected with the coronavirus in Iran is 1501 and the number of "
              "deaths is 66.")
    iran_deaths, iran_cases = analyze("What is Iran's coronavirus death toll?"), analyze("How many coronavirus "
                                                                                        "infections has Iran confirmed?")
    assert fits(iran_deaths, stated, "66") and not fits(iran_deaths, stated, "1501")
    assert fits(iran_cases, stated, "1501") and not fits(iran_cases, stated, "66")
    listed = ("WHO reported 2741 confirmed coronavirus cases, 80 deaths, 461 severe cases and 5794 suspected cases "
              "in China, 37 confirmed cases in other countries.")
    china = analyze("How many coronavirus cases have been confirmed in China?")
    assert fits(china, listed, "2741 confirmed coronavirus cases")  # the list's place
    assert not fits(china, listed, "37 confirmed cases")             # elsewhere
    assert not fits(china, listed, "5794 suspected cases")            # a part, not the total
    share = ("The United States had the most coronavirus infections, around 30% of world-wide infections, "
             "with over 1.6 million confirmed cases.")
    assert fits(analyze("How many coronavirus cases does the US have?"), share, "over 1.6 million confirmed cases")
    assert not fits(analyze("How many coronavirus cases are there worldwide?"), share, "over 1.6 million confirmed cases")
    # a figure of another event ("died" in a plane crash) is not one of the virus
    assert not fits(analyze("How many people have died of COVID-19 in India?"), "The minister said 18 people died.",
                    "18 people", context="Passenger flight crashes upon landing in India. ")
    assert not fits(deaths, "He falsely claimed that 120 million people in China had died of the coronavirus.",
                    "120 million people")


FLOOD = [  # a made-up developing story, three outlets, the toll rising
    ("flood-1", "Regional Herald", "2025-07-30", "Floods kill seven in the Valdoria region",
     "Heavy rain flooded towns across the Valdoria region. At least seven people died in the floods, "
     "the regional emergency service said. Rescue teams searched for people missing in the Valdoria floods."),
    ("flood-2", "Regional Herald", "2025-07-31", "Valdoria flood death toll rises to 18",
     "The number of people who died in the Valdoria floods rose to 18, the regional emergency service said. "
     "Water levels in the river Sela were still rising."),
    ("flood-3", "Coast News", "2025-08-02", "Valdoria floods: 31 dead as waters recede",
     "The death toll from the Valdoria floods reached 31, the regional emergency service said. "
     "Volunteers began clearing mud from houses as the waters receded."),
]


def articles(*extra):
    return "\n".join(json.dumps({"id": aid, "source": source, "published_at": day, "title": title, "body": body})
                     for aid, source, day, title, body in FLOOD + list(extra))


def test_the_newest_figure_first_dated_then_the_earlier_ones(flood_bot):
    answer = flood_bot.ask("How many people have died in the Valdoria floods so far?")
    assert answer.answerer == "latest", answer.text
    assert answer.text.startswith("31, as of 2 August 2025 [1].")
    assert [c.article_id for c in answer.citations] == ["flood-3", "flood-2", "flood-1"]
    assert "Earlier reports: 18 (31 July 2025) [2]; At least seven people (30 July 2025) [3]." in answer.text


def test_as_of_a_date_as_things_stood_then(flood_bot):
    for answer in (flood_bot.ask("How many people have died in the Valdoria floods?", as_of="2025-08-01"),
                   flood_bot.ask("As of 1 August 2025, how many people had died in the Valdoria floods?")):
        assert answer.text.startswith("As of 1 August 2025: 18, as of 31 July 2025 [1]."), answer.text
        assert "flood-3" not in {c.article_id for c in answer.citations}
    from corpus.errors import InvalidInput

    with pytest.raises(InvalidInput):
        flood_bot.ask("How many people have died?", as_of="next week")


def test_a_figure_as_of_a_day_may_come_from_a_later_report(make_bot, tmp_path, fake_embedder_cls, write_file):
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    later = ("flood-4", "Daily Post", "2025-08-05", "Valdoria floods: a look back",
             "On August 1, the death toll from the Valdoria floods stood at 25, the emergency service said.")
    bot.ingest([write_file("floods.jsonl", articles(later))])
    answer = bot.ask("How many people have died in the Valdoria floods?", as_of="2025-08-01")
    assert answer.text.startswith("As of 1 August 2025: 25, as of 1 August 2025 [1]."), answer.text
    assert answer.citations[0].article_id == "flood-4"
    assert "flood-3" not in {c.article_id for c in answer.citations}  # its 31 is of 2 August


def test_reports_of_one_day_that_disagree_are_both_cited(make_bot, tmp_path, fake_embedder_cls, write_file):
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    other = ("flood-4", "Daily Post", "2025-08-02", "Valdoria floods: toll at 33",
             "The death toll from the Valdoria floods reached 33, according to hospital officials.")
    bot.ingest([write_file("floods.jsonl", articles(other))])
    answer = bot.ask("What is the death toll from the Valdoria floods now?")
    assert answer.text.startswith("The reports of 2 August 2025 differ:"), answer.text
    assert {c.article_id for c in answer.citations[:2]} == {"flood-3", "flood-4"}


@pytest.mark.integration
def test_covid_figures_with_the_real_model(corpus_bot):
    deaths = corpus_bot.ask("How many people have died of COVID-19 worldwide so far?")
    assert deaths.text.startswith("At least 52 thousand deaths, as of 5 April 2020 [1]."), deaths.text
    assert "Earlier reports:" in deaths.text
    then = corpus_bot.ask("As of 15 May 2020, how many COVID-19 deaths had the United States recorded?")
    assert then.text.startswith("As of 15 May 2020: at least 55,000 deaths, as of 28 April 2020 [1]."), then.text


def test_as_of_over_http(flood_bot):
    from fastapi.testclient import TestClient

    from assistant.api import create_api

    client = TestClient(create_api(flood_bot))
    got = client.post("/v1/ask", json={"question": "How many people have died in the Valdoria floods?",
                                       "as_of": "2025-08-01"})
    assert got.status_code == 200 and got.json()["text"].startswith("As of 1 August 2025: 18"), got.json()
    bad = client.post("/v1/ask", json={"question": "How many people have died?", "as_of": "soon"})
    assert bad.status_code == 400 and "“as of” date" in bad.json()["error"]["message"]


@pytest.mark.integration
def test_as_of_from_the_command_line(corpus_bot):
    from typer.testing import CliRunner

    from assistant.cli import app

    env = {"NEWSDESK_DATA_DIR": corpus_bot.status()["index_path"]}
    if corpus_bot.settings.chroma_url:
        env["NEWSDESK_CHROMA_URL"] = corpus_bot.settings.chroma_url
    result = CliRunner().invoke(app, ["ask", "--json", "--as-of", "2020-05-15",
                                      "How many COVID-19 deaths had the United States recorded?"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["text"].startswith("As of 15 May 2020: at least 55,000 deaths")
