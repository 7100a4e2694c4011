"""Print a random sample of attributed statements with their context, for a hand audit.

The labels in ``../shared/eval/`` cover one or two statements per article; most of what
the extractor finds is unlabelled. This draws ``--n`` statements that have a speaker,
uniformly from every article of the corpus, and prints each with 200 characters of
context before and 120 after, so a person can judge whether the speaker is right.
Nothing is written: the texts are third-party news and stay out of the repository.

    .venv/bin/python benchmarks/attribution_sample.py [--seed 2028] [--n 40]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.attribution import extract  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "eval" / "corpus.jsonl")
    parser.add_argument("--seed", type=int, default=2028)
    parser.add_argument("--n", type=int, default=40)
    args = parser.parse_args()
    with args.corpus.open(encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh if line.strip()]
    found = [(a, s) for a in articles for s in extract(a["id"], a["body"], a.get("published_at"))
             if s.speaker]
    attributed = len(found)
    total = sum(len(extract(a["id"], a["body"])) for a in articles)
    print(f"{len(articles)} articles, {total} statements, {attributed} with a speaker; "
          f"sample of {args.n}, seed {args.seed}\n")
    random.seed(args.seed)
    for i, (a, s) in enumerate(random.sample(found, args.n)):
        body = a["body"]
        context = body[max(0, s.start - 200):s.end + 120].replace("\n", " / ")
        print(f"#{i} {a['id']} n={s.n} [{s.kind}] speaker={s.speaker!r} role={s.role!r} "
              f"mention={s.mention!r}\n   ...{context}...\n")


if __name__ == "__main__":
    main()
