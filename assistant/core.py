"""The composition root and public face of Newsdesk: ``Assistant``."""

from __future__ import annotations

import logging
import shutil
import time
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

from corpus import InvalidInput, load_paths
from index import (
    Catalog, ChromaStore, ChunkParams, Embedder, FusionParams, Hit, HybridRetriever, Indexer,
    IngestReport, KeywordIndex, SearchFilters, SentenceTransformerEmbedder,
)
from index.ingest import Progress

from .answer import Answer
from .config import Settings, load_settings
from .extractive import NOT_COVERED, ExtractiveAnswerer

log = logging.getLogger(__name__)

SEED_TITLE = "Zelensky Calls for Regime Change"
SEED_EXAMPLES = [
    "What did Sybiga say?",
    "How many drones were fired?",
    "What did Russia claim about Chasiv Yar?",
    "Who is Tymur Tkachenko?",
]
_INDEX_FILES = ("chroma", "catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "bm25")


def wipe_index(data_dir: Path) -> None:
    """Delete the index files in ``data_dir`` (and nothing else there)."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # Chroma caches one client per path
    for name in _INDEX_FILES:
        path = Path(data_dir) / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


class Assistant:
    """Answers questions about the indexed articles, with cited passages.

    Build it with :meth:`from_settings`; the embedding model and the stores load
    lazily, on first use, once per process.
    """

    def __init__(self, settings: Settings, *, catalog: Catalog, store: ChromaStore,
                 keyword: KeywordIndex, embedder: Embedder, indexer: Indexer,
                 retriever: HybridRetriever, answerer: ExtractiveAnswerer):
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self.keyword = keyword
        self.embedder = embedder
        self.indexer = indexer
        self.retriever = retriever
        self.answerer = answerer
        self._keyword_checked = False

    @classmethod
    def from_settings(cls, settings: Settings | None = None, *,
                      embedder: Embedder | None = None) -> "Assistant":
        s = settings or load_settings()
        data = Path(s.data_dir)
        params = ChunkParams(max_tokens=s.chunk_tokens, overlap_tokens=s.chunk_overlap_tokens)
        if embedder is None and s.embedding_backend == "onnx-int8":
            from index.onnx_embedder import OnnxEmbedder

            embedder = OnnxEmbedder(s.embedding_model, batch_size=s.embedding_batch_size)
        embedder = embedder or SentenceTransformerEmbedder(
            s.embedding_model, batch_size=s.embedding_batch_size)
        catalog = Catalog(data / "catalog.sqlite")
        store = ChromaStore(data / "chroma", model_id=embedder.model_id, layout=params.signature(),
                            collection=s.collection)
        keyword = KeywordIndex(data / "bm25")
        retriever = HybridRetriever(catalog, store, keyword, embedder, FusionParams(
            keyword_weight=s.keyword_weight, dense_weight=s.dense_weight, rrf_k=s.rrf_k,
            candidates=s.candidates, per_article=s.passages_per_article))
        answerer = ExtractiveAnswerer(
            terms=keyword.terms, idf=keyword.idf, embedder=embedder,
            max_sentences=s.answer_max_sentences, max_words=s.answer_max_words,
            min_coverage=s.min_coverage)
        indexer = Indexer(catalog, store, keyword, embedder, params)
        return cls(s, catalog=catalog, store=store, keyword=keyword, embedder=embedder,
                   indexer=indexer, retriever=retriever, answerer=answerer)

    # -- indexing --------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], *, prune: bool = False,
               progress: Progress | None = None) -> IngestReport:
        """Load the files under ``paths`` and index what is new or changed.

        Unreadable files and malformed records are reported in ``report.problems``;
        the rest of the batch is indexed and nothing already indexed is lost.
        """
        started = time.perf_counter()
        loaded = load_paths(list(paths))
        report = IngestReport(files=loaded.files, problems=list(loaded.problems))
        if prune and loaded.problems:
            # A file we could not read must not make its articles look "removed".
            log.warning("prune skipped: %d files or records could not be loaded", len(loaded.problems))
            prune = False
        self.indexer.ingest(loaded.articles, prune=prune, progress=progress, report=report)
        report.seconds = time.perf_counter() - started
        return report

    def remove(self, article_ids: Sequence[str]) -> int:
        return self.indexer.remove(article_ids)

    # -- asking ----------------------------------------------------------------
    def check_question(self, question: str) -> str:
        if not isinstance(question, str):
            raise InvalidInput("The question must be text.")
        # Invisible format characters (soft hyphens, zero-width spaces) are dropped so a
        # pasted "Syb\u00adiga" still matches; other control characters become spaces.
        q = "".join(ch for ch in question if unicodedata.category(ch) != "Cf")
        q = " ".join("".join(ch if ch.isprintable() else " " for ch in q).split())
        if not q:
            raise InvalidInput("The question is empty.",
                               hint='Ask something about the articles, e.g. "What did Sybiga say?".')
        limit = self.settings.max_question_chars
        if len(q) > limit:
            raise InvalidInput(
                f"The question is {len(q):,} characters long; the limit is {limit:,}.",
                hint="Shorten it, or raise NEWSDESK_MAX_QUESTION_CHARS.")
        return q

    def _ready(self) -> None:
        """Once per process: bring a keyword index saved by another version up to date."""
        if not self._keyword_checked:
            self.indexer.refresh_keyword_index()
            self._keyword_checked = True

    def search(self, query: str, k: int | None = None,
               filters: SearchFilters | None = None) -> list[Hit]:
        q = self.check_question(query)
        self._ready()
        return self.retriever.search(q, k or self.settings.top_k, filters)

    def ask(self, question: str, history: Sequence = (),
            filters: SearchFilters | None = None) -> Answer:
        """Answer ``question`` from the indexed articles.

        ``history`` holds the earlier turns as ``{"role": ..., "content": ...}`` dicts
        (what the web chat passes). It is accepted for API stability and not used yet:
        each question is answered on its own.
        """
        q = self.check_question(question)
        self._ready()
        t0 = time.perf_counter()
        vector = self.embedder.embed_query(q)  # once per turn: retrieval and answer share it
        hits = self.retriever.search(q, self.settings.top_k, filters, query_vector=vector)
        t1 = time.perf_counter()
        if hits:
            text, citations, covered = self.answerer.answer(q, hits, question_vector=vector)
        else:
            text, citations, covered = NOT_COVERED, [], False
        t2 = time.perf_counter()
        return Answer(question=q, text=text, citations=citations, passages=hits, covered=covered,
                      timings={"retrieve": t1 - t0, "answer": t2 - t1})

    # -- facts -----------------------------------------------------------------
    def status(self) -> dict:
        articles, chunks = self.catalog.counts()
        return {
            "articles": articles,
            "chunks": chunks,
            "vectors": self.store.count(),
            "keyword_chunks": len(self.keyword),
            "embedding_model": self.embedder.model_id,
            "index_path": str(Path(self.settings.data_dir).resolve()),
            "sources": self.catalog.sources(),
        }

    def example_questions(self) -> list[str]:
        """Questions the indexed articles answer: the seed article's, then recent headlines."""
        rows = self.catalog.article_rows()
        seed = [r for r in rows if r["title"].startswith(SEED_TITLE)]
        examples = list(SEED_EXAMPLES) if seed else []
        others = [r for r in rows if r not in seed]
        examples += [f"What happened: {r['title']}?" for r in others[:max(0, 6 - len(examples))]]
        return examples
