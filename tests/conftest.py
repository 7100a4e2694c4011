"""Shared fixtures for the index and assistant tests.

- ``FakeEmbedder``: a small in-memory embedder (normalised hashing vectors) for fast tests.
- ``clean_env``: tests in tests/index and tests/assistant run with no ``NEWSDESK_*`` variable
  inherited from the shell.
- ``corpus_bot``: ONE Assistant over the whole bundled corpus, built once per session with
  the real Chroma, the real MiniLM and the real tiktoken (integration tests only; about a
  minute on two cores). Tests must not mutate it: those that ingest or delete use
  ``make_bot`` over their own small data dir.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED_TITLE = "Zelensky Calls for Regime Change"


class FakeEmbedder:
    """Deterministic bag-of-words hashing vectors, L2-normalised; counts its calls."""

    def __init__(self, model_id: str = "fake-hashing-embedder", dimension: int = 64):
        self.model_id = model_id
        self._dimension = dimension
        self.embedded: list[str] = []

    @property
    def dimension(self) -> int:
        return self._dimension

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self._dimension, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            h = int.from_bytes(hashlib.md5(word.encode()).digest()[:4], "little")
            v[h % self._dimension] += 1.0 if h & 1 << 31 else -1.0
        norm = float(np.linalg.norm(v))
        if norm == 0:
            v[0] = 1.0
            return v
        return v / norm

    def embed(self, texts) -> np.ndarray:
        texts = list(texts)
        self.embedded.extend(texts)
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


@pytest.fixture
def fake_embedder_cls():
    return FakeEmbedder


_ISOLATED = (ROOT / "tests" / "index", ROOT / "tests" / "assistant")


@pytest.fixture(autouse=True)
def clean_env(request, monkeypatch):
    """In tests/index and tests/assistant, no NEWSDESK_* setting leaks in from the shell."""
    if Path(str(request.node.path)).is_relative_to(_ISOLATED[0]) or \
            Path(str(request.node.path)).is_relative_to(_ISOLATED[1]):
        for key in list(os.environ):
            if key.startswith("NEWSDESK_"):
                monkeypatch.delenv(key)
    yield


@pytest.fixture
def write_file(tmp_path):
    """Write ``name`` under tmp_path (str as UTF-8, or raw bytes) and return its path."""

    def _write(name: str, content: str | bytes, base: Path | None = None) -> Path:
        path = (base or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


# -- a small corpus for tests that build or mutate their own index ---------------

SMALL_ARTICLES = {
    "harbour.txt": (
        "Harbour bridge reopens after storm repairs\n\n"
        "The Lindqvist harbour bridge reopened on Monday after three weeks of storm repairs.\n\n"
        "“Traffic is flowing again,” said engineer Marta Olsen. “We replaced forty cables.”\n\n"
        "The city council said the repairs cost 12 million kroner.\n"
    ),
    "orchard.txt": (
        "Apple harvest breaks records in Valdoria\n\n"
        "Farmers in Valdoria picked a record 80,000 tonnes of apples this autumn.\n\n"
        "Agronomist Pieter Vos credited the warm spring and new irrigation canals.\n"
    ),
    "chess.jsonl": (
        '{"title": "Teenager wins Zembla chess open", "url": "https://example.org/chess-open", '
        '"source": "Example News", "published_at": "2021-03-04", '
        '"body": "Sixteen-year-old Ilona Brandt won the Zembla chess open on Sunday. '
        'She beat grandmaster Oskar Lind in the final round with the black pieces."}\n'
    ),
}


def write_small_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in SMALL_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def make_small_corpus():
    """``make_small_corpus(folder)`` writes the three small articles into ``folder``."""
    return write_small_corpus


@pytest.fixture
def small_corpus(tmp_path):
    """Three small article files (two .txt, one .jsonl) in their own folder."""
    return write_small_corpus(tmp_path / "articles")


# -- the vector store: embedded, or a Chroma server for the whole session ----------

# Read at import: the autouse ``clean_env`` removes NEWSDESK_* variables for each test.
ON_CHROMA_SERVER = os.environ.get("NEWSDESK_TEST_CHROMA_SERVER") == "1"


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (servers in tests listen there only)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(cmd: list[str], ready_url: str, what: str, timeout: float = 120) -> subprocess.Popen:
    """Start ``cmd`` and wait until ``ready_url`` answers; a server that exits or does not
    come up in ``timeout`` s fails with the end of its stderr."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(ready_url, timeout=2).read()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"{what} did not start: " + proc.stderr.read().decode()[-2000:])
            time.sleep(0.3)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def servers():
    """``free_port``, ``start_server`` and ``stop_server`` for test modules (a conftest is
    not importable by name from every test directory)."""
    return SimpleNamespace(free_port=free_port, start=start_server, stop=stop_server)


