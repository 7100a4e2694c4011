"""Newsdesk's web chat: a thin Gradio adapter over ``assistant.Assistant``.

``build_ui(bot)`` returns the Blocks; ``launch(demo, ...)`` starts it with the offline
theme and CSS (Gradio 6 takes those in ``launch()``); ``serve(bot)`` does both and blocks.
Nothing is loaded from outside the server: system fonts only, analytics off.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import html  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import string  # noqa: E402

import gradio as gr  # noqa: E402

from assistant import Answer, Assistant, Citation, NewsdeskError, SearchFilters  # noqa: E402
from assistant.answer import quoted, safe_url  # noqa: E402
from assistant.when import human_date  # noqa: E402
from index.follow import every_text, when_text  # noqa: E402
from index.stories import date_span  # noqa: E402

log = logging.getLogger(__name__)

THEME = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
CSS = """
#sources { max-height: 640px; overflow-y: auto; }
#sources .nd-empty { color: var(--body-text-color-subdued); padding: 0.5rem 0; }
#sources .nd-cite { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.6rem 0.8rem; margin-bottom: 0.7rem; background: var(--background-fill-secondary); }
#sources .nd-head { font-weight: 600; margin-bottom: 0.15rem; }
#sources .nd-n { color: var(--color-accent); margin-right: 0.3rem; }
#sources .nd-meta { font-size: 0.85em; color: var(--body-text-color-subdued); margin-bottom: 0.4rem; }
#sources .nd-passage { font-size: 0.9em; line-height: 1.45; white-space: pre-wrap; margin: 0; }
#sources mark { background: #fde68a; color: #111; padding: 0 2px; border-radius: 2px; }
#timeline .nd-empty { color: var(--body-text-color-subdued); padding: 0.5rem 0; }
#timeline .nd-stmt { border-left: 3px solid var(--color-accent); padding: 0.3rem 0 0.5rem 0.8rem;
  margin-bottom: 0.8rem; }
#timeline .nd-date { font-weight: 600; }
#timeline .nd-meta { font-size: 0.85em; color: var(--body-text-color-subdued); }
#timeline .nd-words { margin: 0.3rem 0; line-height: 1.45; }
#timeline .nd-passage { font-size: 0.9em; line-height: 1.45; white-space: pre-wrap; margin: 0.3rem 0 0; }
#timeline mark { background: #fde68a; color: #111; padding: 0 2px; border-radius: 2px; }
#article-view .nd-body { white-space: pre-wrap; line-height: 1.5; max-height: 420px; overflow-y: auto; }
#article-view .nd-meta { font-size: 0.85em; color: var(--body-text-color-subdued); }
#article-view mark { background: #fde68a; color: #111; }
.nd-error { color: var(--error-text-color, #b91c1c); padding: 0.5rem 0; }
.nd-upload td, .nd-upload th { padding: 2px 8px; text-align: left; vertical-align: top; }
#examples { flex-wrap: wrap; gap: 6px; }
#examples button { flex: 0 1 auto !important; width: auto !important; min-width: 0 !important;
  font-weight: 400; text-align: left; }
"""
INTRO = ("Ask questions about the indexed news articles. Answers quote the articles "
         "and cite the passages they come from as [1], [2]; everything runs offline.")
SOURCES_IDLE = '<div class="nd-empty">Ask a question: the passages its answer cites appear here.</div>'
TIMELINE_IDLE = '<div class="nd-empty">Pick a speaker to see what they said, oldest first.</div>'
MAX_SPEAKERS = 500  # in the picker, most quoted first; any name can be typed
MAX_TIMELINE = 100
MAX_BROWSE = 500  # articles listed at once in the Articles tab (narrow by title, source, date)
SOURCES_CHECKING = '<div class="nd-empty">Writing the answer; its sources appear when it is checked.</div>'
SOURCES_NONE = '<div class="nd-empty">No sources were cited: the articles do not cover this question.</div>'
_MD_SPECIAL = set(string.punctuation) - set("&<>\"'")


def _md_text(text: str) -> str:
    """Show ``text`` verbatim in the Markdown chat: escape HTML and Markdown syntax."""
    return html.escape("".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text), quote=False)


def _unmd(text: str) -> str:
    """Undo :func:`_md_text`."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", html.unescape(text))


