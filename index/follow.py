"""Following news sources: feeds, sitemaps and pages fetched on a schedule and indexed.

``Follower.add(url)`` reads the address once to learn what it is (a feed, a sitemap or
an article page) and its name, and stores it in the catalog. ``run(name)`` fetches it:
one conditional request for the listing (an unchanged feed costs one 304), then the
full page of every item not fetched before, marked updated by the listing, failed last
time, or due a re-check, in groups that are indexed (crash-safely, under the index's
write lock) before the items are recorded as fetched. A fault (the source down, slow,
malformed, HTML instead of a feed; an item's 404 or a page with no article) is recorded
on the source or the item and the run moves on; nothing already indexed is touched.
``Watcher`` runs due sources in a background thread, one at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from corpus import Article, InvalidInput, NewsdeskError
from corpus.errors import NotFound
from corpus.feeds import Item, Listing, canonical, looks_like_html, page_article, read_listing
from corpus.web import Fetcher, FetchError, Page

from .catalog import Catalog
from .ingest import IndexBusy, Indexer, IngestReport

log = logging.getLogger(__name__)

GROUP = 16  # items fetched, then indexed and recorded together
MAX_ITEMS = 1000  # items taken from one listing per run (newest first as listed)
MAX_CHILD_SITEMAPS = 50
MAX_BACKOFF = 8  # a failing source waits at most this many intervals
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


class UnknownSource(NotFound):
    """No followed source has that name."""


def parse_every(text: str | int) -> int:
    """``"15m"``, ``"2h"``, ``"1d"``, ``"90s"`` or seconds as a number: the interval in
    seconds (at least a minute)."""
    match = _EVERY.match(str(text))
    if not match:
        raise InvalidInput(f"{text!r} is not an interval.", hint='Write it like "15m", "2h" or "1d".')
    seconds = int(float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()])
    if seconds < 60:
        raise InvalidInput(f"Every {seconds} s is too often for a news source.", hint="Use 1m or more.")
    return seconds


def every_text(seconds: int) -> str:
    """An interval as ``parse_every`` reads it: 900 -> "15m"."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def when_text(iso: str | None) -> str:
    """A stored time for people: "2026-12-07 15:40:00 UTC", or "never"."""
    return iso.replace("T", " ").removesuffix("Z") + " UTC" if iso else "never"


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class RunReport:
    """What one run of one source did."""

    name: str
    status: str = "ok"  # ok, not modified, error, busy
    items_seen: int = 0
    fetched: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str = ""
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.status == "not modified":
            return f"{self.name}: not modified since the last fetch (HTTP 304); nothing fetched"
        if self.status in ("error", "busy"):
            return f"{self.name}: {self.error}"
        return (f"{self.name}: {_n(self.items_seen, 'item')}, {_n(self.fetched, 'page')} fetched: "
                f"{_n(self.added, 'new article')}, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.failed} failed")


