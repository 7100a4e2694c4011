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
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import percentile  # noqa: E402  (the project's nearest-rank percentile)

BENCH = ROOT / "benchmarks"
BASELINE_VENV = BENCH / ".venv-baseline"
BASELINE_REQS = BENCH / "baseline" / "requirements.txt"
BASELINE_TORCH = "torch==2.13.0"  # the local CPU build; unpinned torch pulls the CUDA one

# MiniLM-L6 (all-MiniLM-L6-v2): layers, hidden size, FFN size
LAYERS, HIDDEN, FFN = 6, 384, 1536
# dense FLOPs per token per layer: Q, K, V, output projections (4 h^2) and the FFN
# (2 h i) multiply-adds, 2 FLOPs each
DENSE_FLOPS = 2 * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN)
# attention FLOPs per token per layer at sequence length n: Q.K^T and softmax.V,
# n h multiply-adds each: 2 * 2 * n * h


def log(msg: str) -> None:
    print(f"[run_all {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- small helpers --------------------------------------------------------------

def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} / {percentile(values, 0.95) * 1000:.1f}"


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


# -- quality ------------------------------------------------------------------------

def gold_of(q: dict) -> str:
    return q["evidence"][0]["article_id"]


def base_id(article_id: str) -> str:
    head, sep, tail = article_id.rpartition("-r")
    return head if sep and tail.isdigit() else article_id


def rank_of(gold: str, retrieved: list[str], replicas: bool = False) -> int | None:
    for i, aid in enumerate(retrieved, 1):
        if aid == gold or (replicas and base_id(aid) == gold):
            return i
    return None


def quality(questions: list[dict], retrieved: list[list[str]], depth: int, replicas: bool = False) -> dict:
    """Gold-article Hits@1/4/10 and MRR@depth per question type and overall, from ranked
    article ids of the retrieved chunks (a chunk of the gold article at rank r)."""
    ranks = [rank_of(gold_of(q), r[:depth], replicas) for q, r in zip(questions, retrieved)]

    def summary(idx: list[int]) -> dict:
        rs = [ranks[i] for i in idx]
        out = {"n": len(rs)}
        for k in (1, 4, 10):
            if k <= depth:
                out[f"hits@{k}"] = sum(1 for r in rs if r and r <= k) / len(rs)
        out[f"mrr@{depth}"] = sum(1 / r for r in rs if r) / len(rs)
        return out

    types = sorted({q["question_type"] for q in questions})
    res = {t: summary([i for i, q in enumerate(questions) if q["question_type"] == t]) for t in types}
    res["overall"] = summary(list(range(len(questions))))
    return res


# -- the report ------------------------------------------------------------------------

class Report:
    """Holds what was measured; ``write`` renders all of it (and what is missing) each time."""

    def __init__(self, args, path: Path):
        self.args = args
        self.path = path
        self.started = time.strftime("%Y-%m-%d %H:%M")
        self.load_start = os.getloadavg()
        self.meta: dict = {}
        self.sections: dict[str, list[str]] = {}
        self.status: dict[str, str] = {s: "not run yet" for s in "ABC"}
        for s in "ABC":
            if s not in args.sections:
                self.status[s] = "not requested (--sections)"

    def header(self) -> list[str]:
        a = self.args
        cmd = ".venv/bin/python benchmarks/run_all.py" + "".join(
            f" {flag} {val}" for flag, val in (
                ("--sections", ",".join(a.sections) if a.sections != ["A", "B", "C"] else None),
                ("--limit-articles", a.limit_articles), ("--limit-questions", a.limit_questions),
                ("--scales", a.scales_raw if a.scales_raw != "10,50" else None)) if val)
        limits = []
        if a.limit_articles:
            limits.append(f"{a.limit_articles} articles (gold articles of the questions first)")
        if a.limit_questions:
            limits.append(f"{a.limit_questions} questions")
        cpu = self.meta.get("cpu", platform.processor() or platform.machine())
        lines = [
            "# Newsdesk vs the LangChain tutorial RAG pipeline", "",
            f"Command: `{cmd}` (from the repository root, main venv; the baseline runs in "
            "`benchmarks/.venv-baseline`, created on first use)  ",
            f"Run: {self.started}; machine: {cpu}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}; load average at start {self.load_start[0]:.2f}  ",
            f"Data: `{os.path.relpath(a.eval_dir / 'corpus.jsonl', ROOT)}` and "
            f"`{os.path.relpath(a.eval_dir / 'queries_dev.jsonl', ROOT)}` (read in place)  ",
            "**Development run, limited to " + " and ".join(limits) + ": not the full benchmark.**"
            if limits else "Full size: every article of the corpus, every dev question.",
        ]
        if LOADS:
            lines[-1] += "  "
            lines.append("1-minute load average as each measured process started (2 cores; the runs are "
                         "sequential, so a value near 1-2 right after a previous run is that run's tail): "
                         + ", ".join(f"{k} {v:.2f}" for k, v in LOADS.items()))
        lines += ["", "| section | status |", "| --- | --- |"]
        names = {"A": "A. side by side", "B": "B. embedding stage", "C": "C. scaling"}
        lines += [f"| {names[s]} | {self.status[s]} |" for s in "ABC"]
        return lines + [""]

    def write(self) -> str:
        lines = self.header()
        for s in "ABC":
            if s in self.sections:
                lines += self.sections[s] + [""]
        text = "\n".join(lines).rstrip() + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(text)
        return text