def _plain(content) -> str:
    """The text of a Chatbot message's content (Gradio 6 hands out a list of parts)."""
    if isinstance(content, str):
        return _unmd(content)
    if isinstance(content, dict):
        return _unmd(str(content.get("text") or ""))
    if isinstance(content, (list, tuple)):
        return " ".join(_plain(part) for part in content).strip()
    return ""


def make_filters(sources, date_from, date_to) -> SearchFilters | None:
    """The filter row's values as ``SearchFilters`` (None when nothing is set).

    ``SearchFilters`` rejects malformed dates and an inverted range with a clear message.
    """
    filters = SearchFilters(sources=tuple(sources or ()), date_from=(date_from or "").strip() or None,
                            date_to=(date_to or "").strip() or None)
    return None if filters.is_empty() else filters


def _highlighted_passage(c: Citation) -> str:
    passage, quote = c.passage or "", c.quote or ""
    start = c.quote_start - c.passage_start
    if not (quote and 0 <= start and passage[start:start + len(quote)] == quote):
        start = passage.find(quote) if quote else -1
    if start < 0:  # quote not inside the passage: show both, unhighlighted passage first
        tail = f"<br><mark>{html.escape(quote)}</mark>" if quote else ""
        return html.escape(passage) + tail
    return _highlighted(passage, start, start + len(quote))


def citation_html(c: Citation) -> str:
    title = html.escape(c.title or "Untitled")
    url = safe_url(c.url)
    if url:
        title = f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    meta = " · ".join(html.escape(x) for x in (c.source, c.published_at) if x)
    return (f'<div class="nd-cite" data-n="{int(c.n)}">'
            f'<div class="nd-head"><span class="nd-n">[{int(c.n)}]</span>{title}</div>'
            + (f'<div class="nd-meta">{meta}</div>' if meta else "")
            + f'<p class="nd-passage">{_highlighted_passage(c)}</p>'
            + (f'<div class="nd-meta nd-also">{html.escape(c.also_text())}</div>' if c.also_published else "")
            + '</div>')


def sources_html(answer: Answer | None) -> str:
    """The Sources panel for ``answer``: one card per citation, quote highlighted."""
    if answer is None:
        return SOURCES_IDLE
    if not answer.citations:
        return SOURCES_NONE
    return "".join(citation_html(c) for c in answer.citations)


def _highlighted(text: str, start: int, end: int) -> str:
    return (html.escape(text[:start]) + "<mark>" + html.escape(text[start:end]) + "</mark>"
            + html.escape(text[end:]))


def timeline_html(bot: Assistant, speaker: str | None, topic: str | None = None) -> str:
    """One speaker's statements as a timeline (oldest first), each with its article and
    the passage it comes from, the words highlighted; everything escaped."""
    speaker = (speaker or "").strip()
    if not speaker:
        return TIMELINE_IDLE
    try:
        found = bot.quotes(speaker, (topic or "").strip() or None, limit=MAX_TIMELINE)
    except Exception as exc:  # noqa: BLE001 - the edge: every error becomes a message
        if not isinstance(exc, NewsdeskError):
            log.exception("timeline for %r failed", speaker[:200])
        return f'<div class="nd-empty">{html.escape(error_text(exc))}</div>'
    if not found:
        about = f" about {topic.strip()}" if (topic or "").strip() else ""
        return f'<div class="nd-empty">No statement by {html.escape(speaker)}{html.escape(about)} in the articles.</div>'
    found.sort(key=lambda s: (s.published_at is None, s.published_at or "", s.article_id, s.start))
    cards = []
    for s in found:
        art = bot.article(s.article_id)
        title = html.escape(art.title if art else s.article_id)
        url = safe_url(art.url if art else None)
        if url:
            title = f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
        who = html.escape(s.speaker or "") + (f", {html.escape(s.role)}" if s.role else "")
        kind = "" if s.kind == "direct" else "reported speech"
        words = html.escape(quoted(s.text)) if s.kind == "direct" else html.escape(s.text)
        chunk, qs, qe = bot.statement_passage(s)
        passage = ""
        if chunk is not None:
            passage = (f'<details><summary>Passage</summary><p class="nd-passage">'
                       f'{_highlighted(chunk.text, qs - chunk.start, qe - chunk.start)}</p></details>')
        source = html.escape(art.source) if art and art.source else ""
        cards.append(
            f'<div class="nd-stmt"><div><span class="nd-date">{html.escape(s.published_at or "undated")}'
            f'</span> · {title}</div><div class="nd-meta">{" · ".join(x for x in (source, kind, who) if x)}</div>'
            f'<div class="nd-words">{words}</div>{passage}</div>')
    return "".join(cards)


