"""``newsdesk eval``: scoring helpers (fast) and the command on a tiny labelled set (real index)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant import evaluate as ev
from assistant.cli import app
from corpus import InvalidInput

# -- scoring (unit) ------------------------------------------------------------


def test_in_order_share_counts_words_in_order():
    gold = "It is time to put maximum pressure on Moscow"
    assert ev.in_order_share(gold, "“It’s time to put maximum pressure on Moscow.” [1]") == pytest.approx(8 / 9)
    assert ev.in_order_share(gold, "Moscow on pressure maximum put to time is it") < 0.3
    assert ev.in_order_share("", "anything") == 0.0


def test_names_matches_the_surname_ignoring_case_and_diacritics():
    assert ev.names("Andriy Sybiga", "… said foreign minister SYBIGA.")
    assert ev.names("José Núñez", "Nunez said so")
    assert not ev.names("Andriy Sybiga", "said the minister")


def _outcome(qtype, article_rank, evidence_rank, **kw):
    q = ev.Question(id="q", type=qtype, text="?", article_id="a", span=(0, 1))
    base = dict(cites_gold=True, names_speaker=None, reproduces_quote=None, quote_and_citation=None,
                citations_verbatim=True, covered=True, retrieve_s=0.01, answer_s=0.1)
    base.update(kw)
    return ev.Outcome(question=q, article_rank=article_rank, evidence_rank=evidence_rank, **base)


def test_summary_metrics():
    outcomes = [_outcome("who_said", 1, 2, names_speaker=True),
                _outcome("who_said", 5, None, names_speaker=False, cites_gold=False),
                _outcome("who_said", None, None, names_speaker=True)]
    s = ev.summarise(outcomes)
    assert s["questions"] == 3
    art = s["retrieval"]["gold_article"]
    assert (art["hits@1"], art["hits@4"], art["hits@10"]) == (0.3333, 0.3333, 0.6667)
    assert art["mrr@10"] == round((1 + 1 / 5) / 3, 4)
    assert s["retrieval"]["gold_evidence"]["hits@4"] == 0.3333
    assert s["answers"]["names_gold_speaker"] == 0.6667
    assert s["answers"]["cites_gold_article"] == 0.6667
    assert s["answers"]["reproduces_gold_quote"] is None  # not asked of who_said questions
    assert s["latency_ms"]["answer"]["p50"] == 100.0


def test_question_files_are_validated(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "1", "query": "Who?"}\n')
    with pytest.raises(InvalidInput, match="q.jsonl:1"):
        ev.read_questions(bad)
    bad.write_text("{not json\n")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        ev.read_questions(bad)


# -- the command (integration) -----------------------------------------------------

BODY = ("Harbour bridge reopens after repairs\n\n"
        "The Lindqvist bridge reopened on Monday after three weeks of repairs.\n\n"
        "“Traffic is flowing again across the harbour,” said engineer Marta Olsen.")


@pytest.mark.integration
def test_eval_command_writes_reports_for_any_files_in_the_schema(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    records = [
        {"id": "bridge", "title": "Harbour bridge reopens", "source": "Example", "body": BODY,
         "published_at": "2021-01-04"},
        {"id": "apples", "title": "Record apple harvest", "source": "Example",
         "body": "Farmers in Valdoria picked a record 80,000 tonnes of apples this autumn."},
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    quote = "Traffic is flowing again across the harbour"
    start = BODY.index("“Traffic")
    fact = BODY[start:]
    questions = tmp_path / "queries.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in [
        {"id": "1-q", "query": "What did Marta Olsen say about the harbour?", "answer": quote,
         "question_type": "quote_about_topic", "speaker": "Marta Olsen",
         "evidence": [{"article_id": "bridge", "fact": fact, "fact_span": [start, len(BODY)]}]},
        {"id": "1-w", "query": f'Who said "{quote}"?', "answer": "Marta Olsen",
         "question_type": "who_said", "quote": quote,
         "evidence": [{"article_id": "bridge", "fact": fact, "fact_span": [start, len(BODY)]}]},
    ]) + "\n")
    out = tmp_path / "report"
    env = {"NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(app, ["eval", "--corpus", str(corpus), "--questions", str(questions),
                                      "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "eval.json").read_text())
    assert set(report) == {"meta", "overall", "by_type", "attribution", "questions"}
    # one gold (article, quote, speaker), asked two ways: extracted, with the right speaker
    attribution = report["attribution"]
    assert attribution["gold"] == 1 and attribution["speaker_right"] == 1
    assert attribution["recall"] == attribution["precision"] == 1.0
    assert attribution["exact_words"] == 1 and attribution["exact_words_share"] == 1.0
    assert set(report["by_type"]) == {"quote_about_topic", "who_said"}
    overall = report["overall"]
    assert overall["questions"] == 2
    assert overall["retrieval"]["gold_article"]["hits@1"] == 1.0
    assert overall["retrieval"]["gold_evidence"]["hits@1"] == 1.0
    assert overall["answers"]["cites_gold_article"] == 1.0
    assert overall["answers"]["citations_verbatim"] == 1.0
    assert report["by_type"]["who_said"]["answers"]["names_gold_speaker"] == 1.0
    assert report["by_type"]["quote_about_topic"]["answers"]["reproduces_gold_quote"] == 1.0
    assert report["by_type"]["quote_about_topic"]["answers"]["quote_and_citation"] == 1.0
    assert "speaker right 1" in (out / "eval.md").read_text()
    assert "| answer cites gold article |" in (out / "eval.md").read_text()
    assert (tmp_path / "data" / "eval").is_dir()  # its own index, beside the main one


# -- reader questions (news_qa schema) ----------------------------------------------

from assistant import reader_eval as rev  # noqa: E402
from assistant.answer import Answer, Citation  # noqa: E402
from index.types import Chunk, Hit  # noqa: E402


def _reader(qtype="factual", answer="169 seats", aliases=("169",), article="a",
            evidence="The party won 169 seats in the new parliament."):
    return rev.ReaderQuestion(id="r1", type=qtype, text="How many seats?", answer=answer,
                              aliases=list(aliases), article_id=article, evidence=evidence)


def _answer(text, cited=("a",), passages=("a",)):
    def chunk(aid):
        return Chunk(id=f"{aid}:0", article_id=aid, n=0, text="x", start=0, end=1, title="T")
    cites = [Citation(n=i, article_id=aid, title="T", source="", published_at=None, url=None,
                      passage="x", passage_start=0, passage_end=1, quote="x", quote_start=0, quote_end=1)
             for i, aid in enumerate(cited, 1)]
    return Answer(question="q", text=text, citations=cites, passages=[Hit(chunk(a), 1.0) for a in passages])


def test_whole_words_ignore_case_punctuation_and_thousands_separators():
    assert rev.contains_words("Bail was set at 100000 Georgian lari.", "100,000 Georgian lari")
    assert rev.contains_words("about US$30,000", "US$30,000")
    assert rev.contains_words("She ran 2:14:04 [1]", "2:14:04")
    assert not rev.contains_words("1690 seats", "169")  # whole words only
    assert not rev.contains_words("anything", "")


@pytest.mark.parametrize("text, cited, passages, right, failure", [
    ("169 seats [1]. The party won …", ("a",), ("a",), True, None),
    ("The party won 169 seats in the new parliament. [1]", ("a",), ("a",), True, None),  # evidence
    ("It won some seats. [1]", ("a",), ("a",), False, "wrong_sentences"),
    ("169 seats [1].", ("b",), ("a", "b"), False, "not_cited"),   # right words, wrong article
    ("169 seats [1].", ("b",), ("b",), False, "not_retrieved"),
])
def test_a_reader_row_is_scored_by_the_rule_of_the_eval_readme(text, cited, passages, right, failure):
    assert rev.score(_reader(), _answer(text, cited, passages)) == (right, failure)


def test_a_no_answer_row_is_right_only_when_nothing_is_cited():
    q = _reader(qtype="no_answer", answer="", aliases=(), article="", evidence="")
    assert rev.score(q, _answer("The articles don't answer this.", cited=())) == (True, None)
    assert rev.score(q, _answer("Something [1].")) == (False, "cited_no_answer")


def test_reader_rows_are_validated(tmp_path):
    rows = [{"id": "1", "type": "factual", "question": "Q?", "answer": "a", "article_id": "x"},
            {"id": "2", "type": "followup", "question": "And?", "follows": "9"}]
    with pytest.raises(InvalidInput, match="follows '9'"):
        rev.read(rows, "q.jsonl")
    assert rev.is_reader_schema(rows[0]) and not rev.is_reader_schema({"query": "Q?", "question_type": "x"})


READER_CORPUS = [
    {"id": "vote", "title": "Greens win the Valdoria election", "source": "Example", "published_at": "2021-05-03",
     "body": "Greens win the Valdoria election\n\nThe Green Party won the Valdoria election on Sunday.\n\n"
             "Counting ended on Monday. The Greens won 44 seats, up from 30 in 2016.\n\n"
             "“This is a mandate for change,” said party leader Marta Olsen."},
    {"id": "apples", "title": "Record apple harvest", "source": "Example", "published_at": "2021-10-01",
     "body": "Record apple harvest\n\nFarmers in Valdoria picked a record 80,000 tonnes of apples this autumn."},
]
READER_QUESTIONS = [
    {"id": "r1", "type": "factual", "question": "How many seats did the Greens win in the 2021 Valdoria election?",
     "answer": "44 seats", "answer_aliases": ["44"], "article_id": "vote",
     "evidence": "The Greens won 44 seats, up from 30 in 2016."},
    {"id": "r2", "type": "followup", "question": "Who leads the party?", "follows": "r1",
     "answer": "Marta Olsen", "answer_aliases": ["Olsen"], "article_id": "vote",
     "evidence": "“This is a mandate for change,” said party leader Marta Olsen."},
    {"id": "r3", "type": "no_answer", "question": "How many seats did the Greens win in the 2031 Valdoria election?",
     "answer": "", "answer_aliases": [], "article_id": "", "evidence": ""},
]


@pytest.mark.integration
def test_eval_command_on_reader_questions_reports_per_type_and_failures(tmp_path):
    corpus, questions = tmp_path / "corpus.jsonl", tmp_path / "qa.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in READER_CORPUS))
    questions.write_text("".join(json.dumps(r) + "\n" for r in READER_QUESTIONS))
    out, failures = tmp_path / "report", tmp_path / "wrong.jsonl"
    result = CliRunner().invoke(app, ["eval", "--corpus", str(corpus), "--questions", str(questions),
                                      "--out", str(out), "--failures", str(failures)],
                                env={"NEWSDESK_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 0, result.output
    report = json.loads((out / "eval.json").read_text())
    assert set(report["by_type"]) == {"factual", "followup", "no_answer"}
    rows = {r["id"]: r for r in report["questions"]}
    assert rows["r1"]["right"] and rows["r1"]["answer"].startswith("44 seats [1].")
    assert rows["r2"]["history"][0]["content"] == READER_QUESTIONS[0]["question"]  # asked as a follow-up
    assert rows["r3"]["right"] and rows["r3"]["cited"] == []
    overall = report["overall"]
    assert overall["questions"] == 3 and overall["right"] == sum(r["right"] for r in rows.values())
    wrong = [json.loads(line) for line in failures.read_text().splitlines()]
    assert [w["id"] for w in wrong] == [r for r in rows if not rows[r]["right"]]
    assert all(w["failure"] in rev.CLASSES for w in wrong)
    assert "| right |" in (out / "eval.md").read_text()
