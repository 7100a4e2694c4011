"""BM25 keyword index (bm25s) over the same chunks as the vector store.

bm25s has no incremental update, so the index is rebuilt in one pass from the
catalog whenever an ingest changed something (a few seconds per million tokens),
and saved beside the catalog. Filters are applied as a weight mask, so a
selective filter still returns its best matches rather than none.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import shutil
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

from .store import date_number
from .types import Chunk, SearchFilters

log = logging.getLogger(__name__)

# NLTK's English stopword list: bm25s's own "en" list (33 words) keeps "what", "did",
# "how", which then outweigh the one rare name a question is about.
STOPWORDS = sorted(set("""
a about above after again against all am an and any are aren't as at be because been before
being below between both but by can couldn't did didn't do does doesn't doing don't down during
each few for from further had hadn't has hasn't have haven't having he her here hers herself him
himself his how i if in into is isn't it it's its itself just me more most mustn't my myself no
nor not now of off on once only or other our ours ourselves out over own same shan't she she's
should shouldn't so some such than that that'll the their theirs them themselves then there these
they this those through to too under until up very was wasn't we were weren't what when where which
while who whom why will with won't would wouldn't you you'd you'll you're you've your yours
yourself yourselves s t d ll m o re ve y
""".split()))

_STOPSET = frozenset(STOPWORDS)
_TOKEN = re.compile(r"(?u)\b\w\w+\b").findall  # bm25s.tokenize's default token_pattern

# Changes whenever tokenisation, stopwords or stemming change: an index saved with
# another analyzer is rebuilt rather than queried with mismatched terms.
ANALYZER = "bm25s/nltk-stopwords/snowball-english/v1"

# Words that frame a question ("What did X say?", "How many ...?") rather than name
# what it is about; dropped from queries only, never from the indexed text.
QUESTION_FRAME = ("say", "says", "said", "saying", "tell", "told", "mention", "mentioned",
                  "many", "much", "happen", "happened", "know", "known", "anything", "something")


def _bm25s():
    """Import bm25s; it sets its own logger to DEBUG on import, which floods the CLI."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