def error_text(exc: BaseException) -> str:
    if isinstance(exc, NewsdeskError):
        return f"⚠ {exc.user_message()}"
    return f"⚠ Something went wrong while answering ({type(exc).__name__}). The server log has the details."


def _turn_text(message: dict) -> str:
    """A chat message as conversation history: its text without the italic lines
    ("Searched for: ...", notices) that :func:`answer_markdown` adds."""
    text = _plain(message.get("content"))
    if message.get("role") != "assistant":
        return text
    return "\n\n".join(p for p in text.split("\n\n") if not (p.startswith("*") and p.endswith("*")))


def copy_markdown(answer: Answer) -> str:
    """The answer with its sources as plain Markdown, for the copy button."""
    return f"**Q:** {answer.question}\n\n{answer.markdown()}"


def cited_spans(answer: Answer) -> dict[str, list[list[int]]]:
    """Article id -> the [start, end] spans the answer quotes, for the article viewer."""
    spans: dict[str, list[list[int]]] = {}
    for c in answer.citations:
        spans.setdefault(c.article_id, []).append([c.quote_start, c.quote_end])
    return spans


# -- the Articles tab --------------------------------------------------------------

UPLOAD_TYPES = [".txt", ".md", ".json", ".jsonl", ".html", ".htm"]
ARTICLE_COLUMNS = ["title", "source", "date", "id"]


def upload_report_html(per_file: list, report) -> str:
    """The upload's result: the ingest summary, then each file's articles and problems."""
    rows = []
    for name, loaded in per_file:
        problems = "<br>".join(html.escape(f"{p.origin}: {p.reason}") for p in loaded.problems) or "—"
        rows.append(f"<tr><td>{html.escape(name)}</td><td>{len(loaded.articles)}</td><td>{problems}</td></tr>")
    summary = ("" if report is None else
               f"<p>{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
               f"{report.duplicates} duplicates; {report.chunks_embedded} passages embedded in "
               f"{report.seconds:.1f} s.</p>")
    return (f'{summary}<table class="nd-upload"><tr><th>file</th><th>articles</th><th>problems</th></tr>'
            + "".join(rows) + "</table>")


def ingest_uploads(bot: Assistant, paths: list | None, progress=None) -> str:
    """Index uploaded files (paths of Gradio's copies; the original names come from them)."""
    from pathlib import Path

    if not paths:
        return '<div class="nd-empty">Choose files first (txt, md, json, jsonl, html).</div>'

    def step(stage, done, total):
        if progress is not None and total:
            progress(done / total, desc=f"indexing {done}/{total} articles")

    try:
        report, per_file = bot.ingest_files([(Path(p).name, Path(p).read_bytes()) for p in paths],
                                            progress=step)
    except NewsdeskError as exc:  # too many or too large files, another process indexing
        return f'<div class="nd-error">{html.escape(error_text(exc))}</div>'
    return upload_report_html(per_file, report)


SOURCE_COLUMNS = ["name", "kind", "every", "last fetched", "items", "new articles", "last error", "next run", "url"]


def source_rows(bot: Assistant) -> list[list]:
    """The Sources tab's table: :meth:`Assistant.sources`, as rows of SOURCE_COLUMNS."""
    return [[s["name"], s["kind"], every_text(s["every"]),
             when_text(s["last_fetched"]) + (f" ({s['last_status']})" if s["last_status"] else ""),
             s["items_seen"], s["new_articles"], s["last_error"] or "", when_text(s["next_run"]), s["url"]]
            for s in bot.sources()] or [[""] * len(SOURCE_COLUMNS)]


