"""Following sources (index.follow through Assistant's public methods) against a local news
site on 127.0.0.1: full articles with dates and source, one 304 for an unchanged feed,
every fault recorded on its source or item with nothing already indexed lost."""

from __future__ import annotations

import sqlite3
import time

import pytest

from corpus import InvalidInput
from index.follow import parse_every
from tests.newssite import FEED_TITLE, SITE_NAME, NewsSite

FAST = {"fetch_delay": 0, "fetch_timeout": 1.0, "fetch_retries": 1, "user_agent": "NewsdeskTest/1.0"}


@pytest.fixture
def site():
    site = NewsSite(feed_count=6).start()
    yield site
    site.stop()


@pytest.fixture
def bot(make_bot, tmp_path, fake_embedder_cls):
    return make_bot(tmp_path / "data", embedder=fake_embedder_cls(), **FAST)


def test_a_feed_is_followed_its_full_articles_indexed_with_dates_and_source(bot, site):
    source = bot.add_source(site.url("/feed.xml"), every="15m")
    assert source["name"] == "local-wikinews-latest-news" and source["kind"] == "feed"
    assert source["every"] == 900 and source["title"] == FEED_TITLE
    report, = bot.fetch_sources()  # it is due at once
    assert (report.status, report.items_seen, report.added, report.failed) == ("ok", 6, 6, 0)
    rows = {r["title"]: r for r in bot.articles()}
    for a in site.articles[:6]:
        assert rows[a["title"]]["published_at"] == a["published_at"]
        assert rows[a["title"]]["source"] == SITE_NAME  # the site names itself (og:site_name)
    body = bot.article(rows[site.articles[0]["title"]]["id"]).body
    assert len(body) > 3 * 120, "the full page, not the feed's 120-character summary"
    state, = bot.sources()
    assert state["items_seen"] == 6 and state["new_articles"] == 6 and state["last_error"] == ""
    assert state["last_status"] == "ok" and state["next_run"] > state["last_fetched"]
    assert bot.fetch_sources() == [], "not due again for 15 minutes"

    embedded = len(bot.embedder.embedded)
    served = len(site.log)
    again, = bot.fetch_sources([source["name"]])
    assert again.status == "not modified"
    assert [r[:2] for r in site.log[served:]] == [("/feed.xml", 304)], "one conditional request, a 304"
    assert len(bot.embedder.embedded) == embedded, "nothing embedded"


def test_a_new_item_is_fetched_and_the_others_are_not(bot, site):
    name = bot.add_source(site.url("/feed.xml"))["name"]
    bot.fetch_sources([name])
    site.feed_count = 8
    served = len(site.log)
    report, = bot.fetch_sources([name])
    assert (report.items_seen, report.fetched, report.added) == (8, 2, 2)
    assert sorted(r[0] for r in site.log[served:]) == ["/feed.xml", "/news/6.html", "/news/7.html"]


def test_atom_feeds_sitemap_indexes_and_pages(bot, site):
    atom = bot.add_source(site.url("/atom.xml"), name="atom")
    assert atom["name"] == "atom" and atom["kind"] == "feed"
    assert bot.fetch_sources(["atom"])[0].added == 6
    sitemap = bot.add_source(site.url("/sitemap.xml"))
    assert sitemap["kind"] == "sitemap index" and sitemap["name"] == "127.0.0.1-sitemap"
    report, = bot.fetch_sources([sitemap["name"]])
    assert report.items_seen == 5 and report.added == 0 and report.unchanged == 5, \
        "the same articles as the Atom feed's (one id per address): nothing new"
    page = bot.add_source(site.url("/news/20.html"), every="1d")
    assert page["kind"] == "page" and page["title"] == site.articles[20]["title"]
    assert bot.fetch_sources([page["name"]])[0].added == 1
    row = next(r for r in bot.articles() if r["title"] == site.articles[20]["title"])
    assert row["source"] == SITE_NAME and row["published_at"] == site.articles[20]["published_at"]


