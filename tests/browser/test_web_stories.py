"""The Stories tab in a real Chromium: the developing stories of a small index (real model),
one story's articles in date order with its timeline, a bad date explained without a stack
trace; a timeline asked in the chat."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

BUNDLED = {a["id"]: a for a in map(json.loads, open("corpus/articles/wikinews-2019-2020.jsonl", encoding="utf-8"))}
DORIAN = ["wn-20190901-c77aaa", "wn-20190905-adb763"]
HUMBERTO = ["wn-20190916-0ecd0b", "wn-20190919-69515c"]


@pytest.fixture
def own_url(tmp_path, serve_ui, web_assistant):
    from assistant import Assistant, load_settings

    bot = Assistant.from_settings(load_settings(data_dir=tmp_path / "data"), embedder=web_assistant.embedder)
    path = tmp_path / "hurricanes.jsonl"
    path.write_text("\n".join(json.dumps(BUNDLED[a]) for a in DORIAN + HUMBERTO + ["wn-20190903-173e50"]))
    bot.ingest([path])
    return serve_ui(bot)


def test_stories_listed_and_one_shown_in_date_order(open_page, own_url):
    page = open_page(own_url, viewport={"width": 1280, "height": 900})
    page.get_by_role("tab", name="Stories").click()
    table = page.locator("#stories-table")
    expect(table).to_contain_text(BUNDLED[HUMBERTO[0]]["title"])
    expect(table).to_contain_text("2019-09-01 to 2019-09-05")
    expect(table).not_to_contain_text(BUNDLED["wn-20190903-173e50"]["title"])  # a single article

    dorian = table.get_by_test_id("cell-1-0")  # the latest-updated story first: Humberto, then Dorian
    expect(dorian).to_contain_text(BUNDLED[DORIAN[0]]["title"])
    dorian.click()
    view = page.locator("#story-view")
    expect(view.locator("ol li")).to_have_count(2)
    expect(view.locator("ol li").nth(0)).to_contain_text("2019-09-01")
    expect(view.locator("ol li").nth(1)).to_contain_text(BUNDLED[DORIAN[1]]["title"])
    events = view.locator(".nd-timeline li")  # the dated events its articles report, oldest first
    expect(events.first).to_contain_text("August 2019")
    expect(view.locator(".nd-timeline")).to_contain_text("1 September 2019: Dorian made its initial landfall")

    since = page.locator("#stories-since input, #stories-since textarea").first
    since.fill("not a date")
    since.press("Enter")
    expect(page.locator("#stories-note")).to_contain_text("is not a date")
    since.fill("2019-09-10")
    since.press("Enter")
    expect(table).not_to_contain_text(BUNDLED[DORIAN[0]]["title"])
    expect(table).to_contain_text(BUNDLED[HUMBERTO[0]]["title"])
    expect(page.locator("body")).not_to_contain_text("Traceback")


def test_a_timeline_asked_in_the_chat(open_page, own_url):
    page = open_page(own_url, viewport={"width": 1280, "height": 900})
    page.locator("#question textarea").fill("How did Hurricane Dorian unfold?")
    page.locator("#send").click()
    chat = page.locator("#chat")
    expect(chat).to_contain_text("Timeline of “Hurricane Dorian strengthens to Category 5")
    expect(chat.locator("li").filter(has_text="1 September 2019: Dorian made its initial landfall")).to_have_count(1)
    expect(page.locator("body")).not_to_contain_text("Traceback")