def sources_tab(bot: Assistant) -> None:
    """The Sources tab (inside a Blocks): follow a feed, sitemap or page; fetch now; remove."""
    gr.Markdown("**Follow news sources**: an RSS or Atom feed, a sitemap or an article page. "
                "The server fetches each on its schedule (full articles, with their dates); "
                "errors show in the table.")
    with gr.Row():
        url = gr.Textbox(label="Address", placeholder="https://example.org/feed.xml", elem_id="source-url", scale=4)
        every = gr.Textbox(label="Every", value="1h", elem_id="source-every", scale=1, min_width=80)
        name = gr.Textbox(label="Name (optional)", elem_id="source-name", scale=2)
        add = gr.Button("Follow", elem_id="source-add", variant="primary", scale=1, min_width=90)
    table = gr.Dataframe(source_rows(bot), headers=SOURCE_COLUMNS, interactive=False, wrap=True,
                         elem_id="sources-table", max_height=320)
    with gr.Row():
        names = [s["name"] for s in bot.sources()]
        picked = gr.Dropdown(names, value=names[0] if names else None, label="Source", elem_id="source-pick",
                             scale=2)
        fetch = gr.Button("Fetch now", elem_id="source-fetch", scale=1)
        remove = gr.Button("Stop following", elem_id="source-remove", variant="stop", scale=1)
        refresh = gr.Button("Refresh", elem_id="source-refresh", scale=1)
    note = gr.Markdown(elem_id="source-note")

    def state(chosen=None):
        names = [s["name"] for s in bot.sources()]
        return source_rows(bot), gr.update(choices=names, value=chosen if chosen in names else
                                           (names[0] if names else None))

    def follow(address, how_often, handle):
        try:
            source = bot.add_source(address or "", every=how_often or "1h", name=handle or None)
        except NewsdeskError as exc:
            return gr.update(), gr.update(), _md_text(error_text(exc))
        return *state(source["name"]), _md_text(f"Following {source['name']} ({source['kind']}); "
                                                "press “Fetch now” to fetch it at once.")

    def fetch_now(handle):
        if not handle:
            return gr.update(), gr.update(), "Follow a source first."
        try:
            report = bot.fetch_sources([handle])[0]
        except NewsdeskError as exc:
            return gr.update(), gr.update(), _md_text(error_text(exc))
        return *state(handle), _md_text(report.summary())

    def unfollow(handle):
        if not handle:
            return gr.update(), gr.update(), "Follow a source first."
        removed = bot.remove_source(handle)
        return *state(), _md_text(f"Stopped following {handle}; its articles stay indexed."
                                  if removed else f"{handle} was not followed.")

    outputs = [table, picked, note]
    add.click(follow, [url, every, name], outputs, api_visibility="private")
    fetch.click(fetch_now, picked, outputs, api_visibility="private")
    remove.click(unfollow, picked, outputs, api_visibility="private")
    refresh.click(lambda chosen: state(chosen), picked, [table, picked], api_visibility="private")


STORY_COLUMNS = ["title", "dates", "articles", "outlets", "story"]


def story_rows(bot: Assistant, since: str | None = None) -> list[list]:
    """The Stories tab's table: :meth:`Assistant.stories`, as rows of STORY_COLUMNS."""
    return [[s["title"], date_span(s["first"], s["last"]), s["articles"], ", ".join(s["outlets"]), s["story"]]
            for s in bot.stories(since or None, limit=MAX_BROWSE)] or [[""] * len(STORY_COLUMNS)]


