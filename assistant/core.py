"""The composition root and public face of Newsdesk: ``Assistant``."""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import sqlite3
import time
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from corpus import InvalidInput, LoadResult, TooLarge, load_bytes, load_paths
from corpus.errors import NotFound
from corpus.web import Fetcher
from index import (
    Catalog, ChromaStore, ChunkParams, Embedder, FusionParams, Hit, HybridRetriever, Indexer,
    IngestReport, KeywordIndex, SearchFilters, SentenceTransformerEmbedder,
)
from index.attribution import DIRECT, fold, speaker_key
from index.copy_records import ARTICLE_FIELDS
from index.follow import Follower, RunReport, Watcher
from index.ingest import Progress

from .answer import Answer, Citation
from .citations import MARKER, Verifier
from .config import Settings, load_settings
from .extractive import KIND_WORD, NOT_COVERED, STRICT, ExtractiveAnswerer, article_name
from .followup import Rewrite, needs_context, normalize_history, plain, rewrite_by_rules
from .generate import LLMAnswerer, timed
from .latest import LATER_REPORTS, REPORTS, Report, as_of_in, asks_latest, compose, fits, newest_first, without_now
from .llm import LLMError, describe, in_process, make_chat_model
from .question import Question, analyze
from .quotes import QuoteAnswerer
from .spans import kind_fit
from .timeline import RELATED, SINCE_ARTICLES, TimelineAsk, about, events, merge, newest, timeline_asked
from .timeline import compose as compose_timeline

log = logging.getLogger(__name__)

