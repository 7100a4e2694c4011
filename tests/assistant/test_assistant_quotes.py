"""Questions about statements, answered from the attribution index (issue 4)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.quotes import QuoteQuery, parse
from corpus import InvalidInput
from index import attribution


@pytest.mark.parametrize("question, expected", [
    ("What did Sybiga say?", QuoteQuery("said", speaker="Sybiga")),
    ("what did sybiga say", None),  # no capitalised name: not a speaker question
    ("What did Andriy Sybiga say about Putin?", QuoteQuery("said", speaker="Andriy Sybiga", topic="Putin")),
    ("What has Zelensky said about regime change over time?",
     QuoteQuery("said", speaker="Zelensky", topic="regime change", over_time=True)),
    ("Sybiga's comments", QuoteQuery("said", speaker="Sybiga")),
    ("What was Zelensky's reaction to the strike?",
     QuoteQuery("said", speaker="Zelensky", topic="the strike")),
    ("How did the Kremlin react?", QuoteQuery("said", speaker="the Kremlin")),
    ("What did Russia's Ministry of Defence say?", QuoteQuery("said", speaker="Russia's Ministry of Defence")),
    ("Quotes from Tregubov", QuoteQuery("said", speaker="Tregubov")),
    ('Who said "If the world doesn\'t aim to change the regime"?',
     QuoteQuery("who_said", words="If the world doesn't aim to change the regime")),
    ("Who said that this is not true?", QuoteQuery("who_said", words="this is not true")),
    ("Who is Tymur Tkachenko?", QuoteQuery("who_is", speaker="Tymur Tkachenko")),
    ("Who is the president of Ukraine?", None),
    ("How many drones were fired?", None),
    ("What did they say?", None),
])
def test_statement_questions_are_recognised(question, expected):
    assert parse(question) == expected


@pytest.mark.integration
def test_what_did_sybiga_say_gives_both_sentences_with_his_role(corpus_bot):
    answer = corpus_bot.ask("What did Sybiga say?")
    assert answer.covered
    assert answer.text.startswith("Andriy Sybiga (Ukraine’s foreign minister) said:")
    assert "generous and patient with Putin" in answer.text
    assert "It’s time to put maximum pressure on Moscow." in answer.text
    assert {c.title for c in answer.citations} == {answer.citations[0].title}
    assert answer.citations[0].title.startswith("Zelensky Calls for Regime Change")
    for c in answer.citations:  # verbatim, and the marker is in the text
        assert c.passage[c.quote_start - c.passage_start:c.quote_end - c.passage_start] == c.quote
        assert f"{c.quote} [{c.n}]" in answer.text


@pytest.mark.integration
def test_the_speaker_is_not_the_one_whose_colleague_they_are(corpus_bot):
    # "Volodymyr Zelensky's" says whose minister Sybiga is: Sybiga is the speaker
    answer = corpus_bot.ask("What did Andriy Sybiga, Volodymyr Zelensky's foreign minister, say?")
    assert answer.text.startswith("Andriy Sybiga (") and "maximum pressure" in answer.text


@pytest.mark.integration
def test_what_did_tregubov_say(corpus_bot):
    answer = corpus_bot.ask("what did TREGUBOV say?".replace("what", "What"))
    assert "“This is not true,”" in answer.text
    assert "spokesperson for the Khortytsia Operational Strategic Group of Forces" in answer.text


@pytest.mark.integration
def test_who_said_the_regime_change_words(corpus_bot):
    answer = corpus_bot.ask("Who said 'If the world doesn't aim to change the regime in Russia'?")
    assert answer.text.startswith("Volodymyr Zelensky (Ukrainian President) said it:")
    assert answer.citations and "he said" in answer.citations[0].quote


@pytest.mark.integration
def test_who_is_answers_with_the_role_and_cites_it(corpus_bot):
    answer = corpus_bot.ask("Who is Tymur Tkachenko?")
    assert answer.text.startswith("Tymur Tkachenko: head of Kyiv’s military administration.")
    assert "head of Kyiv’s military administration" in answer.citations[0].quote


@pytest.mark.integration
def test_loose_phrasing_and_organisations(corpus_bot):
    assert "maximum pressure" in corpus_bot.ask("Sybiga's comments").text
    answer = corpus_bot.ask("What did Russia claim about Chasiv Yar?")
    assert "liberated" in answer.text and answer.citations


@pytest.mark.integration
def test_statements_false_answers_from_passages(corpus_bot):
    answer = corpus_bot.ask("What did Sybiga say?", statements=False)
    assert answer.covered and not answer.text.startswith("Andriy Sybiga (")
    assert "maximum pressure on Moscow" in answer.text or "generous and patient" in answer.text
    assert len(answer.passages) > len(answer.citations)  # the retrieved passages, not only the cited


@pytest.mark.integration
def test_someone_never_quoted_is_said_so(corpus_bot):
    answer = corpus_bot.ask("What did Xylophonist Quarrington say?")
    assert not answer.covered and not answer.citations
    assert "don't quote Xylophonist Quarrington" in answer.text


@pytest.mark.integration
def test_python_api_quotes_and_speakers(corpus_bot):
    sybiga = corpus_bot.quotes(speaker="sybiga")  # case and surname only
    assert [s.speaker for s in sybiga] == ["Andriy Sybiga", "Andriy Sybiga"]
    assert all(s.kind == attribution.DIRECT and s.role == "Ukraine’s foreign minister" for s in sybiga)
    on_topic = corpus_bot.quotes(speaker="Zelensky", topic="regime change in Russia")
    assert on_topic and "regime" in on_topic[0].text
    assert corpus_bot.quotes(speaker="Zelensky", since="2030-01-01") == []
    people = {r["speaker"]: r for r in corpus_bot.speakers()}
    assert people["Andriy Sybiga"]["statements"] == 2 and people["Andriy Sybiga"]["person"]
    with pytest.raises(InvalidInput):
        corpus_bot.quotes()


@pytest.mark.integration
def test_quotes_command(corpus_index, monkeypatch):
    bot, _ = corpus_index
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(bot.settings.data_dir))
    result = CliRunner().invoke(app, ["quotes", "Sybiga"])
    assert result.exit_code == 0, result.output
    assert "Andriy Sybiga, Ukraine’s foreign minister" in result.output
    assert "maximum pressure on Moscow" in result.output
    result = CliRunner().invoke(app, ["quotes", "Sybiga", "--json"])
    rows = json.loads(result.output)
    assert rows[0]["speaker"] == "Andriy Sybiga" and rows[0]["kind"] == "direct"
    result = CliRunner().invoke(app, ["quotes", "Quarrington"])
    assert result.exit_code == 0 and "No statement by Quarrington" in result.output
    result = CliRunner().invoke(app, ["speakers", "--limit", "5"])
    assert result.exit_code == 0 and "speaker" in result.output


@pytest.mark.integration
def test_statements_follow_incremental_ingest(make_bot, fake_embedder_cls, write_file, tmp_path):
    folder = tmp_path / "articles"
    path = write_file("articles/bridge.txt",
                      "Bridge opens\n\n“We are proud of it,” Marta Olsen, the mayor, said.\n")
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    bot.ingest([folder])
    assert [s.text for s in bot.quotes("Olsen")] == ["We are proud of it"]
    path.write_text("Bridge opens\n\n“It was worth the wait,” Marta Olsen said.\n", encoding="utf-8")
    report = bot.ingest([folder])
    assert report.updated == 1
    assert [s.text for s in bot.quotes("Olsen")] == ["It was worth the wait"]
    (aid,) = [r["id"] for r in bot.catalog.article_rows()]
    bot.remove([aid])
    assert bot.quotes("Olsen") == [] and bot.catalog.statement_count() == 0


@pytest.mark.integration
def test_statements_of_an_older_extractor_are_extracted_again(make_bot, fake_embedder_cls,
                                                               write_file, tmp_path):
    write_file("articles/bridge.txt", "Bridge opens\n\n“We are proud of it,” Marta Olsen said.\n")
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    bot.ingest([tmp_path / "articles"])
    bot.catalog.replace_statements([r["id"] for r in bot.catalog.article_rows()], [])
    bot.catalog.set_meta("attribution", "attribution-v0")
    again = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    assert [s.speaker for s in again.quotes("Olsen")] == ["Marta Olsen"]
    assert again.catalog.get_meta("attribution") == attribution.VERSION


def test_a_country_s_ministry_and_minister_by_their_role_words(make_bot, fake_embedder_cls, write_file, tmp_path):
    write_file("articles/sea.txt",
               "China rebuts remarks on the sea\n\n"
               "China's foreign ministry and its finance minister answered critics on Saturday.\n\n"
               "“This is a time of cooperation,” Rear Admiral Guan Youfei of China told reporters.\n\n"
               "“Countries outside the region should stick to their promises,” the ministry said in a statement.\n\n"
               "The finance minister, Lou Jiwei, spoke in Beijing.\n\n"
               "''At that time, the whole world applauded,'' Mr. Lou told a news briefing.\n\n"
               "“It was a fine week for the harbour,” said Carlos Guerrero, a trader.\n")
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    bot.ingest([tmp_path / "articles"])
    answer = bot.ask("How did China's foreign ministry respond to the remarks about the sea?")
    assert answer.text.startswith("The ministry said:") and "stick to their promises" in answer.text
    answer = bot.ask("How did China's finance minister respond to the critics?")
    assert answer.text.startswith("Lou Jiwei (The finance minister) said:") and "applauded" in answer.text
    # another person of the surname is not the one asked about
    answer = bot.ask("What did Diane Guerrero say about the harbour?")
    assert answer.text.startswith("The articles don't quote Diane Guerrero") and not answer.citations