def test_adding_checks_the_address_and_the_name(bot, site):
    with pytest.raises(InvalidInput, match="is not a feed, a sitemap or an article page"):
        bot.add_source(site.url("/malformed.xml"))
    with pytest.raises(Exception, match="HTTP 404"):
        bot.add_source(site.url("/nothing-here.xml"))
    with pytest.raises(InvalidInput, match="not an interval"):
        bot.add_source(site.url("/feed.xml"), every="often")
    bot.add_source(site.url("/feed.xml"), name="wire")
    with pytest.raises(InvalidInput, match="already followed"):
        bot.add_source(site.url("/feed.xml/"))
    with pytest.raises(InvalidInput, match="already called 'wire'"):
        bot.add_source(site.url("/atom.xml"), name="wire")
    assert [s["name"] for s in bot.sources()] == ["wire"]
    with pytest.raises(Exception, match="No source is called 'nope'"):
        bot.fetch_sources(["nope"])
    assert parse_every("90s") == 90 and parse_every("2h") == 7200 and parse_every(600) == 600
    with pytest.raises(InvalidInput, match="too often"):
        parse_every("5s")


def test_faulty_items_are_recorded_and_retried_the_good_ones_indexed(bot, site):
    name = bot.add_source(site.url("/faulty.xml"))["name"]
    report, = bot.fetch_sources([name])
    assert (report.items_seen, report.added, report.failed) == (5, 2, 3)
    state = bot.source(name)
    assert state["last_error"].startswith("3 of 5 items failed")
    errors = {e["url"].rsplit("/", 1)[-1]: e["error"] for e in state["item_errors"]}
    assert "HTTP 404" in errors["99999.html"] and "no article text" in errors["empty.html"]
    assert "robots.txt" in errors["x.html"]
    served = len(site.log)
    again, = bot.fetch_sources([name])
    assert again.status == "ok" and again.failed == 3 and again.added == 0
    fetched = sorted(r[0] for r in site.log[served:])
    assert fetched == ["/empty.html", "/faulty.xml", "/news/99999.html"], \
        "the failed items are tried again (not the disallowed one: robots.txt is cached), the good ones not"
    assert len(bot.articles()) == 2


@pytest.mark.parametrize("path, expected", [
    ("/hang.xml", "timed out"),
    ("/malformed.xml", "malformed XML"),
])
def test_a_source_that_fails_records_why_and_loses_nothing(bot, site, path, expected):
    good = bot.add_source(site.url("/feed.xml"))["name"]
    bot.fetch_sources([good])
    # follow a working address, then make it misbehave: the catalog row points it elsewhere
    bad = bot.add_source(site.url("/atom.xml"), name="bad")
    with sqlite3.connect(bot.status()["index_path"] + "/catalog.sqlite") as db:
        db.execute("UPDATE sources SET url = ? WHERE name = 'bad'", (site.url(path),))
    report, = bot.fetch_sources([bad["name"]])
    assert report.status == "error" and expected in report.error
    state = bot.source("bad")
    assert expected in state["last_error"] and state["failures"] == 1
    assert len(bot.articles()) == 6 and bot.search("election")  # nothing already indexed lost


def test_a_feed_that_returns_a_web_page_and_a_source_that_is_down(bot, site, servers):
    name = bot.add_source(site.url("/feed.xml"))["name"]
    site.feed_is_html = True
    report, = bot.fetch_sources([name])
    assert report.status == "error" and "returned a web page, not a feed" in report.error
    first = bot.source(name)
    port = servers.free_port()
    with sqlite3.connect(bot.status()["index_path"] + "/catalog.sqlite") as db:
        db.execute("UPDATE sources SET url = ? WHERE name = ?", (f"http://127.0.0.1:{port}/feed.xml", name))
    report, = bot.fetch_sources([name])
    assert report.status == "error" and "robots.txt could not be read" in report.error
    second = bot.source(name)
    assert second["failures"] == 2
    backoff = (time.mktime(time.strptime(second["next_run"], "%Y-%m-%dT%H:%M:%SZ"))
               - time.mktime(time.strptime(second["last_fetched"], "%Y-%m-%dT%H:%M:%SZ")))
    assert backoff == 2 * 3600 and first["failures"] == 1, "a failing source waits longer each time"


