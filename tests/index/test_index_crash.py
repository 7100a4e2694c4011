"""Crash safety: a writer killed anywhere leaves every article wholly indexed or absent.

In-process tests stop a write between the vector store and the catalog (the one
window where the two disagree); the SIGKILL test kills real ``newsdesk ingest``
processes at random points of a 274-article ingest, then of an update of every
article, and checks after each kill that a restart finds the index whole.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from index.chunking import embedding_text
from index.ingest import IndexBusy

pytestmark = pytest.mark.integration

SMALL_CHUNKS = {"chunk_tokens": 40, "chunk_overlap_tokens": 8}


class Killed(BaseException):
    """Stands for the process dying: raised where the kill lands, caught by the test."""


def stop_before_catalog_commit(bot, monkeypatch, method: str) -> None:
    def die(*args, **kwargs):
        raise Killed()

    monkeypatch.setattr(bot.catalog, method, die)


def vectors_match_catalog(bot) -> None:
    """Every stored vector is the embedding of the catalog's text of that chunk (int8
    activations are quantized per batch, so the same text embedded in another batch
    agrees to about 0.995; another text's vector is far below 0.98)."""
    chunks = list(bot.catalog.iter_chunks())
    got = bot.store.collection.get(ids=[c.id for c in chunks], include=["embeddings"])
    stored = dict(zip(got["ids"], got["embeddings"]))
    expected = bot.embedder.embed([embedding_text(c) for c in chunks])
    cosines = [float(np.dot(stored[c.id], e)) for c, e in zip(chunks, expected)]
    assert min(cosines) > 0.98, min(cosines)


def whole(bot) -> dict:
    info = bot.indexer.check()
    assert info["problems"] == {}, info
    assert info["articles"] > 0 and info["chunks"] == info["vectors"] == info["keyword index"]
    return info


@pytest.fixture
def bot(make_bot, tmp_path):
    return make_bot(tmp_path / "data", **SMALL_CHUNKS)


def test_a_new_article_killed_before_its_commit_is_absent_after_restart(
        bot, make_bot, small_corpus, write_file, tmp_path, monkeypatch):
    bot.ingest([small_corpus])
    before = whole(bot)
    new = write_file("new.txt", "Harbour reopens\n\nThe harbour of Odesa reopened on Monday, "
                     "officials said, after three weeks of repairs to the grain terminal.",
                     base=small_corpus)
    with monkeypatch.context() as m:
        stop_before_catalog_commit(bot, m, "put")
        with pytest.raises(Killed):
            bot.ingest([small_corpus])
    assert bot.store.count() > before["vectors"], "the vectors were written, the catalog was not"

    restarted = make_bot(tmp_path / "data", **SMALL_CHUNKS)
    assert "interrupted write not yet recovered" in restarted.indexer.check()["problems"]
    assert restarted.indexer.repair() == {**before, "recovered": 1}  # the half-written article is gone
    report = restarted.ingest([small_corpus])  # and the rerun finishes the job
    assert (report.added, report.unchanged) == (1, 3)
    assert whole(restarted)["articles"] == 4
    assert "Odesa" in restarted.ask("When did the harbour of Odesa reopen?").text
    new.unlink()


def test_an_update_killed_before_its_commit_keeps_the_old_version_whole(
        bot, make_bot, small_corpus, tmp_path, monkeypatch):
    bot.ingest([small_corpus])
    before = whole(bot)
    path = next(p for p in small_corpus.iterdir() if p.suffix == ".txt")
    path.write_text(path.read_text() + "\n\nA later paragraph about flooded tunnels in Lviv.")
    with monkeypatch.context() as m:
        stop_before_catalog_commit(bot, m, "put")
        with pytest.raises(Killed):
            bot.ingest([small_corpus])

    restarted = make_bot(tmp_path / "data", **SMALL_CHUNKS)
    assert restarted.indexer.repair() == {**before, "recovered": 1}
    vectors_match_catalog(restarted)  # the old version's vectors, not the new one's
    assert "Lviv" not in " ".join(c.text for c in restarted.catalog.iter_chunks())
    assert restarted.ingest([small_corpus]).updated == 1
    whole(restarted)
    vectors_match_catalog(restarted)


