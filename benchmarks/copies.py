"""Copy detection (index.copies): precision and recall on a labelled set built from the
bundled Wikinews articles, and what detection costs at ingest.

The labelled set (seeded, rebuilt on every run; nothing is stored): the 273 Wikinews
articles as originals, and for about 60% of those with 80+ words 1-3 edited versions each,
as syndication and republishing make them: always another headline, source and a date 0-2
days later, plus a random mix of an outlet dateline in front, outlet boilerplate at the
end ("This story was distributed by ..."), the last paragraph trimmed, a middle paragraph
dropped, the article cut to its first half, a few words changed ("said" -> "told
reporters"), paragraphs re-wrapped. Hard negatives come with the corpus: every pair of
different stories published within a day of each other that share a Wikinews category
(same topic, same day). All articles go through the copy finder in date order, as they
would arrive; every pair of articles is then scored: a predicted pair is two articles in
one group, a true pair two versions of one story.

Cost: the time ``Indexer`` spends finding copies during a real ingest of the bundled
corpus (real model), as a share of that ingest; and the same finder over the shared eval
corpus replicated 10x (10,080 articles, as in benchmarks/run_all.py section C), against
the ingest time per article measured here.

    .venv/bin/python benchmarks/copies.py [--seed 7] [--eval-dir ../shared/eval] [--out benchmarks/results/copies.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import cpu  # noqa: E402
from corpus import Article  # noqa: E402
from index.copies import CopyFinder  # noqa: E402

OUTLETS = ["Agency Wire", "The Daily Courier", "Metro Herald", "Global Post", "Evening Standard-Times"]
WORDS = [(" said ", " told reporters "), (" announced ", " said "), (" people ", " residents "),
         (" on Monday", " Monday"), (" president ", " President ")]


def edit(body: str, rng: random.Random, outlet: str) -> tuple[str, list[str]]:
    paragraphs = [p for p in body.split("\n") if p.strip()]
    done = []
    if rng.random() < 0.5:
        paragraphs[0] = f"{rng.choice(['LONDON', 'NEW YORK', 'SYDNEY', 'PARIS'])} ({outlet}) - {paragraphs[0]}"
        done.append("dateline")
    if len(paragraphs) > 2 and rng.random() < 0.4:
        paragraphs = paragraphs[:-1]
        done.append("last paragraph trimmed")
    if len(paragraphs) > 4 and rng.random() < 0.3:
        del paragraphs[rng.randrange(1, len(paragraphs) - 1)]
        done.append("a middle paragraph dropped")
    if len(paragraphs) > 3 and rng.random() < 0.15:
        paragraphs = paragraphs[:len(paragraphs) // 2 + 1]
        done.append("cut to its first half")
    text = "\n".join(paragraphs)
    if rng.random() < 0.5:
        for old, new in rng.sample(WORDS, 2):
            text = text.replace(old, new, 2)
        done.append("words changed")
    if rng.random() < 0.5:
        text += f"\nThis story was distributed by {outlet}. Follow {outlet} for more news. All rights reserved."
        done.append("boilerplate")
    if rng.random() < 0.3:
        text = text.replace("\n", " ")
        done.append("re-wrapped")
    return text, done


def labelled_set(seed: int) -> tuple[list[dict], dict[str, str], int]:
    """``(articles in arrival order, article id -> story id, hard negative pairs)``."""
    rng = random.Random(seed)
    rows = [json.loads(line) for line in (ROOT / "corpus" / "articles" / "wikinews-2019-2020.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()]
    articles, story = [], {}
    for n, r in enumerate(rows):
        aid = f"w{n}"
        articles.append({"id": aid, "body": r["body"], "date": r["published_at"], "edits": []})
        story[aid] = aid
        if len(r["body"].split()) < 80 or rng.random() > 0.6:
            continue
        for c in range(rng.randint(1, 3)):
            outlet = rng.choice(OUTLETS)
            body, done = edit(r["body"], rng, outlet)
            day = dt.date.fromisoformat(r["published_at"]) + dt.timedelta(days=rng.randint(0, 2))
            articles.append({"id": f"{aid}-c{c}", "body": body, "date": day.isoformat(), "edits": done})
            story[f"{aid}-c{c}"] = aid
    hard = 0
    for a, b in itertools.combinations(rows, 2):
        days = abs((dt.date.fromisoformat(a["published_at"]) - dt.date.fromisoformat(b["published_at"])).days)
        if days <= 1 and set(a.get("categories") or []) & set(b.get("categories") or []):
            hard += 1
    articles.sort(key=lambda a: (a["date"], a["id"]))
    return articles, story, hard


def detect(articles: list[dict], group_size: int = 64) -> tuple[dict[str, str], float]:
    finder = CopyFinder()
    started = time.perf_counter()
    finder.load([])
    groups = {}
    for g in range(0, len(articles), group_size):
        batch = [Article(id=a["id"], title="", body=a["body"]) for a in articles[g:g + group_size]]
        groups.update({r.article_id: r.group for r in finder.assign(batch)})
    return groups, time.perf_counter() - started


def pairs(assignment: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = {}
    for aid, group in assignment.items():
        members.setdefault(group, []).append(aid)
    return {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(m, 2)}


def ingest_share() -> tuple[int, float, float]:
    """A real ingest of the bundled corpus: ``(articles, ingest seconds, copy finding seconds)``."""
    from assistant import Assistant, load_settings
    from corpus import BUNDLED_DIR
    from index.ingest import Indexer

    spent = [0.0]
    assign = Indexer._assign_copies

    def timed(self, articles):
        started = time.perf_counter()
        try:
            return assign(self, articles)
        finally:
            spent[0] += time.perf_counter() - started

    Indexer._assign_copies = timed
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant.from_settings(load_settings(data_dir=Path(tmp), log_level="WARNING"))
        report = bot.ingest([BUNDLED_DIR])
    Indexer._assign_copies = assign
    return report.added, report.seconds, spent[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "copies.md")
    args = parser.parse_args()

    articles, story, hard = labelled_set(args.seed)
    found, seconds = detect(articles)
    truth, predicted = pairs(story), pairs(found)
    right = truth & predicted
    precision = len(right) / len(predicted) if predicted else 1.0
    recall = len(right) / len(truth) if truth else 1.0
    wrong = sorted(predicted - truth)
    missed = sorted(truth - predicted)
    by_edit: dict[str, list[bool]] = {}
    for a in articles:
        for e in a["edits"]:
            by_edit.setdefault(e, []).append(found[a["id"]] == found[story[a["id"]]])

    eval_rows = [json.loads(line) for line in (args.eval_dir / "corpus.jsonl").read_text().splitlines() if line.strip()]
    replicated = [{"id": r["id"], "body": r.get("body") or r.get("text") or ""} for r in eval_rows]
    replicated += [{"id": f"{r['id']}-r{n}", "body": f"Replica {n}.\n\n{r['body']}"}
                   for n in range(1, 10) for r in replicated[:len(eval_rows)]]
    rep_found, rep_seconds = detect(replicated)
    rep_groups = len(set(rep_found.values()))
    n_ingested, ingest_s, finding_s = ingest_share()
    per_article = ingest_s / n_ingested

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    copies = len(articles) - len(set(story.values()))
    lines = [
        "# Copies of one story: detection quality and cost",
        "",
        f"Command: `.venv/bin/python benchmarks/copies.py --seed {args.seed}`  ",
        f"Run: {dt.datetime.now():%Y-%m-%d %H:%M}; commit {commit}; CPU: {cpu()}, "
        f"{len(os.sched_getaffinity(0))} cores.  ",
        "How the labelled set is made: see the docstring of benchmarks/copies.py.",
        "",
        f"Labelled set: {len(articles)} articles: {len(set(story.values()))} Wikinews stories and "
        f"{copies} edited versions of them; {len(truth):,} true pairs (versions of one story), "
        f"{hard:,} hard-negative pairs (different stories, same category, published within a day) "
        f"among {len(articles) * (len(articles) - 1) // 2:,} pairs in all.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| pairwise precision | {precision:.4f} ({len(right):,} of {len(predicted):,} predicted pairs) |",
        f"| pairwise recall | {recall:.4f} ({len(right):,} of {len(truth):,} true pairs) |",
        f"| detection time, labelled set | {seconds:.2f} s for {len(articles)} articles |",
        "",
        "Recall by kind of edit (a version counts when it joined its original's group):",
        "",
        "| edit | versions | found |",
        "| --- | --- | --- |",
        *[f"| {e} | {len(v)} | {sum(v) / len(v):.3f} |" for e, v in sorted(by_edit.items())],
        "",
        f"Wrong pairs: {', '.join(f'{a}~{b}' for a, b in wrong[:10]) or 'none'}; "
        f"missed pairs: {', '.join(f'{a}~{b}' for a, b in missed[:10]) or 'none'}"
        f"{' ...' if len(missed) > 10 else ''}.",
        "",
        "## Cost at ingest",
        "",
        f"- Real ingest of the bundled corpus ({n_ingested} articles, int8 MiniLM): {ingest_s:.1f} s, "
        f"of which finding copies {finding_s:.2f} s ({100 * finding_s / ingest_s:.2f}%).",
        f"- The shared eval corpus replicated 10x ({len(replicated):,} articles; replica r has "
        f"\"Replica r.\" in front, as in run_all.py section C): finding copies took {rep_seconds:.1f} s "
        f"and put them in {rep_groups:,} groups (the corpus has {len(eval_rows):,} articles); at the "
        f"ingest rate measured above ({per_article:.3f} s per article) the 10x ingest takes about "
        f"{per_article * len(replicated):,.0f} s, so detection is "
        f"{100 * rep_seconds / (per_article * len(replicated)):.1f}% of it.",
        "",
    ]
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0 if precision >= 0.98 and recall >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
