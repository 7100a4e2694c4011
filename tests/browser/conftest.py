"""Fixtures for the browser tests: a small real index, the web app on a free local port,
and Debian's Chromium driven by Playwright (no downloaded browsers, nothing off-host)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "corpus" / "articles" / "kyiv-strike-2025.txt"
# Read at import: tests/conftest.py's autouse ``clean_env`` removes NEWSDESK_* for each test.
SKIP_BROWSER = os.environ.get("NEWSDESK_SKIP_BROWSER") == "1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.hookimpl(tryfirst=True)  # before `-m` selects on the markers
def pytest_collection_modifyitems(config, items):
    """Every test here drives the real web UI: marked browser and integration. Gradio's
    queue still calls pandas APIs that pandas 3 deprecates; not ours."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.path)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.integration)
            item.add_marker(pytest.mark.filterwarnings("ignore:.*no_silent_downcasting:DeprecationWarning"))
            item.add_marker(pytest.mark.filterwarnings("ignore:The copy keyword is deprecated:DeprecationWarning"))


def chromium_path() -> str:
    """Debian's Chromium. A missing browser fails the run: skipping needs NEWSDESK_SKIP_BROWSER=1."""
    if SKIP_BROWSER:
        pytest.skip("NEWSDESK_SKIP_BROWSER=1")
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if not path:
        pytest.fail("The browser tests need Debian's Chromium: run `apt-get install chromium` "
                    "(or set NEWSDESK_SKIP_BROWSER=1 to skip them).", pytrace=False)
    return path


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    return chromium_path()


@pytest.fixture(scope="session")
def web_assistant(tmp_path_factory):
    from assistant import Assistant, load_settings

    data = tmp_path_factory.mktemp("newsdesk-web")
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("NEWSDESK_")}
    try:  # defaults only: no NEWSDESK_* setting from the shell changes what the UI shows
        bot = Assistant.from_settings(load_settings(data_dir=data, corpus_paths=[ARTICLE]))
    finally:
        os.environ.update(saved)
    report = bot.ingest([ARTICLE])
    assert report.added == 1, report
    return bot


@pytest.fixture(scope="session")
def serve_ui(chromium_executable, serve_app):
    """``serve_ui(bot)`` -> the URL of ``newsdesk serve``'s app for ``bot`` (see
    ``serve_app`` in tests/conftest.py)."""
    return lambda bot: serve_app(bot) + "/"


@pytest.fixture(scope="session")
def base_url(web_assistant, serve_ui):
    return serve_ui(web_assistant)


@pytest.fixture(scope="session")
def requested_urls() -> list[str]:
    """Every URL any page of the session asked for."""
    return []


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_executable, headless=True,
                                      args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_page(browser):
    """``open_page(url, **context_options)`` -> a page at ``url`` in a fresh browser context
    (30 s timeouts), closed after the test."""
    contexts = []

    def _open(url: str, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        pg.goto(url)
        return pg

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page, base_url, requested_urls):
    pg = open_page("about:blank", viewport={"width": 1280, "height": 800})
    pg.on("request", lambda request: requested_urls.append(request.url))
    pg.goto(base_url)
    pg.locator("#question textarea").wait_for()
    return pg