def story_html(bot: Assistant, story_id: str | None) -> str:
    """One story's articles, oldest first: date, source, title (linked to its page); then its
    timeline, one line per dated event, naming the article it comes from."""
    if not story_id:
        return '<div class="nd-empty">Pick a story in the list to see its articles in date order.</div>'
    try:
        story = bot.story(story_id)
    except NewsdeskError as exc:
        return f'<div class="nd-empty">{html.escape(error_text(exc))}</div>'
    items = []
    for a in story["articles"]:
        title, url = html.escape(a["title"]), safe_url(a["url"])
        if url:
            title = f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
        items.append(f'<li><span class="nd-meta">{html.escape(a["published_at"] or "undated")} · '
                     f'{html.escape(a["source"])}</span> {title}</li>')
    titles = {a["article_id"]: a["title"] for a in story["articles"]}
    events = [f'<li><b>{html.escape(human_date(e["day"]))}</b>: {html.escape(e["text"])} '
              f'<span class="nd-meta" title="{html.escape(e["quote"])}">({html.escape(titles[e["article_id"]])})'
              '</span></li>' for e in story["timeline"]]
    timeline = f'<h4>Timeline</h4><ul class="nd-timeline">{"".join(events)}</ul>' if events else ""
    return (f'<div class="nd-story"><h3>{html.escape(story["title"])}</h3><div class="nd-meta">'
            f'{html.escape(date_span(story["first"], story["last"]))} · {len(story["articles"])} articles · '
            f'{html.escape(", ".join(story["outlets"]))}</div><h4>Articles</h4><ol>{"".join(items)}</ol>'
            f'{timeline}</div>')


def stories_tab(bot: Assistant) -> None:
    """The Stories tab (inside a Blocks): developing stories, and one story's articles in date order."""
    gr.Markdown("**Stories**: articles about one developing event, linked as they arrive "
                "(shared names and terms, close in time and meaning). Pick one to see its articles in date order "
                "and its timeline.")
    with gr.Row():
        since = gr.Textbox(label="Updated since", placeholder="YYYY-MM-DD", elem_id="stories-since", scale=1)
        refresh = gr.Button("Refresh", elem_id="stories-refresh", scale=1)
    note = gr.Markdown(elem_id="stories-note")
    table = gr.Dataframe(story_rows(bot), headers=STORY_COLUMNS, interactive=False, wrap=True,
                         elem_id="stories-table", max_height=360)
    view = gr.HTML(story_html(bot, None), elem_id="story-view")

    def listed(day):
        try:
            return story_rows(bot, day), ""
        except NewsdeskError as exc:
            return gr.update(), _md_text(error_text(exc))

    def pick(evt: gr.SelectData):
        row = evt.row_value or []
        return story_html(bot, row[4] if len(row) > 4 and row[4] else None)

    since.submit(listed, since, [table, note], api_visibility="private")
    refresh.click(listed, since, [table, note], api_visibility="private")
    table.select(pick, None, view, api_visibility="private")


def article_rows(bot: Assistant, words: str | None = None, source: str | None = None,
                 date_from: str | None = None, date_to: str | None = None) -> list[list[str]]:
    """The Articles tab's table: :meth:`Assistant.articles`, as rows of ARTICLE_COLUMNS."""
    return [[r["title"], r["source"], r["published_at"] or "", r["id"]]
            for r in bot.articles(words, source, date_from, date_to)]


def article_html(bot: Assistant, article_id: str | None, spans: dict | None = None) -> str:
    """One article, its text escaped, the passages the last answer cited highlighted."""
    if not article_id:
        return '<div class="nd-empty">Pick an article in the list to read it.</div>'
    art = bot.article(article_id)
    if art is None:
        return '<div class="nd-empty">That article is no longer indexed.</div>'
    body, parts, at = art.body, [], 0
    for start, end in sorted((spans or {}).get(article_id, [])):
        start, end = max(start, at), min(end, len(body))
        if end <= start:
            continue
        parts.append(html.escape(body[at:start]) + "<mark>" + html.escape(body[start:end]) + "</mark>")
        at = end
    parts.append(html.escape(body[at:]))
    url = safe_url(art.url)
    title = html.escape(art.title)
    if url:
        title = f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    meta = " · ".join(html.escape(x) for x in (art.source, art.published_at, art.author, art.id) if x)
    return (f'<div class="nd-article"><h3>{title}</h3><div class="nd-meta">{meta}</div>'
            f'<p class="nd-body">{"".join(parts)}</p></div>')


