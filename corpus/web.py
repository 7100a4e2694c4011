"""Polite HTTP for following news sources: one request at a time per host, robots.txt,
conditional requests, bounded retries, redirects and sizes, with httpx.

``Fetcher.get(url, etag=..., last_modified=...)`` returns a ``Page`` (status 200 with its
bytes, or 304 when the server says nothing changed) or raises ``FetchError`` with a message
that names the problem. Nothing here knows feeds or articles.
"""

from __future__ import annotations

import email.utils
import re
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from corpus.errors import NewsdeskError

ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is trusted before it is read again
RETRY_AFTER_MAX = 120.0  # the longest Retry-After honoured; longer waits fail this run
_RETRY_STATUS = {429, 500, 502, 503, 504}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class FetchError(NewsdeskError):
    """A URL could not be fetched (unreachable, refused by robots.txt, an HTTP error...)."""

    status = 502


@dataclass
class Page:
    """What a GET returned: ``status`` 200 (``content`` holds the body) or 304."""

    url: str  # after redirects
    status: int
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        """The body as text: the charset the server names, else the page's ``<meta charset>``,
        else UTF-8, else the most likely encoding (charset_normalizer)."""
        declared = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", self.headers.get("content-type", ""), re.I)
        meta = _META_CHARSET.search(self.content[:4096])
        for name in (declared.group(1) if declared else None, meta.group(1).decode() if meta else None):
            if name:
                try:
                    return self.content.decode(name)
                except (LookupError, UnicodeDecodeError):
                    continue
        try:
            return self.content.decode("utf-8-sig")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(self.content).best()
            return str(best) if best is not None else self.content.decode("utf-8", errors="replace")


class Fetcher:
    """GETs for news sources, polite by construction.

    - one request at a time per host, at least ``delay`` seconds apart;
    - robots.txt obeyed for ``user_agent`` (read once an hour per host; a missing one allows
      everything, an unreachable one refuses for now, as RFC 9309 says);
    - ``timeout`` seconds to connect and between bytes; ``retries`` more attempts after a
      429, a 5xx or a network error, waiting ``backoff`` x 2^attempt (or the Retry-After);
    - redirects followed by hand (robots.txt and the delay apply to every hop), at most
      ``max_redirects``; responses over ``max_bytes`` (after gzip) are refused.
    """

    def __init__(self, *, user_agent: str, delay: float = 1.0, timeout: float = 20.0, retries: int = 2,
                 backoff: float = 1.0, max_bytes: int = 10 * 1024 * 1024, max_redirects: int = 5):
        import httpx

        self.user_agent = user_agent
        self.delay = delay
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False)
        self._hosts: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None, str]] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = "*/*") -> Page:
        """GET ``url`` politely; with ``etag``/``last_modified`` a conditional GET (a 304 comes
        back as a ``Page`` with ``not_modified``). ``FetchError`` says what went wrong."""
        check_url(url)
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(self.max_redirects + 1):
            self._allowed(url)
            page = self._get_once(url, headers)
            if page.status in (301, 302, 303, 307, 308):
                target = page.headers.get("location")
                if not target:
                    raise FetchError(f"{url} redirects (HTTP {page.status}) without saying where to.")
                url = urljoin(url, target)
                check_url(url)
                continue
            if page.status in (200, 304):
                return page
            raise FetchError(f"{url} answered HTTP {page.status}.", hint=_status_hint(page.status))
        raise FetchError(f"{url} redirects more than {self.max_redirects} times.",
                         hint="Add the address it finally leads to instead.")

    # -- one request, with retries ------------------------------------------------
    def _get_once(self, url: str, headers: dict[str, str]) -> Page:
        import httpx

        attempt = 0
        while True:
            try:
                page = self._request(url, headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt >= self.retries:
                    raise FetchError(f"{url} could not be fetched: {_describe(exc)}.",
                                     hint="Check the address and the network; the next run tries again.") from None
                wait = self.backoff * 2 ** attempt
            else:
                if page.status not in _RETRY_STATUS or attempt >= self.retries:
                    return page
                wait = _retry_after(page.headers.get("retry-after"), self.backoff * 2 ** attempt)
                if wait > RETRY_AFTER_MAX:
                    raise FetchError(f"{url} answered HTTP {page.status} and asks to wait "
                                     f"{wait:.0f} s.", hint="The next run tries again.")
            attempt += 1
            time.sleep(wait)

    def _request(self, url: str, headers: dict[str, str]) -> Page:
        """One GET, the host's turn waited for; the body read up to ``max_bytes``."""
        host = urlsplit(url).netloc.lower()
        with self._guard:
            lock = self._hosts.setdefault(host, threading.Lock())
        with lock:
            pause = self._last.get(host, 0.0) + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    size = int(response.headers.get("content-length") or 0)
                    if size > self.max_bytes and response.status_code == 200:
                        raise FetchError(f"{url} is {size / 1048576:,.1f} MB; the limit is "
                                         f"{self.max_bytes / 1048576:,.1f} MB.")
                    body = bytearray()
                    if response.status_code == 200:
                        for piece in response.iter_bytes():  # decompressed: a gzip bomb stops here too
                            body += piece
                            if len(body) > self.max_bytes:
                                raise FetchError(f"{url} is larger than the limit of "
                                                 f"{self.max_bytes / 1048576:,.1f} MB.")
                    return Page(url=str(response.url), status=response.status_code, content=bytes(body),
                                headers={k.lower(): v for k, v in response.headers.items()})
            finally:
                self._last[host] = time.monotonic()

    # -- robots.txt ---------------------------------------------------------------------
    def _allowed(self, url: str) -> None:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        with self._guard:
            cached = self._robots.get(root)
        if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL:
            cached = (time.monotonic(), *self._read_robots(root))
            with self._guard:
                self._robots[root] = cached
        _, rules, problem = cached
        if rules is None:
            raise FetchError(f"{url}: the site's robots.txt could not be read ({problem}), so nothing "
                             "is fetched from it for now.", hint="The next run tries again.")
        if not rules.can_fetch(self.user_agent, url):
            raise FetchError(f"{url} is disallowed by the site's robots.txt.",
                             hint="Newsdesk does not fetch pages a site asks robots to leave alone.")

    def _read_robots(self, root: str) -> tuple[urllib.robotparser.RobotFileParser | None, str]:
        rules = urllib.robotparser.RobotFileParser(root + "/robots.txt")
        try:
            page = self._get_once(root + "/robots.txt", {"Accept": "text/plain"})
            for _ in range(self.max_redirects):  # robots.txt may redirect (e.g. http -> https)
                if page.status not in (301, 302, 303, 307, 308) or "location" not in page.headers:
                    break
                page = self._get_once(urljoin(page.url, page.headers["location"]), {"Accept": "text/plain"})
        except FetchError as exc:
            return None, exc.message
        if page.status >= 500:
            return None, f"HTTP {page.status}"
        if page.status != 200:  # 4xx: no robots.txt, everything allowed
            rules.allow_all = True
            return rules, ""
        rules.parse(page.text().splitlines())
        return rules, ""


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"{url!r} is not an http(s) address.",
                         hint="Give the full address, e.g. https://example.org/feed.xml.")


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return "The site refuses this request; Newsdesk fetches only what is public."
    if status == 404:
        return "The page is not there (any more); check the address."
    return "The next run tries again."


def _retry_after(value: str | None, default: float) -> float:
    if not value:
        return default
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return default
    return max(0.0, when - time.time())


def _describe(exc: Exception) -> str:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time (timed out)"
    return str(exc) or type(exc).__name__
