"""Following sources end to end with the real components (real Chroma, MiniLM, tiktoken):
the CLI (`newsdesk sources ...`, `newsdesk ingest URL`), the HTTP API, answers that cite
a fetched article by source and date, and a fetch killed mid-way that resumes cleanly."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.newssite import SITE_NAME, NewsSite

pytestmark = pytest.mark.integration

FAST = {"NEWSDESK_FETCH_DELAY": "0", "NEWSDESK_FETCH_TIMEOUT": "2", "NEWSDESK_LOG_LEVEL": "WARNING"}


@pytest.fixture(scope="module")
def site():
    site = NewsSite(feed_count=12).start()
    yield site
    site.stop()


def run(env, *args):
    return CliRunner().invoke(app, list(args), env=env)


def test_the_cli_follows_a_feed_and_answers_from_it(tmp_path, site):
    env = {**FAST, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    empty = run(env, "sources")
    assert empty.exit_code == 0 and "No sources are followed" in empty.output
    added = run(env, "sources", "add", site.url("/feed.xml"), "--every", "15m", "--name", "wire")
    assert added.exit_code == 0, added.output
    assert "following wire" in added.output and "every 15m" in added.output
    fetched = run(env, "sources", "fetch")
    assert fetched.exit_code == 0, fetched.output
    assert "wire: 12 items, 12 pages fetched: 12 new articles" in fetched.output
    listed = json.loads(run(env, "sources", "--json").stdout)
    assert listed[0]["name"] == "wire" and listed[0]["new_articles"] == 12 and listed[0]["last_error"] == ""
    again = run(env, "sources", "fetch", "wire")
    assert "not modified" in again.output
    assert re.search(r"followed_sources\W+1\b", run(env, "status").output)

    # an answer cites the fetched article by its source and date
    article = site.articles[3]
    answer = json.loads(run(env, "ask", "--json", article["title"] + "?").stdout)
    cited = [c for c in answer["citations"] if c["title"] == article["title"]]
    assert cited and cited[0]["source"] == SITE_NAME and cited[0]["published_at"] == article["published_at"]

    one = run(env, "ingest", site.url("/moved/30"), site.url("/news/99999.html"))
    assert "indexed " + site.url("/moved/30") + ": 1 added" in one.output
    assert "skipped" in one.output and "HTTP 404" in one.output
    assert run(env, "sources", "remove", "wire").exit_code == 0
    assert run(env, "sources", "remove", "wire").exit_code == 1


def test_the_http_api_follows_sources_with_an_admin_key(make_bot, tmp_path, site, serve_app):
    import httpx

    bot = make_bot(tmp_path / "data", fetch_delay=0, api_keys=["read-1"], admin_keys=["admin-1"])
    base = serve_app(bot)
    read, admin = {"Authorization": "Bearer read-1"}, {"Authorization": "Bearer admin-1"}
    body = {"url": site.url("/sitemap.xml"), "every": "2h"}
    assert httpx.post(base + "/v1/sources", json=body, headers=read).status_code == 403
    added = httpx.post(base + "/v1/sources", json=body, headers=admin)
    assert added.status_code == 200, added.text
    name = added.json()["name"]
    assert added.json()["kind"] == "sitemap index"
    fetched = httpx.post(f"{base}/v1/sources/{name}/fetch", headers=admin, timeout=300).json()
    assert fetched["status"] == "ok" and fetched["added"] == 5
    listed = httpx.get(base + "/v1/sources", headers=read).json()["sources"]
    assert listed[0]["new_articles"] == 5 and listed[0]["items_seen"] == 5
    missing = httpx.get(base + "/v1/sources/nope", headers=read)
    assert missing.status_code == 404 and "No source is called" in missing.json()["error"]["message"]
    bad = httpx.post(base + "/v1/sources", json={"url": "ftp://example.org/feed"}, headers=admin)
    assert bad.status_code == 502 and "not an http(s) address" in bad.json()["error"]["message"]
    page = httpx.post(base + "/v1/articles/fetch", json={"url": site.url("/news/40.html")}, headers=admin,
                      timeout=300)
    assert page.status_code == 200 and page.json()["added"] == 1
    assert httpx.delete(f"{base}/v1/sources/{name}", headers=admin).json()["removed"] is True
    assert httpx.get(base + "/v1/health", headers=read).json()["articles"] == 6


def _newsdesk(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(Path(sys.executable).with_name("newsdesk")), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_fetch_killed_midway_resumes_cleanly(tmp_path, cli_env):
    site = NewsSite(feed_count=60).start()
    try:
        data = tmp_path / "data"
        env = {**cli_env(data, ingest_group=4, log_level="WARNING"), **FAST}
        add = _newsdesk("sources", "add", site.url("/feed.xml"), "--name", "wire", env=env)
        assert add.wait(300) == 0, add.stderr.read()[-2000:]
        proc = _newsdesk("sources", "fetch", env=env)
        deadline = time.monotonic() + 300
        while proc.poll() is None and _count(data, "source_items") < 16 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the fetch finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        indexed = _count(data, "articles")
        assert 16 <= indexed < 60

        again = _newsdesk("sources", "fetch", "wire", env=env)
        out, errors = again.communicate(timeout=600)
        assert again.returncode == 0, out + errors[-2000:]
        assert f"{60 - indexed} new articles" in out, out  # only what the killed run had not indexed
        check = _newsdesk("check", "--json", env=env)
        info = json.loads(check.communicate(timeout=300)[0])
        assert info["problems"] == {} and info["articles"] == 60
        assert _count(data, "source_items") == 60
    finally:
        site.stop()


def _count(data: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{data / 'catalog.sqlite'}?mode=ro", uri=True, timeout=1) as db:
            return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_watch_fetches_due_sources_until_interrupted(tmp_path, cli_env):
    site = NewsSite(feed_count=3).start()
    try:
        data = tmp_path / "data"
        env = {**cli_env(data, log_level="WARNING"), **FAST}
        add = _newsdesk("sources", "add", site.url("/feed.xml"), env=env)
        assert add.wait(300) == 0, add.stderr.read()[-2000:]
        watch = _newsdesk("watch", "--poll", "1", env=env)
        deadline = time.monotonic() + 300
        while _count(data, "sources WHERE last_status = 'ok'") < 1 and watch.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _count(data, "articles") == 3
        time.sleep(0.5)  # the run's report is printed just after its state is recorded
        watch.send_signal(signal.SIGINT)
        out, errors = watch.communicate(timeout=60)
        assert watch.returncode == 0 and "3 new articles" in out and "stopped" in out, out + errors[-2000:]
    finally:
        site.stop()
