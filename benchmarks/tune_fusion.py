"""Measure retrieval fusion settings on the shared eval questions (gold article in the top k).

Indexes ``../shared/eval/corpus.jsonl`` once into its own data directory (re-runs reuse
it: unchanged articles are not re-embedded), takes each retriever's candidates once per
question, and scores every (rrf_k, dense weight) pair: Hits@4 and MRR@10 of the gold
article, per question type. The eval data is read in place and never copied.

    .venv/bin/python benchmarks/tune_fusion.py [--eval-dir ../shared/eval] [--data-dir data/eval-index]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Assistant, load_settings  # noqa: E402

RRF_KS = (1, 5, 10, 20, 60)
DENSE_WEIGHTS = (0.1, 0.25, 0.5, 1.0)


def fuse(dense: list[str], keyword: list[str], rrf_k: int, dense_weight: float) -> list[str]:
    scores: dict[str, float] = {}
    for rank, cid in enumerate(dense, 1):
        scores[cid] = scores.get(cid, 0.0) + dense_weight / (rrf_k + rank)
    for rank, cid in enumerate(keyword, 1):
        scores[cid] = scores.get(cid, 0.0) + 1.0 / (rrf_k + rank)
    return sorted(scores, key=lambda c: -scores[c])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data" / "eval-index")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/fusion.md")
    args = parser.parse_args()

    bot = Assistant.from_settings(load_settings(data_dir=args.data_dir))
    started = time.perf_counter()
    report = bot.ingest([args.eval_dir / "corpus.jsonl"])
    print(f"index: {report.summary()} ({time.perf_counter() - started:.0f} s)", flush=True)
    bot.indexer.refresh()

    questions = [json.loads(line) for line in (args.eval_dir / "queries_dev.jsonl").open()]
    vectors = bot.embedder.embed([q["query"] for q in questions])
    dense = [bot.store.query(v, 50) for v in vectors]
    keyword = [bot.keyword.search(q["query"], 50) for q in questions]
    article_of = {cid: c.article_id for cid, c in
                  bot.catalog.chunks(sorted({c for ids in dense + keyword for c in ids})).items()}

    types = sorted({q["question_type"] for q in questions})

    def cells(ranked: list[list[str]]) -> str:
        """Hits@4 and MRR@10 of the gold article, per question type, for one chunk ranking per question."""
        out = []
        for t in types:
            ranks = []
            for q, chunk_ids in zip(questions, ranked):
                if q["question_type"] == t:
                    articles = list(dict.fromkeys(article_of[c] for c in chunk_ids))[:10]
                    gold = q["evidence"][0]["article_id"]
                    ranks.append(articles.index(gold) + 1 if gold in articles else None)
            out.append(f"{sum(1 for r in ranks if r and r <= 4) / len(ranks):.3f} | "
                       f"{sum(1 / r for r in ranks if r) / len(ranks):.3f}")
        return " | ".join(out)

    lines = ["# Retrieval fusion on the dev questions", "",
             f"Command: `.venv/bin/python benchmarks/tune_fusion.py`; {len(questions)} questions "
             f"over {report.articles} articles; gold article in the top k (articles deduplicated).", "",
             "| rrf_k | dense weight | " + " | ".join(f"{t} Hits@4 | {t} MRR@10" for t in types) + " |",
             "| --- | --- | " + " | ".join("--- | ---" for _ in types) + " |",
             f"| BM25 only | 0 | {cells(keyword)} |",
             f"| dense only | 1 | {cells(dense)} |"]
    for rrf_k in RRF_KS:
        for weight in DENSE_WEIGHTS:
            fused = [fuse(d, k, rrf_k, weight) for d, k in zip(dense, keyword)]
            lines.append(f"| {rrf_k} | {weight} | {cells(fused)} |")
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
