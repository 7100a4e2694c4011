"""The Sources tab in a real Chromium: follow a local feed, fetch it now, see its state and
the articles it brought; a bad address gets a message, not a stack trace; stop following."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.newssite import NewsSite


@pytest.fixture
def site():
    site = NewsSite(feed_count=3).start()
    yield site
    site.stop()


@pytest.fixture
def own_url(tmp_path, serve_ui, web_assistant):
    from assistant import Assistant, load_settings

    bot = Assistant.from_settings(load_settings(data_dir=tmp_path / "data", fetch_delay=0),
                                  embedder=web_assistant.embedder)
    return serve_ui(bot)


def test_follow_fetch_and_remove_a_feed(open_page, own_url, site):
    page = open_page(own_url, viewport={"width": 1280, "height": 900})
    page.get_by_role("tab", name="Sources").click()
    url_box = page.locator("#source-url input, #source-url textarea").first
    url_box.fill(site.url("/malformed.xml"))
    page.locator("#source-add").click()
    note = page.locator("#source-note")
    expect(note).to_contain_text("is not a feed, a sitemap or an article page")
    expect(page.locator("body")).not_to_contain_text("Traceback")

    url_box.fill(site.url("/feed.xml"))
    page.locator("#source-every input, #source-every textarea").first.fill("30m")
    page.locator("#source-add").click()
    expect(note).to_contain_text("Following local-wikinews-latest-news (feed)")
    table = page.locator("#sources-table")
    expect(table).to_contain_text("local-wikinews-latest-news")
    expect(table).to_contain_text("30m")

    page.locator("#source-fetch").click()  # the source just followed is the one picked
    expect(note).to_contain_text("3 items, 3 pages fetched: 3 new articles", timeout=120_000)
    expect(table).to_contain_text("(ok)")

    page.get_by_role("tab", name="Articles").click()
    page.locator("#browse-title input, #browse-title textarea").first.press("Enter")
    expect(page.locator("#browse-table")).to_contain_text(site.articles[2]["title"])

    page.get_by_role("tab", name="Sources").click()
    page.locator("#source-remove").click()
    expect(note).to_contain_text("its articles stay indexed")
    expect(table).not_to_contain_text("local-wikinews-latest-news")
