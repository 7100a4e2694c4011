"""Fetching and reading news sources against a local news site (127.0.0.1 only): polite
HTTP (corpus.web) and what feeds, sitemaps and pages hold (corpus.feeds)."""

from __future__ import annotations

import time

import pytest

from corpus import InvalidInput
from corpus.feeds import canonical, page_article, read_listing
from corpus.web import Fetcher, FetchError
from tests.newssite import FEED_TITLE, SITE_NAME, NewsSite

UA = "NewsdeskTest/1.0"


@pytest.fixture(scope="module")
def site():
    site = NewsSite(feed_count=5).start()
    yield site
    site.stop()


@pytest.fixture
def fetcher():
    f = Fetcher(user_agent=UA, delay=0, timeout=1.0, retries=1, backoff=0.05, max_bytes=200_000)
    yield f
    f.close()


def test_a_feed_comes_gzipped_and_a_second_conditional_get_is_a_304(site, fetcher):
    first = fetcher.get(site.url("/feed.xml"))
    assert first.status == 200 and first.content.startswith(b"<?xml") and first.etag
    path, status, headers = site.requests("/feed.xml")[-1]
    assert "gzip" in headers["Accept-Encoding"] and headers["User-Agent"] == UA
    again = fetcher.get(site.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.content == b""
    assert site.requests("/feed.xml")[-1][2]["If-None-Match"] == first.etag
    assert site.requests("/feed.xml")[-1][1] == 304


def test_robots_txt_is_read_once_and_obeyed(site, fetcher):
    with pytest.raises(FetchError, match="disallowed by the site's robots.txt"):
        fetcher.get(site.url("/private/feed.xml"))
    fetcher.get(site.url("/atom.xml"))
    assert not site.requests("/private/feed.xml"), "a disallowed address is never requested"
    assert len([r for r in site.log if r[0] == "/robots.txt"]) <= 2  # this fetcher's, and the module's first


def test_redirects_are_followed_with_a_limit(site, fetcher):
    page = fetcher.get(site.url("/moved/2"))
    assert page.status == 200 and page.url == site.url("/news/2.html")
    with pytest.raises(FetchError, match="redirects more than 5 times"):
        fetcher.get(site.url("/loop"))


def test_a_500_then_success_is_retried_and_a_429_waits_its_retry_after(site, fetcher):
    assert fetcher.get(site.url("/flaky.xml")).status == 200
    assert [s for _, s, _ in site.requests("/flaky.xml")] == [500, 200]
    started = time.monotonic()
    assert fetcher.get(site.url("/busy.xml")).status == 200
    assert time.monotonic() - started >= 0.9, "Retry-After: 1 was honoured"


def test_a_server_that_never_answers_times_out(site, fetcher):
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetcher.get(site.url("/hang.xml"))
    assert time.monotonic() - started < 10  # 1 s timeout, one retry


def test_errors_name_the_problem(site, fetcher):
    with pytest.raises(FetchError, match="HTTP 404") as err:
        fetcher.get(site.url("/news/99999.html"))
    assert "not there" in err.value.user_message()
    with pytest.raises(FetchError, match="larger than the limit"):
        fetcher.get(site.url("/huge.html"))
    with pytest.raises(FetchError, match="not an http"):
        fetcher.get("file:///etc/passwd")
    closed = Fetcher(user_agent=UA, delay=0, timeout=1, retries=0)
    with pytest.raises(FetchError, match="could not be fetched"):
        closed.get("http://127.0.0.1:9/feed.xml")  # the discard port: nothing listens


def test_one_request_at_a_time_per_host_with_the_delay(site):
    polite = Fetcher(user_agent=UA, delay=0.3, timeout=2, retries=0)
    polite.get(site.url("/robots.txt"))
    started = time.monotonic()
    for n in range(3):
        polite.get(site.url(f"/news/{n}.html"))
    assert time.monotonic() - started >= 0.85


def test_feeds_sitemaps_and_pages_are_told_apart(site, fetcher):
    rss = read_listing(fetcher.get(site.url("/feed.xml")))
    assert rss.kind == "feed" and rss.title == FEED_TITLE and len(rss.items) == 5
    first = rss.items[0]
    assert first.key == "wikinews-0" and first.url == site.url("/news/0.html")
    assert first.published_at == site.articles[0]["published_at"] and first.channel == FEED_TITLE
    atom = read_listing(fetcher.get(site.url("/atom.xml")))
    assert atom.kind == "feed" and [i.key for i in atom.items][:2] == ["urn:wikinews:0", "urn:wikinews:1"]
    index = read_listing(fetcher.get(site.url("/sitemap.xml")))
    assert index.kind == "sitemap index" and len(index.items) == 2
    news = read_listing(fetcher.get(site.url("/sitemap-news.xml")))
    assert news.kind == "sitemap" and news.items[0].source == SITE_NAME
    assert news.items[0].title == site.articles[0]["title"] and news.items[0].published_at
    packed = read_listing(fetcher.get(site.url("/sitemap-more.xml.gz")))
    assert [i.url for i in packed.items] == [site.url("/news/3.html"), site.url("/news/4.html")]
    page = read_listing(fetcher.get(site.url("/news/1.html")))
    assert page.kind == "page" and page.items[0].key == canonical(site.url("/news/1.html"))
    with pytest.raises(InvalidInput, match="malformed XML"):
        read_listing(fetcher.get(site.url("/malformed.xml")))


def test_a_page_becomes_an_article_dated_by_the_listing_else_the_page_else_undated(site, fetcher):
    listing = read_listing(fetcher.get(site.url("/feed.xml")))
    art = page_article(fetcher.get(listing.items[1].url), listing.items[1])
    source = site.articles[1]
    assert art.title == source["title"] and art.published_at == source["published_at"]
    assert art.source == SITE_NAME and art.url == site.url("/news/1.html")
    assert art.body.split("\n\n")[0] == source["body"].split("\n")[0]
    assert "Home" not in art.body and "CC BY" not in art.body, "navigation and footer are not the article"
    alone = page_article(fetcher.get(site.url("/news/2.html")))  # no listing: the page's own metadata
    assert alone.published_at == site.articles[2]["published_at"] and alone.source == SITE_NAME
    assert "undated" not in alone.metadata
    undated = page_article(fetcher.get(site.url("/undated.html")))
    assert undated.published_at is None and undated.metadata["undated"] is True
    with pytest.raises(InvalidInput, match="no article text"):
        page_article(fetcher.get(site.url("/empty.html")))


def test_odd_encodings_are_decoded(site, fetcher):
    art = page_article(fetcher.get(site.url("/cp1252.html")))
    assert art.title == "Café owners protest" and "“far too much”" in art.body
