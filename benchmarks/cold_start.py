"""Cold start: how long ``newsdesk ask`` takes from a new process to a printed answer, over
the bundled corpus, as a user at a terminal meets it.

The bundled corpus is indexed once (into ``--data-dir``, or a temporary index), then
``newsdesk ask QUESTION`` runs ``--runs`` times in new processes, each timed from start to
exit; the report gives the median, the fastest and the slowest. Beside it, for where the
time goes, new processes that only import the CLI, and the CLI with the libraries a
question needs (chromadb, bm25s, onnxruntime), timed the same way.

    .venv/bin/python benchmarks/cold_start.py [--runs 7] [--out benchmarks/results/cold-start.md] [--data-dir D]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import cpu  # noqa: E402

QUESTION = "How many people were killed?"
NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))
STEPS = [
    ("python, nothing imported", [sys.executable, "-c", "pass"]),
    ("import the CLI (assistant.cli)", [sys.executable, "-c", "import assistant.cli"]),
    ("import the CLI, chromadb, bm25s, onnxruntime",
     [sys.executable, "-c", "import assistant.cli, chromadb, bm25s, onnxruntime"]),
    (f"`newsdesk ask \"{QUESTION}\"`", [NEWSDESK, "ask", QUESTION]),
]


def timed(cmd: list[str], env: dict, runs: int) -> list[float]:
    took = []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
        took.append(time.perf_counter() - t0)
        if done.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "cold-start.md")
    ap.add_argument("--data-dir", type=Path, help="index here (kept; re-runs reuse it)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NEWSDESK_DATA_DIR": str(args.data_dir or tmp)}
        timed([NEWSDESK, "ingest", str(ROOT / "corpus" / "articles")], env, 1)  # index once
        timed([NEWSDESK, "ask", QUESTION], env, 1)  # and bring it up to date once
        rows = [(name, timed(cmd, env, args.runs)) for name, cmd in STEPS]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    lines = ["# Cold start", "",
             f"Command: `.venv/bin/python benchmarks/cold_start.py --runs {args.runs}`  ",
             f"Run: {dt.datetime.now():%Y-%m-%d %H:%M}; commit {commit}; CPU: {cpu()}, "
             f"{os.cpu_count()} cores; Python {sys.version.split()[0]}  ",
             "Each row: new processes, timed from start to exit, over the bundled corpus "
             "(indexed beforehand).", "",
             "| process | median | fastest | slowest |", "| --- | --- | --- | --- |"]
    lines += [f"| {name} | {statistics.median(t):.2f} s | {min(t):.2f} s | {max(t):.2f} s |"
              for name, t in rows]
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
