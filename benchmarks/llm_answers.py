"""Generated vs extractive answers on the shared eval questions: do citations verify, does
the verifier catch wrong sentences, and how long do answers take on this CPU.

For each question (``--limit`` of them, spread over the question types):
- the extractive answer, its text checked by the same verifier the LLM path uses;
- the LLM's answer (``--llm``, default the bundled SmolLM2-135M): time to first token
  and to the complete answer, whether all its cited sentences verify, whether it fell
  back to the extractive answer;
- seeded errors: each supported sentence of either answer is corrupted three ways (a
  number changed, a name replaced by one the passages do not have, the sentence swapped
  for one from another question's passages, same citation) and checked again; the
  share caught is reported per kind, with the share of the unchanged sentences wrongly
  flagged.

    .venv/bin/python benchmarks/llm_answers.py [--eval-dir ../shared/eval] [--limit 40]
        [--llm smollm2] [--data-dir data/bench-llm] [--out benchmarks/results/llm-answers.md]

The index of the eval corpus is built in ``--data-dir`` on first use (about a minute).
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Answer, Assistant, load_settings  # noqa: E402
from assistant.citations import Verifier, names  # noqa: E402
from assistant.evaluate import cpu, percentile  # noqa: E402
from index import sentence_spans  # noqa: E402

FOREIGN_NAMES = ["Okonkwo", "Valdimarsson", "Brzezinska", "Takahashi", "Oyelaran"]


def spread(rows: list[dict], n: int) -> list[dict]:
    """``n`` questions taken evenly across the question types, in file order."""
    by_type: dict[str, list[dict]] = {}
    for r in rows:
        by_type.setdefault(r.get("question_type", "?"), []).append(r)
    out: list[dict] = []
    while len(out) < min(n, len(rows)):
        for group in by_type.values():
            if group and len(out) < n:
                out.append(group.pop(0))
    return out


def corrupt(sentence: str, passages: list[str], other: str) -> dict[str, str]:
    """Wrong versions of a supported sentence, keeping its citation markers."""
    markers = " ".join(re.findall(r"\[[\d,\s–-]+\]", sentence)) or "[1]"
    bare = re.sub(r"\s*\[[\d,\s–-]+\]", "", sentence).strip()
    out = {}
    m = re.search(r"\b\d+\b", bare)
    if m:
        out["number"] = f"{bare[:m.start()]}{int(m.group()) * 3 + 7}{bare[m.end():]} {markers}"
    found = sorted(names(bare), key=len, reverse=True)
    text = " ".join(passages).lower()
    new = next((n for n in FOREIGN_NAMES if n.lower() not in text), None)
    if found and new:
        pattern = re.compile(rf"\b{re.escape(found[0])}\b", re.I)
        if pattern.search(bare):
            out["name"] = f"{pattern.sub(new, bare, count=1)} {markers}"
    if other:
        out["unrelated"] = f"{other} {markers}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--llm", default="smollm2")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data" / "bench-llm")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "llm-answers.md")
    args = parser.parse_args()
    args.load_at_start = os.getloadavg()[0]

    settings = load_settings(data_dir=args.data_dir)
    plain = Assistant.from_settings(settings)
    if not plain.catalog.counts()[0]:
        print(f"indexing {args.eval_dir / 'corpus.jsonl'} into {args.data_dir} ...", file=sys.stderr)
        plain.ingest([args.eval_dir / "corpus.jsonl"])
    llm_bot = Assistant.from_settings(settings.model_copy(update={"llm": args.llm}), embedder=plain.embedder)
    verifier = Verifier(terms=plain.keyword.terms, embedder=plain.embedder)
    rows = [json.loads(x) for x in (args.eval_dir / "queries_dev.jsonl").open(encoding="utf-8") if x.strip()]
    questions = spread(rows, args.limit)
    llm_bot.ask(questions[0]["query"])  # load the model before timing

    # sentences of other articles, for the "unrelated sentence, same citation" seeds
    pool = []
    for row in rows[::7]:
        for hit in plain.search(row["query"], 1):
            text = hit.chunk.text
            pool += [(hit.chunk.article_id, text[a:b]) for a, b in sentence_spans(text)
                     if len(text[a:b].split()) >= 8][:1]
    results, seeded = [], []
    for i, row in enumerate(questions):
        q = row["query"]
        ext = plain.ask(q)
        ext_passages = [c.passage for c in ext.citations]
        ext_check = verifier.verify(ext.text, ext_passages) if ext.citations else None
        started, first = time.perf_counter(), None
        for item in llm_bot.ask_stream(q):
            if isinstance(item, Answer):
                gen = item
            elif first is None:
                first = time.perf_counter() - started
        total = time.perf_counter() - started
        generated = gen.answerer.startswith("llm:")
        results.append({
            "question": q, "type": row.get("question_type"),
            "extractive_verified": bool(ext_check and ext_check.supported and not ext_check.unsupported),
            "llm_generated": generated, "llm_verified": generated and gen.unsupported == 0,
            "llm_sentences": sum(1 for s in gen.sentences if s.cited), "llm_unsupported": gen.unsupported,
            "first_token_s": first, "complete_s": total,
        })
        cited_articles = {c.article_id for c in ext.citations} | {c.article_id for c in gen.citations}
        other = next((text for aid, text in pool if aid not in cited_articles), "")
        sources = [("extractive", ext_check, ext_passages)]
        if generated:
            sources.append(("llm", gen, [c.passage for c in gen.citations]))
        for name, check, passages in sources:
            if check is None:
                continue
            for s in check.sentences:
                if not s.supported:
                    continue
                seeded.append({"answerer": name, "kind": "unchanged",
                               "flagged": not verifier.verify(s.text, passages).supported})
                for kind, wrong in corrupt(s.text, passages, other).items():
                    v = verifier.verify(wrong, passages)
                    seeded.append({"answerer": name, "kind": kind, "flagged": v.unsupported > 0})
        print(f"[{i + 1}/{len(questions)}] {gen.answerer} first {first or 0:.2f}s complete {total:.2f}s",
              file=sys.stderr)
    write_report(args, results, seeded)


def share(xs) -> str:
    xs = list(xs)
    return f"{sum(xs) / len(xs):.3f} ({sum(xs)}/{len(xs)})" if xs else "-"


def write_report(args, results: list[dict], seeded: list[dict]) -> None:
    firsts = [r["first_token_s"] for r in results if r["first_token_s"] is not None]
    completes = [r["complete_s"] for r in results]
    generated = [r for r in results if r["llm_generated"]]
    lines = [
        "# Generated vs extractive answers: citation checks and latency",
        "",
        f"Command: `.venv/bin/python benchmarks/llm_answers.py --limit {args.limit} --llm {args.llm}`  ",
        f"Run: {time.strftime('%Y-%m-%d %H:%M')}; {len(results)} dev questions spread over the types; "
        f"LLM `{args.llm}` at temperature 0; CPU: {cpu()}, {os.cpu_count()} cores; 1-minute load average at start "
        f"{args.load_at_start:.2f}, at the end {os.getloadavg()[0]:.2f} (above ~1 means other work "
        "shared the CPU and the latencies are high).",
        "",
        "| | extractive | LLM |",
        "| --- | --- | --- |",
        f"| answers whose cited sentences all verify | {share(r['extractive_verified'] for r in results)} "
        f"| {share(r['llm_verified'] for r in results)} |",
        f"| answers the LLM wrote (not fallen back) | - | {share(r['llm_generated'] for r in results)} |",
        f"| of those, all cited sentences verify | - | {share(r['llm_verified'] for r in generated)} |",
        f"| cited LLM sentences flagged unsupported | - | "
        f"{sum(r['llm_unsupported'] for r in generated)}/{sum(r['llm_sentences'] for r in generated)} |",
        f"| first token p50 / p95 | - | {percentile(firsts, 0.5):.2f} / {percentile(firsts, 0.95):.2f} s |"
        if firsts else "| first token | - | - |",
        f"| complete answer p50 / p95 | - | {percentile(completes, 0.5):.2f} / {percentile(completes, 0.95):.2f} s |",
        "",
        "## Seeded errors: supported sentences corrupted, then checked again",
        "",
        "| kind | from extractive answers | from LLM answers |",
        "| --- | --- | --- |",
    ]
    for kind in ("number", "name", "unrelated", "unchanged"):
        label = {"number": "a number changed: caught", "name": "a name replaced: caught",
                 "unrelated": "another passage's sentence, same citation: caught",
                 "unchanged": "unchanged: wrongly flagged"}[kind]
        cells = [share(x["flagged"] for x in seeded if x["kind"] == kind and x["answerer"] == a)
                 for a in ("extractive", "llm")]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