def answer_markdown(answer: Answer) -> str:
    """The chat message for ``answer``: the question as searched (for a follow-up), the
    text with unsupported generated sentences marked ⚠, and any notice."""
    parts = []
    if answer.standalone:
        parts.append(f"*{_md_text('Searched for: ' + answer.standalone)}*")
    if answer.answerer.startswith("llm:") and answer.sentences:
        parts.append(" ".join(
            _md_text(s.text) + (f" ⚠ *({_md_text('; '.join(s.problems) or 'not supported')})*"
                                if s.supported is False else "")
            for s in answer.sentences))
    else:  # a timeline's "- day: event [n]" lines stay a list; their words are shown verbatim
        parts.append("\n".join(f"- {_md_text(line[2:])}" if line.startswith("- ") else _md_text(line)
                               for line in answer.text.split("\n")))
    if answer.notice:
        parts.append(f"*{_md_text(answer.notice)}*")
    return "\n\n".join(parts)


def respond(bot: Assistant, question: str, chat: list | None, sources=None,
            date_from: str | None = None, date_to: str | None = None, as_of: str | None = None):
    """One chat turn, streamed: yields (chat messages, sources panel HTML, question box,
    the answer as Markdown for copying, the cited spans by article) as the answer is
    written, the checked answer and its sources last."""
    chat = list(chat or [])
    history = [{"role": m.get("role"), "content": _turn_text(m)} for m in chat]
    question = question or ""
    if question.strip():
        chat.append({"role": "user", "content": _md_text(question.strip())})
    chat.append({"role": "assistant", "content": ""})
    written = ""
    try:
        for item in bot.ask_stream(question, history=history, filters=make_filters(sources, date_from, date_to),
                                   as_of=(as_of or "").strip() or None):
            if isinstance(item, Answer):
                chat[-1] = {"role": "assistant", "content": answer_markdown(item)}
                yield chat, sources_html(item), "", copy_markdown(item), json.dumps(cited_spans(item))
                return
            written += item
            chat[-1] = {"role": "assistant", "content": _md_text(written) + " ▍"}
            yield chat, SOURCES_CHECKING, question, "", "{}"
    except Exception as exc:  # noqa: BLE001 - the edge: every error becomes a message
        if not isinstance(exc, NewsdeskError):
            log.exception("answering %r failed", question[:200])
        chat[-1] = {"role": "assistant", "content": _md_text(error_text(exc))}
        yield chat, SOURCES_IDLE, question, "", "{}"


def build_ui(bot: Assistant) -> gr.Blocks:
    """The web chat for ``bot``; start it with :func:`launch`."""
    status = bot.status()
    n = status.get("articles") or 0
    count = f"{n:,} article{'s' if n != 1 else ''} indexed." if n else "No articles indexed yet."
    with gr.Blocks(title="Newsdesk", analytics_enabled=False) as demo:
        gr.Markdown(f"# Newsdesk\n{INTRO} {count}")
        with gr.Tab("Chat", elem_id="chat-tab"):
            spans_state = chat_tab(bot, status)
        with gr.Tab("Articles", elem_id="articles-tab"):
            articles_tab(bot, status, spans_state)
        with gr.Tab("Sources", elem_id="sources-tab"):
            sources_tab(bot)
        with gr.Tab("Stories", elem_id="stories-tab"):
            stories_tab(bot)
        with gr.Tab("Speakers", elem_id="speakers-tab"):
            speakers_tab(bot)
    return demo


