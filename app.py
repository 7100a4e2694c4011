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
import logging  # noqa: E402
import re  # noqa: E402
import string  # noqa: E402

import gradio as gr  # noqa: E402

from assistant import Answer, Assistant, Citation, NewsdeskError, SearchFilters  # noqa: E402

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


def _safe_url(url: str | None) -> str | None:
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s]+$", url, re.IGNORECASE) else None


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
    url = _safe_url(c.url)
    if url:
        title = f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    meta = " · ".join(html.escape(x) for x in (c.source, c.published_at) if x)
    return (f'<div class="nd-cite" data-n="{int(c.n)}">'
            f'<div class="nd-head"><span class="nd-n">[{int(c.n)}]</span>{title}</div>'
            + (f'<div class="nd-meta">{meta}</div>' if meta else "")
            + f'<p class="nd-passage">{_highlighted_passage(c)}</p></div>')


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
        art = bot.catalog.article(s.article_id)
        title = html.escape(art.title if art else s.article_id)
        url = _safe_url(art.url if art else None)
        if url:
            title = f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
        who = html.escape(s.speaker or "") + (f", {html.escape(s.role)}" if s.role else "")
        kind = "" if s.kind == "direct" else "reported speech"
        words = f"“{html.escape(s.text)}”" if s.kind == "direct" else html.escape(s.text)
        chunk, qs, qe = bot.quote_answerer.passage_of(s)
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
    else:
        parts.append(_md_text(answer.text))
    if answer.notice:
        parts.append(f"*{_md_text(answer.notice)}*")
    return "\n\n".join(parts)


def respond(bot: Assistant, question: str, chat: list | None, sources=None,
            date_from: str | None = None, date_to: str | None = None):
    """One chat turn, streamed: yields (chat messages, sources panel HTML, question box)
    as the answer is written, the checked answer and its sources last."""
    chat = list(chat or [])
    history = [{"role": m.get("role"), "content": _turn_text(m)} for m in chat]
    question = question or ""
    if question.strip():
        chat.append({"role": "user", "content": _md_text(question.strip())})
    chat.append({"role": "assistant", "content": ""})
    written = ""
    try:
        for item in bot.ask_stream(question, history=history,
                                   filters=make_filters(sources, date_from, date_to)):
            if isinstance(item, Answer):
                chat[-1] = {"role": "assistant", "content": answer_markdown(item)}
                yield chat, sources_html(item), ""
                return
            written += item
            chat[-1] = {"role": "assistant", "content": _md_text(written) + " ▍"}
            yield chat, SOURCES_CHECKING, question
    except Exception as exc:  # noqa: BLE001 - the edge: every error becomes a message
        if not isinstance(exc, NewsdeskError):
            log.exception("answering %r failed", question[:200])
        chat[-1] = {"role": "assistant", "content": _md_text(error_text(exc))}
        yield chat, SOURCES_IDLE, question


def build_ui(bot: Assistant) -> gr.Blocks:
    """The web chat for ``bot``; start it with :func:`launch`."""
    status = bot.status()
    examples = bot.example_questions()
    n = status.get("articles") or 0
    count = f"{n:,} article{'s' if n != 1 else ''} indexed." if n else "No articles indexed yet."

    def turn(question, chat, sources, date_from, date_to):
        yield from respond(bot, question, chat, sources, date_from, date_to)

    people = [r["speaker"] for r in bot.speakers()[:MAX_SPEAKERS]]

    def timeline(speaker, topic):
        return timeline_html(bot, speaker, topic)

    with gr.Blocks(title="Newsdesk", analytics_enabled=False) as demo:
        gr.Markdown(f"# Newsdesk\n{INTRO} {count}")
        with gr.Tab("Chat", elem_id="chat-tab"), gr.Row(equal_height=False):
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
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                panel = gr.HTML(SOURCES_IDLE, elem_id="sources")

        with gr.Tab("Speakers", elem_id="speakers-tab"):
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

        filters = [source_box, date_from, date_to]
        outputs = [chat, panel, question]
        send.click(turn, [question, chat, *filters], outputs, api_visibility="private")
        question.submit(turn, [question, chat, *filters], outputs, api_visibility="private")
        for button in example_buttons:
            button.click(turn, [button, chat, *filters], outputs, api_visibility="private")
    return demo


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, **kwargs):
    """Start ``demo`` with the offline theme; ``prevent_thread_lock=True`` returns at once."""
    return demo.launch(server_name=host, server_port=port, theme=THEME, css=CSS,
                       footer_links=["gradio", "settings"], ssr_mode=False, share=False,
                       show_error=False, **kwargs)


def create_app(assistant: Assistant):
    """One ASGI app: the HTTP API under /v1 (OpenAPI page at /docs) and the web chat at /."""
    from assistant.api import create_api

    return gr.mount_gradio_app(create_api(assistant), build_ui(assistant), path="/", theme=THEME, css=CSS,
                               footer_links=["gradio", "settings"], ssr_mode=False, show_error=False)


def serve(assistant: Assistant, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the web chat and the HTTP API for ``assistant`` until interrupted."""
    import uvicorn

    shown = "localhost" if host in ("0.0.0.0", "::") else host
    print(f"Newsdesk web chat: http://{shown}:{port}/  HTTP API: http://{shown}:{port}/docs  "
          "(Ctrl+C to stop)", flush=True)
    uvicorn.run(create_app(assistant), host=host, port=port, log_level="warning")
