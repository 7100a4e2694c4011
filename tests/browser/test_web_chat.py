"""The web chat in a real headless Chromium: ask, read the cited sources, stay offline."""

from __future__ import annotations

import os
import re
from pathlib import Path

from urllib.parse import urlsplit

from playwright.sync_api import expect

# Read at import: tests/conftest.py's autouse ``clean_env`` removes NEWSDESK_* for each test.
TAKE_SCREENSHOT = os.environ.get("NEWSDESK_SCREENSHOTS") == "1"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-chat.png"
SCREENSHOT_SPEAKERS = SCREENSHOT.with_name("screenshot-speakers.png")
TITLE = "Zelensky Calls for Regime Change"


def ask(page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()


def off_host(urls: list[str]) -> list[str]:
    """The URLs that went anywhere but this machine (data: and blob: URLs stay local)."""
    return [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
            and urlsplit(u).hostname not in ("127.0.0.1", "localhost")]


def test_ask_shows_cited_answer_and_highlighted_source(page):
    ask(page, "What did Sybiga say?")
    chat = page.locator("#chat")
    expect(chat).to_contain_text(re.compile(r"maximum pressure on Moscow|generous and patient"))
    expect(chat).to_contain_text("[1]")
    sources = page.locator("#sources")
    expect(sources).to_contain_text(TITLE)
    mark = sources.locator("mark").first
    expect(mark).to_contain_text("maximum pressure on Moscow")
    expect(page.locator("#question textarea")).to_have_value("")
    if TAKE_SCREENSHOT:
        page.wait_for_timeout(300)  # let the reply's fade-in finish
        page.screenshot(path=str(SCREENSHOT))


def test_drones_answer_quotes_the_number(page):
    ask(page, "How many drones were fired?")
    expect(page.locator("#chat")).to_contain_text("300 drones")
    expect(page.locator("#sources mark")).to_contain_text("300 drones")


def test_uncovered_question_cites_nothing(page):
    ask(page, "What is the recipe for banana bread?")
    expect(page.locator("#chat")).to_contain_text(re.compile(r"don[’']t cover"))
    sources = page.locator("#sources")
    expect(sources).to_contain_text("No sources were cited")
    expect(sources.locator(".nd-cite")).to_have_count(0)
    expect(sources.locator("mark")).to_have_count(0)


def test_empty_question_shows_a_message_not_a_traceback(page):
    page.locator("#send").click()
    expect(page.locator("#chat")).to_contain_text(
        '⚠ The question is empty. Ask something about the articles, e.g. "What did Sybiga say?".')
    assert "Traceback" not in page.content()
    expect(page.locator("#sources .nd-cite")).to_have_count(0)


def test_question_text_is_shown_verbatim(page):
    question = 'Did Sybiga say <b>pain</b> & *pressure* [2] on $Moscow$?'
    ask(page, question)
    chat = page.locator("#chat")
    expect(chat).to_contain_text(question)
    expect(chat.locator("b")).to_have_count(0)
    expect(chat.locator("em")).to_have_count(0)
    assert "\\" not in chat.inner_text()


def test_bad_date_filter_is_explained(page):
    page.locator("#filters").get_by_text("Filters").click()
    page.locator("#date-to textarea, #date-to input").first.fill("31/07/2025")
    ask(page, "What did Sybiga say?")
    expect(page.locator("#chat")).to_contain_text("Write it as YYYY-MM-DD")


def test_example_question_button_asks_it(page):
    page.get_by_role("button", name="What did Russia claim about Chasiv Yar?").click()
    expect(page.locator("#chat")).to_contain_text("Chasiv Yar")
    expect(page.locator("#chat")).to_contain_text("[1]")
    expect(page.locator("#sources")).to_contain_text(TITLE)


def test_nothing_is_requested_from_other_hosts(page, requested_urls):
    ask(page, "Who is Tymur Tkachenko?")
    expect(page.locator("#chat")).to_contain_text("Tkachenko")
    page.wait_for_load_state("networkidle")
    assert any("127.0.0.1" in u for u in requested_urls)
    assert off_host(requested_urls) == []


def test_speaker_timeline_shows_statements_with_their_passages(page):
    page.get_by_role("tab", name="Speakers").click()
    picker = page.locator("#speaker-pick input")
    picker.fill("Sybiga")
    page.locator("#speaker-show").click()
    timeline = page.locator("#timeline")
    expect(timeline.locator(".nd-stmt")).to_have_count(2)
    expect(timeline).to_contain_text("Andriy Sybiga, Ukraine’s foreign minister")
    expect(timeline).to_contain_text("maximum pressure on Moscow")
    expect(timeline).to_contain_text(TITLE)
    timeline.locator("summary").first.click()
    expect(timeline.locator("mark").first).to_contain_text("generous and patient with Putin")
    if TAKE_SCREENSHOT:
        page.screenshot(path=str(SCREENSHOT_SPEAKERS))
    picker.fill("Quarrington")
    page.locator("#speaker-show").click()
    expect(timeline).to_contain_text("No statement by Quarrington in the articles.")


def test_follow_up_question_uses_the_conversation(page):
    ask(page, "What did Sybiga say?")
    expect(page.locator("#sources")).to_contain_text(TITLE)
    ask(page, "Who is he?")
    chat = page.locator("#chat")
    expect(chat).to_contain_text("Searched for: Who is Sybiga?")
    expect(chat).to_contain_text("foreign minister")