class Follower:
    def __init__(self, catalog: Catalog, indexer: Indexer, fetcher: Fetcher, *,
                 recheck_seconds: int = 86400, group: int = GROUP, max_items: int = MAX_ITEMS):
        self.catalog = catalog
        self.indexer = indexer
        self.fetcher = fetcher
        self.recheck_seconds = recheck_seconds
        self.group = group
        self.max_items = max_items
        self._one_at_a_time = threading.Lock()

    # -- the list ---------------------------------------------------------------------
    def add(self, url: str, *, every: str | int = "1h", name: str | None = None) -> dict:
        """Follow ``url``: it is fetched once to learn its kind and name (nothing is indexed
        until it runs). A name or address already followed is an error."""
        seconds = parse_every(every)
        url = url.strip()
        if name is not None and not name.strip():
            raise InvalidInput("The source's name is empty.", hint="Leave --name out to take the feed's own.")
        if any(canonical(s["url"]) == canonical(url) for s in self.catalog.followed()):
            raise InvalidInput(f"{url} is already followed.", hint="`newsdesk sources` lists what is.")
        page = self.fetcher.get(url)
        try:
            listing = read_listing(page)
        except InvalidInput as exc:
            raise InvalidInput(f"{url} is not a feed, a sitemap or an article page: {exc.message}",
                               hint="Give the address of an RSS/Atom feed, a sitemap or an article.") from None
        title = listing.title or (page_title(page) if listing.kind == "page" else "")
        if name is None:
            name = _unique(self.catalog, _name_for(title, url))
        elif self.catalog.followed(name := name.strip()):
            raise InvalidInput(f"A source is already called {name!r}.", hint="Choose another --name.")
        when = now()
        self.catalog.follow({"name": name, "url": url, "kind": listing.kind, "every": seconds, "title": title,
                             "added_at": stamp(when), "next_run": stamp(when)})
        log.info("following %s (%s) as %r, every %d s", url, listing.kind, name, seconds)
        return self.catalog.followed(name)[0]

    def remove(self, name: str) -> bool:
        """Stop following ``name`` (its articles stay indexed)."""
        return self.catalog.unfollow(name)

    def sources(self) -> list[dict]:
        return self.catalog.followed()

    def source(self, name: str) -> dict:
        found = self.catalog.followed(name)
        if not found:
            raise UnknownSource(f"No source is called {name!r}.", hint="`newsdesk sources` lists them.")
        return {**found[0], "item_errors": self.catalog.item_errors(name)}

    def due(self) -> list[str]:
        at = stamp(now())
        return [s["name"] for s in self.catalog.followed() if s["next_run"] <= at]

    def next_due(self) -> dt.datetime | None:
        runs = [s["next_run"] for s in self.catalog.followed()]
        return dt.datetime.fromisoformat(min(runs).replace("Z", "+00:00")) if runs else None

    # -- running ------------------------------------------------------------------------
    def run(self, names: list[str] | None = None, *, progress: Callable[[RunReport], None] | None = None
            ) -> list[RunReport]:
        """Fetch the named sources (default: those due), one at a time; a report each."""
        reports = []
        for name in names or ():
            self.source(name)  # an unknown name is an error before anything runs
        with self._one_at_a_time:
            for name in (self.due() if names is None else names):
                report = self._run_one(self.catalog.followed(name)[0])
                log.info("source %s", report.summary())
                reports.append(report)
                if progress:
                    progress(report)
        return reports

    def _run_one(self, source: dict) -> RunReport:
        report = RunReport(source["name"])
        started = now()
        page = listing = None
        try:
            page = self.fetcher.get(source["url"], etag=source["etag"], last_modified=source["last_modified"])
            if page.not_modified:
                report.status = "not modified"
            else:
                listing = self._listing(page, source)
                report.items_seen = len(listing.items)
                self._fetch_items(source["name"], listing, page, report)
        except IndexBusy as exc:
            report.status, report.error = "busy", exc.user_message()
        except NewsdeskError as exc:
            report.status, report.error = "error", exc.user_message()
        self._record(source, report, page if report.status != "error" else None, listing, started)
        return report

    def _listing(self, page: Page, source: dict) -> Listing:
        try:
            listing = read_listing(page)
        except InvalidInput as exc:
            raise FetchError(exc.message, hint="Nothing was indexed from it this time.") from None
        if source["kind"] != "page" and listing.kind == "page":
            raise FetchError(f"{source['url']} returned a web page, not a {source['kind']}.",
                             hint="Check the address; the next run tries again.")
        if listing.kind == "sitemap index":  # the sitemaps it lists, read in turn
            items: list[Item] = []
            for child in listing.items[:MAX_CHILD_SITEMAPS]:
                try:
                    sub = read_listing(self.fetcher.get(child.url))
                except (FetchError, InvalidInput) as exc:
                    listing.warning = f"sitemap {child.url}: {exc.message}"
                    continue
                items += [i for i in sub.items if sub.kind == "sitemap"]
            listing.items = items
        listing.items = list({i.key: i for i in listing.items[:self.max_items]}.values())
        return listing

    def _fetch_items(self, name: str, listing: Listing, page: Page, report: RunReport) -> None:
        known = self.catalog.source_items(name)
        recheck_before = stamp(now() - dt.timedelta(seconds=self.recheck_seconds))
        todo = [i for i in listing.items if listing.kind == "page" or i.key not in known
                or known[i.key]["error"] or (i.stamp and i.stamp != known[i.key]["stamp"])
                or known[i.key]["fetched_at"] < recheck_before]
        if listing.warning:
            report.problems.append(listing.warning)
        for g in range(0, len(todo), self.group):
            articles: list[Article] = []
            rows: list[dict] = []
            for item in todo[g:g + self.group]:
                before = known.get(item.key) or {}
                row = {"key": item.key, "url": item.url, "stamp": item.stamp, "fetched_at": stamp(now()),
                       "article_id": before.get("article_id"), "error": ""}
                try:
                    if listing.kind == "page":
                        got = page
                    else:
                        changed = item.stamp and item.stamp != before.get("stamp")
                        got = self.fetcher.get(item.url, etag=None if changed else before.get("etag"),
                                               last_modified=None if changed else before.get("last_modified"))
                        report.fetched += 1
                    if got.not_modified:
                        report.unchanged += 1
                        row.update(etag=before.get("etag"), last_modified=before.get("last_modified"))
                    else:
                        article = page_article(got, item)
                        articles.append(article)
                        row.update(article_id=article.id, etag=got.etag, last_modified=got.last_modified)
                except NewsdeskError as exc:
                    row["error"] = exc.message
                    report.failed += 1
                    report.problems.append(exc.message if item.url in exc.message else f"{item.url}: {exc.message}")
                rows.append(row)
            if articles:
                done = self.indexer.ingest(articles)  # IndexBusy: nothing recorded, the next run redoes it
                report.added += done.added
                report.updated += done.updated
                report.unchanged += done.unchanged + done.duplicates
            self.catalog.put_source_items(name, rows)

    def _record(self, source: dict, report: RunReport, page: Page | None, listing: Listing | None,
                started: dt.datetime) -> None:
        failures = source["failures"] + 1 if report.status in ("error", "busy") else 0
        wait = source["every"] * min(2 ** max(failures - 1, 0), MAX_BACKOFF)
        if report.status == "error":
            error = report.error
        elif report.problems:
            error = (f"{report.failed} of {report.items_seen} items failed; " if report.failed else "") + \
                report.problems[0]
        else:
            error = report.error
        update = {"last_fetched": stamp(started), "last_status": report.status,
                  "last_error": error, "failures": failures,
                  "next_run": stamp(started + dt.timedelta(seconds=wait)),
                  "new_articles": source["new_articles"] + report.added,
                  "updated_articles": source["updated_articles"] + report.updated}
        if listing is not None:
            update["items_seen"] = report.items_seen
            update["title"] = listing.title or source["title"]
        if page is not None and report.status == "ok" and not report.failed:
            # remembered only when every item was handled: else the next run reads the listing again
            update.update(etag=page.etag, last_modified=page.last_modified)
        self.catalog.update_followed(source["name"], update)

    def ingest_url(self, url: str) -> IngestReport:
        """Fetch one article page now and index it."""
        page = self.fetcher.get(url)
        if not looks_like_html(page.content):
            raise InvalidInput(f"{url} is not a web page ({page.content_type or 'no content type'}).",
                               hint="Follow a feed or sitemap with `newsdesk sources add URL`.")
        return self.indexer.ingest([page_article(page)])


