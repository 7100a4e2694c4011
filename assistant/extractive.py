"""The default answerer: no LLM, only verbatim sentences from the retrieved passages.

Each sentence of each passage is scored against the question by
- coverage: the IDF-weighted share of the question's terms it contains (stemmed,
  the same analysis as the keyword index), and
- similarity: cosine of its embedding to the question's.
The best sentences are quoted, each cited [n], in reading order (article by
article, in the order the articles ranked; within one, in text order). A quote
that a chosen sentence opens and the next sentences continue ("... he said. “It's
time ...”") is kept whole. If even the best sentence covers too little of the
question, the answer says the articles do not cover it and cites nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from index import Embedder, Hit, sentence_spans
from index.sentences import quote_open_after

from .answer import Citation
from .citations import without_markers

NOT_COVERED = ("The articles don't cover this question: no passage in the indexed articles "
               "answers it. Try other words, or ingest articles about it.")

_SPEECH = re.compile(r"\b(say|said|says|tell|told|quote|comment\w*|react\w*|statement|words?|"
                     r"claim\w*|respon\w*|warn\w*)\b", re.I)
_OPEN_MARKS = "“\""


@dataclass(eq=False)  # compared by identity: the same sentence object, not equal fields
class _Sentence:
    hit_rank: int
    hit: Hit
    start: int  # offset in the article body
    end: int
    text: str
    coverage: float = 0.0
    similarity: float = 0.0

    @property
    def score(self) -> float:
        # Fragments (captions, datelines) rarely answer anything: short sentences lose a little.
        brevity = 0.1 if len(self.text.split()) < 8 else 0.0
        return (0.65 * self.coverage + 0.35 * max(self.similarity, 0.0)
                + 0.02 / (1 + self.hit_rank) - brevity)


class ExtractiveAnswerer:
    def __init__(self, *, terms: Callable[..., list[str]], idf: Callable[[str], float],
                 embedder: Embedder | None = None, max_sentences: int = 4, max_words: int = 120,
                 min_coverage: float = 0.5):
        self.terms = terms
        self.idf = idf
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.max_words = max_words
        self.min_coverage = min_coverage

    def answer(self, question: str, hits: Sequence[Hit],
               question_vector: np.ndarray | None = None) -> tuple[str, list[Citation], bool]:
        """Return ``(text, citations, covered)``; ``question_vector`` saves re-embedding it."""
        sentences = self._sentences(hits)
        q_terms = list(dict.fromkeys(self.terms(question, query=True)))
        if not sentences or not q_terms:
            return NOT_COVERED, [], False
        weights = {t: self.idf(t) for t in q_terms}
        total = sum(weights.values()) or 1.0
        for s in sentences:
            present = set(self.terms(s.text))
            s.coverage = sum(w for t, w in weights.items() if t in present) / total
        # Only sentences sharing a term with the question can be chosen: embed just those.
        # Fragments of one or two words only ever come along as the end of a quote.
        candidates = [s for s in sentences if s.coverage > 0 and len(s.text.split()) >= 3]
        if self.embedder is not None and candidates:
            if question_vector is None:
                question_vector = self.embedder.embed_query(question)
            sims = self.embedder.embed([s.text for s in candidates]) @ question_vector
            for s, sim in zip(candidates, np.asarray(sims, dtype=float)):
                s.similarity = float(sim)
        ranked = sorted(candidates, key=lambda s: -s.score)
        if not ranked or ranked[0].coverage < self.min_coverage:
            return NOT_COVERED, [], False
        best = ranked[0]

        chosen = [best]
        words = len(best.text.split())
        for s in ranked[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if s.coverage <= 0 or s.score < 0.75 * best.score:
                break
            n = len(s.text.split())
            if words + n > self.max_words:
                continue
            chosen.append(s)
            words += n
        if _SPEECH.search(question):
            chosen = self._with_quote_continuations(chosen, sentences, self.max_words - words)
        return self._compose(chosen)

    # -- helpers ---------------------------------------------------------------
    def _sentences(self, hits: Sequence[Hit]) -> list[_Sentence]:
        out: list[_Sentence] = []
        seen: set[tuple[str, int]] = set()
        for rank, hit in enumerate(hits):
            c = hit.chunk
            for s, e in sentence_spans(c.text):
                key = (c.article_id, c.start + s)
                if key in seen:
                    continue
                seen.add(key)
                out.append(_Sentence(rank, hit, c.start + s, c.start + e, c.text[s:e]))
        return out

    def _with_quote_continuations(self, chosen: list[_Sentence], pool: list[_Sentence],
                                  words_left: int) -> list[_Sentence]:
        """Add the sentences of the same paragraph that continue a quote a chosen one opens,
        as far as the length budget allows."""
        by_article: dict[str, list[_Sentence]] = {}
        for s in sorted(pool, key=lambda s: s.start):
            by_article.setdefault(s.hit.chunk.article_id, []).append(s)
        result = list(chosen)
        for s in chosen:
            seq = by_article[s.hit.chunk.article_id]
            is_open = quote_open_after(s.text)
            for nxt in seq[seq.index(s) + 1:seq.index(s) + 4]:
                if nxt.hit is not s.hit or "\n" in _between(s, nxt):
                    break
                if not is_open and nxt.text[:1] not in _OPEN_MARKS:
                    break
                if nxt not in result:
                    words_left -= len(nxt.text.split())
                    if words_left < 0:
                        break
                    result.append(nxt)
                is_open = quote_open_after(nxt.text, is_open)
                if not is_open:
                    break
                s = nxt
        return result

    def _compose(self, chosen: list[_Sentence]) -> tuple[str, list[Citation], bool]:
        article_order: dict[str, int] = {}
        for s in sorted(chosen, key=lambda s: s.hit_rank):
            article_order.setdefault(s.hit.chunk.article_id, len(article_order))
        ordered = sorted(chosen, key=lambda s: (article_order[s.hit.chunk.article_id], s.start))
        groups: list[list[_Sentence]] = []
        for s in ordered:
            last = groups[-1][-1] if groups else None
            if last is not None and last.hit is s.hit and _adjacent(last, s):
                groups[-1].append(s)
            else:
                groups.append([s])
        citations: list[Citation] = []
        parts: list[str] = []
        for n, group in enumerate(groups, 1):
            c = group[0].hit.chunk
            qs, qe = group[0].start, group[-1].end
            quote = c.text[qs - c.start:qe - c.start]
            citations.append(Citation(
                n=n, article_id=c.article_id, title=c.title, source=c.source,
                published_at=c.published_at, url=c.url, passage=c.text, passage_start=c.start,
                passage_end=c.end, quote=quote, quote_start=qs, quote_end=qe))
            parts.append(f"{without_markers(quote)} [{n}]")
        return " ".join(parts), citations, True


def _between(a: _Sentence, b: _Sentence) -> str:
    """The text between two sentences of the same passage."""
    base = a.hit.chunk.start
    return a.hit.chunk.text[a.end - base:b.start - base]


def _adjacent(a: _Sentence, b: _Sentence) -> bool:
    """Consecutive sentences of one paragraph: quoted together under one citation."""
    between = _between(a, b)
    return b.start >= a.end and not between.strip() and "\n" not in between
