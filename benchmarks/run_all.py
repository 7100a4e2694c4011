"""All benchmarks in one command: Newsdesk side by side with the LangChain tutorial's RAG.

Sections (``--sections``, in this order):

A. Newsdesk and the tutorial baseline (``benchmarks/baseline/tutorial_rag.py``, in its own
   venv ``benchmarks/.venv-baseline``, made here on first use) on the same corpus and the
   same questions: ingest (wall, articles/s, cl100k tokens/s, peak memory), re-ingest of
   the unchanged corpus, question latency p50/p95 (retrieval only; full answer) and
   retrieval quality (gold article Hits@k, MRR).
B. The embedding stage of Newsdesk's ingest: its share of ingest time, its throughput in
   tokens/s and GFLOP/s, against the CPU's measured float32 and int8 matmul peaks
   (``benchmarks/cpu_peak.py``).
C. Scaling: Newsdesk on the corpus replicated 10x (and 50x when 10x shows it finishes in
   the time budget): ingest rate, query p50/p95, resident memory.

Each system runs in its own subprocess (so ``ru_maxrss`` is its own) with a timeout.
The report is rewritten after every step, so an interrupted run still leaves a truthful
file that names what was not run. The eval data is read in place; trimmed or replicated
copies (``--limit-articles``, section C) go to a temporary directory, never the repo.

    .venv/bin/python benchmarks/run_all.py [--eval-dir ../shared/eval] [--sections A,B,C]
        [--limit-articles N] [--limit-questions N] [--out benchmarks/results/comparison.md]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import cpu, percentile  # noqa: E402  (the project's percentile, CPU label)
from comparison_report import Report, scale_row, section_a, section_b  # noqa: E402  (beside this file)

BENCH = ROOT / "benchmarks"
BASELINE_VENV = BENCH / ".venv-baseline"
BASELINE_REQS = BENCH / "baseline" / "requirements.txt"
BASELINE_TORCH = "torch==2.13.0"  # the local CPU build; unpinned torch pulls the CUDA one

def log(msg: str) -> None:
    print(f"[run_all {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- small helpers --------------------------------------------------------------

def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def cl100k_tokens(rows: list[dict]) -> int:
    from index import get_encoding

    enc = get_encoding()
    return sum(len(enc.encode_ordinary(r["body"])) for r in rows)


def child_env() -> dict:
    """Default settings for the children: no NEWSDESK_* overrides, offline, no telemetry."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               ORT_DISABLE_TELEMETRY="1", TOKENIZERS_PARALLELISM="false")
    return env


class Failed(Exception):
    pass


LOADS: dict[str, float] = {}  # 1-minute load average as each worker started


def run_json(cmd: list[str], out: Path, timeout: float, label: str) -> dict:
    """Run a worker that writes JSON to ``out``; its stderr passes through."""
    LOADS[label] = os.getloadavg()[0]
    log(f"{label}: {' '.join(str(c) for c in cmd)} (timeout {timeout:.0f} s, load {os.getloadavg()[0]:.2f})")
    started = time.perf_counter()
    try:
        proc = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=child_env(), timeout=timeout,
                              stdout=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise Failed(f"{label} did not finish within its {timeout:.0f} s timeout") from None
    if proc.returncode in (143, -15):
        raise Failed(f"{label} was stopped by a SIGTERM from outside this run (exit code {proc.returncode}) "
                     f"after {time.perf_counter() - started:.0f} s")
    if proc.returncode != 0 or not out.exists():
        raise Failed(f"{label} failed (exit code {proc.returncode})")
    log(f"{label}: done in {time.perf_counter() - started:.0f} s")
    return json.loads(out.read_text())


# -- the baseline's venv --------------------------------------------------------

