"""Incremental ingest: only new or changed articles are chunked and embedded.

The catalog's manifest holds each article's content hash. Per batch:
unchanged articles cost nothing; a changed article's old chunks are replaced; an
article whose body is already indexed under another id (the same story saved in
two files) is skipped as a duplicate; with ``prune`` every indexed article absent
from the batch is deleted. Work is done in groups of articles, each group written
to Chroma and then committed to the catalog, so an interruption loses at most the
group in flight, and a re-run finishes the job. Each article's attributed
statements (who said what, ``attribution.extract``) are committed with its chunks.

Crash safety: the catalog is the source of truth and the vector store is kept in
step with it by a write-ahead note (``Catalog.note_pending``): a process killed
between the two stores leaves the note, and the next writer (``Indexer.recover``)
removes the group's vectors and re-adds those of the articles the catalog holds, so
every article is either wholly indexed or absent. The keyword index records the
catalog generation it was built from and is rebuilt when they differ. One process
writes to an index at a time (``WriteLock``); a second gets ``IndexBusy``.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from corpus import Article, LoadProblem
from corpus.errors import NewsdeskError

from . import attribution, copies, stories
from .catalog import Catalog
from .chunking import ChunkParams, chunk_article, embedding_text
from .copies import CopyFinder
from .embeddings import Embedder
from .keyword import KeywordIndex
from .store import ChromaStore
from .stories import StoryLinker

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: stage "index", counting articles chunked, embedded and stored."""

GROUP = 64
# During a long ingest the keyword index is rebuilt between groups, so new articles become
# keyword-searchable as it goes: at most once per KEYWORD_EVERY seconds, and no more often
# than KEYWORD_SPACING x its own last rebuild time (then costing at most a tenth of the ingest).
KEYWORD_EVERY = 60.0
KEYWORD_SPACING = 10.0


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


class IndexBusy(NewsdeskError):
    """Another process is writing to the same index."""

    status = 409


