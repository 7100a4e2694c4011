"""Newsdesk's side of ``benchmarks/run_all.py``: ingest, re-ingest and questions, measured.

Runs in its own process (started by ``run_all.py``) so ``ru_maxrss`` is Newsdesk's alone.
Default settings (no ``.env``, no ``NEWSDESK_*`` variables), a fresh temporary data
directory. Writes one JSON object (to ``--out``, or stdout):

- ``model_load_s``: loading the embedding model, outside ingest;
- ``ingest``: ``Assistant.ingest`` of the corpus file: ``seconds``, ``chunks_embedded``,
  ``embed_seconds`` (time inside ``embedder.embed``, which ``ingest`` calls), ``peak_rss_mb``;
- ``embed_stats`` (``--embed-stats``): for every text the ingest embedded, its length in
  the model's own tokens (``embedder.count_tokens``, truncated to the model's window),
  and the tokens the length-sorted batches actually ran, padding included;
- ``reingest``: the unchanged corpus again;
- ``questions``: per question, ``search_s`` (``Assistant.search(q, 10)``), ``ask_s``
  (``Assistant.ask(q)``, wall), ``passages_s`` (``Assistant.ask(q, statements=False)``:
  retrieval + extractive answer, the path of any question not about statements) with the pipeline's own stage timings, and the article id
  of each of the 10 retrieved chunks and of each citation (after one warm-up question);
- ``peak_rss_mb`` at the end;
- ``embed_breakdown`` (``--embed-stats``, after all of the above): the ingest's embed calls
  replayed with ``session.run`` timed (the model's share of the embedding stage), and
  onnxruntime's profiler's time per operator type on a sample of the texts.

    .venv/bin/python benchmarks/newsdesk_side.py --corpus ../shared/eval/corpus.jsonl \\
        --questions ../shared/eval/queries_dev.jsonl
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.config import Settings  # noqa: E402

DEPTH = 10


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_questions(path: Path, limit: int | None) -> list[dict]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return rows[:limit] if limit else rows


def batch_tokens(embedder, calls: list[list[str]]) -> dict:
    """Token counts of what ``embed`` ran: per text (truncated to the window) and per batch."""
    window = embedder.max_seq_length
    lengths: list[int] = []
    padded = truncated = 0
    for texts in calls:
        raw = embedder.count_tokens(texts)
        n = [min(c, window) for c in raw]
        truncated += sum(1 for c in raw if c > window)
        lengths += n
        ordered = sorted(n)  # the embedder sorts by length and cuts batches of batch_size
        for s in range(0, len(ordered), embedder.batch_size):
            batch = ordered[s:s + embedder.batch_size]
            padded += max(batch) * len(batch)
    return {"texts": len(lengths), "tokens": sum(lengths), "tokens_sq": sum(n * n for n in lengths),
            "padded_tokens": padded, "truncated_texts": truncated, "window": window,
            "batch_size": embedder.batch_size, "max_len": max(lengths, default=0)}


class _TimedSession:
    """Stands in for the embedder's onnxruntime session and times ``run``."""

    def __init__(self, session):
        self.session, self.seconds = session, 0.0

    def run(self, *a, **kw):
        t = time.perf_counter()
        try:
            return self.session.run(*a, **kw)
        finally:
            self.seconds += time.perf_counter() - t

    def __getattr__(self, name):
        return getattr(self.session, name)


