"""Fixtures for the browser tests: a small real index, the web app on a free local port,
and Debian's Chromium driven by Playwright (no downloaded browsers, nothing off-host)."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "corpus" / "articles" / "kyiv-strike-2025.txt"
# Read at import: tests/conftest.py's autouse ``clean_env`` removes NEWSDESK_* for each test.
SKIP_BROWSER = os.environ.get("NEWSDESK_SKIP_BROWSER") == "1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    """Debian's Chromium. A missing browser fails the run: skipping needs NEWSDESK_SKIP_BROWSER=1."""
    if SKIP_BROWSER:
        pytest.skip("NEWSDESK_SKIP_BROWSER=1")
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if not path:
        pytest.fail("The browser tests need Debian's Chromium: run `apt-get install chromium` "
                    "(or set NEWSDESK_SKIP_BROWSER=1 to skip them).", pytrace=False)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
def serve_ui(chromium_executable):
    """``serve_ui(bot)`` -> the URL of ``newsdesk serve``'s app (web chat and HTTP API, in
    uvicorn, as in production) for ``bot`` on a free local port; stopped at the end."""
    import threading
    import time

    import uvicorn

    import app

    servers = []

    def _serve(bot) -> str:
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app.create_app(bot), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the web app did not start"
            time.sleep(0.05)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}/"

    try:
        yield _serve
    finally:
        for server, thread in servers:
            server.should_exit = True
            thread.join(10)


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
def page(browser, base_url, requested_urls):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.on("request", lambda request: requested_urls.append(request.url))
    pg.set_default_timeout(30_000)
    pg.goto(base_url)
    pg.locator("#question textarea").wait_for()
    try:
        yield pg
    finally:
        context.close()

