"""Time to index the bundled corpus, and time to answer a question.

Builds a fresh index of ``corpus/articles`` in a temporary data directory, re-ingests
it unchanged, then asks a fixed set of questions (warm process, after one warm-up)
and reports median and p95 latency per stage. Writes a Markdown report.

    .venv/bin/python benchmarks/bench_index_and_answer.py [--out benchmarks/results/index-and-answer.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Assistant, load_settings  # noqa: E402
from assistant.evaluate import cpu, percentile  # noqa: E402
from corpus import BUNDLED_DIR, load_paths  # noqa: E402
from index import get_encoding  # noqa: E402

QUESTIONS = [
    "What did Sybiga say?",
    "How many drones were fired?",
    "What did Russia claim about Chasiv Yar?",
    "Who is Tymur Tkachenko?",
    "What is the recipe for banana bread?",
]


def headline_questions(n: int) -> list[str]:
    """Questions a reader would ask of the bundled Wikinews articles: their headlines."""
    arts = [a for a in load_paths([BUNDLED_DIR]).articles if a.source == "Wikinews"]
    step = max(1, len(arts) // n)
    return [f"What happened: {a.title}?" for a in arts[::step][:n]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/index-and-answer.md")
    parser.add_argument("--questions", type=int, default=45, help="headline questions besides the fixed ones")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        bot = Assistant.from_settings(load_settings(data_dir=Path(tmp)))
        t = time.perf_counter()
        bot.embedder.dimension  # load the model outside the ingest timing
        model_load = time.perf_counter() - t

        first = bot.ingest([BUNDLED_DIR])
        again = bot.ingest([BUNDLED_DIR])
        status = bot.status()
        enc = get_encoding()
        tokens = sum(len(enc.encode_ordinary(bot.catalog.article(r["id"]).body))
                     for r in bot.catalog.article_rows())

        questions = QUESTIONS + headline_questions(args.questions)
        bot.ask(QUESTIONS[0])  # warm-up: loads the keyword index
        stages: dict[str, list[float]] = {"retrieve": [], "answer": [], "total": []}
        for q in questions:
            t = time.perf_counter()
            answer = bot.ask(q)
            stages["total"].append(time.perf_counter() - t)
            for k in ("retrieve", "answer"):
                stages[k].append(answer.timings[k])
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    lines = [
        "# Index and answer benchmark",
        "",
        "Command: `.venv/bin/python benchmarks/bench_index_and_answer.py`  ",
        f"Machine: {cpu()}, {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"date {time.strftime('%Y-%m-%d')}",
        "",
        "| ingest | value |",
        "| --- | --- |",
        f"| embedding model | {status['embedding_model']} |",
        f"| articles / chunks | {status['articles']} / {status['chunks']} |",
        f"| body tokens (cl100k) | {tokens:,} |",
        f"| model load (int8: the export is made once per machine, ~6 s, then cached) | {model_load:.1f} s |",
        f"| first ingest (load, chunk, embed, store, BM25) | {first.seconds:.1f} s "
        f"({status['articles'] / first.seconds:.1f} articles/s, {tokens / first.seconds:,.0f} tokens/s, "
        f"{first.chunks_embedded / first.seconds:.1f} chunks/s) |",
        f"| re-ingest, unchanged | {again.seconds:.2f} s, {again.chunks_embedded} chunks embedded |",
        f"| peak resident memory | {peak_mb:.0f} MB |",
        "",
        f"Questions: {len(questions)} ({len(QUESTIONS)} fixed + headline questions), warm process.",
        "",
        "| stage | median | p95 |",
        "| --- | --- | --- |",
    ]
    for k, values in stages.items():
        lines.append(f"| {k} | {statistics.median(values) * 1000:.0f} ms | {percentile(values, 0.95) * 1000:.0f} ms |")
    report = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
