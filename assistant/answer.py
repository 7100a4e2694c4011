"""What ``Assistant.ask`` returns."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from index.types import Hit

from .citations import CheckedSentence


@dataclass(frozen=True)
class Citation:
    """One [n] marker of an answer: the passage it points to and the words quoted from it.

    ``quote_start``/``quote_end`` and ``passage_start``/``passage_end`` are character
    offsets into the article body, so ``quote`` can be highlighted inside ``passage``
    at ``quote_start - passage_start``.
    """

    n: int
    article_id: str
    title: str
    source: str
    published_at: str | None
    url: str | None
    passage: str
    passage_start: int
    passage_end: int
    quote: str
    quote_start: int
    quote_end: int
    # the other versions of the same story (copies: wire copy, republished), earliest first:
    # dicts of article_id, title, source, published_at, url
    also_published: tuple = ()

    def to_dict(self) -> dict:
        return asdict(self)

    def markdown(self, *, footnote: bool = False) -> str:
        """One line: ``[n] Title (source, date): “quote”`` (``[n]:`` as a footnote); the
        title links to the article when its URL is http(s)."""
        meta = ", ".join(x for x in (self.source, self.published_at) if x)
        title = f"[{self.title}]({self.url})" if safe_url(self.url) else self.title
        return f"[{self.n}]{':' if footnote else ''} {title}{f' ({meta})' if meta else ''}: {quoted(self.quote)}"

    def also_text(self) -> str:
        """``also published by: A (date), B (date)``, or "" for a story with one version."""
        if not self.also_published:
            return ""
        return "also published by: " + ", ".join(
            (v["source"] or v["title"]) + (f" ({v['published_at']})" if v["published_at"] else "")
            for v in self.also_published)


def quoted(text: str) -> str:
    """``text`` in quotation marks, unless it opens or closes with its own: a cited sentence
    that is someone's words (“It’s time,” said Sybiga. “Maximum pressure.”) is shown as it
    is, never ““like this””."""
    text = text.strip()
    if len(text) > 1 and (text[0] in "“\"" or text[-1] in "”\""):
        return text
    return f"“{text}”"


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address (never ``javascript:`` and the like), else None."""
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s]+$", url, re.IGNORECASE) else None


@dataclass
class Answer:
    """An answer with its citations and the passages it was built from.

    ``covered`` is False when the articles do not cover the question; such an
    answer cites nothing. ``timings`` holds seconds per stage.
    """

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    passages: list[Hit] = field(default_factory=list)
    covered: bool = True
    timings: dict[str, float] = field(default_factory=dict)
    # how it was written: "extractive", "statements" or "llm:<provider:model>"
    answerer: str = "extractive"
    # the question as searched, when a follow-up was rewritten to stand alone
    standalone: str | None = None
    # something the reader should know (the LLM failed and the answer is extractive, ...)
    notice: str = ""
    # generated answers: each sentence and what checking it against its citations found
    sentences: list[CheckedSentence] = field(default_factory=list)

    @property
    def unsupported(self) -> int:
        """Sentences that cite passages which do not support them."""
        return sum(1 for s in self.sentences if s.supported is False)

    def markdown(self, *, footnotes: bool = False) -> str:
        """The text, any notice in italics, then one line per citation (see
        :meth:`Citation.markdown`)."""
        parts = [self.text]
        if self.notice:
            parts.append(f"_{self.notice}_")
        if self.citations:
            parts.append("\n".join(c.markdown(footnote=footnotes) for c in self.citations))
        return "\n\n".join(parts)

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "text": self.text,
            "covered": self.covered,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [h.to_dict() for h in self.passages],
            "timings": self.timings,
            "answerer": self.answerer,
            "standalone": self.standalone,
            "notice": self.notice,
            "unsupported": self.unsupported,
            "sentences": [x.to_dict() for x in self.sentences],
        }
