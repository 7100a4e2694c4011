"""Script injection in the web UI, in a real Chromium: articles whose titles, bodies, quotes,
URLs and file names carry scripts, event handlers and ``javascript:`` links are asked about
(the answer quotes and cites them), read in the Sources panel, the chat, the Articles tab and
the Speakers timeline, and every link shown is clicked. Nothing runs: ``window.__xss`` stays
undefined, no dialog opens, no ``javascript:`` URL and no handler from an article is in the
DOM, and each payload is on screen as the plain text it is.

The answers are extractive, and in one case written by an in-memory chat model that echoes
the payload passage (streamed, then checked).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from playwright.sync_api import expect

SPEAKER = "Lena Marsh"
# (case, the payload, where it goes besides title and body)
PAYLOADS = [
    ("script", "<script>window.__xss=1;alert(1)</script>"),
    ("img-onerror", '<img src=x onerror="window.__xss=1;alert(1)">'),
    ("svg-onload", '<svg onload="window.__xss=1;alert(1)"><circle r=9></circle></svg>'),
    ("markdown-link", "[click here](javascript:window.__xss=1)"),
    ("a-href", '<a href="javascript:window.__xss=1;alert(1)">click here</a>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>parent.__xss=1;alert(1)</script>"></iframe>'),
    ("details-ontoggle", '<details open ontoggle="window.__xss=1">x</details>'),
    ("markdown-image", '![x](javascript:window.__xss=1) ![y](x" onerror="window.__xss=1)'),
    ("mxss", "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>"),
    ("data-url", "[open](data:text/html,<script>alert(1)</script>)"),
    ("entities", "&lt;img src=x onerror=window.__xss=1&gt; &#60;script&#62;alert(1)&#60;/script&#62;"),
    ("javascript-url-field", "<b onmouseover=window.__xss=1>bold</b>"),
]
TOPICS = ["Brenna", "Calloway", "Dunmore", "Eskdale", "Farrow", "Glenrock", "Halvard", "Ingleby",
          "Jorvik", "Kestrel", "Lunde", "Mossgiel"]
UPLOAD_NAME = '<img src=x onerror="window.__xss=1">.txt'

SHOWN = "#chat, #sources, #article-view, #browse-table, #timeline, #upload-result"
INERT = """() => {
  const SHOWN = '%s';
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), value = a.value || '';
      if (name.startsWith('on') && /__xss|alert\\(/.test(value)) bad.push(`${el.tagName} ${name}=${value}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'].includes(name)
          && /^\\s*(javascript|vbscript):|^\\s*data:text\\/html/i.test(value))
        bad.push(`${el.tagName} ${name}=${value}`);
      if (name === 'srcdoc') bad.push(`${el.tagName} srcdoc`);
    }
    // an article's script, as an element (Gradio's own config script holds the titles as JSON data)
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)
        && (el.closest(SHOWN) || /^\\s*(window\\.|parent\\.)?(__xss|alert\\()/.test(el.textContent)))
      bad.push(el.tagName + ' ' + el.outerHTML.slice(0, 200));
  }
  return {xss: typeof window.__xss, parentXss: typeof window.parent.__xss, bad};
}""" % SHOWN


def in_quote(payload: str) -> str:
    """The payload as it goes inside a quotation (straight double quotes would end it)."""
    return payload.replace('"', "'")


def record(i: int, case: str, payload: str) -> dict:
    topic = TOPICS[i]
    url = "javascript:window.__xss=1" if case == "javascript-url-field" else f"https://example.org/{topic.lower()}"
    return {
        "title": f"{topic} council story {payload}",
        "source": "Example News",
        "published_at": f"2024-05-{i + 1:02d}",
        "url": url,
        "body": (f"The {topic} council met on Tuesday {payload} and approved the new {topic} harbour budget.\n\n"
                 f"“The {topic} vote {in_quote(payload)} changes nothing,” said spokeswoman {SPEAKER}.\n\n"
                 f"Residents of {topic} will vote on the plan next spring."),
    }


class Echo(BaseChatModel):
    """Writes passage 1's first sentence, cited: an LLM repeating the article's markup."""

    @property
    def _llm_type(self) -> str:
        return "echo"

    def _reply(self, messages) -> str:
        found = re.search(r'<passage n="1" title="[^"]*" source="[^"]*" date="[^"]*">\n(.*?)\n</passage>',
                          messages[-1].content, re.S)
        text = (found.group(1) if found else "").replace("&lt;", "<")
        return re.split(r"(?<=[.!?])\s", text.strip())[0] + " [1]"

    def _generate(self, messages, stop=None, run_manager=None, **kw) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(self, messages, stop=None, run_manager=None, **kw) -> Iterator[ChatGenerationChunk]:
        for piece in re.findall(r"\S+\s*", self._reply(messages)):
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


def _bot(data: Path, web_assistant, feed: Path, chat_model=None):
    from assistant import Assistant, load_settings

    bot = Assistant.from_settings(load_settings(data_dir=data), embedder=web_assistant.embedder,
                                  chat_model=chat_model)
    report = bot.ingest([feed])
    assert report.added == len(PAYLOADS) and not report.problems, report
    return bot


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xss") / "hostile.jsonl"
    path.write_text("".join(json.dumps(record(i, c, p), ensure_ascii=False) + "\n"
                            for i, (c, p) in enumerate(PAYLOADS)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def xss_bot(tmp_path_factory, web_assistant, feed):
    return _bot(tmp_path_factory.mktemp("xss-data"), web_assistant, feed)


@pytest.fixture(scope="module")
def xss_url(serve_ui, xss_bot):
    return serve_ui(xss_bot)


@pytest.fixture(scope="module")
def xss_llm_url(tmp_path_factory, serve_ui, web_assistant, feed):
    return serve_ui(_bot(tmp_path_factory.mktemp("xss-llm-data"), web_assistant, feed, chat_model=Echo()))


@pytest.fixture
def hostile_page(open_page):
    """``hostile_page(url)`` -> (page, dialogs, popups): requests off this machine are aborted
    (clicked article links go nowhere), dialogs are recorded and dismissed."""
    dialogs: list[str] = []
    popups: list[str] = []

    def _open(url: str):
        page = open_page("about:blank", viewport={"width": 1280, "height": 900})
        context = page.context
        context.route("**/*", lambda route: route.continue_()
                      if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost")
                      else route.abort())

        def watch(pg):
            pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        watch(page)
        context.on("page", lambda pg: (popups.append(pg.url), watch(pg)))
        page.goto(url)
        page.locator("#question textarea").wait_for()
        return page, dialogs, popups

    return _open


def assert_inert(page, dialogs, popups, where: str) -> None:
    page.wait_for_timeout(150)  # let any handler that would fire (onerror, onload) fire
    state = page.evaluate(INERT)
    assert state == {"xss": "undefined", "parentXss": "undefined", "bad": []}, where
    assert dialogs == [], where
    assert not [u for u in popups if re.match(r"\s*(javascript|data|vbscript):", u, re.I)], where


def click_links(page, region, dialogs, popups, where: str) -> int:
    links = region.locator("a")
    n = links.count()
    for k in range(n):
        link = links.nth(k)
        if link.is_visible():
            link.click(modifiers=[])
            assert_inert(page, dialogs, popups, f"{where}: after clicking link {k}")
    for extra in page.context.pages[1:]:
        extra.close()
    return n


def ask(page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()


@pytest.mark.parametrize("i, case, payload", [(i, c, p) for i, (c, p) in enumerate(PAYLOADS)],
                         ids=[c for c, _ in PAYLOADS])
def test_payload_is_inert_in_chat_sources_and_article_view(hostile_page, xss_url, count_example,
                                                           i, case, payload):
    topic = TOPICS[i]
    page, dialogs, popups = hostile_page(xss_url)
    ask(page, f"What did the {topic} council approve?")
    sources = page.locator("#sources")
    expect(sources.locator(".nd-cite").first).to_contain_text(f"{topic} council story {payload}")
    expect(sources.locator(".nd-passage").first).to_contain_text(payload)  # shown, as text
    expect(sources.locator("mark").first).to_contain_text(f"approved the new {topic} harbour budget")
    chat = page.locator("#chat")
    expect(chat).to_contain_text(f"The {topic} council met on Tuesday {payload}")
    assert_inert(page, dialogs, popups, f"{case}: answer and sources")
    head_links = sources.locator(".nd-head a")
    if case == "javascript-url-field":
        expect(head_links).to_have_count(0)  # a javascript: URL is never a link
    else:
        expect(head_links.first).to_have_attribute("href", f"https://example.org/{topic.lower()}")
    click_links(page, sources, dialogs, popups, f"{case}: sources")
    click_links(page, chat, dialogs, popups, f"{case}: chat")
    count_example("browser XSS: answer, chat and sources panel")

    page.get_by_role("tab", name="Articles").click()
    title_box = page.locator("#browse-title input, #browse-title textarea").first
    title_box.fill(topic)
    title_box.press("Enter")
    table = page.locator("#browse-table")
    expect(table.get_by_test_id("cell-0-0")).to_contain_text(f"{topic} council story")
    expect(table).to_contain_text(payload)
    assert_inert(page, dialogs, popups, f"{case}: article list")
    table.get_by_test_id("cell-0-0").click()
    view = page.locator("#article-view")
    expect(view.locator("h3")).to_contain_text(f"{topic} council story {payload}")
    expect(view.locator(".nd-body")).to_contain_text(f"“The {topic} vote {in_quote(payload)} changes nothing,”")
    expect(view.locator("mark").first).to_contain_text(payload)  # the cited passage, highlighted
    assert_inert(page, dialogs, popups, f"{case}: article view")
    click_links(page, view, dialogs, popups, f"{case}: article view")
    count_example("browser XSS: article list and article view")


def test_speaker_timeline_shows_every_payload_as_text(hostile_page, xss_url, xss_bot, count_example):
    said = [s.text for s in xss_bot.quotes(SPEAKER)]
    shown = [(i, c, in_quote(p)) for i, (c, p) in enumerate(PAYLOADS) if any(in_quote(p) in t for t in said)]
    assert len(shown) == len(said) == len(PAYLOADS), said  # every quote was attributed
    page, dialogs, popups = hostile_page(xss_url)
    page.get_by_role("tab", name="Speakers").click()
    page.locator("#speaker-pick input").fill(SPEAKER)
    page.locator("#speaker-show").click()
    timeline = page.locator("#timeline")
    expect(timeline.locator(".nd-stmt")).to_have_count(len(said))
    for summary in timeline.locator("summary").all():
        summary.click()  # open every passage
    for i, case, payload in shown:
        expect(timeline).to_contain_text(f"The {TOPICS[i]} vote {payload} changes nothing")
        count_example("browser XSS: speaker timeline")
    assert_inert(page, dialogs, popups, "timeline")
    click_links(page, timeline, dialogs, popups, "timeline")


def test_an_llm_echoing_the_payload_streams_and_shows_it_as_text(hostile_page, xss_llm_url, count_example):
    page, dialogs, popups = hostile_page(xss_llm_url)
    for i, (case, payload) in enumerate(PAYLOADS[:6]):
        ask(page, f"What did the {TOPICS[i]} council approve?")
        expect(page.locator("#chat .message").last).to_contain_text(payload)
        expect(page.locator("#sources")).to_contain_text(f"{TOPICS[i]} council story {payload}")
        assert_inert(page, dialogs, popups, f"LLM answer: {case}")
        count_example("browser XSS: LLM answer echoing the payload")


def test_upload_named_like_a_script(hostile_page, xss_url, tmp_path, count_example):
    story = tmp_path / UPLOAD_NAME
    story.write_text("Nordby ferry <script>window.__xss=1</script> resumes\n\n"
                     "The Nordby ferry <img src=x onerror=window.__xss=1> resumed on Monday.\n", encoding="utf-8")
    page, dialogs, popups = hostile_page(xss_url)
    page.get_by_role("tab", name="Articles").click()
    page.locator("#upload-files input[type=file]").set_input_files([str(story)])
    page.locator("#upload-add").click()
    result = page.locator("#upload-result")
    expect(result).to_contain_text("1 added")
    expect(result).to_contain_text("onerror")  # the file name, as text
    expect(page.locator("#browse-table")).to_contain_text("Nordby ferry <script>window.__xss=1</script> resumes")
    assert_inert(page, dialogs, popups, "upload result")
    count_example("browser XSS: upload named like a script")
