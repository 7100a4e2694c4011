"""Opening a Chroma index with another embedding model (or chunking) is an error that says how to rebuild."""

from __future__ import annotations

import pytest

from corpus.errors import IndexMismatch
from index import DEFAULT_MODEL

pytestmark = pytest.mark.integration


@pytest.fixture
def built(make_bot, small_corpus, tmp_path):
    """A small index built with the real MiniLM."""
    data = tmp_path / "data"
    bot = make_bot(data)
    report = bot.ingest([small_corpus])
    assert report.added == 3
    return data


@pytest.mark.parametrize("first_use", ["status", "ask", "search", "ingest-new"])
def test_another_model_is_an_index_mismatch_naming_both_models(
        built, make_bot, fake_embedder_cls, write_file, tmp_path, first_use):
    other = make_bot(built, embedder=fake_embedder_cls("other-model"))
    with pytest.raises(IndexMismatch) as info:
        if first_use == "status":
            other.status()
        elif first_use == "ask":
            other.ask("What did Marta Olsen say?")
        elif first_use == "search":
            other.search("harbour bridge")
        else:
            new = write_file("new/new.txt", "A new article\n\nSomething new happened in Oslo today.\n")
            other.ingest([new.parent])
    err = info.value
    message = err.user_message()
    assert DEFAULT_MODEL in message and "other-model" in message
    assert "--rebuild" in message and "NEWSDESK_EMBEDDING_MODEL" in message
    assert err.status == 409


def test_nothing_is_lost_after_a_mismatch(built, make_bot, fake_embedder_cls, write_file):
    other = make_bot(built, embedder=fake_embedder_cls("other-model"))
    new = write_file("new/new.txt", "A new article\n\nSomething new happened in Oslo today.\n")
    with pytest.raises(IndexMismatch):
        other.ingest([new.parent])
    same = make_bot(built)
    status = same.status()
    assert status["articles"] == 3 and status["chunks"] == status["vectors"]
    assert same.ask("What did Marta Olsen say?").covered


def test_reingesting_unchanged_files_with_another_model_is_a_mismatch(
        built, make_bot, fake_embedder_cls, small_corpus):
    other = make_bot(built, embedder=fake_embedder_cls("other-model"))
    with pytest.raises(IndexMismatch):
        other.ingest([small_corpus])


def test_other_chunking_is_a_mismatch(built, make_bot):
    other = make_bot(built, chunk_tokens=64, chunk_overlap_tokens=8)
    with pytest.raises(IndexMismatch) as info:
        other.status()
    message = info.value.user_message()
    assert "180" in message and "64" in message and "--rebuild" in message


@pytest.mark.embedded_store
def test_rebuild_from_the_cli_replaces_an_index_built_with_another_model(
        make_bot, fake_embedder_cls, small_corpus, tmp_path):
    """What the mismatch message tells people to run, in a real process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    data = tmp_path / "data"
    make_bot(data, embedder=fake_embedder_cls("other-model")).ingest([small_corpus])
    (data / "keep-me.txt").write_text("not an index file")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env["NEWSDESK_DATA_DIR"] = str(data)
    env["COLUMNS"] = "300"  # rich: no wrapping in the status table
    cli = str(Path(sys.executable).with_name("newsdesk"))
    refused = subprocess.run([cli, "status"], env=env, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2
    assert "other-model" in refused.stderr and "--rebuild" in refused.stderr
    assert "Traceback" not in refused.stderr
    done = subprocess.run([cli, "ingest", "--rebuild", str(small_corpus)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "3 added" in done.stdout
    assert (data / "keep-me.txt").exists()
    shown = subprocess.run([cli, "status"], env=env, capture_output=True, text=True, timeout=300)
    assert shown.returncode == 0 and DEFAULT_MODEL in shown.stdout


def test_rebuild_in_the_same_process_works(built, make_bot, wipe, fake_embedder_cls, small_corpus):
    wipe(built)
    other = make_bot(built, embedder=fake_embedder_cls("other-model"))
    report = other.ingest([small_corpus])
    assert report.added == 3
    status = other.status()
    assert status["embedding_model"] == "other-model"
    assert status["chunks"] == status["vectors"] == status["keyword_chunks"]