def start_chroma_server(path: Path) -> tuple[subprocess.Popen, str]:
    """``chroma run`` (the server in the chromadb package) on a free 127.0.0.1 port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [str(Path(sys.executable).with_name("chroma")), "run", "--path", str(path),
           "--host", "127.0.0.1", "--port", str(port)]
    return start_server(cmd, f"{url}/api/v2/heartbeat", "chroma run", timeout=60), url


@pytest.fixture(scope="session")
def serve_app():
    """``serve_app(bot)`` -> the base URL (``http://127.0.0.1:PORT``) of ``newsdesk serve``'s
    app (web chat, HTTP API, MCP) for ``bot``, in uvicorn in a thread, as in production;
    stopped at the end of the session."""
    import threading

    import uvicorn

    import app

    running = []

    def _serve(bot) -> str:
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app.create_app(bot), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the web app did not start"
            time.sleep(0.05)
        running.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield _serve
    for server, thread in running:
        server.should_exit = True
        thread.join(10)


# -- property-based tests: how many examples each target got -------------------------

EXAMPLES: dict[str, int] = {}

try:  # the same examples on every run, no example database written, no time limit per example
    from hypothesis import HealthCheck, settings

    settings.register_profile("newsdesk", derandomize=True, database=None, deadline=None,
                              print_blob=False, suppress_health_check=[
                                  HealthCheck.too_slow, HealthCheck.data_too_large,
                                  HealthCheck.large_base_example])
    settings.load_profile("newsdesk")
except ImportError:  # only the property-based tests need it (the `test` extra)
    pass


@pytest.fixture(scope="session")
def count_example():
    """``count_example(target)`` counts one hypothesis example run against ``target``; the
    totals are listed at the end of the run ("hypothesis examples per target")."""

    def _count(target: str) -> None:
        EXAMPLES[target] = EXAMPLES.get(target, 0) + 1

    return _count


def pytest_terminal_summary(terminalreporter):
    if EXAMPLES:
        terminalreporter.section("hypothesis examples per target")
        for target, n in sorted(EXAMPLES.items()):
            terminalreporter.write_line(f"{n:6d}  {target}")


def pytest_collection_modifyitems(config, items):
    if ON_CHROMA_SERVER:
        skip = pytest.mark.skip(reason="about the embedded store (NEWSDESK_TEST_CHROMA_SERVER=1)")
        for item in items:
            if "embedded_store" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def session_chroma_url(tmp_path_factory):
    """With NEWSDESK_TEST_CHROMA_SERVER=1 (the second pass of scripts/test.sh), one Chroma
    server for the session, holding the vectors of every ``make_bot`` and ``corpus_index``
    index; else None (the embedded store)."""
    if not ON_CHROMA_SERVER:
        yield None
        return
    proc, url = start_chroma_server(tmp_path_factory.mktemp("chroma-server"))
    yield url
    stop_server(proc)


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    """A Chroma server of the test module's own (tests that are about the server mode)."""
    proc, url = start_chroma_server(tmp_path_factory.mktemp("chroma-server"))
    yield url
    stop_server(proc)


def store_overrides(url: str | None, data_dir: Path) -> dict:
    """Settings that put ``data_dir``'s vectors on the server, in a collection of its own."""
    if url is None:
        return {}
    digest = hashlib.md5(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return {"chroma_url": url, "collection": f"t-{digest}"}


@pytest.fixture
def cli_env(session_chroma_url):
    """``cli_env(data_dir, **settings)``: the environment of a ``newsdesk`` process over
    ``data_dir`` (its vectors on the session's Chroma server in the second pass)."""

    def _env(data_dir: Path, **settings) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
        values = {"data_dir": str(data_dir), **store_overrides(session_chroma_url, data_dir), **settings}
        return env | {f"NEWSDESK_{k.upper()}": str(v) for k, v in values.items()}

    return _env


@pytest.fixture
def wipe(session_chroma_url):
    """``wipe(data_dir)``: delete the index there, and its collection on the session's server."""
    from assistant.core import wipe_index

    def _wipe(data_dir: Path) -> None:
        o = store_overrides(session_chroma_url, data_dir)
        wipe_index(data_dir, o.get("chroma_url"), o.get("collection", "newsdesk"))

    return _wipe


@pytest.fixture(scope="session")
def make_bot(session_chroma_url):
    """Build an Assistant over ``data_dir`` (real MiniLM unless ``embedder`` is given).
    Session-scoped so a module can build one bot for all its tests; such a module fixture
    runs outside ``clean_env`` and must drop NEWSDESK_* variables itself."""
    from assistant import Assistant, load_settings

    def _make(data_dir: Path, embedder=None, chat_model=None, **overrides):
        overrides = {**store_overrides(session_chroma_url, data_dir), **overrides}
        settings = load_settings(data_dir=Path(data_dir), **overrides)
        return Assistant.from_settings(settings, embedder=embedder, chat_model=chat_model)

    return _make


# -- the whole bundled corpus, indexed once per session ---------------------------

@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, session_chroma_url):
    """``(assistant, ingest report)`` over the bundled corpus; read-only for tests."""
    from assistant import Assistant, load_settings
    from corpus import BUNDLED_DIR

    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("NEWSDESK_")}
    try:
        data = tmp_path_factory.mktemp("corpus-index")
        bot = Assistant.from_settings(load_settings(data_dir=data, **store_overrides(session_chroma_url, data)))
        report = bot.ingest([BUNDLED_DIR])
    finally:
        os.environ.update(saved)
    return bot, report


@pytest.fixture(scope="session")
def corpus_bot(corpus_index):
    return corpus_index[0]


@pytest.fixture(scope="session")
def seed_article(corpus_bot):
    rows = [r for r in corpus_bot.catalog.article_rows() if r["title"].startswith(SEED_TITLE)]
    assert len(rows) == 1, rows
    return corpus_bot.catalog.article(rows[0]["id"])