def embed_breakdown(embedder, calls: list[list[str]], profile_texts: int) -> dict:
    """After the measured run: replay the ingest's embed calls with ``session.run`` timed
    (model vs tokenizing, batching and pooling), then profile the model's operators on a
    sample of the texts with onnxruntime's own profiler."""
    if not hasattr(embedder, "_session") or embedder._session is None:
        return {}
    inner = embedder.__class__.embed  # the unwrapped method
    real = embedder._session
    timed = _TimedSession(real)
    embedder._session = timed
    t = time.perf_counter()
    try:
        for texts in calls:
            inner(embedder, texts)
    finally:
        embedder._session = real
    out = {"replay_s": time.perf_counter() - t, "session_run_s": timed.seconds}

    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = embedder.threads
    options.inter_op_num_threads = 1
    options.enable_profiling = True
    with tempfile.TemporaryDirectory(prefix="ort-profile-") as tmp:
        options.profile_file_prefix = str(Path(tmp) / "embed")
        # the same graph the embedder runs: its session keeps some fusions out
        from index.onnx_embedder import _DISABLED_OPTIMIZERS

        prof = ort.InferenceSession(real._model_path, options, providers=["CPUExecutionProvider"],
                                    disabled_optimizers=_DISABLED_OPTIMIZERS)
        sample = [t for texts in calls for t in texts][:profile_texts]
        embedder._session = prof
        try:
            inner(embedder, sample)
        finally:
            embedder._session = real
        trace = json.loads(Path(prof.end_profiling()).read_text())
    ops: dict[str, float] = {}
    for ev in trace:
        if ev.get("cat") == "Node" and ev.get("name", "").endswith("_kernel_time"):
            op = ev.get("args", {}).get("op_name", "?")
            ops[op] = ops.get(op, 0.0) + ev["dur"] / 1e6
    out["profile"] = {"texts": len(sample), "op_seconds": ops}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path)
    parser.add_argument("--limit-questions", type=int)
    parser.add_argument("--embed-stats", action="store_true")
    parser.add_argument("--no-reingest", action="store_true")
    parser.add_argument("--profile-texts", type=int, default=2048,
                        help="with --embed-stats: texts to run through onnxruntime's profiler")
    parser.add_argument("--data-dir", type=Path,
                        help="an empty directory for the index (default: a temporary one, removed after)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the temporary directory

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as scratch:
        tmp = args.data_dir or scratch
        # default settings: no .env file, no NEWSDESK_* variables (run_all.py drops them)
        bot = Assistant.from_settings(Settings(_env_file=None, data_dir=Path(tmp)))
        t = time.perf_counter()
        bot.embedder.dimension  # load the model outside the ingest timing
        model_load_s = time.perf_counter() - t

        clock = {"seconds": 0.0, "calls": 0, "record": args.embed_stats}
        calls: list[list[str]] = []
        inner = bot.embedder.embed

        def timed_embed(texts):
            t0 = time.perf_counter()
            out = inner(texts)
            clock["seconds"] += time.perf_counter() - t0
            clock["calls"] += 1
            if clock["record"]:
                calls.append(list(texts))
            return out

        bot.embedder.embed = timed_embed  # the indexer and the retriever share this object

        first = bot.ingest([args.corpus])
        clock["record"] = False  # the texts of the ingest only, not the questions
        ingest = {"seconds": first.seconds, "chunks_embedded": first.chunks_embedded,
                  "embed_seconds": clock["seconds"], "embed_calls": clock["calls"],
                  "articles": first.articles, "added": first.added, "duplicates": first.duplicates,
                  "problems": len(first.problems), "peak_rss_mb": rss_mb()}
        print(f"newsdesk: {first.summary()}", file=sys.stderr, flush=True)
        status = bot.status()
        result: dict = {
            "system": "Newsdesk", "embedding_model": status["embedding_model"],
            "articles": status["articles"], "chunks": status["chunks"],
            "settings": {k: getattr(bot.settings, k) for k in (
                "embedding_backend", "embedding_batch_size", "chunk_tokens", "chunk_overlap_tokens",
                "top_k", "keyword_weight", "dense_weight", "rrf_k", "candidates")},
            "threads": getattr(bot.embedder, "threads", None),
            "model_load_s": model_load_s, "ingest": ingest,
        }
        if args.embed_stats:
            result["embed_stats"] = batch_tokens(bot.embedder, calls)

        if not args.no_reingest:
            clock.update(seconds=0.0, calls=0)
            again = bot.ingest([args.corpus])
            result["reingest"] = {"seconds": again.seconds, "chunks_embedded": again.chunks_embedded,
                                  "embed_calls": clock["calls"], "unchanged": again.unchanged}
            print(f"newsdesk: re-ingest {again.summary()}", file=sys.stderr, flush=True)

        if args.questions:
            questions = read_questions(args.questions, args.limit_questions)
            bot.search(questions[0]["query"], DEPTH)  # warm-up: keyword index, caches
            bot.ask(questions[0]["query"])
            rows = []
            for q in questions:
                t0 = time.perf_counter()
                hits = bot.search(q["query"], DEPTH)
                t1 = time.perf_counter()
                answer = bot.ask(q["query"])
                t2 = time.perf_counter()
                bot.ask(q["query"], statements=False)  # the path every other question takes
                t3 = time.perf_counter()
                rows.append({"id": q["id"], "search_s": t1 - t0, "ask_s": t2 - t1, "passages_s": t3 - t2,
                             "retrieve_s": answer.timings["retrieve"], "answer_s": answer.timings["answer"],
                             "retrieved": [h.chunk.article_id for h in hits],
                             "cited": [c.article_id for c in answer.citations]})
            result["questions"] = rows
            print(f"newsdesk: {len(rows)} questions", file=sys.stderr, flush=True)
        result["peak_rss_mb"] = rss_mb()
        if args.embed_stats:  # after everything measured above, memory peak included
            result["embed_breakdown"] = embed_breakdown(bot.embedder, calls, args.profile_texts)
            print("newsdesk: embedding breakdown done", file=sys.stderr, flush=True)

    text = json.dumps(result)
    if args.out:
        args.out.write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