class WriteLock:
    """One writer per index across processes: an exclusive ``flock`` on a file in the data
    directory, released by the kernel when its holder exits, however it exits. Threads
    of one process wait for each other; another process is refused at once."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._threads = threading.Lock()

    @contextmanager
    def hold(self, *, wait_for_threads: bool = True) -> Iterator[None]:
        """Hold the lock; ``IndexBusy`` if another process does (or, without
        ``wait_for_threads``, another thread of this one)."""
        if not self._threads.acquire(blocking=wait_for_threads):
            raise IndexBusy("This process is already writing to the index.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    raise IndexBusy(
                        f"Another process (pid {holder}) is writing to the index in "
                        f"{self.path.parent} right now.",
                        hint="Wait for it to finish, then run this again; nothing was changed.") from None
                os.ftruncate(fd, 0)
                os.pwrite(fd, str(os.getpid()).encode(), 0)
                yield
            finally:
                os.close(fd)  # closing releases the lock
        finally:
            self._threads.release()


class Indexer:
    def __init__(self, catalog: Catalog, store: ChromaStore, keyword: KeywordIndex,
                 embedder: Embedder, params: ChunkParams, *, group: int = GROUP):
        self.catalog = catalog
        self.group = group
        self.store = store
        self.keyword = keyword
        self.embedder = embedder
        self.params = params
        self.lock = WriteLock(catalog.path.parent / "write.lock")
        self._keyword_rebuild_seconds = 0.0
        self.copies = CopyFinder()
        self.stories = StoryLinker()
        self._linked_at = -1  # the catalog generation the copy finder and story linker are in step with

    def ingest(self, articles: Sequence[Article], *, prune: bool = False,
               progress: Progress | None = None, report: IngestReport | None = None) -> IngestReport:
        with self.lock.hold():
            return self._ingest(articles, prune, progress, report or IngestReport())

    def _ingest(self, articles: Sequence[Article], prune: bool, progress: Progress | None,
                report: IngestReport) -> IngestReport:
        started = time.perf_counter()
        self.recover()
        self.store.collection  # opening checks the model: a mismatch fails before any work
        report.articles += len(articles)
        self.refresh_statements()  # statements of a different extractor: extract them again first
        self.refresh_copies()
        self.refresh_stories()
        known = self.catalog.hashes()
        todo, seen = self._plan(articles, known, report)
        # oldest first: a story is linked in the order it unfolded, and a copy group is
        # named by its earliest version, however the batch was ordered
        todo.sort(key=lambda a: copies.earliest_first(a.published_at))

        window = None
        if todo and hasattr(self.embedder, "count_tokens"):
            window = (self.embedder.count_tokens, self.embedder.max_seq_length)
        if progress:
            progress("index", 0, len(todo))
        keyword_built = time.perf_counter()
        for g in range(0, len(todo), self.group):  # chunk, embed and write one group at a time
            group = todo[g:g + self.group]
            chunks = [c for art in group for c in chunk_article(art, self.params, window)]
            vectors = self._embed_unique([embedding_text(c) for c in chunks])
            statements = [st for art in group
                          for st in attribution.extract(art.id, art.body, art.published_at)]
            copy_rows, story_rows = self._link(group, chunks, vectors)
            self.catalog.note_pending("put", [art.id for art in group])
            self.store.delete_articles([art.id for art in group if art.id in known])
            self.store.add(chunks, vectors)
            try:
                self.catalog.put(group, chunks, statements, copy_rows, story_rows)  # also clears the note
            except BaseException:
                self._linked_at = -1  # the finder and linker hold what was not committed: reload them
                raise
            self._linked_at = self.catalog.generation()
            report.statements += len(statements)
            report.chunks_embedded += len(chunks)
            wait = max(KEYWORD_EVERY, KEYWORD_SPACING * self._keyword_rebuild_seconds)
            if g + self.group < len(todo) and time.perf_counter() - keyword_built >= wait:
                self._refresh_keyword_index()
                keyword_built = time.perf_counter()
            if progress:
                progress("index", g + len(group), len(todo))

        if prune:
            gone = [aid for aid in known if aid not in seen]
            if gone:
                self._delete(gone)
                report.removed += len(gone)

        self._refresh_keyword_index()
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
        with self.lock.hold():
            self.recover()
            known = self.catalog.hashes()
            ids = [a for a in article_ids if a in known]
            if ids:
                self._delete(ids)
            self._refresh_keyword_index()
            return len(ids)

    def _delete(self, ids: Sequence[str]) -> None:
        self.catalog.note_pending("remove", ids)
        self.store.delete_articles(ids)
        self.catalog.delete(ids)  # also clears the note

    def _link(self, articles: Sequence[Article], chunks: Sequence, vectors) -> tuple[list, list]:
        """The copy groups and stories of these articles (the finder and the linker loaded
        from the catalog first when another process, or a failed write, left them behind).
        An article's story vector is its first chunk's: headline and lead."""
        if self._linked_at != self.catalog.generation():
            self.copies.load(self.catalog.copy_rows())
            self.stories.load(self.catalog.story_rows())
        copy_rows = self.copies.assign(articles)
        first = {c.article_id: i for i, c in reversed(list(enumerate(chunks)))}
        linked = [a for a in articles if a.id in first]
        copy_of = {r.article_id: r.group for r in copy_rows if r.group != r.article_id}
        story_rows = self.stories.link(linked, vectors[[first[a.id] for a in linked]], copy_of)
        return copy_rows, story_rows

    def refresh_copies(self) -> int:
        """Find every article's copies anew if they were found by another version (or not
        at all: catalogs from before copies were detected), oldest article first."""
        if self.catalog.get_meta("copies") == copies.version():
            return 0
        ordered = sorted(self.catalog.iter_bodies(), key=lambda r: (*copies.earliest_first(r[2]), r[0]))
        finder = CopyFinder()
        finder.load([])
        rows = finder.assign([Article(id=aid, title="", body=body) for aid, body, *_ in ordered])
        self.catalog.replace_copies(rows)
        self.catalog.set_meta("copies", copies.version())
        self.catalog.set_meta("stories", "")  # stories follow copies: link them again
        self._linked_at = -1
        grouped = len(rows) - len({r.group for r in rows})
        log.info("found the copies among %d articles: %d are copies of another", len(rows), grouped)
        return grouped

    def refresh_stories(self) -> int:
        """Link every article into stories anew if they were linked by another version (or
        not at all: catalogs from before stories), from the vectors already stored (the
        catalog's, else the vector store's first chunk of each article), oldest first."""
        if self.catalog.get_meta("stories") == stories.version():
            return 0
        stored = {aid: vector for aid, _, _, vector, _ in self.catalog.story_rows()}
        articles = [Article(id=aid, title=title, body=body, published_at=published_at)
                    for aid, body, published_at, title in self.catalog.iter_bodies()]
        missing = [f"{a.id}:0" for a in articles if a.id not in stored]
        fetched = {cid.rsplit(":", 1)[0]: v for cid, v in self.store.vectors(missing).items()} if missing else {}
        vectors = {aid: np.frombuffer(v, dtype=np.float32) for aid, v in stored.items()} | fetched
        articles = [a for a in articles if a.id in vectors]
        copy_of = {aid: group for aid, group, *_ in self.catalog.copy_rows() if group != aid}
        rows = StoryLinker().link(articles, [vectors[a.id] for a in articles], copy_of)
        self.catalog.replace_stories(rows)
        self.catalog.set_meta("stories", stories.version())
        self._linked_at = -1
        linked = len(rows) - len({r.story for r in rows})
        log.info("linked %d articles into stories: %d continue another article's story", len(rows), linked)
        return linked

    def recover(self) -> int:
        """Finish what a killed writer left half done (call with the lock held): the
        noted group's vectors are removed, then those of its articles that the catalog
        still holds are embedded again from the catalog's chunks (an interrupted update
        keeps the old version; an interrupted delete completes). Returns the number of
        articles in the interrupted group (0: nothing to do)."""
        note = self.catalog.pending()
        if note is None:
            return 0
        op, ids = note
        self.store.delete_articles(ids)
        known = self.catalog.hashes()
        present = [aid for aid in ids if aid in known]
        if op == "remove":
            self.catalog.delete(present)
        else:
            chunks = [c for aid in present for c in self.catalog.article_chunks(aid)]
            if chunks:
                self.store.add(chunks, self._embed_unique([embedding_text(c) for c in chunks]))
            self.catalog.clear_pending()
        log.warning("recovered from an interrupted %s of %d articles (%d %s)", op, len(ids),
                    len(present), "removed" if op == "remove" else "restored")
        return len(ids)

    def check(self) -> dict:
        """Count what each store holds and every disagreement between them (``problems``,
        empty when the index is whole). Reads only."""
        chunk_ids = self.catalog.chunk_ids()
        vector_ids = self.store.ids()
        keyword_ids = set(self.keyword.ids())
        articles, _ = self.catalog.counts()
        problems = {name: n for name, n in self.catalog.integrity().items() if n}
        for name, ids in (("vectors", vector_ids), ("keyword index", keyword_ids)):
            if ids - chunk_ids:
                problems[f"chunks in the {name} but not in the catalog"] = len(ids - chunk_ids)
            if chunk_ids - ids:
                problems[f"catalog chunks missing from the {name}"] = len(chunk_ids - ids)
        if self.keyword.needs_rebuild(self.catalog.generation()):
            problems["keyword index out of date"] = 1
        if (note := self.catalog.pending()) is not None:
            problems["interrupted write not yet recovered"] = len(note[1])
        return {"articles": articles, "chunks": len(chunk_ids), "vectors": len(vector_ids),
                "keyword index": len(keyword_ids), "statements": self.catalog.statement_count(),
                "problems": problems}

    def repair(self) -> dict:
        """Recover an interrupted write and bring the keyword index up to date; then check
        (``recovered``: the articles of an interrupted write put back in step)."""
        with self.lock.hold():
            recovered = self.recover()
            self._refresh_keyword_index()
        return {**self.check(), "recovered": recovered}

    def refresh_statements(self) -> int:
        """Extract every article's statements again if a different extractor wrote them
        (the bodies are in the catalog: no file is read, nothing is embedded)."""
        if self.catalog.get_meta("attribution") == attribution.VERSION:
            return 0
        ids, statements = [], []
        for aid, body, published_at, _ in self.catalog.iter_bodies():
            ids.append(aid)
            statements += attribution.extract(aid, body, published_at)
        self.catalog.replace_statements(ids, statements)
        self.catalog.set_meta("attribution", attribution.VERSION)
        log.info("extracted %d statements from %d articles (%s)", len(statements), len(ids),
                 attribution.VERSION)
        return len(statements)

    def refresh(self) -> None:
        """On opening an index to read it: if nobody is writing to it, finish an
        interrupted write, re-extract statements written by another extractor, and rebuild
        a keyword index that is missing, stale or behind the catalog (a running writer
        does all three itself)."""
        try:
            with self.lock.hold(wait_for_threads=False):  # never wait behind a long ingest
                self.recover()
                self.refresh_statements()
                self.refresh_copies()
                self.refresh_stories()
                self._refresh_keyword_index()
        except IndexBusy:
            log.info("another process is writing to the index; it brings it up to date")
        except OSError as exc:  # e.g. an index on a read-only disk: read it as it is
            log.warning("cannot take the index's write lock (%s); reading it as it is", exc)

    def _refresh_keyword_index(self) -> None:
        generation = self.catalog.generation()
        if self.keyword.needs_rebuild(generation):
            started = time.perf_counter()
            self.keyword.rebuild(((c, embedding_text(c)) for c in self.catalog.iter_chunks()), generation)
            self._keyword_rebuild_seconds = time.perf_counter() - started

    def _embed_unique(self, texts: list[str]):
        """Embed each distinct text once (boilerplate-like passages repeat across articles)."""
        unique = list(dict.fromkeys(texts))
        vectors = self.embedder.embed(unique)
        if len(unique) == len(texts):
            return vectors
        row = {t: i for i, t in enumerate(unique)}
        return vectors[[row[t] for t in texts]]
