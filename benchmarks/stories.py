"""Story linking (index.stories): pairwise precision, recall and F1 against hand-labelled
stories, measured on the real ingest path, and how the score moves with each setting.

The labels (``benchmarks/questions/stories_wikinews.jsonl``, described beside it) put each of
the 273 bundled Wikinews articles in a story by editor's judgement. The articles are ingested
in the file's order (newest first) with the real embedding model into a temporary index,
exactly as ``newsdesk ingest`` does (it indexes a batch oldest first); the stories the
catalog then holds are scored pairwise: a predicted pair is two articles in one story, a
true pair two articles the labels put in one story. Then the linker
is run again over the vectors and terms the catalog stored, once per setting changed alone,
to show how sensitive the result is; and on each year alone (2019, 2020), as two halves.

    .venv/bin/python benchmarks/stories.py [--labels FILE] [--out benchmarks/results/stories.md]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import cpu  # noqa: E402
from index import stories  # noqa: E402

LABELS = ROOT / "benchmarks" / "questions" / "stories_wikinews.jsonl"


def pairs(groups: dict[str, str], ids) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = defaultdict(list)
    for aid in ids:
        by[groups[aid]].append(aid)
    return {tuple(sorted(p)) for members in by.values() for p in itertools.combinations(members, 2)}


def score(predicted: dict[str, str], gold: dict[str, str], ids=None) -> dict:
    ids = sorted(ids if ids is not None else gold)
    p, g = pairs(predicted, ids), pairs(gold, ids)
    tp = len(p & g)
    precision = tp / len(p) if p else 1.0
    recall = tp / len(g) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted_pairs": len(p),
            "true_pairs": len(g), "stories": len(set(predicted[a] for a in ids))}


def relink(rows, articles, **settings) -> dict[str, str]:
    """The linker run again over stored vectors, with module settings changed."""
    import numpy as np

    saved = {k: getattr(stories, k) for k in settings}
    try:
        for k, v in settings.items():
            setattr(stories, k, v)
        linker = stories.StoryLinker()
        vectors = {aid: np.frombuffer(v, dtype=np.float32) for aid, _, _, v, _ in rows}
        ordered = sorted(articles, key=lambda a: (a.published_at or "9999", a.id))
        out = linker.link(ordered, [vectors[a.id] for a in ordered])
        return {r.article_id: r.story for r in out}
    finally:
        for k, v in saved.items():
            setattr(stories, k, v)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--articles", type=Path, default=ROOT / "corpus" / "articles" / "wikinews-2019-2020.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "stories.md")
    args = ap.parse_args()

    gold = {r["article_id"]: r["story"] for r in map(json.loads, args.labels.read_text().splitlines())}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NEWSDESK_DATA_DIR"] = tmp
        from assistant import Assistant
        from corpus import LoadResult, load_paths

        articles = [a for a in load_paths(args.articles).articles if a.id in gold]  # file order
        bot = Assistant.from_settings()
        started = time.perf_counter()
        bot.ingest_loaded(LoadResult(articles=articles, files=1))
        ingest_seconds = time.perf_counter() - started
        rows = bot.catalog.story_rows()
        predicted = {aid: story for aid, story, *_ in rows}
        started = time.perf_counter()
        relink(rows, articles)
        link_seconds = time.perf_counter() - started

        results = [("shipped", score(predicted, gold))]
        for name, values in (("WINDOW", (14, 30, 90)), ("TERMS", (0.0, 0.2, 0.4)), ("DECAY", (0.0, 0.2)),
                             ("LINK", (0.34, 0.36, 0.40, 0.42))):
            for v in values:
                results.append((f"{name}={v}", score(relink(rows, articles, **{name: v}), gold)))
        years = {y: [a.id for a in articles if (a.published_at or "").startswith(y)] for y in ("2019", "2020")}
        halves = [(y, score(predicted, gold, ids)) for y, ids in years.items()]

        by_story: dict[str, list[str]] = defaultdict(list)
        for aid in gold:
            by_story[gold[aid]].append(aid)
        titles = {a.id: a.title for a in articles}
        split = [(s, len(m), len({predicted[a] for a in m})) for s, m in by_story.items()
                 if len({predicted[a] for a in m}) > 1]
        merged = defaultdict(set)
        for aid, story in predicted.items():
            merged[story].add(gold[aid])
        wrong = [sorted(titles[a][:60] for a, s in predicted.items() if s == story)
                 for story, labels in merged.items() if len(labels) > 1]

    lines = [
        "# Story linking: pairwise precision, recall, F1",
        "",
        "Command: `.venv/bin/python benchmarks/stories.py`  ",
        f"CPU: {cpu()}  ",
        f"Labels: `{args.labels.relative_to(ROOT)}` ({len(gold)} articles, {len(set(gold.values()))} stories, "
        f"{sum(1 for m in by_story.values() if len(m) > 1)} with more than one article)  ",
        f"Linker: `{stories.version()}`; real ingest of the {len(articles)} articles (file order; the indexer "
        "takes them oldest first) "
        f"{ingest_seconds:.1f} s, of which linking (run again alone over the stored vectors) {link_seconds:.2f} s.",
        "",
        "| setting | precision | recall | F1 | predicted pairs | true pairs | stories |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in results + [(f"shipped, {y} only", r) for y, r in halves]:
        lines.append(f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
                     f"{r['predicted_pairs']} | {r['true_pairs']} | {r['stories']} |")
    lines += ["", "## Labelled stories split by the shipped linker (story, articles, pieces)", ""]
    lines += [f"- {s}: {n} articles in {k} stories" for s, n, k in sorted(split)] or ["- none"]
    lines += ["", "## Stories that mix labelled stories (their articles' titles)", ""]
    lines += [f"- {' / '.join(t)}" for t in wrong] or ["- none"]
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
