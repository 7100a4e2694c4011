"""Incremental ingest: only new or changed articles are chunked and embedded.

The catalog's manifest holds each article's content hash. Per batch:
unchanged articles cost nothing; a changed article's old chunks are replaced; an
article whose body is already indexed under another id (the same story saved in
two files) is skipped as a duplicate; with ``prune`` every indexed article absent
from the batch is deleted. Work is done in groups of articles, each group written
to Chroma and then committed to the catalog, so an interruption loses at most the
group in flight, and a re-run finishes the job. Each article's attributed
statements (who said what, ``attribution.extract``) are committed with its chunks.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from corpus import Article, LoadProblem

from . import attribution
from .catalog import Catalog
from .chunking import ChunkParams, chunk_article, embedding_text
from .embeddings import Embedder
from .keyword import KeywordIndex
from .store import ChromaStore

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: stage "index", counting articles chunked, embedded and stored."""

GROUP = 64


@dataclass
class IngestReport:
    files: int = 0
    articles: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    removed: int = 0
    chunks_embedded: int = 0
    statements: int = 0
    problems: list[LoadProblem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (f"{self.articles} articles from {self.files} files: {self.added} added, "
                f"{self.updated} updated, {self.unchanged} unchanged, {self.duplicates} duplicates, "
                f"{self.removed} removed; {self.chunks_embedded} chunks embedded; "
                f"{self.statements} statements; "
                f"{len(self.problems)} problems; {self.seconds:.1f} s")


class Indexer:
    def __init__(self, catalog: Catalog, store: ChromaStore, keyword: KeywordIndex,
                 embedder: Embedder, params: ChunkParams):
        self.catalog = catalog
        self.store = store
        self.keyword = keyword
        self.embedder = embedder
        self.params = params

    def ingest(self, articles: Sequence[Article], *, prune: bool = False,
               progress: Progress | None = None, report: IngestReport | None = None) -> IngestReport:
        started = time.perf_counter()
        report = report or IngestReport()
        self.store.collection  # opening checks the model: a mismatch fails before any work
        report.articles += len(articles)
        self.refresh_statements()  # statements of a different extractor: extract them again first
        known = self.catalog.hashes()
        todo, seen = self._plan(articles, known, report)

        window = None
        if todo and hasattr(self.embedder, "count_tokens"):
            window = (self.embedder.count_tokens, self.embedder.max_seq_length)
        if progress:
            progress("index", 0, len(todo))
        for g in range(0, len(todo), GROUP):  # chunk, embed and write one group at a time
            group = todo[g:g + GROUP]
            chunks = [c for art in group for c in chunk_article(art, self.params, window)]
            vectors = self._embed_unique([embedding_text(c) for c in chunks])
            self.store.delete_articles([art.id for art in group if art.id in known])
            self.store.add(chunks, vectors)
            statements = [st for art in group
                          for st in attribution.extract(art.id, art.body, art.published_at)]
            self.catalog.put(group, chunks, statements)
            report.statements += len(statements)
            report.chunks_embedded += len(chunks)
            if progress:
                progress("index", g + len(group), len(todo))

        if prune:
            gone = [aid for aid in known if aid not in seen]
            if gone:
                self.store.delete_articles(gone)
                self.catalog.delete(gone)
                report.removed += len(gone)

        if report.changed or self.keyword.needs_rebuild(self.catalog.counts()[1]):
            self.rebuild_keyword_index()
        report.seconds += time.perf_counter() - started
        log.info("ingest: %s", report.summary())
        return report

    def _plan(self, articles: Sequence[Article], known: dict[str, tuple[str, str]],
              report: IngestReport) -> tuple[list[Article], set[str]]:
        """Sort the batch into new/changed (to index), unchanged and duplicates.

        Returns the articles to index and every id seen in the batch.
        """
        owner_of_body = {body: aid for aid, (_, body) in known.items()}
        seen: set[str] = set()
        todo: list[Article] = []
        for art in articles:
            if art.id in seen:
                report.duplicates += 1
                continue
            seen.add(art.id)
            owner = owner_of_body.setdefault(art.body_hash, art.id)
            if owner != art.id:
                report.duplicates += 1
                log.info("%s repeats article %s; indexed once", art.origin or art.id, owner)
                continue
            previous = known.get(art.id)
            if previous and previous[0] == art.content_hash:
                report.unchanged += 1
                continue
            todo.append(art)
            if previous:
                report.updated += 1
            else:
                report.added += 1
        return todo, seen

    def remove(self, article_ids: Sequence[str]) -> int:
        known = self.catalog.hashes()
        ids = [a for a in article_ids if a in known]
        if ids:
            self.store.delete_articles(ids)
            self.catalog.delete(ids)
            self.rebuild_keyword_index()
        return len(ids)

    def refresh_statements(self) -> int:
        """Extract every article's statements again if a different extractor wrote them
        (the bodies are in the catalog: no file is read, nothing is embedded)."""
        if self.catalog.get_meta("attribution") == attribution.VERSION:
            return 0
        ids, statements = [], []
        for aid, body, published_at in self.catalog.iter_bodies():
            ids.append(aid)
            statements += attribution.extract(aid, body, published_at)
        self.catalog.replace_statements(ids, statements)
        self.catalog.set_meta("attribution", attribution.VERSION)
        log.info("extracted %d statements from %d articles (%s)", len(statements), len(ids),
                 attribution.VERSION)
        return len(statements)

    def refresh_keyword_index(self) -> None:
        """Rebuild the keyword index if it is missing, stale or out of step with the catalog."""
        if self.keyword.needs_rebuild(self.catalog.counts()[1]):
            self.rebuild_keyword_index()

    def rebuild_keyword_index(self) -> int:
        return self.keyword.rebuild((c, embedding_text(c)) for c in self.catalog.iter_chunks())

    def _embed_unique(self, texts: list[str]):
        """Embed each distinct text once (boilerplate-like passages repeat across articles)."""
        unique = list(dict.fromkeys(texts))
        vectors = self.embedder.embed(unique)
        if len(unique) == len(texts):
            return vectors
        row = {t: i for i, t in enumerate(unique)}
        return vectors[[row[t] for t in texts]]
