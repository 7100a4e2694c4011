"""``newsdesk eval``: retrieval, answer and latency metrics on a labelled question set.

Input files follow the schema of ``../shared/eval`` (see its README): a corpus of
article records (JSONL), questions with gold evidence (``queries_*.jsonl``), and
optionally quote-attribution cases (``quotes_*.jsonl``). Every question is asked
through the real pipeline; metrics are reported per question type and overall.
The keys of the JSON report are documented in the README ("Evaluation").
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from corpus import InvalidInput
from index.attribution import speaker_key

from .core import Assistant
from .quotes import in_order_share, words

KS = (1, 4, 10)
RETRIEVAL_DEPTH = 10
QUOTE_RECALL = 0.8


@dataclass
class Question:
    id: str
    type: str
    text: str
    article_id: str
    span: tuple[int, int] | None = None
    speaker: str | None = None  # who_said: the gold speaker
    quote: str | None = None  # quote_about_topic: the gold quote


@dataclass
class Outcome:
    """What happened to one question."""

    question: Question
    article_rank: int | None  # 1-based rank of the first retrieved chunk of the gold article
    evidence_rank: int | None  # ... of the first chunk containing the whole evidence span
    cites_gold: bool
    names_speaker: bool | None
    reproduces_quote: bool | None
    quote_and_citation: bool | None  # reproduces the gold quote and cites the gold article
    citations_verbatim: bool
    covered: bool
    retrieve_s: float
    answer_s: float
    answer: str = ""
    extra: dict = field(default_factory=dict)


# -- reading question files ---------------------------------------------------

def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InvalidInput(f"{path}:{n} is not valid JSON ({exc.msg}).") from None
    return rows


def read_questions(path: Path) -> list[Question]:
    """Questions in the ``queries_*.jsonl`` schema."""
    out = []
    for n, row in enumerate(read_jsonl(path), 1):
        try:
            evidence = row["evidence"][0]
            qtype = row["question_type"]
            out.append(Question(
                id=str(row.get("id", n)), type=qtype, text=row["query"],
                article_id=evidence["article_id"], span=tuple(evidence.get("fact_span") or ()) or None,
                speaker=row["answer"] if qtype == "who_said" else row.get("speaker"),
                quote=row["answer"] if qtype == "quote_about_topic" else row.get("quote")))
        except (KeyError, IndexError, TypeError) as exc:
            raise InvalidInput(f"{path}:{n} lacks a field the question schema needs ({exc}).") from None
    return out


def read_quote_cases(path: Path) -> list[Question]:
    """Each ``quotes_*.jsonl`` case asked both ways: what X said, and who said it."""
    out = []
    for n, row in enumerate(read_jsonl(path), 1):
        try:
            span = tuple(row["quote_span"])
            out.append(Question(id=f"{row['id']}-what", type="quotes:what_did_x_say",
                                text=row["question"], article_id=row["article_id"], span=span,
                                speaker=row["speaker"], quote=row["quote"]))
            out.append(Question(id=f"{row['id']}-who", type="quotes:who_said",
                                text=row["who_said_question"], article_id=row["article_id"],
                                span=span, speaker=row["speaker"], quote=row["quote"]))
        except (KeyError, TypeError) as exc:
            raise InvalidInput(f"{path}:{n} lacks a field the quotes schema needs ({exc}).") from None
    return out


# -- scoring ------------------------------------------------------------------

def names(speaker: str, answer: str) -> bool:
    """The answer names the speaker: their surname (last word of the name) occurs in it."""
    parts = words(speaker)
    return bool(parts) and parts[-1] in set(words(answer))


def evaluate_one(bot: Assistant, q: Question) -> Outcome:
    hits = bot.search(q.text, RETRIEVAL_DEPTH)  # ranks for the retrieval metrics
    answer = bot.ask(q.text)  # timed per stage by the pipeline itself
    article_rank = next((i for i, h in enumerate(hits, 1) if h.chunk.article_id == q.article_id), None)
    evidence_rank = None
    if q.span:
        evidence_rank = next((i for i, h in enumerate(hits, 1) if h.chunk.article_id == q.article_id
                              and h.chunk.start <= q.span[0] and h.chunk.end >= q.span[1]), None)
    cited = answer.citations
    verbatim = all(c.quote and c.passage[c.quote_start - c.passage_start:
                                         c.quote_end - c.passage_start] == c.quote for c in cited)
    wants_speaker = q.type.endswith("who_said")
    wants_quote = q.type in ("quote_about_topic", "quotes:what_did_x_say")
    cites_gold = any(c.article_id == q.article_id for c in cited)
    reproduces = in_order_share(q.quote or "", answer.text) >= QUOTE_RECALL if wants_quote else None
    return Outcome(
        question=q, article_rank=article_rank, evidence_rank=evidence_rank, cites_gold=cites_gold,
        names_speaker=names(q.speaker or "", answer.text) if wants_speaker else None,
        reproduces_quote=reproduces, quote_and_citation=(reproduces and cites_gold) if wants_quote else None,
        citations_verbatim=verbatim, covered=answer.covered,
        retrieve_s=answer.timings["retrieve"], answer_s=answer.timings["answer"], answer=answer.text)


def cpu() -> str:
    """The CPU's model and the instruction set its int8 kernels use, for reports: figures
    differ between machines with AVX-512 VNNI and those with AVX2 only."""
    try:
        info = Path("/proc/cpuinfo").read_text().splitlines()
        model = next(ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name"))
        flags = set(next(ln for ln in info if ln.startswith("flags")).split())
    except (OSError, StopIteration):
        return "unknown"
    return model + (" (AVX-512 VNNI)" if "avx512_vnni" in flags else " (AVX2, no AVX-512)"
                    if "avx2" in flags else "")


# -- aggregation --------------------------------------------------------------

def _share(values: Iterable[bool | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (0 for no values); the benchmarks report with it too."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def summarise(outcomes: list[Outcome]) -> dict:
    def ranks(attr: str) -> dict:
        rs = [getattr(o, attr) for o in outcomes]
        out = {f"hits@{k}": _share(r is not None and r <= k for r in rs) for k in KS}
        out["mrr@10"] = round(sum(1 / r for r in rs if r and r <= 10) / len(rs), 4) if rs else None
        return out

    return {
        "questions": len(outcomes),
        "retrieval": {"gold_article": ranks("article_rank"), "gold_evidence": ranks("evidence_rank")},
        "answers": {
            "cites_gold_article": _share(o.cites_gold for o in outcomes),
            "names_gold_speaker": _share(o.names_speaker for o in outcomes),
            "reproduces_gold_quote": _share(o.reproduces_quote for o in outcomes),
            "quote_and_citation": _share(o.quote_and_citation for o in outcomes),
            "citations_verbatim": _share(o.citations_verbatim for o in outcomes),
            "covered": _share(o.covered for o in outcomes),
        },
        "latency_ms": {
            stage: {"p50": round(statistics.median(vals) * 1000, 1),
                    "p95": round(percentile(vals, 0.95) * 1000, 1)}
            for stage, vals in (("retrieve", [o.retrieve_s for o in outcomes]),
                                ("answer", [o.answer_s for o in outcomes])) if vals
        },
    }


def attribution(bot: Assistant, questions: list[Question]) -> dict:
    """The extracted statements against the human labels: for each distinct gold
    (article, quote, speaker), the statement of that article that best reproduces the
    quote (at least half its words, in order) and whether its speaker is the gold one
    (surname match). Precision counts right / (right + wrong); an unattributed statement
    is neither (it was not guessed)."""
    cases = {(q.article_id, q.quote, q.speaker): q for q in questions if q.quote and q.speaker}
    counts = {"gold": len(cases), "speaker_right": 0, "speaker_wrong": 0, "unattributed": 0,
              "not_extracted": 0, "exact_words": 0}
    wrong = []
    for (article_id, quote, speaker), q in cases.items():
        best, share = None, 0.5
        for st in bot.catalog.statements(article_ids=[article_id], attributed=False):
            if q.span and not (st.start < q.span[1] and q.span[0] < st.end):
                continue
            s = in_order_share(quote, st.text)
            if s >= share:
                best, share = st, s
        if best is not None and share == 1.0 and in_order_share(best.text, quote) == 1.0:
            counts["exact_words"] += 1  # the statement's words are exactly the gold quote's
        if best is None:
            counts["not_extracted"] += 1
        elif best.speaker is None:
            counts["unattributed"] += 1
        elif speaker_key(best.speaker) == speaker_key(speaker):
            counts["speaker_right"] += 1
        else:
            counts["speaker_wrong"] += 1
            wrong.append({"article": article_id, "gold": speaker, "extracted": best.speaker})
    right, n = counts["speaker_right"], counts["gold"]
    return {**counts, "recall": round(right / n, 4) if n else None,
            "precision": round(right / (right + counts["speaker_wrong"]), 4)
            if right + counts["speaker_wrong"] else None,
            "exact_words_share": round(counts["exact_words"] / n, 4) if n else None, "wrong": wrong}


def run(bot: Assistant, questions: list[Question], *,
        progress: Callable[[int, int], None] | None = None) -> dict:
    """Ask every question; return the report (``by_type`` and ``overall``) and the outcomes."""
    outcomes = []
    for i, q in enumerate(questions, 1):
        outcomes.append(evaluate_one(bot, q))
        if progress:
            progress(i, len(questions))
    types = sorted({o.question.type for o in outcomes})
    return {
        "by_type": {t: summarise([o for o in outcomes if o.question.type == t]) for t in types},
        "overall": summarise(outcomes),
        "attribution": attribution(bot, questions),
        "outcomes": outcomes,
    }


# -- output -------------------------------------------------------------------

ROWS = [
    ("questions", lambda s: s["questions"]),
    ("article Hits@1", lambda s: s["retrieval"]["gold_article"]["hits@1"]),
    ("article Hits@4", lambda s: s["retrieval"]["gold_article"]["hits@4"]),
    ("article Hits@10", lambda s: s["retrieval"]["gold_article"]["hits@10"]),
    ("article MRR@10", lambda s: s["retrieval"]["gold_article"]["mrr@10"]),
    ("evidence Hits@1", lambda s: s["retrieval"]["gold_evidence"]["hits@1"]),
    ("evidence Hits@4", lambda s: s["retrieval"]["gold_evidence"]["hits@4"]),
    ("evidence Hits@10", lambda s: s["retrieval"]["gold_evidence"]["hits@10"]),
    ("evidence MRR@10", lambda s: s["retrieval"]["gold_evidence"]["mrr@10"]),
    ("answer cites gold article", lambda s: s["answers"]["cites_gold_article"]),
    ("answer names gold speaker", lambda s: s["answers"]["names_gold_speaker"]),
    ("answer reproduces gold quote", lambda s: s["answers"]["reproduces_gold_quote"]),
    ("... and cites gold article", lambda s: s["answers"]["quote_and_citation"]),
    ("citations verbatim", lambda s: s["answers"]["citations_verbatim"]),
    ("retrieve p50 / p95 ms", lambda s: _latency(s, "retrieve")),
    ("answer p50 / p95 ms", lambda s: _latency(s, "answer")),
]


def _latency(s: dict, stage: str) -> str:
    lat = s["latency_ms"].get(stage)
    return f"{lat['p50']:.0f} / {lat['p95']:.0f}" if lat else "-"


def table(report: dict, metrics=None) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one column per question type, then overall; a row per metric
    (``(label, getter)`` pairs, :data:`ROWS` by default)."""
    columns = list(report["by_type"]) + ["overall"]
    summaries = [report["by_type"][c] for c in columns[:-1]] + [report["overall"]]
    rows = []
    for label, get in metrics or ROWS:
        rows.append([label] + ["-" if get(s) is None else f"{get(s)}" for s in summaries])
    return ["metric"] + columns, rows


