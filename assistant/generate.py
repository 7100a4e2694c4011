"""Generated answers: an LLM writes from the numbered passages, then every cited sentence
is checked against what it cites (:mod:`assistant.citations`).

The model streams; a model that fails, stalls for ``timeout`` seconds or writes nothing
usable raises :class:`~assistant.llm.LLMError`, and the caller answers extractively with
a notice. Passages go to the model as quoted data inside ``<passage>`` tags; a
``</passage>`` inside an article is escaped so no article can close its own quote.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from contextlib import nullcontext
from typing import Iterator, Sequence

from index import Hit, sentence_spans

from .answer import Citation
from .citations import MARKER, Verification, Verifier, expand
from .llm import LLMError
from .prompts import load_prompt

log = logging.getLogger(__name__)

MAX_HISTORY_TURNS = 6
MAX_TURN_CHARS = 400


def _attr(text: str | None) -> str:
    return (text or "").replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def format_passages(hits: Sequence[Hit]) -> str:
    """The passages as the answer prompt shows them: numbered, tagged, escaped."""
    out = []
    for n, h in enumerate(hits, 1):
        c = h.chunk
        # "</passage", "< /passage", "<\n/passage", "<passage": no article can close or open a tag
        body = re.sub(r"<(?=\s*/?\s*passage)", "&lt;", c.text, flags=re.I)
        out.append(f'<passage n="{n}" title="{_attr(c.title)}" source="{_attr(c.source)}" '
                   f'date="{_attr(c.published_at)}">\n{body}\n</passage>')
    return "\n\n".join(out)


def format_history(history: Sequence[dict]) -> str:
    lines = []
    for turn in list(history)[-MAX_HISTORY_TURNS:]:
        role = "User" if turn.get("role") == "user" else "Assistant"
        text = " ".join(str(turn.get("content") or "").split())[:MAX_TURN_CHARS]
        lines.append(f"{role}: {text}")
    return "\n".join(lines)


class LLMAnswerer:
    """Writes answers with a LangChain chat model and checks them."""

    def __init__(self, model, *, verifier: Verifier, max_sentences: int = 4, timeout: float = 60.0,
                 serialize: bool = False, label: str = "llm"):
        self.model = model
        self.verifier = verifier
        self.max_sentences = max_sentences
        self.timeout = timeout
        self.label = label
        self._lock = threading.Lock() if serialize else None

    # -- talking to the model ------------------------------------------------------
    def messages(self, question: str, hits: Sequence[Hit]) -> list:
        from langchain_core.messages import HumanMessage, SystemMessage

        system = load_prompt("system").render(max_sentences=self.max_sentences)
        user = load_prompt("answer").render(passages=format_passages(hits), question=question)
        return [SystemMessage(content=system), HumanMessage(content=user)]

    def stream(self, messages: list) -> Iterator[str]:
        """The model's text as it comes; LLMError if it fails or stalls for ``timeout`` s."""
        box: queue.Queue = queue.Queue()
        stop = threading.Event()

        def run() -> None:
            try:
                with self._lock or nullcontext():
                    for chunk in self.model.stream(messages):
                        if stop.is_set():
                            return
                        box.put(("text", chunk.content if isinstance(chunk.content, str) else ""))
                box.put(("done", None))
            except Exception as exc:  # noqa: BLE001 - handed over to the caller's thread
                box.put(("error", exc))

        threading.Thread(target=run, name="newsdesk-llm", daemon=True).start()
        try:
            while True:
                try:
                    kind, value = box.get(timeout=self.timeout)
                except queue.Empty:
                    raise LLMError(f"The LLM ({self.label}) sent nothing for {self.timeout:g} s.",
                                   hint="It may be overloaded or down; raise NEWSDESK_LLM_TIMEOUT "
                                        "if it is just slow.") from None
                if kind == "done":
                    return
                if kind == "error":
                    raise LLMError(f"The LLM ({self.label}) failed: {_safe_reason(value)}.",
                                   hint="Check that it is running and reachable.") from value
                if value:
                    yield value
        finally:
            stop.set()

    def rewrite(self, question: str, history: Sequence[dict]) -> str | None:
        """The follow-up as a standalone question, or None if the model's reply is unusable."""
        from langchain_core.messages import HumanMessage

        prompt = load_prompt("rewrite").render(history=format_history(history), question=question)
        try:
            text = "".join(self.stream([HumanMessage(content=prompt)]))
        except LLMError as exc:
            log.warning("follow-up rewrite by the LLM failed (%s); using the rules", exc.message)
            return None
        line = next((x for x in text.strip().splitlines() if x.strip()), "")
        line = re.sub(r"^(?:standalone question|question)\s*:\s*", "", line.strip(), flags=re.I).strip(' "“”')
        if not 3 <= len(line) <= 300 or len(line.split()) > 60:
            return None
        return line

    # -- checking what it wrote ----------------------------------------------------
    def check(self, text: str, hits: Sequence[Hit]) -> tuple[str, list[Citation], Verification]:
        """Verify ``text``; renumber its markers 1..m in order of first citation and build
        one citation per cited passage, its best-matching sentence highlighted."""
        verification = self.verifier.verify(text, [h.chunk.text for h in hits])
        order = verification.cited_numbers
        new = {old: i for i, old in enumerate(order, 1)}

        def renumber(m: re.Match) -> str:
            return "[" + ", ".join(str(new[n]) for n in expand(m.group(1)) if n in new) + "]"

        for s in verification.sentences:
            s.text = MARKER.sub(renumber, s.text)
            s.cited = [new[n] for n in s.cited if n in new]
        citations = []
        for old in order:
            chunk = hits[old - 1].chunk
            best = [s for s in verification.sentences if s.best and s.best[0] == old]
            if best:
                _, qs, qe = max(best, key=lambda s: s.meaning).best
            else:
                qs, qe = (sentence_spans(chunk.text) or [(0, len(chunk.text))])[0]
            citations.append(Citation(
                n=new[old], article_id=chunk.article_id, title=chunk.title, source=chunk.source,
                published_at=chunk.published_at, url=chunk.url, passage=chunk.text,
                passage_start=chunk.start, passage_end=chunk.end, quote=chunk.text[qs:qe],
                quote_start=chunk.start + qs, quote_end=chunk.start + qe))
        text = " ".join(s.text for s in verification.sentences)
        return text, citations, verification


def _safe_reason(exc: BaseException) -> str:
    """An exception's message without anything that looks like a key."""
    reason = f"{type(exc).__name__}: {exc}"[:300]
    return re.sub(r"(sk-|Bearer\s+|api[_-]?key[=:]\s*)[\w.-]+", r"\1***", reason, flags=re.I)


def timed(stream: Iterator[str], started: float, timings: dict) -> Iterator[str]:
    """Pass ``stream`` through, noting the first piece's time in ``timings``."""
    for piece in stream:
        timings.setdefault("first_token", time.perf_counter() - started)
        yield piece