def ratio(base: float | None, ours: float | None) -> str:
    return f"{base / ours:.1f}x" if base and ours else "-"


# -- section A ----------------------------------------------------------------------

def section_a(nd: dict, bl: dict | None, bl_error: str | None, questions: list[dict],
              corpus_rows: list[dict], tokens: int) -> list[str]:
    n_art = len(corpus_rows)
    ni, bi = nd["ingest"], (bl or {}).get("ingest")
    lines = ["## A. Side by side: ingest, re-ingest, latency, retrieval quality", ""]
    if bl_error:
        lines += [f"**Baseline not measured: {bl_error}.** Its columns are empty.", ""]
    lines += [
        f"Corpus: {n_art:,} articles, {tokens:,} cl100k tokens of body text (the same file for both). "
        f"Questions: {len(questions)} dev questions, each asked once after one warm-up question.",
        "",
        "Newsdesk: default settings (" + ", ".join(f"{k}={v}" for k, v in nd["settings"].items())
        + f"), embedding model `{nd['embedding_model']}`, {nd.get('threads')} threads, fresh temporary "
        "data directory. Baseline: `RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)` "
        "over the bodies (article id in the metadata), `HuggingFaceEmbeddings` with the same bundled "
        "MiniLM (fp32 torch, sentence-transformers defaults), `Chroma.from_documents(..., persist_directory=tmp)`, "
        "`as_retriever(search_kwargs={\"k\": 4})`"
        + (f"; versions {', '.join(f'{k} {v}' for k, v in bl['versions'].items())}" if bl else "") + ".",
        "",
        "Ingest = read the JSONL, chunk, embed, store (Newsdesk also: catalog, BM25 index); the model "
        "is loaded before it and timed apart. Peak memory is `ru_maxrss` of each system's own process.",
        "",
        "| metric | Newsdesk | tutorial baseline | baseline / Newsdesk |",
        "| --- | --- | --- | --- |",
    ]

    def row(label, ours, base, r="-"):
        lines.append(f"| {label} | {ours} | {base} | {r} |")

    b = bl or {}
    dup = ni.get("duplicates") or 0
    row("articles indexed", f"{nd['articles']:,}" + (f" ({dup} repeated an indexed body: one story, indexed once)"
                                                     if dup else ""), f"{n_art:,}" if bi else "-")
    row("chunks", f"{nd['chunks']:,} (180 cl100k tokens, 40 overlap)",
        f"{bi['chunks']:,} (1,000 chars, 200 overlap)" if bi else "-")
    row("model load", f"{nd['model_load_s']:.2f} s", f"{b['model_load_s']:.2f} s" if bl else "-")
    row("**ingest wall time**", f"**{ni['seconds']:.1f} s**", f"**{bi['seconds']:.1f} s**" if bi else "-",
        f"**{ratio(bi and bi['seconds'], ni['seconds'])}**")
    row("articles/s", f"{n_art / ni['seconds']:.1f}", f"{n_art / bi['seconds']:.1f}" if bi else "-")
    row("cl100k tokens/s", f"{tokens / ni['seconds']:,.0f}", f"{tokens / bi['seconds']:,.0f}" if bi else "-")
    row("of which embedding", f"{ni['embed_seconds']:.1f} s ({ni['embed_seconds'] / ni['seconds']:.0%})",
        f"{bi['embed_seconds']:.1f} s ({bi['embed_seconds'] / bi['seconds']:.0%})" if bi else "-",
        ratio(bi and bi['embed_seconds'], ni['embed_seconds']))
    row("peak memory after ingest", f"{ni['peak_rss_mb']:,.0f} MB", f"{bi['peak_rss_mb']:,.0f} MB" if bi else "-",
        ratio(bi and bi['peak_rss_mb'], ni['peak_rss_mb']))
    row("peak memory, whole run", f"{nd['peak_rss_mb']:,.0f} MB", f"{b['peak_rss_mb']:,.0f} MB" if bl else "-",
        ratio(bl and b['peak_rss_mb'], nd['peak_rss_mb']))
    nr, br = nd.get("reingest"), b.get("reingest")
    if nr or br:
        row("re-ingest, unchanged corpus",
            f"{nr['seconds']:.2f} s, {nr['chunks_embedded']} chunks embedded "
            f"({nr['seconds'] / ni['seconds']:.1%} of first ingest)" if nr else "-",
            f"{br['seconds']:.1f} s, {br['chunks_embedded']:,} chunks embedded again "
            f"({br['seconds'] / bi['seconds']:.0%} of first ingest)" if br else "-",
            ratio(br and br['seconds'], nr and nr['seconds']))
    nq = nd.get("questions") or []
    bq = b.get("questions") or {}
    if nq:
        search = [r["search_s"] for r in nq]
        ask = [r["ask_s"] for r in nq]
        b4 = bq.get("4", {}).get("latency_s")
        b10 = bq.get("10", {}).get("latency_s")
        row("retrieval latency p50 / p95 (ms)", f"{ms(search)} (`search(q, 10)`)",
            f"{ms(b4)} (`retriever.invoke`, k=4)" if b4 else "-",
            f"{ratio(statistics.median(b4), statistics.median(search))} at p50" if b4 else "-")
        if b10:
            row("retrieval latency, k=10, p50 / p95 (ms)", "(as above)", ms(b10))
        row("full answer latency p50 / p95 (ms)", f"{ms(ask)} (`ask(q)`: retrieval + extractive answer)",
            "n/a: the tutorial generates with an LLM, none offline")
        lines += ["", "Latency is wall time per question in a warm process; p95 by nearest rank."]

        # quality
        lines += ["", "### Retrieval quality (gold article, dev questions)", "",
                  "A question scores when a retrieved chunk comes from its gold article; rank = position of "
                  "the first such chunk. Newsdesk: its top 10 chunks (`search(q, 10)`). The tutorial's "
                  "retriever returns k=4 chunks, so it gives Hits@4 and MRR@4 only; it was **also run with "
                  "k=10** (same index, same similarity search, only k changed) for Hits@10 and MRR@10 "
                  "comparable with Newsdesk's. Both systems are scored by the same code.", ""]
        qn = quality(questions, [r["retrieved"] for r in nq], 10)
        cites = {}
        for t in list(qn):
            idx = [i for i, q in enumerate(questions) if t == "overall" or q["question_type"] == t]
            cites[t] = sum(1 for i in idx if gold_of(questions[i]) in nq[i]["cited"]) / len(idx)
        q4 = quality(questions, bq["4"]["retrieved"], 4) if "4" in bq else None
        q10 = quality(questions, bq["10"]["retrieved"], 10) if "10" in bq else None
        cols = list(qn)
        lines += ["| system | metric | " + " | ".join(cols) + " |",
                  "| --- | --- | " + " | ".join("---" for _ in cols) + " |"]

        def qrow(system, metric, data, key):
            lines.append(f"| {system} | {metric} | " + " | ".join(
                f"{data[c][key]:.3f}" if data and key in data[c] else "-" for c in cols) + " |")

        lines.append("| | questions | " + " | ".join(str(qn[c]["n"]) for c in cols) + " |")
        for key, label in (("hits@1", "Hits@1"), ("hits@4", "**Hits@4**"), ("hits@10", "Hits@10"),
                           ("mrr@10", "**MRR@10**")):
            qrow("Newsdesk", label, qn, key)
        lines.append("| Newsdesk | answer cites gold article | " + " | ".join(f"{cites[c]:.3f}" for c in cols) + " |")
        qrow("baseline k=4", "**Hits@4**", q4, "hits@4")
        qrow("baseline k=4", "MRR@4", q4, "mrr@4")
        qrow("baseline k=10", "Hits@1", q10, "hits@1")
        qrow("baseline k=10", "Hits@4", q10, "hits@4")
        qrow("baseline k=10", "Hits@10", q10, "hits@10")
        qrow("baseline k=10", "**MRR@10**", q10, "mrr@10")

        # targets
        o = qn["overall"]
        ask_p50, ask_p95 = statistics.median(ask), percentile(ask, 0.95)
        checks = [
            ("ingest >= 2x faster than the baseline",
             f"{ratio(bi['seconds'], ni['seconds'])}" if bi else "baseline not measured",
             (bi["seconds"] / ni["seconds"] >= 2) if bi else None),
            ("re-ingest < 5% of first ingest", f"{nr['seconds'] / ni['seconds']:.1%}" if nr else "not run",
             (nr["seconds"] / ni["seconds"] < 0.05) if nr else None),
            ("retrieval + extractive answer p50 <= 60 ms", f"{ask_p50 * 1000:.0f} ms", ask_p50 <= 0.060),
            ("retrieval + extractive answer p95 <= 150 ms", f"{ask_p95 * 1000:.0f} ms", ask_p95 <= 0.150),
            ("Hits@4 >= 0.97", f"{o['hits@4']:.3f}", o["hits@4"] >= 0.97),
            ("MRR@10 >= 0.95", f"{o['mrr@10']:.3f}", o["mrr@10"] >= 0.95),
            ("Hits@10 >= 0.99", f"{o['hits@10']:.3f}", o["hits@10"] >= 0.99),
            ("answers cite the gold article >= 0.95", f"{cites['overall']:.3f}", cites["overall"] >= 0.95),
        ]
        lines += ["", "### Issue 3 targets covered by this section", "", "| target | measured | met |",
                  "| --- | --- | --- |"]
        lines += [f"| {t} | {v} | {'-' if ok is None else ('yes' if ok else '**no**')} |" for t, v, ok in checks]
    return lines


