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
from .quotes import QuoteAnswerer, parse as parse_quote_question

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
                 retriever: HybridRetriever, answerer: ExtractiveAnswerer,
                 quote_answerer: QuoteAnswerer):
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self.keyword = keyword
        self.embedder = embedder
        self.indexer = indexer
        self.retriever = retriever
        self.answerer = answerer
        self.quote_answerer = quote_answerer
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
        quote_answerer = QuoteAnswerer(catalog, retriever, terms=keyword.terms, idf=keyword.idf,
                                       embedder=embedder, max_words=s.answer_max_words)
        indexer = Indexer(catalog, store, keyword, embedder, params)
        return cls(s, catalog=catalog, store=store, keyword=keyword, embedder=embedder,
                   indexer=indexer, retriever=retriever, answerer=answerer,
                   quote_answerer=quote_answerer)

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
        """Once per process: bring a keyword index or statements saved by another version
        up to date."""
        if not self._keyword_checked:
            self.store.collection  # opening checks the embedding model: a mismatch fails here
            self.indexer.refresh_keyword_index()
            self.indexer.refresh_statements()
            self._keyword_checked = True

    def search(self, query: str, k: int | None = None,
               filters: SearchFilters | None = None) -> list[Hit]:
        q = self.check_question(query)
        self._ready()
        return self.retriever.search(q, k or self.settings.top_k, filters)

    def ask(self, question: str, history: Sequence = (),
            filters: SearchFilters | None = None, *, statements: bool = True) -> Answer:
        """Answer ``question`` from the indexed articles.

        Questions about statements ("What did X say?", "Who said ...?", "Who is X?") are
        answered from the attribution index; ``statements=False`` answers every question
        from retrieved passages instead. ``history`` holds the earlier turns as
        ``{"role": ..., "content": ...}`` dicts (what the web chat passes). It is accepted
        for API stability and not used yet: each question is answered on its own.
        """
        q = self.check_question(question)
        self._ready()
        t0 = time.perf_counter()
        query = parse_quote_question(q) if statements else None
        if query is not None:  # "What did X say?", "Who said ...?", "Who is X?"
            found = self.quote_answerer.answer(query, q, filters)
            if found is not None and found.covered:
                took = time.perf_counter() - t0  # finding the statements, then composing
                return Answer(question=q, text=found.text, citations=found.citations,
                              passages=found.hits, covered=True,
                              timings={"retrieve": took - found.compose_s, "answer": found.compose_s})
            if found is not None:  # never quoted: say so, and what the articles say about them
                fallback = self._retrieve_and_answer(q, filters, t0)
                if fallback.covered:
                    fallback.text = f"{found.text} What the articles say about {query.speaker}: {fallback.text}"
                    return fallback
                return Answer(question=q, text=found.text, covered=False,
                              timings={"retrieve": time.perf_counter() - t0, "answer": 0.0})
        return self._retrieve_and_answer(q, filters, t0)

    def _retrieve_and_answer(self, q: str, filters: SearchFilters | None, t0: float) -> Answer:
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

    # -- who said what -----------------------------------------------------------
    def quotes(self, speaker: str | None = None, topic: str | None = None, *,
               since: str | None = None, until: str | None = None,
               sources: Sequence[str] = (), limit: int | None = None) -> list:
        """Statements by ``speaker`` (surname, case and diacritics ignored), ranked by
        relevance to ``topic`` if given, else newest first; ``since``/``until`` are
        ISO dates. Without a speaker: every statement about ``topic``."""
        self._ready()
        filters = SearchFilters(sources=tuple(sources), date_from=since, date_to=until)
        qa = self.quote_answerer
        if speaker:
            if not speaker.strip():
                raise InvalidInput("The speaker is empty.", hint='Give a name, e.g. "Sybiga".')
            found = qa.by_speaker(speaker, filters)
        else:
            if not topic:
                raise InvalidInput("Give a speaker, a topic or both.",
                                   hint='e.g. quotes(speaker="Sybiga") or quotes(topic="sanctions").')
            ids = list(dict.fromkeys(h.chunk.article_id for h in self.search(topic, 50, filters)))
            found = self.catalog.statements(article_ids=ids) if ids else []
        ranked = qa.rank(found, topic)
        return ranked[:limit] if limit else ranked

    def speakers(self) -> list[dict]:
        """Everyone quoted in the articles: name, role, statement and article counts, dates."""
        self._ready()
        return self.catalog.speakers()

    # -- facts -----------------------------------------------------------------
    def status(self) -> dict:
        articles, chunks = self.catalog.counts()
        return {
            "articles": articles,
            "chunks": chunks,
            "vectors": self.store.count(),
            "keyword_chunks": len(self.keyword),
            "statements": self.catalog.statement_count(),
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
