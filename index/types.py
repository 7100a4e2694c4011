"""Plain values the index hands out: chunks, hits and search filters."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from corpus.errors import InvalidInput


@dataclass(frozen=True)
class Chunk:
    """A passage of one article: ``text == article.body[start:end]``."""

    id: str
    article_id: str
    n: int
    text: str
    start: int
    end: int
    title: str
    source: str = ""
    published_at: str | None = None
    url: str | None = None
    author: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the rank it had in each retriever."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None

    def to_dict(self) -> dict:
        return {**self.chunk.to_dict(), "score": self.score,
                "dense_rank": self.dense_rank, "keyword_rank": self.keyword_rank}


@dataclass(frozen=True)
class SearchFilters:
    """Restrict retrieval to some sources and/or a date range (ISO dates, inclusive)."""

    sources: tuple[str, ...] = field(default_factory=tuple)
    date_from: str | None = None
    date_to: str | None = None

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is None or value == "":
                object.__setattr__(self, name, None)
                continue
            try:  # also 20250731 and 2025-W31-4; kept as YYYY-MM-DD, the form dates are compared in
                day = date.fromisoformat(str(value).strip())
            except ValueError:
                which = "start" if name == "date_from" else "end"
                raise InvalidInput(f"The {which} date “{str(value)[:40]}” is not a date.",
                                   hint="Write it as YYYY-MM-DD, e.g. 2025-07-31.") from None
            object.__setattr__(self, name, day.isoformat())
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidInput(f"The start date {self.date_from} is after the end date {self.date_to}.",
                               hint="Swap them, or leave one empty.")
        for source in self.sources:
            if not str(source).isprintable():
                raise InvalidInput(f"The source name {str(source)[:40]!r} has control or invalid "
                                   "characters.", hint="Use a source name as articles list it.")
        object.__setattr__(self, "sources", tuple(s for s in self.sources if s))

    def is_empty(self) -> bool:
        return not self.sources and not self.date_from and not self.date_to

    def admits(self, source: str, published_at: str | None) -> bool:
        """Whether an article from ``source`` published then passes (undated: no date bound)."""
        day = (published_at or "")[:10]
        return ((not self.sources or source in self.sources)
                and (not self.date_from or bool(day) and day >= self.date_from)
                and (not self.date_to or bool(day) and day <= self.date_to))