def test_a_delete_killed_before_its_commit_is_completed(bot, make_bot, small_corpus, tmp_path,
                                                       monkeypatch):
    bot.ingest([small_corpus])
    victim = bot.catalog.article_rows()[0]["id"]
    with monkeypatch.context() as m:
        stop_before_catalog_commit(bot, m, "delete")
        with pytest.raises(Killed):
            bot.remove([victim])

    restarted = make_bot(tmp_path / "data", **SMALL_CHUNKS)
    info = restarted.indexer.repair()
    assert info["problems"] == {} and info["articles"] == 2
    assert restarted.catalog.article(victim) is None


def test_a_second_writer_is_refused_with_a_clear_message(bot, small_corpus):
    bot.ingest([small_corpus])
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'w'); "
         "fcntl.flock(f, fcntl.LOCK_EX); f.write('4242'); f.flush(); print('locked', flush=True); "
         "time.sleep(60)", str(bot.indexer.lock.path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusy) as err:
            bot.ingest([small_corpus])
        assert "Another process (pid 4242) is writing to the index" in err.value.user_message()
        assert "Wait for it to finish" in err.value.user_message()
        with pytest.raises(IndexBusy):
            bot.remove([bot.catalog.article_rows()[0]["id"]])
        assert bot.ask("What did Marta Olsen say?").citations, "reading goes on while another process writes"
    finally:
        holder.kill()
        holder.wait()
    assert bot.ingest([small_corpus]).unchanged == 3  # the lock died with its holder


