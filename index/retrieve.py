"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings, fused.

Fusion is weighted reciprocal rank fusion: ``score = w_kw / (k + rank_kw) +
w_dense / (k + rank_dense)``. On news questions that name people and quote words,
BM25 is far stronger than MiniLM, and plain RRF (k=60, equal weights) lets middling
dense matches push BM25's best hit down (dev-set MRR@10 0.63 against 0.96 for BM25
alone). The defaults (k=1, dense weight 0.25) keep BM25's top ranks in front and let
the dense side add passages that share no words with the question; they were chosen
with ``benchmarks/tune_fusion.py`` on the shared dev questions. Results are limited to a
few passages per article, and a passage that mostly overlaps one already chosen
from the same article is dropped. Copies of one story (wire copy, republished versions)
take one place: the earliest version among the candidates is shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from .catalog import WRITER, Catalog
from .copies import earliest_first
from .embeddings import Embedder
from .keyword import KeywordIndex
from .store import ChromaStore
from .types import Hit, SearchFilters

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FusionParams:
    keyword_weight: float = 1.0
    dense_weight: float = 0.25
    rrf_k: int = 1
    candidates: int = 50
    per_article: int = 2


class HybridRetriever:
    def __init__(self, catalog: Catalog, store: ChromaStore, keyword: KeywordIndex,
                 embedder: Embedder, params: FusionParams = FusionParams()):
        self.catalog = catalog
        self.store = store
        self.keyword = keyword
        self.embedder = embedder
        self.params = params

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None,
               query_vector: np.ndarray | None = None) -> list[Hit]:
        """The ``k`` best passages; pass ``query_vector`` if the query is already embedded."""
        p = self.params
        dense_ids: list[str] = []
        if p.dense_weight > 0:
            if query_vector is None:
                query_vector = self.embedder.embed_query(query)
            self.store.follow(*self.catalog.last_write(), WRITER)
            dense_ids = self.store.query(query_vector, p.candidates, filters)
        keyword_ids = self.keyword.search(query, p.candidates, filters) if p.keyword_weight > 0 else []
        dense_rank = {cid: r for r, cid in enumerate(dense_ids, 1)}
        keyword_rank = {cid: r for r, cid in enumerate(keyword_ids, 1)}
        scores: dict[str, float] = {}
        for cid, r in dense_rank.items():
            scores[cid] = scores.get(cid, 0.0) + p.dense_weight / (p.rrf_k + r)
        for cid, r in keyword_rank.items():
            scores[cid] = scores.get(cid, 0.0) + p.keyword_weight / (p.rrf_k + r)
        ranked = sorted(scores, key=lambda c: -scores[c])
        chunks = self.catalog.chunks(ranked[: max(k * 6, 30)])
        shown = self._one_version(ranked, chunks)
        hits: list[Hit] = []
        per_article: dict[str, list] = {}
        for cid in ranked:
            chunk = chunks.get(cid)
            if chunk is None:  # in the store but not (yet) in the catalog
                continue
            if shown.get(chunk.article_id, chunk.article_id) != chunk.article_id:
                continue  # a copy of a story another version of which is shown
            taken = per_article.setdefault(chunk.article_id, [])
            if len(taken) >= p.per_article or any(_overlap(chunk, t) > 0.5 for t in taken):
                continue
            taken.append(chunk)
            hits.append(Hit(chunk, scores[cid], dense_rank.get(cid), keyword_rank.get(cid)))
            if len(hits) == k:
                break
        log.debug("search %r: %s", query, [(h.chunk.id, round(h.score, 4)) for h in hits])
        return hits

    def _one_version(self, ranked: list[str], chunks: dict) -> dict[str, str]:
        """``article id -> the version shown`` for candidates that are copies of one story
        (``index.copies``): the earliest version among the candidates (undated last; on a
        tie, the better ranked), so one story takes one place in the results."""
        order: dict[str, tuple] = {}  # article -> its place: earliest first, then best ranked
        for cid in ranked:
            if cid in chunks:
                order.setdefault(chunks[cid].article_id, (*earliest_first(chunks[cid].published_at), len(order)))
        groups = self.catalog.copy_groups(list(order))
        best: dict[str, str] = {}
        for aid, group in groups.items():
            if group not in best or order[aid] < order[best[group]]:
                best[group] = aid
        return {aid: best[group] for aid, group in groups.items()}


def _overlap(a, b) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    return max(inter, 0) / max(1, min(a.end - a.start, b.end - b.start))
