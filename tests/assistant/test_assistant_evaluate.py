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
