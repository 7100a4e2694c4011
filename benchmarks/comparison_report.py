"""The Markdown report of ``benchmarks/run_all.py``: one builder per section, and the
quality and FLOP arithmetic they share. ``run_all.py`` runs the measurements."""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

from assistant.evaluate import percentile

ROOT = Path(__file__).resolve().parents[1]

# MiniLM-L6 (all-MiniLM-L6-v2): layers, hidden size, FFN size
LAYERS, HIDDEN, FFN = 6, 384, 1536
# dense FLOPs per token per layer: Q, K, V, output projections (4 h^2) and the FFN
# (2 h i) multiply-adds, 2 FLOPs each
DENSE_FLOPS = 2 * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN)
# attention FLOPs per token per layer at sequence length n: Q.K^T and softmax.V,
# n h multiply-adds each: 2 * 2 * n * h


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} / {percentile(values, 0.95) * 1000:.1f}"




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

    def __init__(self, args, path: Path, loads: dict[str, float]):
        self.args = args
        self.path = path
        self.loads = loads  # 1-minute load average as each measured process started
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
        if self.loads:
            lines[-1] += "  "
            lines.append("1-minute load average as each measured process started (2 cores; the runs are "
                         "sequential, so a value near 1-2 right after a previous run is that run's tail): "
                         + ", ".join(f"{k} {v:.2f}" for k, v in self.loads.items()))
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
        # retrieval + extractive answer, the path of every question not about statements
        passages = [r["passages_s"] for r in nq if "passages_s" in r] or ask
        b4 = bq.get("4", {}).get("latency_s")
        b10 = bq.get("10", {}).get("latency_s")
        row("retrieval latency p50 / p95 (ms)", f"{ms(search)} (`search(q, 10)`)",
            f"{ms(b4)} (`retriever.invoke`, k=4)" if b4 else "-",
            f"{ratio(statistics.median(b4), statistics.median(search))} at p50" if b4 else "-")
        if b10:
            row("retrieval latency, k=10, p50 / p95 (ms)", "(as above)", ms(b10))
        row("answer latency p50 / p95 (ms)", f"{ms(ask)} (`ask(q)`: these questions are about "
            "statements, answered from the attribution index)",
            "n/a: the tutorial generates with an LLM, none offline")
        row("retrieval + extractive answer p50 / p95 (ms)",
            f"{ms(passages)} (`ask(q, statements=False)`: the path of any other question)", "n/a")
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
        ask_p50, ask_p95 = statistics.median(passages), percentile(passages, 0.95)
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
                    "LayerNormalization": "layer norm (float32; kept apart from the residual add)",
                    "Add": "residual add (float32)", "Gelu": "GELU (float32)",
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
    f32o = peak.get("fp32_ort", {}).get("gflops")
    if f32o:
        lines.append(f"| float32 matmul, onnxruntime MatMul {peak['fp32_ort']['n']}x{peak['fp32_ort']['n']} "
                     f"(MLAS: the kernels of the model's float32 attention products) | {f32o:,.0f} | "
                     f"{achieved / f32o:.0%} |")
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
        f"score products stay float32). Against the **best int8 GEMM rate measured above, "
        f"{format(i8 or used, ',.0f')} GOP/s**, for all of its FLOPs, the stage reaches "
        f"**{achieved / used:.0%}**{' (>= 60%: met)' if met else ' (< 60%)'}." + cap_line,
    ]
    if i8 and f32o:
        # what the measured peaks allow for this model: dense FLOPs at the int8 rate, the
        # attention products (float32 in the quantized graph) at the float32 onnxruntime rate
        floor_s = dense / (i8 * 1e9) + attention / (f32o * 1e9)
        allowed = tokens / floor_s
        share = (tokens / embed_s) / allowed
        lines += ["", f"What the measured peaks allow for this model, counting each part at the rate of "
                  f"the precision it runs in (dense layers at {i8:,.0f} GOP/s int8, attention products at "
                  f"{f32o:,.0f} GFLOP/s float32): at most **{allowed:,.0f} tokens/s**. The stage reaches "
                  f"**{share:.0%}** of that. Issue target (>= 60% of what the peak allows for the model in "
                  f"use): **{'met' if share >= 0.60 else 'not met'}**."]
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
