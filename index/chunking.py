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
        return f"{self.encoding}/{self.max_tokens}/{self.overlap_tokens}/title{MAX_TITLE_TOKENS}"


def embedding_text(chunk: Chunk) -> str:
    """What the embedder and the keyword index see: the title, then the passage."""
    return f"{chunk.title}\n{chunk.text}" if chunk.title else chunk.text


def chunk_article(article: Article, params: ChunkParams = ChunkParams()) -> list[Chunk]:
    enc = get_encoding(params.encoding)
    body = article.body
    title_tokens = min(len(enc.encode_ordinary(article.title)), MAX_TITLE_TOKENS)
    budget = max(params.max_tokens - title_tokens, params.max_tokens // 2)
    overlap = min(params.overlap_tokens, budget // 3)

    pieces = _pieces(body, enc, budget)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        j, used = i, 0
        while j < len(pieces) and (j == i or used + pieces[j][2] <= budget):
            used += pieces[j][2]
            j += 1
        spans.append((pieces[i][0], pieces[j - 1][1]))
        if j >= len(pieces):
            break
        # step back over whole sentences that fit in the overlap, never to i itself
        k, back = j, 0
        while k - 1 > i and back + pieces[k - 1][2] <= overlap:
            back += pieces[k - 1][2]
            k -= 1
        i = k
    return [
        Chunk(
            id=f"{article.id}:{n}", article_id=article.id, n=n, text=body[s:e], start=s, end=e,
            title=article.title, source=article.source, published_at=article.published_at,
            url=article.url, author=article.author,
        )
        for n, (s, e) in enumerate(spans)
    ]


def _pieces(body: str, enc, budget: int) -> list[tuple[int, int, int]]:
    """Sentences as ``(start, end, tokens)``, long ones cut into budget-sized parts."""
    spans = sentence_spans(body)
    counts = [len(t) for t in enc.encode_ordinary_batch([body[s:e] for s, e in spans])]
    out: list[tuple[int, int, int]] = []
    for (s, e), n in zip(spans, counts):
        if n <= budget:
            out.append((s, e, n))
            continue
        tokens = enc.encode_ordinary(body[s:e])
        text, offsets = enc.decode_with_offsets(tokens)
        if text != body[s:e]:  # cannot map token offsets back; keep it whole
            out.append((s, e, n))
            continue
        for a in range(0, len(tokens), budget):
            b = min(a + budget, len(tokens))
            cs = s + offsets[a]
            ce = s + (offsets[b] if b < len(tokens) else len(text))
            out.append((cs, ce, b - a))
    return out
