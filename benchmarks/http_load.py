"""Concurrent clients against ``newsdesk serve`` on 127.0.0.1: throughput, latency and
errors of ``/v1/ask`` and ``/v1/chat/completions``, with the vectors in the embedded
store and in a Chroma server (``chroma run``); with ``--mixed``, a mixed load of
``/v1/ask``, ``/v1/search`` and ``/v1/quotes`` and the server's memory over time.

For each store: index ``--corpus`` (the shared eval corpus by default) into a fresh data
directory, start ``newsdesk serve`` (this checkout's code) in its own process, wait for
``/v1/health``, then for each endpoint and each concurrency level send ``--requests``
questions (the dev questions, in turn) from that many concurrent clients (httpx, async),
after a warm-up. Bounded: every request has a 60 s timeout; a non-2xx status or a
timeout is an error.

    .venv/bin/python benchmarks/http_load.py [--eval-dir ../shared/eval] [--requests 300]
        [--concurrency 8,32] [--stores embedded,server] [--out benchmarks/results/http-load.md]

Mixed mode: ``--clients`` concurrent clients share ``--requests`` requests, a fixed mix
(``--mix``, exact counts) in an order shuffled with ``--seed``: ``/v1/ask`` and
``/v1/search`` with the dev questions, ``GET /v1/quotes`` with a speaker, a speaker and
a topic, or a topic from ``quotes_dev.jsonl``; 24 untimed priming requests first. The
RSS of the server process (and any children) is read from ``/proc`` every
``--sample-seconds``. Errors are a non-2xx status, a transport error (timeouts included),
a body without the expected field, or a request not sent before ``--max-minutes``; the
script exits 1 if there are any (after writing the report).

    .venv/bin/python benchmarks/http_load.py --mixed [--clients 32] [--requests 3000]
        [--mix ask=50,search=30,quotes=20] [--seed 7] [--stores embedded]
        [--out benchmarks/results/load-mixed.md]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import cpu, percentile  # noqa: E402

BIN = Path(sys.executable).parent
# ``newsdesk`` as the console script runs it, but importing this checkout's code: the
# venv's ``bin/newsdesk`` imports whichever checkout the venv was installed from.
NEWSDESK = [sys.executable, "-c", "from assistant.cli import main; main()"]


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


@contextlib.contextmanager
def served(store: str, args, work: Path, server_log: Path | None = None):
    """Index ``args.corpus`` into a fresh data directory for ``store`` and run ``newsdesk
    serve`` over it; yields ``(base_url, {name: Popen})``, the server first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", NEWSDESK_DATA_DIR=str(work / f"data-{store}"),
               PYTHONPATH=os.pathsep.join(x for x in (str(ROOT), os.environ.get("PYTHONPATH")) if x))
    procs: dict[str, subprocess.Popen] = {}
    log = server_log.open("wb") if server_log else None
    try:
        if store == "server":
            port = free_port()
            procs["chroma run"] = subprocess.Popen(
                [str(BIN / "chroma"), "run", "--path", str(work / "chroma-server"), "--host", "127.0.0.1",
                 "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            env["NEWSDESK_CHROMA_URL"] = f"http://127.0.0.1:{port}"
            wait_for(f"{env['NEWSDESK_CHROMA_URL']}/api/v2/heartbeat", procs["chroma run"])
        print(f"[{store}] indexing {args.corpus} ...", file=sys.stderr, flush=True)
        subprocess.run([*NEWSDESK, "ingest", str(args.corpus)], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen([*NEWSDESK, "serve", "--port", str(port)], env=env, cwd=ROOT,
                                  stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL)
        procs = {"newsdesk serve": server, **procs}
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/v1/health", server)
        yield base, procs
    finally:
        for p in procs.values():  # the server before the Chroma server it uses
            p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        if log:
            log.close()


def run_store(store: str, args, questions: list[str], work: Path) -> list[dict]:
    with served(store, args, work) as (base, _):
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


# -- mixed mode -------------------------------------------------------------------------
ENDPOINTS = {"ask": "/v1/ask", "search": "/v1/search", "quotes": "/v1/quotes"}
EXPECTED = {"ask": "citations", "search": "passages", "quotes": "statements"}  # a list in every good body


def parse_mix(text: str) -> dict[str, int]:
    mix = {}
    for part in text.split(","):
        kind, _, weight = part.partition("=")
        if kind.strip() not in ENDPOINTS or not weight.strip().isdigit():
            raise SystemExit(f"--mix: expected e.g. ask=50,search=30,quotes=20, got {text!r}")
        mix[kind.strip()] = int(weight)
    if not sum(mix.values()):
        raise SystemExit("--mix: the weights add up to 0")
    return mix


def mixed_plan(n: int, mix: dict[str, int], questions: list[str], cases: list[dict],
               seed: int) -> list[tuple[str, dict]]:
    """``n`` requests ``(kind, body or query parameters)``: exactly the mix's shares
    (largest remainder), in an order and with questions drawn by ``random.Random(seed)``."""
    rng = random.Random(seed)
    total = sum(mix.values())
    counts = {k: n * w // total for k, w in mix.items()}
    for k in sorted(mix, key=lambda k: (-(n * mix[k] % total), list(mix).index(k)))[:n - sum(counts.values())]:
        counts[k] += 1
    kinds = [k for k in mix for _ in range(counts[k])]
    rng.shuffle(kinds)
    plan = []
    for kind in kinds:
        if kind == "ask":
            plan.append((kind, {"question": rng.choice(questions)}))
        elif kind == "search":
            plan.append((kind, {"query": rng.choice(questions), "k": 8}))
        else:
            case = rng.choice(cases)
            plan.append((kind, [{"speaker": case["speaker"]}, {"speaker": case["speaker"], "topic": case["topic"]},
                                {"topic": case["topic"]}][rng.randrange(3)]))
    return plan


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from ``/proc/*/stat``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += children.get(pid, [])
    return pids


def rss_mb(root: int) -> tuple[float, int]:
    """Resident memory of ``root`` and its descendants (VmRSS summed, MB), and how many processes."""
    total, count = 0, 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/status", encoding="utf-8") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        count += 1
                        break
        except OSError:
            continue
    return total / 1024, count


def cpu_seconds(root: int) -> float:
    """User + system CPU time of ``root`` and its (living) descendants."""
    ticks = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


class MemorySampler(threading.Thread):
    """Every ``interval`` s: seconds since start, requests done, ``{name: (MB, processes)}``."""

    def __init__(self, pids: dict[str, int], interval: float, done):
        super().__init__(daemon=True)
        self.pids, self.interval, self.done = pids, interval, done
        self.samples: list[tuple[float, int, dict]] = []
        self.started = time.monotonic()
        self._stop_event = threading.Event()

    def sample(self) -> None:
        self.samples.append((time.monotonic() - self.started, self.done(),
                             {name: rss_mb(pid) for name, pid in self.pids.items()}))

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        self.sample()  # the end


async def drive_mixed(base: str, plan: list[tuple[str, dict]], clients: int, progress: list[int],
                      deadline: float = float("inf")) -> dict:
    """Send ``plan`` from ``clients`` concurrent clients; per request: kind, error (None if
    fine), latency, whether the answer was non-empty."""
    records: list[tuple[str, str | None, float, bool]] = []
    counter = iter(plan)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        async def worker():
            for kind, payload in counter:
                if time.monotonic() > deadline:
                    records.append((kind, "not sent (time limit)", 0.0, False))
                    continue
                error, found = None, False
                started = time.perf_counter()
                try:
                    if kind == "quotes":
                        r = await client.get(ENDPOINTS[kind], params=payload)
                    else:
                        r = await client.post(ENDPOINTS[kind], json=payload)
                    latency = time.perf_counter() - started
                    if not 200 <= r.status_code < 300:
                        error = str(r.status_code)
                    else:
                        try:
                            items = r.json()[EXPECTED[kind]]
                            found = bool(items)
                            if not isinstance(items, list):
                                error = "unexpected body"
                        except (ValueError, KeyError, TypeError):
                            error = "unexpected body"
                except httpx.HTTPError as exc:
                    latency, error = time.perf_counter() - started, type(exc).__name__
                records.append((kind, error, latency, found))
                progress[0] += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - started
    return {"records": records, "seconds": wall}


def summarise_mixed(records: list, wall: float, mix: dict[str, int]) -> list[dict]:
    rows = []
    for kind in [*mix, None]:
        mine = [r for r in records if kind is None or r[0] == kind]
        ok = [r[2] for r in mine if r[1] is None]
        errors: dict[str, int] = {}
        for r in mine:
            if r[1] is not None:
                errors[r[1]] = errors.get(r[1], 0) + 1
        rows.append({"endpoint": f"`{ENDPOINTS[kind]}`" if kind else "all", "requests": len(mine),
                     "share": len(mine) / max(1, len(records)), "ok": len(ok), "errors": errors,
                     "found": sum(r[3] for r in mine), "throughput": len(ok) / wall,
                     **{f"p{q}_ms": percentile(ok, q / 100) * 1000 for q in (50, 95, 99)},
                     "max_ms": max(ok, default=0) * 1000})
    return rows


def memory_points(samples: list, n: int, warm_share: float) -> dict:
    """The first sample with ``share`` of ``n`` requests done, for each point; max; growth."""
    def first(share: float):
        return next((s for s in samples if s[1] >= share * n), samples[-1])

    names = list(samples[0][2])
    points = {"start (server up, before any request)": samples[0],
              f"after warm-up ({warm_share:.0%} of requests)": first(warm_share),
              "middle (50% of requests)": first(0.5), "end (all requests answered)": samples[-1]}
    warm, end = points[f"after warm-up ({warm_share:.0%} of requests)"], samples[-1]
    growth = {name: (end[2][name][0] - warm[2][name][0],
                     (end[2][name][0] - warm[2][name][0]) / warm[2][name][0] * 100 if warm[2][name][0] else 0.0)
              for name in names}
    peak = {name: max(samples, key=lambda s: s[2][name][0]) for name in names}
    return {"points": points, "peak": peak, "growth": growth, "names": names}


def run_mixed(store: str, args, questions: list[str], cases: list[dict], work: Path) -> dict:
    plan = mixed_plan(args.requests, args.mix, questions, cases, args.seed)
    priming = mixed_plan(24, dict.fromkeys(ENDPOINTS, 1), questions, cases, args.seed + 1)
    server_log = work / f"serve-{store}.log"
    with served(store, args, work, server_log) as (base, procs):
        progress = [0]
        sampler = MemorySampler({name: p.pid for name, p in procs.items()}, args.sample_seconds,
                                lambda: progress[0])
        sampler.sample()  # idle, before any request
        primed = asyncio.run(drive_mixed(base, priming, 4, [0]))
        print(f"[{store}] mixed: {args.requests} requests from {args.clients} clients ...", file=sys.stderr, flush=True)
        server_pid = procs["newsdesk serve"].pid
        cpu_before, client_before = cpu_seconds(server_pid), os.times()
        sampler.start()
        try:
            result = asyncio.run(drive_mixed(base, plan, args.clients, progress,
                                             time.monotonic() + args.max_minutes * 60))
        finally:
            sampler.stop()
        client_after = os.times()
        cpu = {"server": cpu_seconds(server_pid) - cpu_before,
               "clients": client_after.user + client_after.system - client_before.user - client_before.system}
        load_after = os.getloadavg()
        alive = procs["newsdesk serve"].poll() is None
    rows = summarise_mixed(result["records"], result["seconds"], args.mix)
    priming_errors = sum(1 for r in primed["records"] if r[1] is not None)
    out = {"store": store, "rows": rows, "seconds": result["seconds"], "samples": sampler.samples,
           "memory": memory_points(sampler.samples, args.requests, args.warm_share),
           "priming_errors": priming_errors, "server_alive": alive, "load": (args.load_at_start, load_after),
           "cpu": cpu,
           "errors": sum(rows[-1]["errors"].values()) + priming_errors + (not alive)}
    total = rows[-1]
    print(f"[{store}] mixed: {total['throughput']:.1f}/s p50 {total['p50_ms']:.0f} ms p95 {total['p95_ms']:.0f} ms "
          f"p99 {total['p99_ms']:.0f} ms errors {out['errors']}", file=sys.stderr, flush=True)
    if out["errors"]:
        tail = server_log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        print(f"[{store}] server log, last lines:\n" + "\n".join(tail), file=sys.stderr, flush=True)
    return out


def machine_notes() -> str:
    with open("/proc/meminfo", encoding="utf-8") as f:
        mem_gb = int(f.readline().split()[1]) / 1024 / 1024
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return (f"{cpu()}, {os.cpu_count()} CPUs visible, {mem_gb:.1f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, httpx {httpx.__version__}; commit {commit}")


def mixed_report(args, results: list[dict]) -> list[str]:
    mix = ",".join(f"{k}={v}" for k, v in args.mix.items())
    command = (f".venv/bin/python benchmarks/http_load.py --mixed --clients {args.clients} --requests {args.requests} "
               f"--mix {mix} --seed {args.seed} --stores {args.stores}")
    if args.eval_dir != DEFAULT_EVAL_DIR:
        command += f" --eval-dir {args.eval_dir}"
    lines = ["# HTTP API under a mixed load", "",
             f"Command: `{command}`  ",
             f"Run: {time.strftime('%Y-%m-%d %H:%M')}; `newsdesk serve` (one process, default settings, extractive "
             f"answers) on 127.0.0.1 over `{args.corpus.name}`, indexed afresh; {args.clients} concurrent clients "
             "(httpx, async, one process on the same machine) share the requests, in an order shuffled with the "
             f"seed: `/v1/ask` and `/v1/search` (k=8) with dev questions, `GET /v1/quotes` with a speaker, a speaker "
             "and a topic, or a topic from `quotes_dev.jsonl`; 24 untimed priming requests (8 per endpoint, 4 clients) "
             f"first; 60 s timeout per request, {args.max_minutes:g} min for the whole run.  ",
             f"Machine: {machine_notes()}.", "",
             "Errors: a non-2xx status, a transport error (timeouts included), a body without the expected list "
             "(`citations`, `passages`, `statements`), or a request not sent in time. \"Non-empty\": answers "
             "citing at least one passage / at least one passage / at least one statement. Latency: nearest-rank "
             "percentiles of the successful requests, from sending the request to reading the whole response. "
             f"Memory: VmRSS of the server process and its children, every {args.sample_seconds:g} s."]
    for res in results:
        load_before, load_after = res["load"]
        wall = res["seconds"]
        lines += ["", f"## Store: {res['store']}", "",
                  f"{res['rows'][-1]['requests']} requests in {wall:.1f} s; CPU during them: server "
                  f"{res['cpu']['server']:.1f} s ({res['cpu']['server'] / wall:.2f} cores on average), clients "
                  f"{res['cpu']['clients']:.1f} s ({res['cpu']['clients'] / wall:.2f} cores); load average (1 min) "
                  f"{load_before[0]:.2f} before indexing, {load_after[0]:.2f} at the end (indexing and this run "
                  f"included); priming errors: {res['priming_errors']}; server still running at the end: "
                  f"{'yes' if res['server_alive'] else 'NO'}.",
                  "", "| endpoint | share | requests | ok | errors | non-empty | throughput | p50 | p95 | p99 | max |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for r in res["rows"]:
            errors = ", ".join(f"{k}: {v}" for k, v in r["errors"].items()) or "0"
            lines.append(f"| {r['endpoint']} | {r['share']:.0%} | {r['requests']} | {r['ok']} | {errors} | {r['found']} | "
                         f"{r['throughput']:.1f}/s | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms | {r['p99_ms']:.0f} ms | "
                         f"{r['max_ms']:.0f} ms |")
        mem = res["memory"]
        names = mem["names"]
        lines += ["", "Server memory (RSS, MB; processes in brackets when more than one):", "",
                  "| point | since start | requests done | " + " | ".join(f"`{n}`" for n in names) + " |",
                  "| --- | --- | --- | " + " | ".join("---" for _ in names) + " |"]

        def cells(sample) -> str:
            return " | ".join(f"{sample[2][n][0]:,.0f}" + (f" ({sample[2][n][1]})" if sample[2][n][1] > 1 else "")
                              for n in names)

        for label, s in mem["points"].items():
            lines.append(f"| {label} | {s[0]:.1f} s | {s[1]} | {cells(s)} |")
        for n in names:
            s = mem["peak"][n]
            lines.append(f"| max of `{n}` ({len(res['samples'])} samples) | {s[0]:.1f} s | {s[1]} | {cells(s)} |")
        lines.append("")
        for n in names:
            mb, pct = mem["growth"][n]
            lines.append(f"**`{n}`: growth after warm-up: {mb:+,.0f} MB ({pct:+.1f}%)** (end minus after warm-up; "
                         f"max minus after warm-up: "
                         f"{mem['peak'][n][2][n][0] - mem['points'][list(mem['points'])[1]][2][n][0]:+,.0f} MB).  ")
        series = [s for i, s in enumerate(res["samples"])
                  if i in (0, len(res["samples"]) - 1)
                  or int(10 * s[1] / args.requests) > int(10 * res["samples"][i - 1][1] / args.requests)]
        lines += ["", "Over time (the first sample past each tenth of the requests):", "",
                  "| since start | requests done | " + " | ".join(f"`{n}` MB" for n in names) + " |",
                  "| --- | --- | " + " | ".join("---" for _ in names) + " |"]
        lines += [f"| {s[0]:.1f} s | {s[1]} | {cells(s)} |" for s in series]
    return lines


DEFAULT_EVAL_DIR = ROOT.parent / "shared" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--corpus", type=Path, help="default: EVAL_DIR/corpus.jsonl")
    parser.add_argument("--requests", type=int, help="per row (default 300); with --mixed, in all (default 3000)")
    parser.add_argument("--concurrency", default="8,32")
    parser.add_argument("--stores", help="default: embedded,server; with --mixed, embedded")
    parser.add_argument("--out", type=Path, help="default: benchmarks/results/http-load.md; "
                                                 "with --mixed, benchmarks/results/load-mixed.md")
    mixed = parser.add_argument_group("mixed load (--mixed)")
    mixed.add_argument("--mixed", action="store_true", help="/v1/ask, /v1/search and /v1/quotes at once, "
                                                            "and the server's memory")
    mixed.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    mixed.add_argument("--mix", default="ask=50,search=30,quotes=20", help="weights (default %(default)s)")
    mixed.add_argument("--seed", type=int, default=7)
    mixed.add_argument("--sample-seconds", type=float, default=0.5, help="memory sampling interval")
    mixed.add_argument("--warm-share", type=float, default=0.1,
                       help="memory 'after warm-up' is read when this share of the requests is done")
    mixed.add_argument("--max-minutes", type=float, default=30,
                       help="requests not sent by then count as errors (default 30)")
    args = parser.parse_args()
    args.corpus = args.corpus or args.eval_dir / "corpus.jsonl"
    args.requests = args.requests or (3000 if args.mixed else 300)
    args.stores = args.stores or ("embedded" if args.mixed else "embedded,server")
    args.out = args.out or ROOT / "benchmarks" / "results" / ("load-mixed.md" if args.mixed else "http-load.md")
    args.concurrency = [int(x) for x in args.concurrency.split(",")]
    questions = [json.loads(x)["query"] for x in (args.eval_dir / "queries_dev.jsonl").open(encoding="utf-8")
                 if x.strip()]
    if args.mixed:
        args.mix = parse_mix(args.mix)
        args.load_at_start = os.getloadavg()
        cases = [json.loads(x) for x in (args.eval_dir / "quotes_dev.jsonl").open(encoding="utf-8") if x.strip()]
        work = Path(tempfile.mkdtemp(prefix="newsdesk-load-mixed-"))
        try:
            results = [run_mixed(store, args, questions, cases, work) for store in args.stores.split(",")]
        finally:
            shutil.rmtree(work, ignore_errors=True)
        lines = mixed_report(args, results)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n".join(lines))
        errors = sum(r["errors"] for r in results)
        if errors:
            print(f"FAILED: {errors} errors", file=sys.stderr)
            sys.exit(1)
        return
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