def chat_tab(bot: Assistant, status: dict) -> gr.Textbox:
    """The chat, its filters and the sources panel; returns the hidden box of the last
    answer's cited spans (the article viewer marks them)."""
    examples = bot.example_questions()

    def turn(question, chat, sources, date_from, date_to, as_of):
        yield from respond(bot, question, chat, sources, date_from, date_to, as_of)

    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chat = gr.Chatbot(elem_id="chat", label="Chat", height=440, latex_delimiters=[],
                              feedback_options=None, buttons=["copy"],
                              placeholder="Ask about the articles, e.g. “What did Sybiga say?”")
            with gr.Row():
                question = gr.Textbox(elem_id="question", show_label=False, scale=5,
                                      placeholder="Ask a question about the articles…",
                                      max_lines=4, autofocus=True)
                send = gr.Button("Send", elem_id="send", variant="primary", scale=1, min_width=90)
            if examples:
                with gr.Row(elem_id="examples"):
                    example_buttons = [gr.Button(q, size="sm", variant="secondary", min_width=0)
                                       for q in examples]
            else:
                example_buttons = []
            with gr.Accordion("Filters", open=False, elem_id="filters"):
                with gr.Row():
                    source_box = gr.Dropdown(status.get("sources") or [], value=[], multiselect=True,
                                             label="Sources", elem_id="filter-sources", scale=2)
                    date_from = gr.Textbox(label="Date from", placeholder="YYYY-MM-DD",
                                           elem_id="date-from", scale=1)
                    date_to = gr.Textbox(label="Date to", placeholder="YYYY-MM-DD",
                                         elem_id="date-to", scale=1)
                    as_of = gr.Textbox(label="As of", placeholder="YYYY-MM-DD", elem_id="as-of", scale=1,
                                       info="Answer as things stood then")
        with gr.Column(scale=2):
            gr.Markdown("### Sources")
            panel = gr.HTML(SOURCES_IDLE, elem_id="sources")
            copy = gr.Button("Copy answer with sources (Markdown)", elem_id="copy-answer", size="sm")
            answer_md = gr.Textbox(visible=False, elem_id="answer-md")
            # the cited spans as JSON in a hidden box, not a gr.State: State keeps a
            # heartbeat connection open for the page's whole life
            spans_state = gr.Textbox(visible=False, elem_id="cited-spans")

    copy.click(None, [answer_md], None, api_visibility="private",
               js="(md) => { if (md) { navigator.clipboard.writeText(md); } return []; }")
    filters = [source_box, date_from, date_to, as_of]
    outputs = [chat, panel, question, answer_md, spans_state]
    send.click(turn, [question, chat, *filters], outputs, api_visibility="private")
    question.submit(turn, [question, chat, *filters], outputs, api_visibility="private")
    for button in example_buttons:
        button.click(turn, [button, chat, *filters], outputs, api_visibility="private")
    return spans_state


def articles_tab(bot: Assistant, status: dict, spans_state: gr.Textbox) -> None:
    """Upload, browse, read and delete articles."""
    with gr.Row(equal_height=False):
        with gr.Column(scale=1):
            gr.Markdown("**Add articles**: txt, md, json, jsonl or html files.")
            # no file_types filter: an unsupported file gets its reason in the result
            files = gr.File(file_count="multiple", type="filepath", elem_id="upload-files",
                            label="Files (" + " ".join(UPLOAD_TYPES) + ")")
            add = gr.Button("Add to the index", elem_id="upload-add", variant="primary")
            upload_result = gr.HTML(elem_id="upload-result")
        with gr.Column(scale=2):
            with gr.Row():
                find = gr.Textbox(label="Title words", elem_id="browse-title", scale=2)
                source_pick = gr.Dropdown([""] + (status.get("sources") or []), value="",
                                          label="Source", elem_id="browse-source", scale=1,
                                          allow_custom_value=True)
                browse_from = gr.Textbox(label="From", placeholder="YYYY-MM-DD", elem_id="browse-from", scale=1)
                browse_to = gr.Textbox(label="To", placeholder="YYYY-MM-DD", elem_id="browse-to", scale=1)
            table = gr.Dataframe(article_rows(bot)[:MAX_BROWSE], headers=ARTICLE_COLUMNS,
                                 interactive=False, elem_id="browse-table", max_height=300, wrap=True)
            picked = gr.Textbox(visible=False, elem_id="browse-picked")
            viewer = gr.HTML(article_html(bot, None), elem_id="article-view")
            delete = gr.Button("Delete this article from the index", elem_id="article-delete",
                               variant="stop", size="sm")
            browse_note = gr.Markdown(elem_id="browse-note")

    def browse(words, source, date_from, date_to):
        try:
            return article_rows(bot, words, source, date_from, date_to)[:MAX_BROWSE], ""
        except NewsdeskError as exc:
            return gr.update(), error_text(exc)

    def pick(evt: gr.SelectData, spans):
        row = evt.row_value or []
        article_id = row[3] if len(row) > 3 else None
        try:
            cited = json.loads(spans or "{}")
        except ValueError:
            cited = {}
        return article_id, article_html(bot, article_id, cited)

    def remove(article_id, words, source, date_from, date_to):
        if not article_id:
            return gr.update(), article_html(bot, None), "Pick an article first."
        try:
            removed = bot.remove([article_id])
        except NewsdeskError as exc:  # another process is writing to the index
            return gr.update(), gr.update(), error_text(exc)
        rows, _ = browse(words, source, date_from, date_to)
        return rows, article_html(bot, None), ("Deleted." if removed else "It was already gone.")

    def upload(paths, words, source, date_from, date_to, progress=gr.Progress()):
        result = ingest_uploads(bot, paths, progress)
        return result, browse(words, source, date_from, date_to)[0]

    browse_inputs = [find, source_pick, browse_from, browse_to]
    for box in (find, browse_from, browse_to):
        box.submit(browse, browse_inputs, [table, browse_note], api_visibility="private")
    source_pick.change(browse, browse_inputs, [table, browse_note], api_visibility="private")
    table.select(pick, [spans_state], [picked, viewer], api_visibility="private")
    delete.click(remove, [picked, *browse_inputs], [table, viewer, browse_note], api_visibility="private")
    add.click(upload, [files, *browse_inputs], [upload_result, table], api_visibility="private")