class KeywordIndex:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stem = _stemmer()
        self._frame = set(self._stem.stemWords(list(QUESTION_FRAME)))
        self._retriever = None
        self._ids: list[str] = []
        self._sources: np.ndarray = np.array([], dtype=object)
        self._dates: np.ndarray = np.array([], dtype=np.int64)
        self._df: np.ndarray | None = None
        self._loaded = False
        self._version_loaded: int | None = None
        self._generation: int | None = None
        self.stale = False  # built by an older analyzer: rebuild from the catalog

    # -- building --------------------------------------------------------------
    def rebuild(self, chunks: Iterable[tuple[Chunk, str]], generation: int | None = None) -> int:
        """Index ``(chunk, text)`` pairs from scratch and save; returns the count.
        ``generation`` is the catalog's (``Catalog.generation``) the chunks came from."""
        bm25s = _bm25s()
        ids, texts, sources, dates = [], [], [], []
        for chunk, text in chunks:
            ids.append(chunk.id)
            texts.append(text)
            sources.append(chunk.source)
            dates.append(date_number(chunk.published_at))
        tmp = self.path.with_name(self.path.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        retriever = None
        if texts:
            tokens = bm25s.tokenize(texts, stopwords=STOPWORDS, stemmer=self._stem, show_progress=False)
            retriever = bm25s.BM25()
            retriever.index(tokens, show_progress=False)
            retriever.save(str(tmp / "bm25"))
        (tmp / "chunks.json").write_text(json.dumps(
            {"analyzer": ANALYZER, "generation": generation, "ids": ids, "sources": sources,
             "dates": dates}))
        old = self.path.with_name(self.path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            os.replace(self.path, old)
        os.replace(tmp, self.path)
        shutil.rmtree(old, ignore_errors=True)
        with self._lock:
            self._set(retriever, ids, sources, dates, generation)
        log.info("keyword index rebuilt: %d chunks", len(ids))
        return len(ids)

    def _version(self) -> int | None:
        """The saved index's version: its metadata file's modification time (None: none saved)."""
        try:
            return (self.path / "chunks.json").stat().st_mtime_ns
        except OSError:
            return None

    def _set(self, retriever, ids, sources, dates, generation=None) -> None:
        self._version_loaded = self._version()
        self._generation = generation
        self._retriever = retriever
        self._ids = ids
        self._sources = np.array(sources, dtype=object)
        self._dates = np.array(dates, dtype=np.int64)
        self._df = np.diff(retriever.scores["indptr"]) if retriever is not None else None
        self._loaded = True
        self.stale = False

    def _ensure_loaded(self) -> None:
        """Load the saved index, or reload it when another process saved a newer one (one
        stat per query: processes sharing a data directory see each other's ingests)."""
        if self._loaded and self._version() == self._version_loaded:
            return
        with self._lock:
            if self._loaded and self._version() == self._version_loaded:
                return
            meta_file = self.path / "chunks.json"
            if not meta_file.exists():
                self._set(None, [], [], [])
                return
            bm25s = _bm25s()
            meta = json.loads(meta_file.read_text())
            if meta.get("analyzer") != ANALYZER:
                log.warning("keyword index in %s was built with another analyzer; it needs a rebuild",
                            self.path)
                self._set(None, [], [], [])
                self.stale = True
                return
            retriever = bm25s.BM25.load(str(self.path / "bm25")) if meta["ids"] else None
            self._set(retriever, meta["ids"], meta["sources"], meta["dates"], meta.get("generation"))

    # -- querying --------------------------------------------------------------
    def terms(self, text: str, *, query: bool = False) -> list[str]:
        """The stemmed, stopword-free terms BM25 sees for ``text``.

        With ``query=True`` the words that only frame a question are dropped too.
        """
        found = self._terms(text)
        return [t for t in found if t not in self._frame] if query else list(found)

    @lru_cache(maxsize=50_000)  # noqa: B019 - one index per process; statements repeat across turns
    def _terms(self, text: str) -> tuple[str, ...]:
        # bm25s.tokenize's analysis, without its per-call overhead (progress-bar objects,
        # vocabularies): lowercase, its token pattern, stopwords out, then stems
        words = [w for w in _TOKEN(text.lower()) if w not in _STOPSET]
        return tuple(self._stem.stemWords(words)) if words else ()

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term (high for unseen terms)."""
        self._ensure_loaded()
        n = len(self._ids)
        df = 0
        if self._retriever is not None:
            tid = self._retriever.vocab_dict.get(term)
            if tid is not None:
                df = int(self._df[tid])
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[str]:
        """Chunk ids, best first (only chunks sharing a term with the query)."""
        self._ensure_loaded()
        terms = self.terms(query, query=True)
        retriever = self._retriever
        if retriever is None or not terms:
            return []
        known = [t for t in terms if t in retriever.vocab_dict]
        if not known:
            return []
        scores = retriever.get_scores(known)
        mask = self._mask(filters)
        if mask is not None:
            scores = scores * mask
        # top k among the chunks that match at all: bm25s's own top-k partitions the whole
        # array, mostly zeros, which costs more than the scoring as the index grows
        found = np.flatnonzero(scores > 0)
        if len(found) > k:
            found = found[np.argpartition(-scores[found], k - 1)[:k]]
        found = found[np.argsort(-scores[found], kind="stable")]
        return [self._ids[d] for d in found]

    def _mask(self, filters: SearchFilters | None) -> np.ndarray | None:
        if filters is None or filters.is_empty():
            return None
        mask = np.ones(len(self._ids), dtype=bool)
        if filters.sources:
            mask &= np.isin(self._sources, list(filters.sources))
        if filters.date_from or filters.date_to:  # an article with no date matches no date range
            mask &= self._dates > 0
        if filters.date_from:
            mask &= self._dates >= date_number(filters.date_from)
        if filters.date_to:
            mask &= self._dates <= date_number(filters.date_to)
        return mask.astype(np.float32)

    def needs_rebuild(self, generation: int) -> bool:
        """Whether the saved index is missing, of another analyzer, or not built from
        this generation of the catalog (a write committed since, or a crash before the
        rebuild that follows every write)."""
        self._ensure_loaded()
        return self.stale or self._generation != generation

    def ids(self) -> list[str]:
        self._ensure_loaded()
        return list(self._ids)

    def __len__(self) -> int:
        self._ensure_loaded()
        return len(self._ids)
