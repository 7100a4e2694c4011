"""Chroma as the vector store: embedded and persistent on disk, fed our own vectors.

Chroma's built-in embedding function is never used. The collection records the
embedding model and the chunking it was built with; opening it with a different
one is an ``IndexMismatch`` that says how to rebuild.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit
from typing import Sequence

import numpy as np

from corpus.errors import IndexMismatch, InvalidInput, Unavailable

from .types import Chunk, SearchFilters

log = logging.getLogger(__name__)


def server_address(url: str) -> dict:
    """``http://host:port`` -> chromadb.HttpClient's host, port and ssl."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"NEWSDESK_CHROMA_URL={url!r} is not an http(s)://host:port address.")
    return {"host": parts.hostname, "port": parts.port or (443 if parts.scheme == "https" else 8000),
            "ssl": parts.scheme == "https"}


def date_number(iso: str | None) -> int:
    """``"2025-07-31"`` -> ``20250731``; Chroma compares numbers, not strings."""
    if not iso:
        return 0
    try:
        return int(iso[:10].replace("-", ""))
    except ValueError:
        return 0


def chroma_where(filters: SearchFilters | None) -> dict | None:
    if filters is None or filters.is_empty():
        return None
    clauses: list[dict] = []
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if filters.date_from or filters.date_to:  # an article with no date matches no date range
        clauses.append({"date": {"$gt": 0}})
    if filters.date_from:
        clauses.append({"date": {"$gte": date_number(filters.date_from)}})
    if filters.date_to:
        clauses.append({"date": {"$lte": date_number(filters.date_to)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaStore:
    """One Chroma collection holding every chunk's vector and citation metadata."""

    def __init__(self, path: Path, *, model_id: str, layout: str, collection: str = "newsdesk",
                 url: str | None = None):
        """Embedded Chroma in ``path``, or a Chroma server at ``url`` (http://host:port)."""
        self.path = Path(path)
        self.url = url
        self.model_id = model_id
        self.layout = layout
        self.collection_name = collection
        self._collection = None
        self._seen: int | None = None  # the catalog generation this process's view includes

    @property
    def collection(self):
        if self._collection is None:
            import chromadb
            from chromadb.config import Settings

            settings = Settings(anonymized_telemetry=False, allow_reset=False)
            try:
                if self.url:
                    client = chromadb.HttpClient(**server_address(self.url), settings=settings)
                else:
                    self.path.mkdir(parents=True, exist_ok=True)
                    client = chromadb.PersistentClient(path=str(self.path), settings=settings)
                collection = client.get_or_create_collection(
                    self.collection_name,
                    metadata={"embedding_model": self.model_id, "chunking": self.layout},
                    configuration={"hnsw": {"space": "cosine"}},
                    embedding_function=None,
                )
            except Exception as exc:
                if not self.url or isinstance(exc, IndexMismatch):
                    raise
                raise Unavailable(f"The Chroma server at {self.url} cannot be reached ({type(exc).__name__}).",
                                  hint="Start it (`chroma run --path DIR --host 127.0.0.1 --port 8000`) or "
                                       "unset NEWSDESK_CHROMA_URL to use the embedded store.") from exc
            self._check(collection.metadata or {})
            self._max_batch = client.get_max_batch_size()
            self._collection = collection
        return self._collection

    def follow(self, generation: int, writer: str | None, me: str) -> None:
        """Keep an embedded store's view current: its in-memory vector index does not see
        what another process added after this one loaded it, so when the catalog's last
        write (``generation``) came from another process (``writer`` is not ``me``) since
        this one looked, reopen it. A server always serves the current vectors."""
        stale = (self._collection is not None and not self.url and self._seen is not None
                 and generation != self._seen and writer != me)
        self._seen = generation
        if stale:
            from chromadb.api.shared_system_client import SharedSystemClient

            log.info("another process changed the index in %s; reopening it", self.path)
            # forget the shared in-process instance, so the next client loads the files anew
            SharedSystemClient._identifier_to_system.pop(str(self.path), None)
            self._collection = None

    @property
    def where(self) -> str:
        return f"the Chroma server at {self.url}" if self.url else str(self.path)

    def drop_remote(self) -> None:
        """Delete the collection on the Chroma server (``ingest --rebuild``; an embedded
        store is deleted with its files)."""
        import chromadb
        from chromadb.config import Settings

        client = chromadb.HttpClient(**server_address(self.url), settings=Settings(anonymized_telemetry=False))
        if self.collection_name in [c.name for c in client.list_collections()]:
            client.delete_collection(self.collection_name)
        self._collection = None

    def _check(self, meta: dict) -> None:
        built_with = meta.get("embedding_model")
        if built_with and built_with != self.model_id:
            raise IndexMismatch(
                f"The index in {self.where} was built with the embedding model {built_with!r}, "
                f"but {self.model_id!r} is configured.",
                hint=f"Set NEWSDESK_EMBEDDING_MODEL={built_with} to use it, or rebuild it with the "
                "new model: `newsdesk ingest --rebuild PATH...` (or choose another NEWSDESK_DATA_DIR).",
            )
        layout = meta.get("chunking")
        if layout and layout != self.layout:
            raise IndexMismatch(
                f"The index in {self.where} was chunked as {layout!r}, but the chunk settings and "
                f"this version of Newsdesk chunk as {self.layout!r}.",
                hint="Rebuild it: `newsdesk ingest --rebuild PATH...` (or restore the old "
                "NEWSDESK_CHUNK_* settings, or choose another NEWSDESK_DATA_DIR).",
            )

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        col = self.collection
        for a in range(0, len(chunks), self._max_batch):
            part = chunks[a:a + self._max_batch]
            col.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[a:a + self._max_batch],
                metadatas=[_metadata(c) for c in part],
            )

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        if article_ids:
            self.collection.delete(where={"article_id": {"$in": list(article_ids)}})

    def query(self, vector: np.ndarray, k: int, filters: SearchFilters | None = None) -> list[str]:
        """Chunk ids, nearest first."""
        # no count() first: it costs milliseconds per call at 100k chunks, and Chroma
        # returns fewer results (none for an empty collection) when there are fewer
        result = self.collection.query(
            query_embeddings=[vector], n_results=k, where=chroma_where(filters), include=[])
        return list(result["ids"][0])

    def count(self) -> int:
        return self.collection.count()

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunks (those it holds)."""
        col, out, ids = self.collection, {}, list(chunk_ids)
        for a in range(0, len(ids), self._max_batch):
            got = col.get(ids=ids[a:a + self._max_batch], include=["embeddings"])
            out.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
        return out

    def ids(self, page: int = 5000) -> set[str]:
        """Every chunk id in the collection (for consistency checks)."""
        out: set[str] = set()
        while True:
            got = self.collection.get(include=[], limit=page, offset=len(out))["ids"]
            out.update(got)
            if len(got) < page:
                return out


def _metadata(chunk: Chunk) -> dict:
    meta = {
        "article_id": chunk.article_id, "n": chunk.n, "start": chunk.start, "end": chunk.end,
        "title": chunk.title, "source": chunk.source, "date": date_number(chunk.published_at),
    }
    if chunk.published_at:
        meta["published_at"] = chunk.published_at
    if chunk.url:
        meta["url"] = chunk.url
    return meta