# -- section B ----------------------------------------------------------------------

def section_b(nd: dict, peak: dict | None, peak_error: str | None, baseline: dict | None) -> list[str]:
    ni, st = nd["ingest"], nd["embed_stats"]
    embed_s = ni["embed_seconds"]
    tokens, tokens_sq = st["tokens"], st["tokens_sq"]
    avg_len = tokens / st["texts"]
    att_len = tokens_sq / tokens  # the token-weighted mean sequence length
    dense = LAYERS * DENSE_FLOPS * tokens
    attention = LAYERS * 4 * HIDDEN * tokens_sq
    flops = dense + attention
    per_token = flops / tokens
    achieved = flops / embed_s / 1e9
    lines = [
        "## B. The embedding stage (Newsdesk ingest)", "",
        "The embedding stage is every call Newsdesk's ingest makes to `embedder.embed` (tokenizing, "
        "the int8 ONNX model, mean pooling, normalising), timed by a wrapper around it. Tokens are "
        "the model's own wordpieces (`embedder.count_tokens`, special tokens included, truncated to "
        f"the {st['window']}-token window) of each text it embedded.", "",
        "| | value |", "| --- | --- |",
        f"| ingest wall time | {ni['seconds']:.1f} s |",
        f"| embedding time | {embed_s:.1f} s = **{embed_s / ni['seconds']:.0%} of ingest** "
        f"({ni['embed_calls']} call{'s' if ni['embed_calls'] != 1 else ''} of `embed`) |",
        f"| everything else (load, chunk, store, catalog, BM25) | {ni['seconds'] - embed_s:.1f} s |",
        f"| texts embedded | {st['texts']:,} ({st['truncated_texts']} truncated) |",
        f"| MiniLM tokens | {tokens:,}; mean {avg_len:.0f} per text, longest {st['max_len']} |",
        f"| tokens run incl. padding (length-sorted batches of {st['batch_size']}) | {st['padded_tokens']:,} "
        f"(+{st['padded_tokens'] / tokens - 1:.1%}) |",
        f"| throughput | **{tokens / embed_s:,.0f} tokens/s** |",
        f"| model FLOPs per token | {per_token / 1e6:.2f} M (dense {LAYERS * DENSE_FLOPS / 1e6:.2f} M + "
        f"attention {attention / tokens / 1e6:.2f} M) |",
        f"| achieved | **{achieved:,.0f} GFLOP/s** |",
    ]
    if baseline and baseline.get("ingest"):
        bi = baseline["ingest"]
        lines.append(f"| (baseline, for reference: embedding share of its ingest) | "
                     f"{bi['embed_seconds']:.1f} s = {bi['embed_seconds'] / bi['seconds']:.0%} |")
    lines += [
        "",
        f"FLOPs formula (MiniLM-L6: L={LAYERS} layers, h={HIDDEN}, FFN i={FFN}): per token and layer, "
        f"dense = 2 x (4h^2 + 2hi) = {DENSE_FLOPS:,} (Q, K, V and output projections, the two FFN "
        "matrices; 2 FLOPs per multiply-add) and attention = 2 x 2 x n x h at sequence length n "
        "(Q.K^T and softmax.V). Summed exactly over the texts: total = L x (dense x sum(n) + 4h x sum(n^2)), "
        f"i.e. attention at the token-weighted mean length sum(n^2)/sum(n) = {att_len:.0f} "
        f"(plain mean {avg_len:.0f}). Embeddings, layer norms, GELU, softmax and pooling are not counted; "
        "padding tokens are not counted as useful work. Total: "
        f"{flops / 1e12:.2f} TFLOP in {embed_s:.1f} s.", "",
    ]
    bd = nd.get("embed_breakdown") or {}
    if bd:
        run_share = bd["session_run_s"] / bd["replay_s"]
        lines += [
            "Where the embedding time goes (measured after the timed run, by replaying the same `embed` "
            "calls): the ONNX model itself (`session.run`) takes "
            f"{bd['session_run_s']:.1f} s of {bd['replay_s']:.1f} s = **{run_share:.0%}**; tokenizing, "
            "batching and pooling the rest. At the model's share, the model alone reaches "
            f"{flops / bd['session_run_s'] / 1e9:,.0f} GFLOP/s.", ""]
        prof = bd.get("profile") or {}
        ops = prof.get("op_seconds") or {}
        if ops:
            total = sum(ops.values())
            lines += [f"onnxruntime's profiler, time per operator type over {prof['texts']:,} of the texts "
                      "(kernel time; the session fuses the quantized graph at load):", "",
                      "| operator | share of model time | what it is |", "| --- | --- | --- |"]
            what = {"QAttention": "int8 Q/K/V projection + float32 attention",
                    "DynamicQuantizeMatMul": "int8 output projection and FFN matmuls, activations quantized on the fly",
                    "MatMulInteger": "int8 matmul", "DynamicQuantizeLinear": "quantizing activations",
                    "SkipLayerNormalization": "residual add + layer norm (float32)",
                    "BiasGelu": "FFN bias + GELU (float32)",
                    "QEmbedLayerNormalization": "embeddings + layer norm", "Cast": "type casts",
                    "Mul": "dequantization scales"}
            for op, sec in sorted(ops.items(), key=lambda kv: -kv[1]):
                lines.append(f"| {op} | {sec / total:.0%} | {what.get(op, '')} |")
            lines.append("")
    if peak is None:
        lines += [f"CPU peak not measured: {peak_error}.", ""]
        return lines
    f32 = peak["fp32_numpy"]["gflops"]
    i8 = peak.get("int8_ort", {}).get("gops")
    i8m = peak.get("int8_ort_model_shapes", {}).get("gops")
    lines += [
        f"Measured peak ({peak['threads']} threads, the count the embedder uses; best of several runs; "
        "`benchmarks/cpu_peak.py`):", "",
        "| peak | GFLOP/s (GOP/s for int8) | embedding stage reaches |", "| --- | --- | --- |",
        f"| float32 matmul, numpy {peak['fp32_numpy']['n']}x{peak['fp32_numpy']['n']} "
        f"({peak.get('blas', {}).get('name', 'BLAS')}); not the model's precision, for reference | "
        f"{f32:,.0f} | {achieved / f32:.0%} |",
    ]
    if i8:
        n8 = peak["int8_ort"]["m"]
        lines.append(f"| int8 GEMM, onnxruntime MatMulInteger {n8}x{n8}x{n8} (u8 x s8 -> s32) | "
                     f"{i8:,.0f} | {achieved / i8:.0%} |")
    if i8m:
        lines.append(f"| int8 MatMulInteger at MiniLM's layer shapes ({peak['int8_ort_model_shapes']['shapes'][0]['m']} "
                     f"rows x 384x1152, 384x384, 384x1536, 1536x384) | {i8m:,.0f} | {achieved / i8m:.0%} |")
    if not i8:
        lines.append(f"| int8 GEMM | not measured: {peak.get('int8_error')} | - |")
    i8 = max(i8 or 0, i8m or 0) or None  # the peak: the best int8 rate measured, at either shape
    used = i8 or f32
    met = achieved / used >= 0.60
    ops = ((nd.get("embed_breakdown") or {}).get("profile") or {}).get("op_seconds") or {}
    cap_line = ""
    if ops and i8:
        gemm = sum(v for k, v in ops.items() if k in ("QAttention", "DynamicQuantizeMatMul", "MatMulInteger"))
        bd = nd["embed_breakdown"]
        rest_s = embed_s * (1 - bd["session_run_s"] / bd["replay_s"] * gemm / sum(ops.values()))
        cap = (flops / (i8 * 1e9)) / (flops / (i8 * 1e9) + rest_s)
        cap_line = (f" Even with every int8 GEMM at that peak, the rest of the stage as measured (float32 "
                    f"layer norms, GELU, attention softmax, quantizing, tokenizing, pooling: ~{rest_s:.1f} s) "
                    f"would cap it at about {cap:.0%} of peak.")
    lines += [
        "",
        f"The model runs int8 (dynamically quantized ONNX: int8 weights, uint8 activations; the attention "
        f"score products stay float32), so the peak used is the **{'best int8 GEMM rate measured above, ' + format(i8, ',.0f') + ' GOP/s' if i8 else 'float32 one'}**. Issue target: embedding stage at >= 60% of the measured peak: "
        f"**{achieved / used:.0%} — {'met' if met else 'not met'}**." + cap_line,
    ]
    return lines


