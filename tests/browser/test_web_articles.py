"""The Articles tab and the copy button in a real Chromium: upload a file with a
per-file result, ask about it and see it cited, browse and open an article with the
cited passage highlighted, delete it; copy an answer with its sources."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect


# Read at import: tests/conftest.py's autouse ``clean_env`` removes NEWSDESK_* for each test.
TAKE_SCREENSHOT = os.environ.get("NEWSDESK_SCREENSHOTS") == "1"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-articles.png"
STORY = ("Glacier bridge opens in Tromvik\n\n"
         "The new glacier bridge in Tromvik opened on Saturday after four years of work, "
         "mayor Ingrid Solberg said.\n\n“It joins the two valleys for good,” Solberg said.\n")


@pytest.fixture
def own_url(tmp_path, serve_ui, web_assistant):
    """A web app over its own small index (this test adds and deletes articles)."""
    from assistant import Assistant, load_settings

    seed = Path(__file__).resolve().parents[2] / "corpus" / "articles" / "kyiv-strike-2025.txt"
    bot = Assistant.from_settings(load_settings(data_dir=tmp_path / "data"), embedder=web_assistant.embedder)
    bot.ingest([seed])
    return serve_ui(bot)


def test_upload_ask_browse_delete(open_page, own_url, tmp_path):
    story = tmp_path / "tromvik.txt"
    story.write_text(STORY, encoding="utf-8")
    junk = tmp_path / "notes.exe"
    junk.write_bytes(b"MZ\x00")
    page = open_page(own_url, viewport={"width": 1280, "height": 900})
    page.get_by_role("tab", name="Articles").click()
    page.locator("#upload-files input[type=file]").set_input_files([str(story)])
    page.locator("#upload-add").click()
    result = page.locator("#upload-result")
    expect(result).to_contain_text("1 added")
    expect(result).to_contain_text("tromvik.txt")
    expect(page.locator("#browse-table")).to_contain_text("Glacier bridge opens in Tromvik")

    page.get_by_role("tab", name="Chat").click()
    page.locator("#question textarea").fill("When did the glacier bridge in Tromvik open?")
    page.locator("#send").click()
    expect(page.locator("#chat")).to_contain_text("opened on Saturday")
    expect(page.locator("#sources")).to_contain_text("Glacier bridge opens in Tromvik")

    page.get_by_role("tab", name="Articles").click()
    page.locator("#browse-title input, #browse-title textarea").first.fill("glacier")
    page.locator("#browse-title input, #browse-title textarea").first.press("Enter")
    table = page.locator("#browse-table")
    expect(table).not_to_contain_text("Zelensky")
    expect(table.get_by_test_id("cell-0-0")).to_contain_text("Glacier bridge")
    table.get_by_test_id("cell-0-0").click()
    view = page.locator("#article-view")
    expect(view).to_contain_text("mayor Ingrid Solberg")
    expect(view.locator("mark")).to_contain_text("opened on Saturday")  # cited in the last answer
    if TAKE_SCREENSHOT:
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOT))

    page.locator("#article-delete").click()
    expect(page.locator("#browse-note")).to_contain_text("Deleted")
    expect(table).not_to_contain_text("Glacier bridge")


def test_upload_of_an_unsupported_file_is_explained(open_page, own_url, tmp_path):
    junk = tmp_path / "notes.exe"
    junk.write_bytes(b"MZ\x00")
    page = open_page(own_url)
    page.get_by_role("tab", name="Articles").click()
    page.locator("#upload-files input[type=file]").set_input_files([str(junk)])
    page.locator("#upload-add").click()
    expect(page.locator("#upload-result")).to_contain_text("unsupported file type .exe")


def test_copy_answer_with_sources(open_page, base_url):
    page = open_page(base_url, permissions=["clipboard-read", "clipboard-write"])
    page.locator("#question textarea").fill("How many drones were fired?")
    page.locator("#send").click()
    expect(page.locator("#sources")).to_contain_text("Zelensky Calls for Regime Change")
    page.locator("#copy-answer").click()
    page.wait_for_function("navigator.clipboard.readText().then(t => t.length > 0)")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("**Q:** How many drones were fired?")
    assert "300 drones" in copied and "[1] Zelensky Calls for Regime Change" in copied


def test_web_login_when_a_password_is_set(open_page, serve_ui, web_assistant, tmp_path):
    from assistant import Assistant

    from pydantic import SecretStr

    settings = web_assistant.settings.model_copy(update={"ui_password": SecretStr("s3cret-pass"), "ui_user": "desk"})
    url = serve_ui(Assistant.from_settings(settings, embedder=web_assistant.embedder))
    page = open_page(url)
    expect(page.locator("#question textarea")).to_have_count(0)  # nothing but the login
    page.get_by_label("username").fill("desk")
    page.get_by_label("password").fill("wrong")
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_text("Incorrect Credentials")).to_be_visible()
    page.get_by_label("username").fill("desk")  # the failed attempt cleared it
    page.get_by_label("password").fill("s3cret-pass")
    page.get_by_role("button", name="Login").click()
    page.locator("#question textarea").fill("How many drones were fired?")
    page.locator("#send").click()
    expect(page.locator("#chat")).to_contain_text("300 drones")
