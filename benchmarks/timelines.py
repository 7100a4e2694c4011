"""Timelines: "Timeline of X", "How did X unfold?", "What has happened in X since D?".

The questions (``benchmarks/questions/timelines_wikinews.jsonl``, labelled by hand as
described beside it) name ten developing stories of the bundled Wikinews articles; each has
as gold the dated events a timeline should list, with the articles that report them and word
stems any line telling the event would contain. The bundled corpus is indexed with the real
model and each question is asked as a user would. Measured per question:

- ordered: the lines' days never go backwards;
- cited: each line cites a passage whose quoted sentence holds the line's words;
- recall: share of the gold events some line tells: the line's day is the event's (exactly,
  and also within one day, since "Thursday night" in Baghdad is Friday in UTC), it cites one of
  the event's articles, and its sentence contains one of the event's stems;
- lines told no gold event: the share of lines that match none (labels list the notable
  events only, so this is an upper bound on noise, not an error rate).

    .venv/bin/python benchmarks/timelines.py [--questions FILE] [--out benchmarks/results/timelines.md] [--data-dir D]
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import cpu  # noqa: E402
from benchmarks.bundled import arguments, bundled_assistant  # noqa: E402

QUESTIONS = ROOT / "benchmarks" / "questions" / "timelines_wikinews.jsonl"
LINE = re.compile(r"^- (?P<day>\d{1,2} \w+ \d{4}): (?P<text>.*?) \[(?P<n>\d+)\]$")


def lines_of(answer) -> list[dict]:
    """The answer's timeline lines: day (ISO), words, the citation they point to."""
    out = []
    cited = {c.n: c for c in answer.citations}
    for raw in answer.text.splitlines():
        m = LINE.match(raw.strip())
        if m:
            day = dt.datetime.strptime(m.group("day"), "%d %B %Y").date().isoformat()
            out.append({"day": day, "text": m.group("text"), "citation": cited.get(int(m.group("n")))})
    return out


def tells(line: dict, event: dict, slack: int) -> bool:
    c = line["citation"]
    if c is None or c.article_id not in event["articles"]:
        return False
    apart = abs((dt.date.fromisoformat(line["day"]) - dt.date.fromisoformat(event["date"])).days)
    return apart <= slack and any(t in c.quote.lower() for t in event["terms"])


def score(row: dict, answer) -> dict:
    lines = lines_of(answer)
    days = [x["day"] for x in lines]
    cited = [x for x in lines if x["citation"] is not None
             and x["text"].rstrip(".").lower() in x["citation"].quote.lower()]
    found = {slack: [any(tells(x, e, slack) for x in lines) for e in row["events"]] for slack in (0, 1)}
    noise = [x for x in lines if not any(tells(x, e, 1) for e in row["events"])]
    return {"question": row["question"], "kind": row["kind"], "answerer": answer.answerer, "lines": len(lines),
            "ordered": days == sorted(days), "cited": len(cited), "events": len(row["events"]),
            "recall": sum(found[0]), "recall1": sum(found[1]), "noise": len(noise),
            "missed": [e["date"] + " " + e["event"] for e, hit in zip(row["events"], found[1]) if not hit]}


def main() -> None:
    args, rows = arguments(QUESTIONS, ROOT / "benchmarks" / "results" / "timelines.md")
    with bundled_assistant(args.data_dir) as bot:
        results = [score(r, bot.ask(r["question"])) for r in rows]

    def total(key):
        return sum(r[key] for r in results)

    lines_n, events_n = total("lines"), total("events")
    lines = ["# Timelines", "",
             "Command: `.venv/bin/python benchmarks/timelines.py`  ", f"CPU: {cpu()}  ",
             f"Questions: `{args.questions.relative_to(ROOT)}` ({len(rows)} over "
             f"{len({r['story'] for r in rows})} stories, {events_n} gold events)", "",
             "| measure | value |", "| --- | --- |",
             f"| answered with a timeline | {sum(r['answerer'] == 'timeline' for r in results)}/{len(results)} |",
             f"| timelines in order | {sum(r['ordered'] for r in results) / len(results):.2f} |",
             f"| lines cited (the cited sentence holds the line) | {total('cited') / max(lines_n, 1):.2f} "
             f"({total('cited')}/{lines_n}) |",
             f"| recall of gold events, same day | {total('recall') / events_n:.3f} ({total('recall')}/{events_n}) |",
             f"| recall of gold events, within a day | {total('recall1') / events_n:.3f} "
             f"({total('recall1')}/{events_n}) |",
             f"| lines telling no gold event | {total('noise') / max(lines_n, 1):.2f} ({total('noise')}/{lines_n}) |",
             "", "## Each question", "",
             "| question | kind | lines | in order | cited | recall (same day) | within a day |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(f"| {r['question']} | {r['kind']} | {r['lines']} | {'yes' if r['ordered'] else 'no'} | "
                     f"{r['cited']}/{r['lines']} | {r['recall']}/{r['events']} | {r['recall1']}/{r['events']} |")
    missed = [(r["question"], m) for r in results for m in r["missed"]]
    if missed:
        lines += ["", "## Gold events no line tells", ""] + [f"- {q}: {m}" for q, m in missed]
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