# -- section C ----------------------------------------------------------------------

def scale_row(factor: int, nd: dict, rows_n: int, tokens: int, questions: list[dict]) -> str:
    ni = nd["ingest"]
    nq = nd.get("questions") or []
    search = [r["search_s"] for r in nq]
    ask = [r["ask_s"] for r in nq]
    q = quality(questions, [r["retrieved"] for r in nq], 10, replicas=True)["overall"] if nq else None
    qcell = f"{q['hits@4']:.3f} / {q['mrr@10']:.3f}" if q else "-"
    return (f"| {factor}x | {rows_n:,} | {nd['chunks']:,} | {tokens:,} | {ni['seconds']:.0f} s | "
            f"{rows_n / ni['seconds']:.1f} | {tokens / ni['seconds']:,.0f} | "
            f"{ms(search) if nq else '-'} | {ms(ask) if nq else '-'} | "
            f"{ni['peak_rss_mb']:,.0f} / {nd['peak_rss_mb']:,.0f} MB | {qcell} |")


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

    report = Report(args, out)

    def stop(*_):
        raise KeyboardInterrupt  # SIGTERM: mark the report, end the child, remove the temporary files

    signal.signal(signal.SIGTERM, stop)
    try:
        model = [ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                 if ln.startswith("model name")][0]
        flags = set(next(ln for ln in Path("/proc/cpuinfo").read_text().splitlines()
                         if ln.startswith("flags")).split())
        report.meta["cpu"] = model + (" (AVX-512 VNNI)" if "avx512_vnni" in flags else
                                      " (AVX2)" if "avx2" in flags else "")
    except (OSError, IndexError, StopIteration):
        pass

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