SEED_TITLE = "Zelensky Calls for Regime Change"
SEED_EXAMPLES = [
    "How did Ukraine react to the strike?",
    "How many drones were fired at Kyiv?",
    "What did Russia claim about Chasiv Yar?",
    "Who is Tymur Tkachenko?",
]
_INDEX_FILES = ("chroma", "catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "bm25")


def _narrowed(filters: SearchFilters | None, since: str | None, until: str | None) -> SearchFilters | None:
    """``filters`` with more date bounds: a follow-up's ("and before that?"), an "as of" date."""
    if not (since or until):
        return filters
    f = filters or SearchFilters()
    since = max(x for x in (f.date_from, since) if x) if (f.date_from or since) else None
    until = min(x for x in (f.date_to, until) if x) if (f.date_to or until) else None
    return SearchFilters(f.sources, since, until)


def _fields(c) -> dict:
    """A chunk's article as a story lists it."""
    return dict(zip(ARTICLE_FIELDS, (c.article_id, c.title, c.source, c.published_at, c.url)))


def _as_of_date(value: str | None) -> str | None:
    """An "as of" date as YYYY-MM-DD; ``InvalidInput`` naming it when it is not a date."""
    if value is None or not str(value).strip():
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise InvalidInput(f"The “as of” date “{str(value)[:40]}” is not a date.",
                           hint="Write it as YYYY-MM-DD, e.g. 2025-07-31.") from None


def quotes_of(answer: Answer, speaker: str) -> bool:
    """The answer quotes words of ``speaker``: a cited sentence names them (their surname)
    and quotes or reports speech."""
    key = speaker_key(speaker)
    if not key:
        return False
    by = re.compile(rf"\b{re.escape(key)}\b(?:\W+\w+){{0,8}}?\W+{_SAID.pattern}"  # "X said", "X, the mayor, told"
                    rf"|\b(?:said|says|told|added|wrote)\b(?:\W+[\w’']+){{0,10}}?\W+{re.escape(key)}\b")  # "said X"
    for c in answer.citations:
        at = c.quote_start - c.passage_start
        lead_in = fold(c.passage[max(0, at - 300):at + len(c.quote)])  # "X said ... He added, “…”"
        if by.search(lead_in) and _SAID.search(c.quote):
            return True
    return False


def mentioned_in(hits: Sequence[Hit], speaker: str) -> str:
    """" They are mentioned in “<title>” (source, date)." for the first passage naming the
    speaker, without a citation marker; "" when none does."""
    key = speaker_key(speaker)
    for h in hits:
        if key and key in fold(h.chunk.text):
            return f" {speaker} is mentioned in {article_name(h.chunk)}."
    return ""


_SAID = re.compile(r"(?:\b(?:say|said|says|told|wrote|tweeted|posted|stated|added|according to|called|"
                   r"described|spoke|reacted|responded|remarked|explained|commented|noted|insisted|"
                   r"argued|urged|warned|announced)\b)")


def wipe_index(data_dir: Path, chroma_url: str | None = None, collection: str = "newsdesk") -> None:
    """Delete the index files in ``data_dir`` (and nothing else there), and the collection
    on the Chroma server if one is used. Followed sources are kept, their items forgotten:
    their next run fetches every article again."""
    from chromadb.api.client import SharedSystemClient

    catalog_path = Path(data_dir) / "catalog.sqlite"
    followed = []
    if catalog_path.exists():
        try:
            old = Catalog(catalog_path)
            followed = old.followed()
            old.close()
        except sqlite3.Error as exc:  # a broken catalog is what a rebuild is for
            log.warning("the followed sources could not be read from the old catalog (%s)", exc)
    if chroma_url:
        ChromaStore(Path(data_dir) / "chroma", model_id="", layout="", collection=collection,
                    url=chroma_url).drop_remote()

    SharedSystemClient.clear_system_cache()  # Chroma caches one client per path
    for name in _INDEX_FILES:
        path = Path(data_dir) / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    if followed:
        fresh = Catalog(catalog_path)
        for source in followed:
            fresh.follow({k: source[k] for k in ("name", "url", "kind", "every", "title", "added_at")}
                         | {"next_run": source["added_at"]})
        fresh.close()


class Assistant:
    """Answers questions about the indexed articles, with cited passages.

    Build it with :meth:`from_settings`; the embedding model and the stores load
    lazily, on first use, once per process.
    """

    def __init__(self, settings: Settings, *, catalog: Catalog, store: ChromaStore,
                 keyword: KeywordIndex, embedder: Embedder, indexer: Indexer,
                 retriever: HybridRetriever, answerer: ExtractiveAnswerer,
                 quote_answerer: QuoteAnswerer, follower: Follower, llm: LLMAnswerer | None = None):
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self.keyword = keyword
        self.embedder = embedder
        self.indexer = indexer
        self.retriever = retriever
        self.answerer = answerer
        self.quote_answerer = quote_answerer
        self.follower = follower
        self.llm = llm
        self._keyword_checked = False
        self._watcher: Watcher | None = None

    @classmethod
    def from_settings(cls, settings: Settings | None = None, *,
                      embedder: Embedder | None = None, chat_model=None) -> "Assistant":
        """Build it from settings; ``chat_model`` (any LangChain chat model) overrides the
        one ``settings.llm`` names."""
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
                            collection=s.collection, url=s.chroma_url)
        keyword = KeywordIndex(data / "bm25")
        retriever = HybridRetriever(catalog, store, keyword, embedder, FusionParams(
            keyword_weight=s.keyword_weight, dense_weight=s.dense_weight, rrf_k=s.rrf_k,
            candidates=s.candidates, per_article=s.passages_per_article))
        answerer = ExtractiveAnswerer(
            terms=keyword.terms, idf=keyword.idf, embedder=embedder,
            max_sentences=s.answer_max_sentences, max_words=s.answer_max_words,
            min_coverage=s.min_coverage, articles=catalog)
        quote_answerer = QuoteAnswerer(catalog, retriever, terms=keyword.terms, idf=keyword.idf,
                                       embedder=embedder, max_words=s.answer_max_words)
        indexer = Indexer(catalog, store, keyword, embedder, params, group=s.ingest_group)
        follower = Follower(catalog, indexer, Fetcher(
            user_agent=s.user_agent, delay=s.fetch_delay, timeout=s.fetch_timeout, retries=s.fetch_retries,
            max_bytes=int(s.fetch_max_mb * 1024 * 1024)), recheck_seconds=int(s.source_recheck_hours * 3600))
        model = chat_model if chat_model is not None else make_chat_model(s)
        llm = None
        if model is not None:
            label = describe(s.llm) if chat_model is None else type(chat_model).__name__
            llm = LLMAnswerer(model, verifier=Verifier(terms=keyword.terms, embedder=embedder),
                              max_sentences=s.answer_max_sentences, timeout=s.llm_timeout,
                              serialize=chat_model is None and in_process(s.llm), label=label)
        return cls(s, catalog=catalog, store=store, keyword=keyword, embedder=embedder,
                   indexer=indexer, retriever=retriever, answerer=answerer,
                   quote_answerer=quote_answerer, follower=follower, llm=llm)

    # -- indexing --------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], *, prune: bool = False,
               progress: Progress | None = None) -> IngestReport:
        """Load the files under ``paths`` and index what is new or changed.

        Unreadable files and malformed records are reported in ``report.problems``;
        the rest of the batch is indexed and nothing already indexed is lost.
        """
        return self.ingest_loaded(load_paths(list(paths)), prune=prune, progress=progress)

    def ingest_files(self, files: Sequence[tuple[str, bytes]], *, progress: Progress | None = None
                     ) -> tuple[IngestReport | None, list[tuple[str, LoadResult]]]:
        """Index uploaded files given as ``(name, content)``. Only the name's last part is
        kept: its suffix gives the format and it is reported, never used as a path; nothing
        is written anywhere but the index. Returns the report (None, and nothing indexed,
        when no file held an article) and each file's name and load result. More files than
        ``max_upload_files``, or a file over ``max_upload_mb``, refuses the whole upload."""
        s = self.settings
        if len(files) > s.max_upload_files:
            raise TooLarge(f"The upload has {len(files):,} files; the limit is {s.max_upload_files:,}.",
                           hint="Send them in smaller batches, or raise NEWSDESK_MAX_UPLOAD_FILES.")
        for name, data in files:
            if len(data) > s.max_upload_mb * 1024 * 1024:
                raise TooLarge(f"{name!r} is {len(data) / 1048576:,.2f} MB; the limit is "
                               f"{s.max_upload_mb:g} MB per file.",
                               hint="Split it, or raise NEWSDESK_MAX_UPLOAD_MB.")
        per_file, loaded = [], LoadResult()
        for name, data in files:
            name = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1] or "upload"
            one = load_bytes(name, data)
            per_file.append((name, one))
            loaded.extend(one)
        report = self.ingest_loaded(loaded, progress=progress) if loaded.articles else None
        return report, per_file

    def ingest_loaded(self, loaded: LoadResult, *, prune: bool = False,
                      progress: Progress | None = None) -> IngestReport:
        """Index what a loader returned (``corpus.load_paths``/``load_bytes``)."""
        started = time.perf_counter()
        report = IngestReport(files=loaded.files, problems=list(loaded.problems))
        if prune and loaded.problems:
            # A file we could not read must not make its articles look "removed".
            log.warning("prune skipped: %d files or records could not be loaded", len(loaded.problems))
            prune = False
        self.indexer.ingest(loaded.articles, prune=prune, progress=progress, report=report)
        report.seconds = time.perf_counter() - started
        return report

    def articles(self, title_words: str | None = None, source: str | None = None,
                 since: str | None = None, until: str | None = None) -> list[dict]:
        """The indexed articles (no bodies), newest first: each word of ``title_words`` in the
        title (case ignored), from ``source``, dated within ``since``..``until`` (ISO dates,
        inclusive; an undated article matches no date bound). A malformed date is an error."""
        bounds = SearchFilters(date_from=since, date_to=until)  # validates and normalizes the dates
        words = (title_words or "").lower().split()
        return [r for r in self.catalog.article_rows()
                if all(w in r["title"].lower() for w in words) and (not source or r["source"] == source)
                and bounds.admits(r["source"], r["published_at"])]

    def article(self, article_id: str):
        """One indexed article with its body, or None."""
        return self.catalog.article(article_id)

    def remove(self, article_ids: Sequence[str]) -> int:
        return self.indexer.remove(article_ids)

    # -- stories -----------------------------------------------------------------
    def stories(self, since: str | None = None, *, single: bool = False, limit: int | None = None) -> list[dict]:
        """Developing stories, the latest-updated first: id, title (its first article's),
        first and last dates, article count, outlets. ``since`` (ISO date): only stories
        with an article from that date on; ``single``: single-article stories too."""
        since = SearchFilters(date_from=since).date_from  # validates and normalizes the date
        return self.catalog.stories(since=since, min_articles=1 if single else 2, limit=limit)

    def story(self, story_id: str) -> dict:
        """One story with its articles, oldest first, and its timeline: the dated events its
        articles report, oldest first (day, line, article, the sentence it comes from);
        ``NotFound`` for an unknown id."""
        articles = self.catalog.story_articles(story_id)
        if not articles:
            raise NotFound(f"No story has the id {story_id!r}.",
                           hint="List the stories with `newsdesk stories` (or GET /v1/stories).")
        first, last = articles[0], [a for a in articles if a["published_at"]]
        timeline = [{"day": i.day, "text": i.text, "article_id": i.chunk.article_id, "quote": i.quote}
                    for i in self._events(articles)]
        return {"story": story_id, "title": first["title"], "articles": articles,
                "first": first["published_at"], "last": last[-1]["published_at"] if last else None,
                "outlets": sorted({a["source"] for a in articles}), "timeline": timeline}

    # -- following sources -------------------------------------------------------
    def add_source(self, url: str, *, every: str | int = "1h", name: str | None = None) -> dict:
        """Follow an RSS/Atom feed, a sitemap or an article page (fetched once now to learn
        what it is); its articles are indexed when it runs (``fetch_sources`` or ``watch``)."""
        source = self.follower.add(url, every=every, name=name)
        if self._watcher is not None:
            self._watcher.wake()  # a running worker fetches it now, not at its next look
        return source

    def sources(self) -> list[dict]:
        """The followed sources and their state (last fetched, items, new articles, last
        error, next run)."""
        return self.follower.sources()

    def source(self, name: str) -> dict:
        """One followed source, with its items' recent errors."""
        return self.follower.source(name)

    def remove_source(self, name: str) -> bool:
        """Stop following a source; its articles stay indexed."""
        return self.follower.remove(name)

    def fetch_sources(self, names: Sequence[str] | None = None, *, progress=None) -> list[RunReport]:
        """Fetch the named sources now (default: the due ones) and index what is new."""
        return self.follower.run(list(names) if names is not None else None, progress=progress)

    def ingest_url(self, url: str) -> IngestReport:
        """Fetch one article page now and index it."""
        started = time.perf_counter()
        report = self.follower.ingest_url(url)
        report.files = 1
        report.seconds = time.perf_counter() - started
        return report

    def watch(self, *, poll: float = 60.0) -> Watcher:
        """Start fetching due sources in a background thread; ``.stop()`` it when done."""
        self._watcher = Watcher(self.follower, poll=poll).start()
        return self._watcher

    # -- asking ----------------------------------------------------------------
    def check_question(self, question: str) -> str:
        if not isinstance(question, str):
            raise InvalidInput("The question must be text.")
        q = plain(question)
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
            self.indexer.refresh()
            self._keyword_checked = True

    def search(self, query: str, k: int | None = None,
               filters: SearchFilters | None = None) -> list[Hit]:
        q = self.check_question(query)
        self._ready()
        return self.retriever.search(q, k or self.settings.top_k, filters)

    def ask(self, question: str, history: Sequence = (),
            filters: SearchFilters | None = None, *, statements: bool = True,
            as_of: str | None = None) -> Answer:
        """Answer ``question`` from the indexed articles.

        ``history`` holds the earlier turns as ``{"role": "user"|"assistant", "content": ...}``
        dicts (what the web chat passes); a follow-up ("What about Tregubov?", "Who is he?")
        is rewritten to stand alone before retrieval (``answer.standalone``). Questions about
        statements ("What did X say?", "Who said ...?", "Who is X?") are answered from the
        attribution index; ``statements=False`` answers every question from retrieved
        passages instead. With an LLM configured, it writes the answer from those passages
        and every cited sentence is checked (see :meth:`ask_stream`).

        ``as_of`` (ISO date; or "as of <date>" in the question) answers as things stood on
        that date: only articles published by then, and a question about a figure that
        changes ("How many have died?") gets the newest figure then, dated, and the earlier
        ones after it (``assistant.latest``), as "so far"/"latest" questions do.
        """
        answer = None
        for item in self.ask_stream(question, history, filters, statements=statements, as_of=as_of):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(self, question: str, history: Sequence = (),
                   filters: SearchFilters | None = None, *,
                   statements: bool = True, as_of: str | None = None) -> Iterator[str | Answer]:
        """Like :meth:`ask`, streaming: yields the LLM's text piece by piece as it is
        written (nothing without an LLM), then the checked :class:`Answer` last.

        The final text can differ from the streamed one: invalid citation markers are
        removed, markers renumbered, and sentences the cited passages do not support are
        listed in ``answer.sentences``. If the LLM fails, stalls or writes nothing that
        checks out, the answer is the extractive one with ``answer.notice`` saying why.
        """
        for item in self._ask_stream(question, history, filters, statements=statements, as_of=as_of):
            yield self._with_versions(item) if isinstance(item, Answer) else item

    def _with_versions(self, answer: Answer) -> Answer:
        """Each citation of a story with copies names its other versions."""
        groups = self.catalog.copy_groups(list({c.article_id for c in answer.citations}))
        if not groups:
            return answer
        versions = self.catalog.copy_versions(sorted(set(groups.values())))
        answer.citations = [
            replace(c, also_published=tuple(v for v in versions.get(groups[c.article_id], ())
                                            if v["article_id"] != c.article_id))
            if c.article_id in groups else c for c in answer.citations]
        return answer

    def _ask_stream(self, question: str, history: Sequence, filters: SearchFilters | None, *,
                    statements: bool, as_of: str | None) -> Iterator[str | Answer]:
        q = self.check_question(question)
        as_of = _as_of_date(as_of)
        self._ready()
        t0 = time.perf_counter()
        rewrite = self._standalone(q, normalize_history(history))
        stated, searched = as_of_in(rewrite.searched)
        as_of = as_of or stated
        asked = analyze(searched)
        filters = _narrowed(_narrowed(filters, rewrite.since, rewrite.until), None, as_of)
        answer = self._extractive(searched, filters, statements, t0, asked, as_of)
        answer.question = q
        answer.standalone = rewrite.searched if rewrite.changed else None
        # no LLM, nothing to write from, or the question's constraints or kind of answer are
        # not met by the articles (a definite "they don't answer this", not a weak match)
        # (figures newest first are composed from dated reports, not written by the LLM)
        if self.llm is None or not answer.passages or answer.answerer in ("latest", "timeline") or (
                not answer.covered and answer.text != NOT_COVERED):
            yield answer
            return
        # the passages holding the sentences the question analysis chose come first
        cited = {(c.article_id, c.passage_start) for c in answer.citations}
        first = sorted(answer.passages, key=lambda h: (h.chunk.article_id, h.chunk.start) not in cited)
        yield from self._generate(replace(answer, passages=first), rewrite.searched, asked)

    def _standalone(self, question: str, history: list) -> Rewrite:
        if not history:
            return Rewrite(question)
        rules = rewrite_by_rules(question, history)
        if self.llm is not None and needs_context(question):
            text = self.llm.rewrite(question, history)
            if text:
                return Rewrite(text, since=rules.since, until=rules.until, how="llm",
                               context=tuple(c for c in rules.context if c.lower() not in text.lower()))
        return rules

    def _extractive(self, q: str, filters: SearchFilters | None, statements: bool, t0: float,
                    asked: Question, as_of: str | None = None) -> Answer:
        timeline = timeline_asked(q, as_of)
        if timeline is not None:  # "Timeline of X", "How did X unfold?", "What happened since D?"
            found = self._timeline(timeline, filters, t0, as_of)
            if found is not None:
                return found
        query = self.quote_answerer.understand(q, asked, filters) if statements else None
        if query is not None:  # "What did X say?", "Who said ...?", "Who is X?"
            found = self.quote_answerer.answer(query, q, filters, asked)
            if found is not None and found.covered:
                took = time.perf_counter() - t0  # finding the statements, then composing
                return Answer(question=q, text=found.text, citations=found.citations,
                              passages=found.hits, covered=True, answerer="statements",
                              timings={"retrieve": took - found.compose_s, "answer": found.compose_s})
            if found is not None:  # never quoted: say so; the passages may still hold their words
                fallback = self._retrieve_and_answer(q, filters, t0, asked)
                if fallback.covered and quotes_of(fallback, query.speaker or ""):
                    fallback.text = f"{found.text} What the articles say about {query.speaker}: {fallback.text}"
                    return fallback
                return Answer(question=q, text=found.text + mentioned_in(fallback.passages, query.speaker or ""),
                              covered=False, passages=fallback.passages,
                              timings={"retrieve": time.perf_counter() - t0, "answer": 0.0})
        if as_of or asks_latest(asked):
            latest = self._latest(q, filters, t0, asked, as_of)
            if latest is not None:
                return latest
        return self._retrieve_and_answer(q, filters, t0, asked)

    def _latest(self, q: str, filters: SearchFilters | None, t0: float, asked: Question,
                as_of: str | None) -> Answer | None:
        """A figure that changes, newest first (``assistant.latest``); None when no report
        gives it: the usual answer then."""
        q = without_now(q)
        if as_of and filters is not None and filters.date_to == as_of:
            # a figure as of D may come from a later report ("36 infections on 20 December", in
            # an article of the 26th): reports of the days after are read too, and the figures
            # dated by D kept
            later = (dt.date.fromisoformat(as_of) + dt.timedelta(days=LATER_REPORTS)).isoformat()
            filters = SearchFilters(filters.sources, filters.date_from, later)
        vector = self.embedder.embed_query(q)
        hits = self.retriever.search(q, max(3 * self.settings.top_k, 24), filters, query_vector=vector)
        read = list(dict.fromkeys(h.chunk.article_id for h in hits))[:REPORTS]
        bounds = filters or SearchFilters()
        for story in dict.fromkeys(self.catalog.story_of(read[:2]).values()):  # the story's newest reports
            newer = [a["article_id"] for a in reversed(self.catalog.story_articles(story))
                     if bounds.admits(a["source"], a["published_at"])]
            read += [a for a in newer if a not in read][:REPORTS]
        t1 = time.perf_counter()
        reports = []
        for aid in read:  # each report's figures: the facts its best fitting sentences give
            passages = [h for h in hits if h.chunk.article_id == aid] or \
                [Hit(c, 0.0) for c in self.catalog.article_chunks(aid)[:1]]
            reports += [Report(*found) for found in self.answerer.facts(q, passages, vector, asked,
                                                                        keep=partial(fits, asked))]
        reports = newest_first([r for r in reports if not as_of or r.date and r.date <= as_of])
        if not reports:
            return None
        text, citations = compose(reports, as_of)
        passages = hits + self._cited_passages(citations, hits)
        return Answer(question=q, text=text, citations=citations, passages=passages, covered=True,
                      answerer="latest", timings={"retrieve": t1 - t0, "answer": time.perf_counter() - t1})

    def _timeline(self, asked: TimelineAsk, filters: SearchFilters | None, t0: float,
                  as_of: str | None) -> Answer | None:
        """The dated events of the story the question names, oldest first, one cited line
        each (``assistant.timeline``); without a story named, the opening news of each
        article since the day asked. None when no event is found: the usual answer then."""
        bounds = filters or SearchFilters()
        hits: list[Hit] = []
        if asked.topic:
            hits = self.retriever.search(asked.topic, max(3 * self.settings.top_k, 24), filters)
            if not hits:
                return None
            first = hits[0].chunk
            if not about(asked.topic, first.title, self.catalog.body(first.article_id) or "", self.keyword.terms):
                return None  # the best article is not about it: the usual answer says what there is
            story = self.catalog.story_of([first.article_id]).get(first.article_id)
            articles = [a for a in (self.catalog.story_articles(story) if story else [])
                        if bounds.admits(a["source"], a["published_at"])] or [_fields(first)]
            title = articles[0]["title"]
            # articles the story linking missed: retrieved for the topic, and about it
            have = {a["article_id"] for a in articles}
            others = [a for a in dict.fromkeys(h.chunk.article_id for h in hits) if a not in have][:RELATED]
            for aid in others:
                lead = self.catalog.article_chunks(aid)[0]
                if about(asked.topic, lead.title, lead.text, self.keyword.terms, self.keyword.idf):
                    articles.append(_fields(lead))
            articles.sort(key=lambda a: a["published_at"] or "9999")
        else:
            articles = [dict(zip(ARTICLE_FIELDS, (r["id"], r["title"], r["source"], r["published_at"], r["url"])))
                        for r in self.articles(since=asked.since, until=as_of)][:SINCE_ARTICLES][::-1]
            title = ""
        t1 = time.perf_counter()
        items = self._events(articles, since=asked.since, until=as_of, leads_only=not asked.topic)
        if asked.latest:
            items = newest(items)
        if not items:
            return None
        text, citations = compose_timeline(items, title, articles, asked.since, latest=asked.latest)
        shown = hits[:self.settings.top_k]
        passages = shown + self._cited_passages(citations, shown)
        return Answer(question=asked.topic, text=text, citations=citations, passages=passages, covered=True,
                      answerer="timeline", timings={"retrieve": t1 - t0, "answer": time.perf_counter() - t1})

    def _events(self, articles: Sequence[dict], *, since: str | None = None, until: str | None = None,
                leads_only: bool = False) -> list:
        """The dated events of these articles (one story's, else each one's opening news
        alone), one per event, oldest first (``assistant.timeline``)."""
        items = []
        for a in articles:
            found = events(self.catalog.body(a["article_id"]) or "",
                           self.catalog.article_chunks(a["article_id"]), a["published_at"], self.keyword.terms)
            items += found[:1] if leads_only else found
        dated = [a["published_at"] for a in articles if a["published_at"]]
        return merge(items, since=since, until=until, first_report=None if leads_only or not dated else min(dated))

    def _generate(self, base: Answer, question: str, asked: Question) -> Iterator[str | Answer]:
        """The LLM's answer from ``base.passages``, streamed, then checked; ``base`` when it fails."""
        llm = self.llm
        started = time.perf_counter()
        timings = dict(base.timings)
        pieces: list[str] = []
        try:
            for piece in timed(llm.stream(llm.messages(question, base.passages)), started, timings):
                pieces.append(piece)
                yield piece
        except LLMError as exc:
            log.warning("LLM answer failed: %s", exc.message)
            yield replace(base, notice=f"{exc.message} This is the extractive answer instead.")
            return
        timings["generate"] = time.perf_counter() - started
        text, citations, checked = llm.check("".join(pieces), base.passages)
        timings["check"] = time.perf_counter() - started - timings["generate"]
        if not checked.supported:
            injected = any("prompt injection" in p for c in checked.sentences for p in c.problems)
            why = ("cited no passage" if not checked.cited_numbers
                   else "cited a passage that gives instructions to the assistant (a possible "
                   "prompt injection)" if injected else "cited passages that do not support it")
            yield replace(base, timings=timings, notice=f"The LLM's answer {why}, so this is the "
                          "extractive answer instead.", sentences=checked.sentences)
            return
        notes = []
        if asked.wants in STRICT and not any(kind_fit(MARKER.sub("", s.text), asked) >= 0.7
                                             for s in checked.sentences if s.supported):
            notes.append(f"It does not state {KIND_WORD[asked.wants]} the question asks for.")
        if checked.unsupported:
            notes.append(f"Sentences marked ⚠ ({checked.unsupported}) are not supported by the "
                         "passages they cite.")
        if checked.removed_markers:
            notes.append(f"Citations of passages that do not exist were removed ({checked.removed_markers}).")
        yield Answer(question=base.question, text=text, citations=citations, passages=base.passages,
                     covered=True, timings=timings, answerer=f"llm:{llm.label}",
                     standalone=base.standalone, notice=" ".join(notes), sentences=checked.sentences)

    def _retrieve_and_answer(self, q: str, filters: SearchFilters | None, t0: float,
                             asked: Question) -> Answer:
        vector = self.embedder.embed_query(q)  # once per turn: retrieval and answer share it
        hits = self.retriever.search(q, self.settings.top_k, filters, query_vector=vector)
        t1 = time.perf_counter()
        if hits:
            text, citations, covered = self.answerer.answer(q, hits, question_vector=vector, asked=asked)
            hits = hits + self._cited_passages(citations, hits)
        else:
            text, citations, covered = NOT_COVERED, [], False
        t2 = time.perf_counter()
        return Answer(question=q, text=text, citations=citations, passages=hits, covered=covered,
                      timings={"retrieve": t1 - t0, "answer": t2 - t1})

    def _cited_passages(self, citations: Sequence[Citation], hits: Sequence[Hit]) -> list[Hit]:
        """The passages citations quote that retrieval did not return (the answerer reads whole
        articles), so that every cited passage is among the answer's passages."""
        have = {(h.chunk.article_id, h.chunk.start) for h in hits}
        wanted = [(c.article_id, c.passage_start) for c in citations]
        wanted = [w for w in dict.fromkeys(wanted) if w not in have]
        chunks = {(ch.article_id, ch.start): ch  # one read per article
                  for article_id in dict.fromkeys(a for a, _ in wanted)
                  for ch in self.catalog.article_chunks(article_id)}
        return [Hit(chunks[w], 0.0) for w in wanted if w in chunks]

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
        groups, in_groups = self.catalog.copy_group_count()
        stories, in_stories = self.catalog.story_count()
        return {
            "articles": articles,
            "chunks": chunks,
            "vectors": self.store.count(),
            "keyword_chunks": len(self.keyword),
            "statements": self.catalog.statement_count(),
            "embedding_model": self.embedder.model_id,
            "index_path": str(Path(self.settings.data_dir).resolve()),
            "vector_store": f"Chroma server {self.settings.chroma_url}" if self.settings.chroma_url
            else "embedded Chroma",
            "sources": self.catalog.sources(),
            "followed_sources": len(self.follower.sources()),
            "copy_groups": groups,  # stories with more than one version (copies)
            "articles_in_copy_groups": in_groups,
            "stories": stories,  # developing stories: more than one article
            "articles_in_stories": in_stories,
            "answerer": f"llm:{self.llm.label}" if self.llm else "extractive",
        }

    def is_empty(self) -> bool:
        """Whether no article is indexed."""
        return not self.catalog.counts()[0]

    def check(self, *, repair: bool = False) -> dict:
        """Whether the catalog, the vectors and the keyword index agree (counts and what
        disagrees); ``repair`` fixes what disagrees first (``Indexer.check``/``repair``)."""
        return self.indexer.repair() if repair else self.indexer.check()

    def statement_passage(self, statement) -> tuple:
        """The passage a statement was found in: ``(chunk or None, quote start, quote end)``
        (offsets in the article body)."""
        return self.quote_answerer.passage_of(statement)

    def example_questions(self) -> list[str]:
        """Questions a reader would ask that the indexed articles answer: the seed article's,
        then, from the newest articles that quote someone by name and role, what that person
        said or who they are."""
        rows = self.catalog.article_rows()
        seed = [r for r in rows if r["title"].startswith(SEED_TITLE)]
        examples = list(SEED_EXAMPLES) if seed else []
        for r in [r for r in rows if r not in seed][:50]:
            if len(examples) >= 6:
                break
            quoted = [s for s in self.catalog.statements(article_ids=[r["id"]])
                      if s.person and s.kind == DIRECT and s.role and len(s.speaker.split()) > 1]
            if quoted:
                who = quoted[0].speaker
                examples.append(f"Who is {who}?" if len(examples) % 2 else f"What did {who} say?")
        return examples