class Watcher:
    """Runs due sources in a background thread until stopped; ``wake()`` makes it look now
    (e.g. after a source is added). Questions are never blocked: the worker only writes
    through the indexer, one source at a time."""

    def __init__(self, follower: Follower, *, poll: float = 60.0):
        self.follower = follower
        self.poll = poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="newsdesk-sources", daemon=True)

    def start(self) -> "Watcher":
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.follower.run()
            except Exception:  # noqa: BLE001 - the worker must outlive any one bad run
                log.exception("running the due sources failed; trying again later")
            following = self.follower.next_due()
            wait = self.poll if following is None else (following - now()).total_seconds()
            self._wake.wait(max(1.0, min(wait, self.poll)))
            self._wake.clear()


def _n(count: int, thing: str) -> str:
    return f"{count} {thing}{'' if count == 1 else 's'}"


def page_title(page: Page) -> str:
    try:
        return page_article(page).title
    except InvalidInput:
        return ""


def _name_for(title: str, url: str) -> str:
    """A short handle: the feed's title as a slug, else the host (and the path's last part)."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    if words:
        return "-".join(words)[:40].strip("-")
    parts = urlsplit(url)
    tail = [p for p in parts.path.split("/") if p][-1:] if parts.path else []
    return "-".join([(parts.hostname or "source").removeprefix("www.")] + [re.sub(r"\.\w+$", "", t) for t in tail])


def _unique(catalog: Catalog, name: str) -> str:
    taken = {s["name"] for s in catalog.followed()}
    if name not in taken:
        return name
    n = 2
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"
