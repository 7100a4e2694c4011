"""The index on a Chroma server (``NEWSDESK_CHROMA_URL``): a real ``chroma run`` on
127.0.0.1, the real MiniLM. Ingest, answer, update, remove, filters, several processes
serving one index, a rebuild, and a server that is down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.errors import Unavailable
from index import SearchFilters

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def embedder():
    from index.onnx_embedder import OnnxEmbedder  # the default backend

    return OnnxEmbedder()


def test_ingest_ask_update_remove_on_the_server(make_bot, small_corpus, tmp_path, chroma_url, embedder):
    bot = make_bot(tmp_path / "data", embedder=embedder, chroma_url=chroma_url, collection="server-a")
    report = bot.ingest([small_corpus])
    assert report.added == 3 and report.chunks_embedded > 0
    status = bot.status()
    assert status["vectors"] == status["chunks"] and status["vector_store"] == f"Chroma server {chroma_url}"
    assert not (tmp_path / "data" / "chroma").exists()  # the vectors live on the server
    answer = bot.ask("When did the Lindqvist harbour bridge reopen?")
    assert "Monday" in answer.text and answer.citations
    assert bot.ingest([small_corpus]).chunks_embedded == 0  # unchanged: nothing re-embedded
    (small_corpus / "orchard.txt").write_text("Apple harvest breaks records in Valdoria\n\n"
                                              "Farmers in Valdoria picked 90,000 tonnes this year.\n")
    assert bot.ingest([small_corpus]).updated == 1
    assert "90,000" in bot.ask("How many tonnes of apples did Valdoria farmers pick?").text
    harbour = next(h.chunk.article_id for h in bot.search("harbour bridge"))
    assert bot.remove([harbour]) == 1
    assert bot.store.count() == bot.catalog.counts()[1]
    hits = bot.search("chess open", filters=SearchFilters(date_from="2021-01-01"))
    assert hits and all(h.chunk.published_at >= "2021-01-01" for h in hits)


def test_two_processes_serve_one_index(make_bot, small_corpus, tmp_path, chroma_url, embedder):
    """One process ingests; another, started afterwards with the same settings, answers."""
    bot = make_bot(tmp_path / "data", embedder=embedder, chroma_url=chroma_url, collection="server-b")
    bot.ingest([small_corpus])
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data"), "NEWSDESK_CHROMA_URL": chroma_url,
           "NEWSDESK_COLLECTION": "server-b", "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "Who won the Zembla chess open?"],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    answer = json.loads(out.stdout)
    assert "Ilona Brandt" in answer["text"] and answer["citations"]


def test_rebuild_drops_the_server_collection(make_bot, small_corpus, tmp_path, chroma_url, embedder):
    from assistant.core import wipe_index

    bot = make_bot(tmp_path / "data", embedder=embedder, chroma_url=chroma_url, collection="server-c")
    bot.ingest([small_corpus])
    wipe_index(tmp_path / "data", chroma_url, "server-c")
    fresh = make_bot(tmp_path / "data", embedder=embedder, chroma_url=chroma_url, collection="server-c")
    assert fresh.store.count() == 0 and fresh.catalog.counts() == (0, 0)


def test_a_server_that_is_down_is_a_clear_error(make_bot, tmp_path, embedder, servers):
    url = f"http://127.0.0.1:{servers.free_port()}"
    bot = make_bot(tmp_path / "data", embedder=embedder, chroma_url=url)
    with pytest.raises(Unavailable) as err:
        bot.search("anything")
    assert url in err.value.message and "chroma run" in err.value.hint


def test_a_running_process_sees_another_process_ingest(make_bot, small_corpus, tmp_path, chroma_url, embedder,
                                                        write_file):
    """Two Assistants on one data dir and server (as two serve processes would be): what
    one ingests, the other finds at once, by keyword as well as by meaning."""
    reader = make_bot(tmp_path / "data", embedder=embedder, chroma_url=chroma_url, collection="server-d")
    writer = make_bot(tmp_path / "data", embedder=embedder, chroma_url=chroma_url, collection="server-d")
    writer.ingest([small_corpus])
    assert reader.search("Lindqvist harbour bridge")  # loads the keyword index
    time.sleep(0.01)  # a distinct modification time for the next save
    extra = write_file("ferry.txt", "Ferry strike ends\n\nThe Nordhavn ferry workers ended their strike.\n",
                       base=tmp_path / "more")
    writer.ingest([extra])
    hits = reader.search("Nordhavn ferry strike")
    assert hits and hits[0].chunk.title == "Ferry strike ends" and hits[0].keyword_rank == 1
