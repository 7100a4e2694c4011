"""The chat's "As of" box in a real Chromium: a figure that changes is answered newest first,
or as things stood on the day given; a bad date is explained, not a stack trace."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.assistant.test_assistant_latest import articles


@pytest.fixture
def own_url(tmp_path, serve_ui, web_assistant):
    from assistant import Assistant, load_settings

    bot = Assistant.from_settings(load_settings(data_dir=tmp_path / "data"), embedder=web_assistant.embedder)
    path = tmp_path / "floods.jsonl"
    path.write_text(articles())
    bot.ingest([path])
    return serve_ui(bot)


def test_latest_and_as_of_in_the_chat(open_page, own_url):
    page = open_page(own_url, viewport={"width": 1280, "height": 900})
    chat = page.locator("#chat")
    page.locator("#question textarea").fill("How many people have died in the Valdoria floods so far?")
    page.locator("#send").click()
    expect(chat).to_contain_text("31, as of 2 August 2025")
    expect(chat).to_contain_text("Earlier reports: 18 (31 July 2025)")

    page.locator("#filters").click()
    as_of = page.locator("#as-of input, #as-of textarea").first
    as_of.fill("someday")
    page.locator("#question textarea").fill("How many people have died in the Valdoria floods?")
    page.locator("#send").click()
    expect(chat).to_contain_text("The “as of” date “someday” is not a date")
    as_of.fill("2025-08-01")
    page.locator("#question textarea").fill("How many people have died in the Valdoria floods?")
    page.locator("#send").click()
    expect(chat).to_contain_text("As of 1 August 2025: 18, as of 31 July 2025")
    expect(page.locator("body")).not_to_contain_text("Traceback")
