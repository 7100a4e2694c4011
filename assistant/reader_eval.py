"""``newsdesk eval`` on reader questions (``news_qa_*.jsonl``, the second schema of
``../shared/eval/README.md``).

A row is **right** when the answer contains the gold ``answer`` or one of its
``answer_aliases`` as whole words (case, punctuation and thousands separators ignored),
or reproduces at least 70% of the ``evidence`` sentence's words in order, **and** cites
the gold article. A ``no_answer`` row is right when the answer cites nothing. A row with
``follows`` is asked with the previous row's question and the answer given to it as
the conversation. Every wrong row gets a failure class (:data:`CLASSES`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from corpus import InvalidInput
from index.attribution import fold

from . import evaluate as ev
from .answer import Answer
from .core import Assistant
from .quotes import in_order_share

EVIDENCE_SHARE = 0.7
KS = (1, 4, 10)
CLASSES = {
    "not_retrieved": "the gold article is not among the passages",
    "not_cited": "the gold article is among the passages but not cited",
    "wrong_sentences": "the gold article is cited, but not the sentences that answer",
    "cited_no_answer": "a no-answer question got a cited answer",
}


@dataclass
class ReaderQuestion:
    id: str
    type: str
    text: str
    answer: str
    aliases: list[str]
    article_id: str
    evidence: str
    follows: str | None = None


@dataclass
class ReaderOutcome:
    question: ReaderQuestion
    right: bool
    failure: str | None          # a key of CLASSES, None when right
    article_rank: int | None     # 1-based rank of the gold article in a plain search (depth 10)
    in_passages: bool            # the gold article is among the answer's passages
    cited: list[str]             # article ids the answer cites
    seconds: float               # retrieval + answer, as the pipeline timed it
    answer: str
    standalone: str | None = None
    history: list[dict] = field(default_factory=list)


def is_reader_schema(row: dict) -> bool:
    return "question" in row and "type" in row and "query" not in row


def read(rows: list[dict], path) -> list[ReaderQuestion]:
    out = []
    for n, row in enumerate(rows, 1):
        try:
            out.append(ReaderQuestion(
                id=str(row["id"]), type=str(row["type"]), text=str(row["question"]),
                answer=str(row.get("answer") or ""), aliases=[str(a) for a in row.get("answer_aliases") or []],
                article_id=str(row.get("article_id") or ""), evidence=str(row.get("evidence") or ""),
                follows=row.get("follows") or None))
        except (KeyError, TypeError) as exc:
            raise InvalidInput(f"{path}:{n} lacks a field the reader-question schema needs ({exc}).") from None
    ids = {q.id for q in out}
    for q in out:
        if q.follows and q.follows not in ids:
            raise InvalidInput(f"{path}: row {q.id} follows {q.follows!r}, which is not in the file.")
    return out


# -- scoring --------------------------------------------------------------------

def _norm_words(text: str) -> list[str]:
    """Words for whole-word matching: case and accents folded, thousands separators and
    punctuation dropped ("US$30,000" -> ["us", "30000"])."""
    text = re.sub(r"(?<=\d)[,\u2009\u202f](?=\d{3}\b)", "", fold(text))
    return re.findall(r"\w+", text.replace("_", " "))


def contains_words(answer: str, gold: str) -> bool:
    """``gold``'s words occur in ``answer`` as a whole-word run."""
    g, a = _norm_words(gold), _norm_words(answer)
    if not g:
        return False
    n = len(g)
    return any(a[i:i + n] == g for i in range(len(a) - n + 1))


def answer_matches(q: ReaderQuestion, text: str) -> bool:
    """The text carries the gold answer (or an alias), or most of the evidence sentence."""
    if any(contains_words(text, g) for g in [q.answer, *q.aliases] if g):
        return True
    return bool(q.evidence) and in_order_share(q.evidence, text) >= EVIDENCE_SHARE


def score(q: ReaderQuestion, answer: Answer) -> tuple[bool, str | None]:
    cited = {c.article_id for c in answer.citations}
    if q.type == "no_answer" or not q.article_id:
        return (not cited, None if not cited else "cited_no_answer")
    in_passages = any(h.chunk.article_id == q.article_id for h in answer.passages)
    if q.article_id in cited and answer_matches(q, answer.text):
        return True, None
    if q.article_id in cited:
        return False, "wrong_sentences"
    return False, "not_cited" if in_passages else "not_retrieved"