def speakers_tab(bot: Assistant) -> None:
    """Who is quoted, and what they said: a speaker's statements over time."""
    people = [r["speaker"] for r in bot.speakers()[:MAX_SPEAKERS]]

    def timeline(speaker, topic):
        return timeline_html(bot, speaker, topic)

    gr.Markdown("Who is quoted in the articles, and what they said: pick or type a name "
                "(a surname is enough), optionally a topic.")
    with gr.Row():
        speaker_pick = gr.Dropdown(people, value=None, label="Speaker", allow_custom_value=True,
                                   filterable=True, elem_id="speaker-pick", scale=2)
        speaker_topic = gr.Textbox(label="Topic (optional)", elem_id="speaker-topic", scale=2)
        show = gr.Button("Show", elem_id="speaker-show", variant="primary", scale=1, min_width=90)
    timeline_panel = gr.HTML(TIMELINE_IDLE, elem_id="timeline")
    speaker_inputs = [speaker_pick, speaker_topic]
    show.click(timeline, speaker_inputs, timeline_panel, api_visibility="private")
    speaker_pick.change(timeline, speaker_inputs, timeline_panel, api_visibility="private")
    speaker_topic.submit(timeline, speaker_inputs, timeline_panel, api_visibility="private")


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, **kwargs):
    """Start ``demo`` with the offline theme; ``prevent_thread_lock=True`` returns at once."""
    return demo.launch(server_name=host, server_port=port, theme=THEME, css=CSS,
                       footer_links=["gradio", "settings"], ssr_mode=False, share=False,
                       show_error=False, **kwargs)


def create_app(assistant: Assistant):
    """One ASGI app: the HTTP API under /v1 (OpenAPI page at /docs) and the web chat at /."""
    from assistant.api import create_api

    s = assistant.settings
    auth = [(s.ui_user, s.ui_password.get_secret_value())] if s.ui_password else None
    return gr.mount_gradio_app(create_api(assistant), build_ui(assistant), path="/", theme=THEME, css=CSS,
                               footer_links=["gradio", "settings"], ssr_mode=False, show_error=False,
                               auth=auth, max_file_size=int(s.max_upload_mb * 1024 * 1024))


def serve(assistant: Assistant, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the web chat and the HTTP API for ``assistant`` until interrupted."""
    import uvicorn

    s = assistant.settings
    missing = []
    if host not in ("127.0.0.1", "localhost", "::1"):
        if not (s.api_keys or s.admin_keys):
            missing.append("API keys (NEWSDESK_API_KEYS)")
        if not s.ui_password:
            missing.append("a web login (NEWSDESK_UI_PASSWORD)")
    if missing:
        log.warning("%s\nListening on %s without %s: anyone who can reach it can use it.\n%s",
                    "!" * 78, host, " and ".join(missing), "!" * 78)
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    print(f"Newsdesk web chat: http://{shown}:{port}/  HTTP API: http://{shown}:{port}/docs  "
          "(Ctrl+C to stop)", flush=True)
    watcher = assistant.watch() if s.follow_sources else None  # followed sources, on schedule
    try:
        uvicorn.run(create_app(assistant), host=host, port=port, log_level="warning")
    finally:
        if watcher is not None:
            watcher.stop()