def test_a_500_then_success_and_a_429_are_retried(bot, site):
    flaky = bot.add_source(site.url("/flaky.xml"))  # the 500 came on this first request
    assert flaky["kind"] == "feed"
    assert bot.fetch_sources([flaky["name"]])[0].added == 3
    assert bot.fetch_sources([bot.add_source(site.url("/busy.xml"))["name"]])[0].status == "ok"


def test_a_page_that_changes_is_updated(bot, site):
    name = bot.add_source(site.url("/changing.html"))["name"]
    assert bot.fetch_sources([name])[0].added == 1
    assert bot.fetch_sources([name])[0].status == "not modified"
    site.version = 2
    report, = bot.fetch_sources([name])
    assert report.updated == 1
    row, = bot.articles()
    assert "Version 2" in bot.article(row["id"]).body and row["published_at"] == "2020-08-02"


def test_an_item_due_a_recheck_is_fetched_again_conditionally(make_bot, tmp_path, fake_embedder_cls, site):
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls(), source_recheck_hours=1e-9, **FAST)
    name = bot.add_source(site.url("/changing.xml"))["name"]
    assert bot.fetch_sources([name])[0].added == 1
    time.sleep(1.1)
    assert bot.fetch_sources([name])[0].status == "not modified"  # the feed itself: 304
    site.version = 3
    with sqlite3.connect(bot.status()["index_path"] + "/catalog.sqlite") as db:
        db.execute("UPDATE sources SET etag = NULL, last_modified = NULL")  # as if the feed changed
    served = len(site.log)
    report, = bot.fetch_sources([name])
    assert report.updated == 1
    assert [r[0] for r in site.log[served:]] == ["/changing.xml", "/changing.html"]
    row, = bot.articles()
    assert "Version 3" in bot.article(row["id"]).body
    assert row["source"] == "Council news", "a page that names no site takes the feed's title"


def test_sources_survive_a_restart_and_a_rebuild_and_removing_keeps_articles(
        make_bot, tmp_path, fake_embedder_cls, site):
    from assistant.core import wipe_index

    data = tmp_path / "data"
    bot = make_bot(data, embedder=fake_embedder_cls(), **FAST)
    name = bot.add_source(site.url("/feed.xml"), every="2h")["name"]
    bot.fetch_sources()
    again = make_bot(data, embedder=fake_embedder_cls(), **FAST)
    assert [(s["name"], s["every"], s["new_articles"]) for s in again.sources()] == [(name, 7200, 6)]
    wipe_index(data)
    rebuilt = make_bot(data, embedder=fake_embedder_cls(), **FAST)
    assert rebuilt.articles() == [] and [s["name"] for s in rebuilt.sources()] == [name]
    assert rebuilt.fetch_sources()[0].added == 6, "due at once after a rebuild, every article fetched"
    assert rebuilt.remove_source(name) and rebuilt.sources() == []
    assert len(rebuilt.articles()) == 6


def test_ingest_url_indexes_one_page_by_its_canonical_address(bot, site):
    report = bot.ingest_url(site.url("/moved/4"))
    assert report.added == 1
    row, = bot.articles()
    assert row["url"] == site.url("/news/4.html") and row["title"] == site.articles[4]["title"]
    assert bot.ingest_url(site.url("/news/4.html")).unchanged == 1
    with pytest.raises(Exception, match="disallowed by the site's robots.txt"):
        bot.ingest_url(site.url("/private/page.html"))
    with pytest.raises(InvalidInput, match=r"is not a web page \(application/rss\+xml\)"):
        bot.ingest_url(site.url("/feed.xml"))


def test_the_watcher_fetches_due_sources_in_the_background(bot, site):
    bot.add_source(site.url("/feed.xml"))
    watcher = bot.watch(poll=0.2)
    try:
        deadline = time.monotonic() + 30
        while len(bot.articles()) < 6 and time.monotonic() < deadline:
            bot.ask("What happened?")  # questions go on meanwhile
            time.sleep(0.05)
    finally:
        watcher.stop()
    assert len(bot.articles()) == 6 and bot.sources()[0]["last_status"] == "ok"
