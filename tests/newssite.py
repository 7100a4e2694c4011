"""A news site on 127.0.0.1 for the source-following tests and benchmark, built from the
bundled Wikinews articles: an RSS feed, an Atom feed, a sitemap index with a news sitemap
and a gzipped sitemap, article pages, and the faults real sites have.

Routes (``site.url(path)``):
- ``/feed.xml`` RSS 2.0, ``/atom.xml`` Atom: the first ``site.feed_count`` articles, each
  with a guid, date and summary; ETag + Last-Modified, 304 for a matching conditional GET;
  gzip when asked. ``site.feed_is_html = True`` makes ``/feed.xml`` return a web page.
- ``/sitemap.xml`` (index) -> ``/sitemap-news.xml`` (news sitemap) + ``/sitemap-more.xml.gz``.
- ``/news/N.html`` article pages (ETag; date in a meta tag; ``site_name`` in og:site_name).
- ``/moved/N`` 301 to ``/news/N.html``; ``/loop`` redirects to itself.
- ``/robots.txt`` disallows ``/private/``; ``/private/feed.xml`` exists.
- ``/flaky.xml`` 500 once, then the feed; ``/busy.xml`` 429 (Retry-After: 1) once.
- ``/hang.xml`` never answers (until the site stops); ``/malformed.xml`` broken XML.
- ``/faulty.xml`` a feed whose items include a 404, a page with no article, and good pages.
- ``/undated.html`` a page with no date anywhere; ``/cp1252.html`` a windows-1252 page.
- ``/changing.html`` and ``/changing.xml``: a page (and a feed of it) whose text changes
  when ``site.version`` is bumped.
- ``/huge.html`` larger than a small size limit.

Every request is logged in ``site.log`` as ``(path, status, request headers)``.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import threading
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

BUNDLED = Path(__file__).resolve().parents[1] / "corpus" / "articles" / "wikinews-2019-2020.jsonl"
SITE_NAME = "Local Wikinews"
FEED_TITLE = "Local Wikinews: latest news"
LAST_MODIFIED = "Mon, 03 Aug 2020 10:00:00 GMT"


def wikinews_articles() -> list[dict]:
    return [json.loads(line) for line in BUNDLED.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rfc822(day: str) -> str:
    return format_datetime(datetime.fromisoformat(day).replace(hour=12, tzinfo=timezone.utc))


class NewsSite:
    def __init__(self, articles: list[dict] | None = None, feed_count: int = 10):
        self.articles = articles if articles is not None else wikinews_articles()
        self.feed_count = feed_count
        self.feed_is_html = False
        self.version = 1
        self.log: list[tuple[str, int, dict]] = []
        self._hits: dict[str, int] = {}
        self._stopping = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - http.server's name
                site._handle(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> "NewsSite":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def requests(self, path: str) -> list[tuple[str, int, dict]]:
        return [r for r in self.log if r[0] == path]

    # -- content ------------------------------------------------------------------------
    def page(self, n: int) -> str:
        a = self.articles[n]
        paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in a["body"].split("\n") if p.strip())
        return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{html.escape(a['title'])} - "
                f"{SITE_NAME}</title><meta property='og:site_name' content='{SITE_NAME}'>"
                f"<meta property='og:title' content='{html.escape(a['title'])}'>"
                f"<meta name='date' content='{a['published_at']}'>"
                f"<link rel=canonical href='{self.url(f'/news/{n}.html')}'></head><body>"
                f"<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><main><article>"
                f"<h1>{html.escape(a['title'])}</h1>\n{paragraphs}</article></main>"
                f"<footer>Content under CC BY 2.5.</footer></body></html>")

    def rss(self, numbers, link=lambda n: f"/news/{n}.html") -> str:
        items = "".join(
            f"<item><title>{escape(self.articles[n]['title'])}</title><link>{self.url(link(n))}</link>"
            f"<guid isPermaLink='false'>wikinews-{n}</guid><pubDate>{_rfc822(self.articles[n]['published_at'])}"
            f"</pubDate><description>{escape(self.articles[n]['body'][:120])}</description></item>"
            for n in numbers)
        return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{FEED_TITLE}"
                f"</title><link>{self.base}/</link><description>News</description>{items}</channel></rss>")

    def atom(self) -> str:
        entries = "".join(
            f"<entry><title>{escape(a['title'])}</title><link href='{self.url(f'/news/{n}.html')}'/>"
            f"<id>urn:wikinews:{n}</id><updated>{a['published_at']}T12:00:00Z</updated>"
            f"<summary>{escape(a['body'][:120])}</summary></entry>"
            for n, a in enumerate(self.articles[:self.feed_count]))
        return (f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                f"<title>{FEED_TITLE}</title><id>urn:local</id><updated>2020-12-28T12:00:00Z</updated>"
                f"{entries}</feed>")

    def sitemap(self, numbers, news: bool) -> str:
        ns = " xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'" if news else ""
        urls = ""
        for n in numbers:
            a = self.articles[n]
            extra = (f"<news:news><news:publication><news:name>{SITE_NAME}</news:name><news:language>en"
                     f"</news:language></news:publication><news:publication_date>{a['published_at']}"
                     f"</news:publication_date><news:title>{escape(a['title'])}</news:title></news:news>"
                     if news else f"<lastmod>{a['published_at']}</lastmod>")
            urls += f"<url><loc>{self.url(f'/news/{n}.html')}</loc>{extra}</url>"
        return (f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/"
                f"sitemap/0.9'{ns}>{urls}</urlset>")

    def changing(self) -> str:
        body = " ".join([f"Version {self.version} of the council report: the Lindqvist council voted on the "
                         "harbour budget on Tuesday, and the mayor said the vote was close."] * 3)
        return (f"<html><head><title>Harbour budget vote</title><meta name='date' content='2020-08-0{self.version}'>"
                f"</head><body><article><h1>Harbour budget vote</h1><p>{body}</p><p>Councillors will meet "
                f"again next month to discuss the harbour and the bridge repairs in detail.</p></article>"
                f"</body></html>")

    # -- serving --------------------------------------------------------------------------
    def _route(self, path: str):
        """``(status, content type, body, extra headers)`` for ``path``."""
        hits = self._hits[path] = self._hits.get(path, 0) + 1
        xml = "application/rss+xml; charset=utf-8"
        if path == "/robots.txt":
            return 200, "text/plain", "User-agent: *\nDisallow: /private/\n", {}
        if path in ("/feed.xml", "/private/feed.xml"):
            if self.feed_is_html:
                return 200, "text/html; charset=utf-8", self.page(0), {}
            return 200, xml, self.rss(range(self.feed_count)), {"Last-Modified": LAST_MODIFIED}
        if path == "/atom.xml":
            return 200, "application/atom+xml", self.atom(), {}
        if path == "/sitemap.xml":
            index = "".join(f"<sitemap><loc>{self.url(p)}</loc></sitemap>"
                            for p in ("/sitemap-news.xml", "/sitemap-more.xml.gz"))
            return 200, "application/xml", ("<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns="
                                            f"'http://www.sitemaps.org/schemas/sitemap/0.9'>{index}</sitemapindex>"), {}
        if path == "/sitemap-news.xml":
            return 200, "application/xml", self.sitemap(range(0, 3), news=True), {}
        if path == "/sitemap-more.xml.gz":
            return 200, "application/x-gzip", gzip.compress(self.sitemap(range(3, 5), news=False).encode()), {}
        if path.startswith("/news/") and path.endswith(".html"):
            number = path[6:-5]
            if number.isdigit() and int(number) < len(self.articles):
                return 200, "text/html; charset=utf-8", self.page(int(number)), {}
            return 404, "text/html", "<html><body>Not found</body></html>", {}
        if path.startswith("/moved/"):
            return 301, "text/html", "", {"Location": f"/news/{path[7:]}.html"}
        if path == "/loop":
            return 302, "text/html", "", {"Location": "/loop"}
        if path == "/flaky.xml":
            return (500, "text/plain", "server error", {}) if hits == 1 else (200, xml, self.rss(range(3)), {})
        if path == "/busy.xml":
            return ((429, "text/plain", "slow down", {"Retry-After": "1"}) if hits == 1
                    else (200, xml, self.rss(range(2)), {}))
        if path == "/hang.xml":
            self._stopping.wait(60)
            return 200, xml, self.rss(range(1)), {}
        if path == "/malformed.xml":
            return 200, xml, "<?xml version='1.0'?><rss><channel><title>Broken</title><item><title>x", {}
        if path == "/faulty.xml":
            feed = self.rss([0, 1], link=lambda n: f"/news/{n}.html")
            bad = ("<item><title>Gone</title><link>{}/news/99999.html</link><guid>gone</guid></item>"
                   "<item><title>Empty</title><link>{}/empty.html</link><guid>empty</guid></item>"
                   "<item><title>Secret</title><link>{}/private/x.html</link><guid>secret</guid></item>")
            return 200, xml, feed.replace("</channel>", bad.format(self.base, self.base, self.base) + "</channel>"), {}
        if path == "/empty.html":
            return 200, "text/html", "<html><body><nav>Home</nav><p>Subscribe!</p></body></html>", {}
        if path == "/undated.html":
            body = " ".join(["The Lindqvist harbour bridge reopened after storm repairs, engineers said."] * 4)
            return 200, "text/html; charset=utf-8", (
                f"<html><head><title>Bridge reopens</title></head><body><article><h1>Bridge reopens</h1>"
                f"<p>{body}</p><p>Engineer Marta Olsen said forty cables were replaced in the work.</p>"
                f"</article></body></html>"), {}
        if path == "/cp1252.html":
            text = ("<html><head><title>Café owners protest</title></head><body><article><h1>Café owners "
                    "protest</h1><p>" + " ".join(["Owners of cafés in Zembla protested the new tax on "
                                                    "Thursday, saying it would cost them “far too much”."] * 3)
                    + "</p></article></body></html>")
            return 200, "text/html; charset=windows-1252", text.encode("cp1252"), {}
        if path == "/changing.html":
            return 200, "text/html; charset=utf-8", self.changing(), {}
        if path == "/changing.xml":
            item = (f"<item><title>Harbour budget vote</title><link>{self.url('/changing.html')}</link><guid>"
                    f"vote</guid><pubDate>{_rfc822('2020-08-01')}</pubDate></item>")
            return 200, xml, (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Council news</title>"
                              f"{item}</channel></rss>"), {}
        if path == "/huge.html":
            return 200, "text/html", "<html><body>" + "<p>words words words</p>" * 20000 + "</body></html>", {}
        return 404, "text/html", "<html><body>Not found</body></html>", {}

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?")[0]
        status, ctype, body, extra = self._route(path)
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        headers = {"Content-Type": ctype, **extra}
        if status == 200:
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            if handler.headers.get("If-None-Match") == etag or (
                    "Last-Modified" in extra and handler.headers.get("If-Modified-Since") == extra["Last-Modified"]
                    and not handler.headers.get("If-None-Match")):
                status, data = 304, b""
            elif "gzip" in handler.headers.get("Accept-Encoding", "") and ctype != "application/x-gzip":
                data = gzip.compress(data)
                headers["Content-Encoding"] = "gzip"
        self.log.append((path, status, dict(handler.headers)))
        try:
            handler.send_response(status)
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            if data:
                handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (e.g. a timeout)
            pass

