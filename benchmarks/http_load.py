"""Concurrent clients against ``newsdesk serve`` on 127.0.0.1: throughput, latency and
errors of ``/v1/ask`` and ``/v1/chat/completions``, with the vectors in the embedded
store and in a Chroma server (``chroma run``).

For each store: index ``--corpus`` (the shared eval corpus by default) into a fresh data
directory, start ``newsdesk serve`` in its own process, wait for ``/v1/health``, then for
each endpoint and each concurrency level send ``--requests`` questions (the dev
questions, in turn) from that many concurrent clients (httpx, async), after a warm-up.
Bounded: every request has a 60 s timeout; a non-2xx status or a timeout is an error.

    .venv/bin/python benchmarks/http_load.py [--eval-dir ../shared/eval] [--requests 300]
        [--concurrency 8,32] [--stores embedded,server] [--out benchmarks/results/http-load.md]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import percentile  # noqa: E402

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up (exit code {proc.poll()})")
        time.sleep(0.5)


def body(endpoint: str, question: str) -> dict:
    if endpoint == "/v1/ask":
        return {"question": question}
    return {"model": "newsdesk", "messages": [{"role": "user", "content": question}]}


async def drive(base: str, endpoint: str, questions: list[str], n: int, concurrency: int) -> dict:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    counter = iter(range(n))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        async def worker():
            for i in counter:
                started = time.perf_counter()
                try:
                    r = await client.post(endpoint, json=body(endpoint, questions[i % len(questions)]))
                    if r.status_code >= 300:
                        errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1
                        continue
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    continue
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return {"endpoint": endpoint, "concurrency": concurrency, "requests": n, "ok": len(latencies),
            "errors": errors, "seconds": wall, "throughput": len(latencies) / wall,
            "p50_ms": percentile(latencies, 0.5) * 1000, "p95_ms": percentile(latencies, 0.95) * 1000}


def run_store(store: str, args, questions: list[str], work: Path) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", NEWSDESK_DATA_DIR=str(work / f"data-{store}"))
    procs = []
    try:
        if store == "server":
            port = free_port()
            procs.append(subprocess.Popen([str(BIN / "chroma"), "run", "--path", str(work / "chroma-server"),
                                           "--host", "127.0.0.1", "--port", str(port)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            env["NEWSDESK_CHROMA_URL"] = f"http://127.0.0.1:{port}"
            wait_for(f"{env['NEWSDESK_CHROMA_URL']}/api/v2/heartbeat", procs[-1])
        print(f"[{store}] indexing {args.corpus} ...", file=sys.stderr, flush=True)
        subprocess.run([str(BIN / "newsdesk"), "ingest", str(args.corpus)], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = free_port()
        procs.append(subprocess.Popen([str(BIN / "newsdesk"), "serve", "--port", str(port)], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/v1/health", procs[-1])
        rows = []
        for endpoint in ("/v1/ask", "/v1/chat/completions"):
            asyncio.run(drive(base, endpoint, questions, 20, 4))  # warm-up
            for c in args.concurrency:
                row = asyncio.run(drive(base, endpoint, questions, args.requests, c))
                row["store"] = store
                print(f"[{store}] {endpoint} x{c}: {row['throughput']:.1f}/s p50 {row['p50_ms']:.0f} ms "
                      f"p95 {row['p95_ms']:.0f} ms errors {sum(row['errors'].values())}", file=sys.stderr, flush=True)
                rows.append(row)
        return rows
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--corpus", type=Path, help="default: EVAL_DIR/corpus.jsonl")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", default="8,32")
    parser.add_argument("--stores", default="embedded,server")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "http-load.md")
    args = parser.parse_args()
    args.corpus = args.corpus or args.eval_dir / "corpus.jsonl"
    args.concurrency = [int(x) for x in args.concurrency.split(",")]
    questions = [json.loads(x)["query"] for x in (args.eval_dir / "queries_dev.jsonl").open(encoding="utf-8")
                 if x.strip()]
    work = Path(tempfile.mkdtemp(prefix="newsdesk-http-load-"))
    rows: list[dict] = []
    try:
        for store in args.stores.split(","):
            rows += run_store(store, args, questions, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = ["# HTTP API under concurrent clients", "",
             f"Command: `.venv/bin/python benchmarks/http_load.py --requests {args.requests} "
             f"--concurrency {','.join(map(str, args.concurrency))} --stores {args.stores}`  ",
             f"Run: {time.strftime('%Y-%m-%d %H:%M')}; `newsdesk serve` (one process, default settings, "
             f"extractive answers) on 127.0.0.1 over `{args.corpus.name}`; clients in another process on the "
             "same 2-core machine; the dev questions in turn; 60 s timeout per request.", "",
             "| store | endpoint | concurrent clients | requests | ok | errors | throughput | p50 | p95 |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        errors = ", ".join(f"{k}: {v}" for k, v in r["errors"].items()) or "0"
        lines.append(f"| {r['store']} | `{r['endpoint']}` | {r['concurrency']} | {r['requests']} | {r['ok']} | "
                     f"{errors} | {r['throughput']:.1f}/s | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