def baseline_python() -> Path:
    """The baseline venv's interpreter; the venv is created (or refreshed) on demand."""
    py = BASELINE_VENV / "bin" / "python"
    stamp = BASELINE_VENV / ".requirements.sha256"
    want = hashlib.sha256((BASELINE_TORCH + BASELINE_REQS.read_text()).encode()).hexdigest()
    if py.exists() and stamp.exists() and stamp.read_text().strip() == want:
        return py
    log(f"creating the baseline venv {BASELINE_VENV.relative_to(ROOT)} (once; a minute or two)")
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BASELINE_VENV)], check=True)
    with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as fh:
        proc = subprocess.run([str(py), "-m", "pip", "install", BASELINE_TORCH, "-r", str(BASELINE_REQS)],
                              stdout=fh, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        tail = Path(fh.name).read_text().splitlines()[-15:]
        raise Failed("installing the baseline venv failed:\n" + "\n".join(tail))
    stamp.write_text(want + "\n")
    return py


# -- corpus variants --------------------------------------------------------------

def limited_corpus(rows: list[dict], questions: list[dict], n: int) -> list[dict]:
    """``n`` articles: the gold articles of the questions first, then the others in file order."""
    gold = list(dict.fromkeys(q["evidence"][0]["article_id"] for q in questions))
    by_id = {r["id"]: r for r in rows}
    keep = [g for g in gold if g in by_id][:n]
    keep += [r["id"] for r in rows if r["id"] not in set(keep)][:max(0, n - len(keep))]
    wanted = set(keep)
    return [r for r in rows if r["id"] in wanted]


def replicated(rows: list[dict], factor: int) -> list[dict]:
    """The corpus ``factor`` times. Replica 0 is the original; replica r >= 1 gets a distinct
    id and a distinct body (a dateline line in front), or Newsdesk would index it once as a
    duplicate story."""
    out = list(rows)
    for r in range(1, factor):
        out += [{**row, "id": f"{row['id']}-r{r}", "body": f"Replica {r}.\n\n{row['body']}"} for row in rows]
    return out

# -- main -----------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--sections", default="A,B,C")
    parser.add_argument("--limit-articles", type=int, help="development only")
    parser.add_argument("--limit-questions", type=int, help="development only")
    parser.add_argument("--scales", dest="scales_raw", default="10,50",
                        help="replication factors for section C (each after the previous one fits the budget)")
    parser.add_argument("--scale-budget-min", type=float, default=60,
                        help="skip a scale whose estimated run time exceeds this (minutes)")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "comparison.md")
    args = parser.parse_args()
    args.sections = [s.strip().upper() for s in args.sections.split(",") if s.strip()]
    args.scales = [int(x) for x in args.scales_raw.split(",") if x.strip()]
    args.eval_dir = args.eval_dir.resolve()
    out = args.out if args.out.is_absolute() else (Path.cwd() / args.out)

    report = Report(args, out, LOADS)

    def stop(*_):
        raise KeyboardInterrupt  # SIGTERM: mark the report, end the child, remove the temporary files

    signal.signal(signal.SIGTERM, stop)
    report.meta["cpu"] = cpu()

    corpus_rows = read_jsonl(args.eval_dir / "corpus.jsonl")
    questions = read_jsonl(args.eval_dir / "queries_dev.jsonl")
    if args.limit_questions:
        questions = questions[:args.limit_questions]

    work = Path(tempfile.mkdtemp(prefix="newsdesk-run-all-"))
    try:
        if args.limit_articles:
            corpus_rows = limited_corpus(corpus_rows, questions, args.limit_articles)
            corpus = write_jsonl(work / "corpus.jsonl", corpus_rows)
        else:
            corpus = args.eval_dir / "corpus.jsonl"
        qfile = write_jsonl(work / "questions.jsonl", questions)
        log("counting cl100k tokens of the bodies")
        tokens = cl100k_tokens(corpus_rows)
        py = sys.executable
        report.write()

        nd_1x: dict | None = None
        baseline: dict | None = None

        def newsdesk(corpus_file: Path, *, with_questions: bool, timeout: float, label: str,
                     reingest: bool = True, embed_stats: bool = True) -> dict:
            res = work / f"{label}.json"
            data = work / f"data-{label}"  # inside work/: removed even if the worker is killed
            data.mkdir()
            cmd = [py, BENCH / "newsdesk_side.py", "--corpus", corpus_file, "--out", res, "--data-dir", data]
            if with_questions:
                cmd += ["--questions", qfile]
            if embed_stats:
                cmd.append("--embed-stats")
            if not reingest:
                cmd.append("--no-reingest")
            try:
                return run_json(cmd, res, timeout, label)
            finally:
                shutil.rmtree(data, ignore_errors=True)

        # ---- A ----
        if "A" in args.sections:
            report.status["A"] = "running"
            report.write()
            try:
                nd_1x = newsdesk(corpus, with_questions=True, timeout=1800, label="newsdesk-1x")
                bl_error = None
                try:
                    bpy = baseline_python()
                    res = work / "baseline.json"
                    (work / "data-baseline").mkdir()
                    baseline = run_json([bpy, BENCH / "baseline" / "tutorial_rag.py", "--corpus", corpus,
                                         "--questions", qfile, "--ks", "4,10", "--out", res,
                                         "--persist-dir", work / "data-baseline"], res, 3600, "baseline")
                except (Failed, OSError, subprocess.CalledProcessError) as exc:
                    bl_error = str(exc)
                finally:
                    shutil.rmtree(work / "data-baseline", ignore_errors=True)
                report.sections["A"] = section_a(nd_1x, baseline, bl_error, questions, corpus_rows, tokens)
                report.status["A"] = "done" if not bl_error else "partly done: baseline failed"
            except Failed as exc:
                report.status["A"] = f"failed: {exc}"
            report.write()

        # ---- B ----
        if "B" in args.sections:
            report.status["B"] = "running"
            report.write()
            try:
                nd_b = nd_1x if nd_1x and "embed_stats" in nd_1x else newsdesk(
                    corpus, with_questions=False, reingest=False, timeout=1800, label="newsdesk-embed")
                peak = peak_error = None
                try:
                    res = work / "peak.json"
                    log("measuring the CPU's matmul peak")
                    proc = subprocess.run([py, str(BENCH / "cpu_peak.py")], cwd=ROOT, env=child_env(),
                                          capture_output=True, text=True, timeout=600)
                    if proc.returncode != 0:
                        raise Failed(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else
                                     f"exit code {proc.returncode}")
                    peak = json.loads(proc.stdout)
                    res.write_text(proc.stdout)
                except (Failed, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
                    peak_error = str(exc)
                report.sections["B"] = section_b(nd_b, peak, peak_error, baseline)
                report.status["B"] = "done" if peak else "partly done: peak not measured"
            except Failed as exc:
                report.status["B"] = f"failed: {exc}"
            report.write()

        # ---- C ----
        if "C" in args.sections:
            report.status["C"] = "running"
            report.write()
            rows_c = ["## C. Scaling: Newsdesk on the corpus replicated", "",
                      "Replica 0 is the corpus itself; replica r >= 1 has id `<id>-r<r>` and its body prefixed "
                      "with a dateline line `Replica <r>.` (distinct ids and bodies, or Newsdesk's duplicate "
                      "detection would index each story once). Same dev questions, same default settings, "
                      "fresh data directory per size; quality counts a chunk of the gold article or of any of "
                      "its replicas (replicas repeat each other's text word for word, so they crowd the candidate "
                      "lists in a way distinct articles would not: take quality at 10x+ as a replication artefact "
                      "check, not a measure of quality at scale). Memory: peak `ru_maxrss` after ingest / at the "
                      "end of the run.", "",
                      "| size | articles | chunks | cl100k tokens | ingest | articles/s | tokens/s | "
                      "search p50 / p95 ms | ask p50 / p95 ms | peak memory | Hits@4 / MRR@10 |",
                      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
            notes: list[str] = []
            try:
                if nd_1x is None:
                    nd_1x = newsdesk(corpus, with_questions=True, timeout=1800, label="newsdesk-1x")
                rows_c.append(scale_row(1, nd_1x, len(corpus_rows), tokens, questions))
                report.sections["C"] = rows_c + notes
                report.write()
                prev_factor, prev = 1, nd_1x
                results = {1: nd_1x}
                for factor in sorted(args.scales):
                    q_time = sum(r["search_s"] + r["ask_s"] for r in prev.get("questions") or [])
                    est = (prev["ingest"]["seconds"] + prev["model_load_s"]) * factor / prev_factor + q_time * 2 + 30
                    if est / 60 > args.scale_budget_min:
                        notes.append(f"- **{factor}x not run**: estimated {est / 60:.0f} min (linear from "
                                     f"{prev_factor}x: ingest {prev['ingest']['seconds']:.0f} s x {factor // prev_factor}), "
                                     f"over the {args.scale_budget_min:.0f}-minute budget (`--scale-budget-min`).")
                        log(notes[-1])
                        break
                    rows = replicated(corpus_rows, factor)
                    f = write_jsonl(work / f"corpus-{factor}x.jsonl", rows)
                    log(f"{factor}x: {len(rows):,} articles; counting tokens (estimated run {est / 60:.0f} min)")
                    toks = cl100k_tokens(rows)
                    try:
                        nd_f = newsdesk(f, with_questions=True, reingest=False, embed_stats=False,
                                        timeout=max(1800, 3 * est), label=f"newsdesk-{factor}x")
                    except Failed as exc:
                        notes.append(f"- **{factor}x failed**: {exc}.")
                        break
                    finally:
                        f.unlink(missing_ok=True)
                    results[factor] = nd_f
                    rows_c.append(scale_row(factor, nd_f, len(rows), toks, questions))
                    report.sections["C"] = rows_c + [""] + notes
                    report.write()
                    prev_factor, prev = factor, nd_f
                if 50 not in results and 50 not in args.scales and prev_factor < 50:
                    est = (prev["ingest"]["seconds"] + prev["model_load_s"]) * 50 / prev_factor
                    notes.append(f"- 50x not requested (`--scales`); its ingest alone would take about "
                                 f"{est / 60:.0f} min (linear from {prev_factor}x).")
                # growth summary
                big = max(results)
                if big > 1:
                    p95 = {k: percentile([r["ask_s"] for r in v["questions"]], 0.95) for k, v in results.items()}
                    s95 = {k: percentile([r["search_s"] for r in v["questions"]], 0.95) for k, v in results.items()}
                    rate = {k: v["ingest"]["seconds"] for k, v in results.items()}
                    notes += ["", f"From 1x to {big}x: ingest time x{rate[big] / rate[1]:.1f} for x{big} the "
                              f"articles; search p95 x{s95[big] / s95[1]:.2f}; ask p95 x{p95[big] / p95[1]:.2f} "
                              "(issue target: p95 grows by less than 2x from 1x to 50x"
                              + (f": {'met' if p95[big] / p95[1] < 2 else 'not met'} at {big}x)" if big == 50
                                 else f"; 50x not measured, {big}x is the largest size run)")]
                report.sections["C"] = rows_c + [""] + notes
                ran = ", ".join(f"{k}x" for k in sorted(results))
                report.status["C"] = f"done: {ran}" + ("" if 50 in results or 50 not in args.scales
                                                       else " (50x not run or failed, see the section)")
            except Failed as exc:
                report.sections["C"] = rows_c + [""] + notes
                report.status["C"] = f"failed: {exc}"
            report.write()
    except KeyboardInterrupt:
        for s, v in report.status.items():
            if v in ("running", "not run yet"):
                report.status[s] = "interrupted, not finished" if v == "running" else "not run (interrupted)"
        report.write()
        raise
    except Exception as exc:
        for s, v in report.status.items():
            if v in ("running", "not run yet"):
                report.status[s] = f"not finished: the run stopped on {type(exc).__name__}: {exc}"
        report.write()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(report.write())


if __name__ == "__main__":
    main()
