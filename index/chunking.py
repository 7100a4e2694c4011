"""Token-aware, sentence-aligned, overlapping chunks.

Sizes are counted in cl100k_base tokens (tiktoken). A chunk is a run of whole
sentences of at most ``max_tokens`` tokens; the next chunk starts with the last
sentences of the previous one, up to ``overlap_tokens``, so a statement that
straddles a boundary is whole in at least one chunk. A sentence longer than a
chunk is cut at token boundaries. The title is embedded with every chunk, so the
budget for body text is ``max_tokens`` less the title's tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from corpus import Article

from .sentences import sentence_spans
from .tokens import get_encoding
from .types import Chunk

MAX_TITLE_TOKENS = 40


@dataclass(frozen=True)
class ChunkParams:
    max_tokens: int = 180
    overlap_tokens: int = 40
    encoding: str = "cl100k_base"

    def __post_init__(self) -> None:
        if self.max_tokens < 32:
            raise ValueError("max_tokens must be at least 32")
        if not 0 <= self.overlap_tokens < self.max_tokens // 2:
            raise ValueError("overlap_tokens must be between 0 and half of max_tokens")

    def signature(self) -> str:
        return f"v2/{self.encoding}/{self.max_tokens}/{self.overlap_tokens}/title{MAX_TITLE_TOKENS}"


def embedding_text(chunk: Chunk) -> str:
    """What the embedder and the keyword index see: the title, then the passage."""
    return _embedding_text(chunk.title, chunk.text)


Window = tuple[Callable[[Sequence[str]], list[int]], int]
"""``(measure, limit)``: the embedding model's own token counter and its window."""


def chunk_article(article: Article, params: ChunkParams = ChunkParams(),
                  window: Window | None = None) -> list[Chunk]:
    """Split ``article.body`` into chunks; with ``window``, also fit the model's window.

    A chunk whose embedding text the model's tokenizer finds longer than its window
    (Cyrillic or CJK text takes far more wordpieces per cl100k token than English) is
    split again with a proportionally smaller budget, so nothing is silently cut off.
    """
    enc = get_encoding(params.encoding)
    body = article.body
    title_tokens = min(len(enc.encode_ordinary(article.title)), MAX_TITLE_TOKENS)
    budget = max(params.max_tokens - title_tokens, params.max_tokens // 2)
    spans = _pack(body, enc, 0, len(body), budget, params.overlap_tokens)
    if window is not None:
        spans = _fit_window(article, spans, enc, budget, params.overlap_tokens, window)
    return [
        Chunk(
            id=f"{article.id}:{n}", article_id=article.id, n=n, text=body[s:e], start=s, end=e,
            title=article.title, source=article.source, published_at=article.published_at,
            url=article.url, author=article.author,
        )
        for n, (s, e) in enumerate(spans)
    ]


def _pack(body: str, enc, lo: int, hi: int, budget: int, overlap: int) -> list[tuple[int, int]]:
    """Greedy runs of whole sentences of ``body[lo:hi]``, each at most ``budget`` tokens."""
    overlap = min(overlap, budget // 3)
    pieces = _pieces(body, enc, lo, hi, budget)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        j, used = i, 0
        while j < len(pieces) and (j == i or used + pieces[j][2] <= budget):
            used += pieces[j][2]
            j += 1
        # the counts include the gap before each sentence; check the real span exactly
        while j - 1 > i and _count(enc, body[pieces[i][0]:pieces[j - 1][1]]) > budget:
            j -= 1
        spans.append((pieces[i][0], pieces[j - 1][1]))
        if j >= len(pieces):
            break
        # step back over whole sentences that fit in the overlap, never to i itself
        k, back = j, 0
        while k - 1 > i and back + pieces[k - 1][2] <= overlap:
            back += pieces[k - 1][2]
            k -= 1
        i = k
    return spans


def _pieces(body: str, enc, lo: int, hi: int, budget: int) -> list[tuple[int, int, int]]:
    """Sentences of ``body[lo:hi]`` as ``(start, end, tokens)``; long ones cut to fit.

    ``tokens`` counts the sentence with the whitespace before it (line breaks are tokens
    too), so a run of pieces costs about the sum of its counts.
    """
    spans = [(lo + s, lo + e) for s, e in sentence_spans(body[lo:hi])]
    starts = [lo] + [e for _, e in spans[:-1]]
    counts = [len(t) for t in enc.encode_ordinary_batch(
        [body[g:e] for g, (_, e) in zip(starts, spans)])]
    out: list[tuple[int, int, int]] = []
    for (s, e), n in zip(spans, counts):
        if _count(enc, body[s:e]) <= budget:
            out.append((s, e, n))
        else:
            out.extend((a, b, _count(enc, body[a:b])) for a, b in _cut(body, enc, s, e, budget))
    return out


def _cut(body: str, enc, s: int, e: int, budget: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence into the longest parts that fit, at spaces where possible."""
    parts = []
    while s < e:
        lo, hi = s + 1, e  # largest end with count(body[s:end]) <= budget, by bisection
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _count(enc, body[s:mid]) <= budget:
                lo = mid
            else:
                hi = mid - 1
        end = lo
        if end < e:
            space = body.rfind(" ", s + (end - s) * 4 // 5, end)
            if space > s:
                end = space
        parts.append((s, end))
        s = end
        while s < e and body[s].isspace():
            s += 1
    return parts


def _fit_window(article: Article, spans: list[tuple[int, int]], enc, budget: int, overlap: int,
                window: Window) -> list[tuple[int, int]]:
    measure, limit = window
    body = article.body
    for _ in range(4):
        sizes = measure([_embedding_text(article.title, body[s:e]) for s, e in spans])
        if max(sizes, default=0) <= limit:
            break
        fitted: list[tuple[int, int]] = []
        for (s, e), size in zip(spans, sizes):
            if size <= limit:
                fitted.append((s, e))
            else:
                smaller = max(8, int(budget * limit / size * 0.9))
                fitted.extend(_pack(body, enc, s, e, smaller, overlap))
        spans = fitted
    return spans


def _count(enc, text: str) -> int:
    return len(enc.encode_ordinary(text))


def _embedding_text(title: str, text: str) -> str:
    return f"{title}\n{text}" if title else text