def test_questions_are_answered_while_an_ingest_runs(make_bot, small_corpus, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from corpus import BUNDLED_DIR

    make_bot(tmp_path / "data").ingest([small_corpus])
    bot = make_bot(tmp_path / "data", ingest_group=16)  # a new process's: not asked anything yet
    answered = []
    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(bot.ingest, [BUNDLED_DIR])
        while bot.catalog.counts()[0] <= 3:  # the first question comes once the ingest is under way
            time.sleep(0.01)
        while not job.done():
            answer = bot.ask("What did Marta Olsen say?")
            assert "Traffic is flowing again" in answer.text and answer.citations
            answered.append(bot.status()["articles"])
        report = job.result()
    assert report.added == 274 and report.problems == []
    assert len(answered) >= 10 and len(set(answered)) >= 3, "questions went on while articles arrived"
    whole(bot)


# -- real processes, killed -------------------------------------------------------

def newsdesk(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(Path(sys.executable).with_name("newsdesk")), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def peek(data: Path, sql: str, *params) -> int:
    """A count from the catalog of a running ingest, read-only (0 while it cannot be read)."""
    try:
        with sqlite3.connect(f"file:{data / 'catalog.sqlite'}?mode=ro", uri=True, timeout=1) as db:
            return db.execute(sql, params).fetchone()[0]
    except sqlite3.Error:
        return 0


def catalog_articles(data: Path) -> int:
    return peek(data, "SELECT COUNT(*) FROM articles")


def updated_articles(data: Path, marker: str) -> int:
    return peek(data, "SELECT COUNT(*) FROM articles WHERE body LIKE ?", f"%{marker}%")


def write_in_flight(data: Path) -> bool:
    """Whether a group is between the vector store and the catalog (the note is there)."""
    return peek(data, "SELECT COUNT(*) FROM meta WHERE key = 'pending'") > 0


def kill_during(args: list[str], env: dict, ready, rng: random.Random) -> bool:
    """Run ``newsdesk ARGS``; once ``ready()``, wait a random moment (or none) and SIGKILL
    it. Returns whether it was killed (False: it finished first)."""
    proc = newsdesk(*args, env=env)
    deadline = time.monotonic() + 300
    while proc.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(rng.choice([0, rng.uniform(0, 0.3)]))
    if proc.poll() is not None:
        assert proc.returncode == 0, proc.stderr.read()[-2000:]
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def test_a_reader_sees_what_another_process_indexed(make_bot, small_corpus, tmp_path, cli_env):
    data = tmp_path / "data"
    bot = make_bot(data)
    bot.ingest([small_corpus])
    assert bot.search("harbour bridge")  # this process has loaded the vector index
    news = tmp_path / "news"
    news.mkdir()
    (news / "odesa.txt").write_text("Odesa grain terminal reopens\n\nThe grain terminal in the port of "
                                    "Odesa reopened on Monday after three weeks of repairs, officials said.")
    other = newsdesk("ingest", str(news), env=cli_env(data))
    assert other.wait(300) == 0, other.stderr.read()[-2000:]

    hits = bot.search("When did the grain terminal in Odesa reopen?")
    assert hits[0].chunk.title == "Odesa grain terminal reopens"
    vector = bot.embedder.embed_query("grain terminal Odesa port reopened after repairs")
    new = {c.id for c in bot.catalog.iter_chunks() if c.title.startswith("Odesa")}
    assert new & set(bot.store.query(vector, 3)), "the vectors another process added are searched too"


def restart_and_check(env: dict) -> dict:
    """What a restart does (finish the interrupted write, rebuild a stale keyword index),
    then the consistency check, in a new process."""
    proc = newsdesk("check", "--repair", "--json", env=env)
    out, errors = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + errors[-2000:]
    return json.loads(out)


def test_ingest_survives_sigkill_at_random_points(tmp_path, cli_env, make_bot):
    from corpus import BUNDLED_DIR, load_paths

    rng = random.Random(7)
    data = tmp_path / "data"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = BUNDLED_DIR / "wikinews-2019-2020.jsonl"
    (corpus / source.name).write_text(source.read_text())
    total = len(load_paths([corpus]).articles)
    env = cli_env(data, ingest_group=8, log_level="WARNING")

    kills, checks, recoveries = 0, [], 0
    # phase 1: a first ingest; phase 2: every article changed (the update path)
    for phase, marker in (("add", None), ("update", "Corrected on 2 June.")):
        if marker:
            records = [json.loads(line) for line in source.read_text().splitlines() if line.strip()]
            for r in records:
                r["text" if "text" in r else "body"] += f"\n\n{marker}"
            (corpus / source.name).write_text("\n".join(json.dumps(r) for r in records) + "\n")
            progress = lambda: updated_articles(data, marker)  # noqa: E731
        else:
            progress = lambda: catalog_articles(data)  # noqa: E731
        done = progress()
        while done < total:
            target = done + rng.randint(20, 110)
            if rng.random() < 0.5:  # at a random article, or just as a group is being written
                ready = lambda: progress() >= target  # noqa: E731
            else:
                ready = lambda: progress() >= target - 40 and write_in_flight(data)  # noqa: E731
            kills += kill_during(["ingest", str(corpus)], env, ready, rng)
            info = restart_and_check(env)
            assert info["problems"] == {}, (phase, kills, info)
            assert info["chunks"] == info["vectors"] == info["keyword index"]
            now = progress()
            assert info["articles"] >= now >= done, "nothing committed is ever lost"
            checks.append(info)
            recoveries += info["recovered"] > 0
            done = now
        assert kills >= 3 * (1 + bool(marker)), f"only {kills} kills landed in the {phase} phase"

    # the rerun after the last kill completed both jobs: every article, in its new version
    bot = make_bot(data)
    info = whole(bot)
    assert info["articles"] == total == updated_articles(data, "Corrected on 2 June.")
    vectors_match_catalog(bot)
    print(f"\ncrash test: {kills} kills, {len(checks)} restarts checked ({recoveries} finished "
          f"an interrupted write), {total} articles, 0 inconsistencies")


def test_a_long_ingest_makes_articles_keyword_searchable_as_it_goes(make_bot, tmp_path, monkeypatch):
    import index.ingest
    from corpus import BUNDLED_DIR

    monkeypatch.setattr(index.ingest, "KEYWORD_EVERY", 0.0)  # as if every group took long
    monkeypatch.setattr(index.ingest, "KEYWORD_SPACING", 0.0)
    bot = make_bot(tmp_path / "data", ingest_group=64)
    seen = []
    bot.ingest([BUNDLED_DIR], progress=lambda stage, done, total: seen.append((done, len(bot.keyword))))
    partial = [n for done, n in seen if 0 < done < 274]
    assert partial and 0 < partial[0] < partial[-1] < bot.status()["chunks"], seen
    whole(bot)
