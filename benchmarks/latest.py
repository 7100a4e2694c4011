""""Latest" and "as of" questions: does the answer lead with the newest figure (or the figure
as of the date asked), from the report that gives it?

The questions (``benchmarks/questions/latest_covid.jsonl``, described beside it) ask for
running COVID-19 figures of 2020 (cases, deaths, recoveries; worldwide and by country) over
the bundled corpus; each has as gold the newest figure in the articles (or the newest on or
before its "as of" date) and the article that reports it. The bundled corpus is indexed with
the real model into a temporary index; each question is asked as a user would: the "as of"
date in the question's words, or passed as ``ask(..., as_of=D)`` when the set says the date
is not in the text. An answer is right when the figure it leads with (the text before its
first citation) gives the gold number and that citation is the gold article. The same
questions are also asked with the newest-first answering switched off (the usual answer,
the "as of" date only as a date filter), for comparison.

    .venv/bin/python benchmarks/latest.py [--questions FILE] [--out benchmarks/results/latest.md] [--data-dir D]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import cpu  # noqa: E402
from benchmarks.bundled import arguments, bundled_assistant  # noqa: E402

QUESTIONS = ROOT / "benchmarks" / "questions" / "latest_covid.jsonl"
SMALL = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def values(text: str) -> set[int]:
    """The numbers a figure gives: "over 1.6 million" -> 1600000, "52 thousand" -> 52000,
    "a quarter of a million" -> 250000, "three" -> 3."""
    low = text.lower().replace("a quarter of a million", "250000")
    low = re.sub(r"\b(" + "|".join(SMALL) + r")\s+(?=thousand|million|billion)",
                 lambda m: str(SMALL[m.group(1)]) + " ", low)
    out = set()
    for m in re.finditer(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion)?", low):
        number = float(m.group(1).replace(",", ""))
        out.add(round(number * SCALE.get(m.group(2) or "", 1)))
    for word in re.findall(r"[a-z]+", low):
        if word in SMALL:
            out.add(SMALL[word])
    return out


def run(bot, rows, latest: bool) -> list[dict]:
    import assistant.core as core
    from index import SearchFilters

    saved = core.asks_latest
    out = []
    try:
        if not latest:
            core.asks_latest = lambda asked: False
        for r in rows:
            as_of = r["as_of"] if r["kind"] == "as_of" and not r.get("date_in_text") else None
            if latest:
                answer = bot.ask(r["question"], as_of=as_of)
            else:
                answer = bot.ask(r["question"], filters=SearchFilters(date_to=as_of) if as_of else None)
            lead = answer.text.split("[1]")[0]
            first = answer.citations[0].article_id if answer.citations else None
            right = r["gold_number"] in values(lead) and first == r["gold_article_id"]
            out.append({"id": r["id"], "kind": r["kind"], "right": right, "answerer": answer.answerer,
                        "lead": " ".join(lead.split())[:90], "gold": r["gold_value"], "cited": first})
    finally:
        core.asks_latest = saved
    return out


def main() -> None:
    args, rows = arguments(QUESTIONS, ROOT / "benchmarks" / "results" / "latest.md")
    with bundled_assistant(args.data_dir) as bot:
        shipped = run(bot, rows, latest=True)
        usual = run(bot, rows, latest=False)

    def share(results, kind=None):
        chosen = [r for r in results if kind in (None, r["kind"])]
        return f"{sum(r['right'] for r in chosen) / len(chosen):.3f} ({sum(r['right'] for r in chosen)}/{len(chosen)})"

    kinds = Counter(r["kind"] for r in rows)
    lines = ["# \"Latest\" and \"as of\" questions", "",
             "Command: `.venv/bin/python benchmarks/latest.py`  ", f"CPU: {cpu()}  ",
             f"Questions: `{args.questions.relative_to(ROOT)}` ({len(rows)}: "
             + ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")", "",
             "| answering | all | latest | as of |", "| --- | --- | --- | --- |",
             f"| newest figure first (shipped) | {share(shipped)} | {share(shipped, 'latest')} | "
             f"{share(shipped, 'as_of')} |",
             f"| the usual answer (as-of date as a filter only) | {share(usual)} | {share(usual, 'latest')} | "
             f"{share(usual, 'as_of')} |", "",
             "## Each question (shipped)", "", "| id | kind | right | answerer | leads with | gold |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in shipped:
        lead = r["lead"].replace("|", "/")
        lines.append(f"| {r['id']} | {r['kind']} | {'yes' if r['right'] else 'no'} | {r['answerer']} | "
                     f"{lead} | {r['gold']} |")
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
