"""Following a feed of the bundled Wikinews articles, served on 127.0.0.1 by the tests'
local news site (tests/newssite.py): first fetch, second fetch, and question latency while
a source is being fetched. Real components throughout (Chroma, int8 MiniLM, tiktoken).

1. First fetch: a fresh index follows the RSS feed of all 273 articles and fetches it;
   every article must come in with its date and its source (the site's name).
2. Second fetch: the requests it makes and the passages it embeds (expected: one
   conditional request for the feed, a 304, nothing embedded).
3. Latency: questions (the reader dev questions, after an untimed first pass that warms
   the caches) asked one after another, first with nothing else running, then while the background worker (``Assistant.watch``, as in
   ``newsdesk serve``) fetches a second feed of the same articles republished with a
   changed text (new pages to extract and embed).

    .venv/bin/python benchmarks/follow_feed.py [--delay 0] [--questions ../shared/eval/news_qa_dev.jsonl]
        [--out benchmarks/results/follow-feed.md]

``--delay`` is the politeness delay between two requests to one host (the product's
default is 1 s; the local site is ours, so 0 by default here).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Assistant, load_settings  # noqa: E402
from assistant.evaluate import cpu, percentile  # noqa: E402
from tests.newssite import SITE_NAME, NewsSite, wikinews_articles  # noqa: E402


def counting(bot: Assistant) -> list[int]:
    """Count the passages ``bot`` embeds from now on (a list holding one number)."""
    count = [0]
    embed = bot.embedder.embed

    def counted(texts):
        texts = list(texts)
        count[0] += len(texts)
        return embed(texts)

    bot.embedder.embed = counted
    return count


def timed_questions(bot: Assistant, questions: list[str], until=None, limit: int = 10_000) -> list[float]:
    """Ask questions in turn (until ``until()`` is true, or all of them): latencies in ms."""
    latencies = []
    for i in range(limit):
        if until is not None and until():
            break
        if until is None and i >= len(questions):
            break
        started = time.perf_counter()
        bot.ask(questions[i % len(questions)])
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def summary(latencies: list[float]) -> str:
    return (f"{len(latencies)} questions, p50 {percentile(latencies, 0.5):.0f} ms, p95 "
            f"{percentile(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "news_qa_dev.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "follow-feed.md")
    args = parser.parse_args()

    articles = wikinews_articles()
    site = NewsSite(articles, feed_count=len(articles)).start()
    republished = NewsSite([{**a, "body": a["body"] + "\n\nThis article was republished with corrections."}
                            for a in articles], feed_count=len(articles)).start()
    questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant.from_settings(load_settings(data_dir=Path(tmp) / "data", fetch_delay=args.delay,
                                                    log_level="WARNING"))
        embedded = counting(bot)
        started = time.perf_counter()
        name = bot.add_source(site.url("/feed.xml"), every="15m")["name"]
        first, = bot.fetch_sources([name])
        first_s = time.perf_counter() - started
        rows = {r["url"]: r for r in bot.articles()}
        dated = sum(rows.get(site.url(f"/news/{n}.html"), {}).get("published_at") == a["published_at"]
                    for n, a in enumerate(articles))
        sourced = sum(rows.get(site.url(f"/news/{n}.html"), {}).get("source") == SITE_NAME
                      for n in range(len(articles)))
        first_embedded = embedded[0]

        served = len(site.log)
        started = time.perf_counter()
        second, = bot.fetch_sources([name])
        second_s = time.perf_counter() - started
        second_requests = [f"{path} {status}" for path, status, _ in site.log[served:]]
        second_embedded = embedded[0] - first_embedded

        timed_questions(bot, questions)  # a first pass warms the caches (sentence splits, terms)
        idle = timed_questions(bot, questions)
        other = bot.add_source(republished.url("/feed.xml"), every="15m", name="republished")["name"]
        watcher = bot.watch(poll=0.5)
        started = time.perf_counter()

        def fetched() -> bool:
            return bool(bot.source(other)["last_fetched"]) and bot.source(other)["last_status"] != ""

        busy = timed_questions(bot, questions, until=fetched)
        busy_s = time.perf_counter() - started
        watcher.stop()
        during = bot.source(other)

    site.stop()
    republished.stop()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    lines += [
        "# Following a feed: first fetch, second fetch, questions during a fetch",
        "",
        f"Command: `.venv/bin/python benchmarks/follow_feed.py --delay {args.delay:g}`  ",
        f"Run: {dt.datetime.now():%Y-%m-%d %H:%M}; commit {commit}; CPU: {cpu()}, "
        f"{len(os.sched_getaffinity(0))} cores; Python {platform.python_version()}.  ",
        f"Feed: RSS of the {len(articles)} bundled Wikinews articles served by tests/newssite.py on "
        f"127.0.0.1 (article pages with navigation and footer around the text, dates in a meta tag, "
        f"gzip, ETags); politeness delay {args.delay:g} s per host; default settings otherwise.",
        "",
        "| run | result | requests | passages embedded | time |",
        "| --- | --- | --- | --- | --- |",
        f"| first fetch | {first.added} of {len(articles)} articles indexed ({first.failed} failed); "
        f"{dated} with the feed's date, {sourced} with the source \"{SITE_NAME}\" | "
        f"{first.fetched + 1} (+ robots.txt) | {first_embedded:,} | {first_s:.1f} s |",
        f"| second fetch | {second.status} | {len(second_requests)}: {', '.join(second_requests)} | "
        f"{second_embedded} | {second_s * 1000:.0f} ms |",
        "",
        "Questions asked one after another in this process (the reader dev questions, extractive answers):",
        "",
        f"- idle: {summary(idle)}",
        f"- while the background worker fetched and indexed a second feed of the {len(articles)} "
        f"articles republished with a changed text ({during['new_articles']} new articles, "
        f"{busy_s:.1f} s): {summary(busy)}",
        "",
    ]
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    ok = (first.added == len(articles) == dated == sourced and second.status == "not modified"
          and second_embedded == 0 and len(second_requests) == 1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