def markdown(report: dict, meta: dict, metrics=None, title: str = "Newsdesk evaluation") -> str:
    header, rows = table(report, metrics)
    lines = [f"# {title}", ""]
    lines += [f"- {k}: `{v}`" for k, v in meta.items()]
    lines += ["", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    if report.get("attribution"):
        lines += ["", "## Attribution (extracted statements against the human labels)", "",
                  attribution_line(report["attribution"])]
    return "\n".join(lines) + "\n"


def attribution_line(a: dict) -> str:
    return (f"{a['gold']} gold statements: speaker right {a['speaker_right']}, wrong "
            f"{a['speaker_wrong']}, unattributed {a['unattributed']}, not extracted "
            f"{a['not_extracted']}; recall {a['recall']}, precision {a['precision']}; "
            f"exact words of the quote {a['exact_words']} ({a['exact_words_share']})")


def outcome_dict(o: Outcome) -> dict:
    return {"id": o.question.id, "type": o.question.type, "question": o.question.text,
            "gold_article": o.question.article_id, "article_rank": o.article_rank,
            "evidence_rank": o.evidence_rank, "cites_gold_article": o.cites_gold,
            "names_gold_speaker": o.names_speaker, "reproduces_gold_quote": o.reproduces_quote,
            "quote_and_citation": o.quote_and_citation,
            "citations_verbatim": o.citations_verbatim, "covered": o.covered,
            "retrieve_ms": round(o.retrieve_s * 1000, 2), "answer_ms": round(o.answer_s * 1000, 2),
            "answer": o.answer}


def write_reports(report: dict, meta: dict, out_dir: Path, *, rows=outcome_dict, metrics=None,
                  title: str = "Newsdesk evaluation") -> tuple[Path, Path]:
    """``eval.json`` (the summaries and a row per question) and ``eval.md`` in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {"meta": meta, "overall": report["overall"], "by_type": report["by_type"],
               "attribution": report.get("attribution"),
               "questions": [rows(o) for o in report["outcomes"]]}
    json_path, md_path = out_dir / "eval.json", out_dir / "eval.md"
    json_path.write_text(json.dumps({k: v for k, v in payload.items() if v is not None},
                                    ensure_ascii=False, indent=2))
    md_path.write_text(markdown(report, meta, metrics, title))
    return json_path, md_path