# -- running ----------------------------------------------------------------------

def evaluate_one(bot: Assistant, q: ReaderQuestion, history: list[dict]) -> ReaderOutcome:
    answer = bot.ask(q.text, history=history)
    right, failure = score(q, answer)
    rank = None
    if q.article_id:
        hits = bot.search(answer.standalone or q.text, 10)
        rank = next((i for i, h in enumerate(hits, 1) if h.chunk.article_id == q.article_id), None)
    return ReaderOutcome(
        question=q, right=right, failure=failure, article_rank=rank,
        in_passages=any(h.chunk.article_id == q.article_id for h in answer.passages),
        cited=list(dict.fromkeys(c.article_id for c in answer.citations)),
        seconds=sum(answer.timings.get(k, 0.0) for k in ("retrieve", "answer")),
        answer=answer.text, standalone=answer.standalone, history=history)


def run(bot: Assistant, questions: list[ReaderQuestion], *,
        progress: Callable[[int, int], None] | None = None) -> dict:
    """Ask every question (follow-ups after the turn they follow); the report and outcomes."""
    given: dict[str, tuple[str, str]] = {}
    outcomes = []
    for i, q in enumerate(questions, 1):
        history = []
        if q.follows and q.follows in given:
            asked, answered = given[q.follows]
            history = [{"role": "user", "content": asked}, {"role": "assistant", "content": answered}]
        outcome = evaluate_one(bot, q, history)
        given[q.id] = (q.text, outcome.answer)
        outcomes.append(outcome)
        if progress:
            progress(i, len(questions))
    types = sorted({o.question.type for o in outcomes})
    return {"by_type": {t: summarise([o for o in outcomes if o.question.type == t]) for t in types},
            "overall": summarise(outcomes), "outcomes": outcomes}


def summarise(outcomes: list[ReaderOutcome]) -> dict:
    n = len(outcomes)
    answerable = [o for o in outcomes if o.question.article_id]
    ranks = [o.article_rank for o in answerable]
    seconds = [o.seconds for o in outcomes]
    failures = {k: sum(o.failure == k for o in outcomes) for k in CLASSES}
    return {
        "questions": n,
        "accuracy": round(sum(o.right for o in outcomes) / n, 4) if n else None,
        "right": sum(o.right for o in outcomes),
        "failures": failures,
        "gold_article": {**{f"hits@{k}": round(sum(r is not None and r <= k for r in ranks) / len(ranks), 4)
                            for k in KS},
                         "mrr@10": round(sum(1 / r for r in ranks if r) / len(ranks), 4)} if ranks else None,
        "latency_ms": {"p50": round(statistics.median(seconds) * 1000, 1),
                       "p95": round(ev.percentile(seconds, 0.95) * 1000, 1)} if seconds else None,
    }


# -- output -------------------------------------------------------------------------

ROWS = [
    ("questions", lambda s: s["questions"]),
    ("right", lambda s: s["accuracy"]),
    ("article Hits@4", lambda s: s["gold_article"] and s["gold_article"]["hits@4"]),
    ("article MRR@10", lambda s: s["gold_article"] and s["gold_article"]["mrr@10"]),
    *[(f"wrong: {k.replace('_', ' ')}", lambda s, k=k: s["failures"][k]) for k in CLASSES],
    ("latency p50 / p95 ms", lambda s: s["latency_ms"] and f"{s['latency_ms']['p50']:.0f} / "
                                                          f"{s['latency_ms']['p95']:.0f}"),
]


def outcome_dict(o: ReaderOutcome) -> dict:
    q = o.question
    return {"id": q.id, "type": q.type, "question": q.text, "right": o.right, "failure": o.failure,
            "failure_means": CLASSES.get(o.failure or ""), "gold_article": q.article_id,
            "gold_answer": q.answer, "aliases": q.aliases, "evidence": q.evidence,
            "article_rank": o.article_rank, "in_passages": o.in_passages, "cited": o.cited,
            "standalone": o.standalone, "history": o.history, "answer": o.answer,
            "ms": round(o.seconds * 1000, 2)}


def table(report: dict) -> tuple[list[str], list[list[str]]]:
    return ev.table(report, ROWS)


def write_reports(report: dict, meta: dict, out_dir: Path) -> tuple[Path, Path]:
    return ev.write_reports(report, meta, out_dir, rows=outcome_dict, metrics=ROWS,
                            title="Newsdesk evaluation: reader questions")
