"""What a news source's address returns, read: an RSS/Atom feed (feedparser), a sitemap,
sitemap index or news sitemap (lxml), or an article page (trafilatura, htmldate).

``read_listing(page)`` turns a fetched ``Page`` into a ``Listing`` of ``Item``s (the
articles it points to, with the dates and titles it gives); ``page_article(page, item)``
turns an article page into an ``Article``, its date from the feed, else the page's
metadata or text, else none (undated, never today's date).
"""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from corpus.article import Article
from corpus.dates import normalise_date
from corpus.errors import InvalidInput
from corpus.web import Page

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Item:
    """An article a listing points to. ``key`` identifies it within its source (the feed's
    guid, else its address); ``stamp`` changes when the listing marks it updated."""

    key: str
    url: str
    title: str = ""
    published_at: str | None = None
    stamp: str = ""
    source: str = ""  # the publication, where the listing names it (news sitemaps)
    channel: str = ""  # the feed's title: the source when the page names none


@dataclass
class Listing:
    kind: str  # "feed", "sitemap", "sitemap index" or "page"
    title: str = ""
    items: list[Item] = field(default_factory=list)
    warning: str = ""  # a feed that parsed only leniently (e.g. malformed XML)


def canonical(url: str) -> str:
    """An address in one spelling: lower-case scheme and host, no fragment, no trailing
    slash (so one article reached two ways is one item)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def looks_like_html(content: bytes) -> bool:
    return bool(_HTML_START.match(content[:2048].lstrip(b"\xef\xbb\xbf")))


def read_listing(page: Page) -> Listing:
    """Read a fetched address as a feed, a sitemap (index) or an article page.
    ``InvalidInput`` when it is none of them (e.g. XML too broken to read)."""
    content = page.content
    if content[:2] == b"\x1f\x8b":  # a sitemap.xml.gz file (gzip as content, not as transfer)
        content = _gunzip(content)
    if looks_like_html(content):
        return Listing(kind="page", items=[Item(key=canonical(page.url), url=page.url)])
    root = _root_name(content)
    if root in ("urlset", "sitemapindex"):
        return _sitemap(content, root)
    return _feed(content, page)


def _gunzip(content: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as f:
            data = f.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise InvalidInput(f"a gzip file that cannot be unpacked ({exc})") from None
    if len(data) > MAX_SITEMAP_BYTES:
        raise InvalidInput("the unpacked sitemap is over 50 MB, the sitemap protocol's limit")
    return data


def _xml_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def _root_name(content: bytes) -> str:
    """The local name of the document's root element, or "" when it is not well-formed XML."""
    from lxml import etree

    try:
        for _, element in etree.iterparse(io.BytesIO(content), events=("start",), resolve_entities=False,
                                          no_network=True):
            return etree.QName(element).localname
    except etree.XMLSyntaxError:
        return ""
    return ""


def _sitemap(content: bytes, root: str) -> Listing:
    from lxml import etree

    try:
        tree = etree.fromstring(content, _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise InvalidInput(f"malformed sitemap XML ({exc})") from None

    def child(el, name: str) -> str:
        found = [c for c in el.iter() if isinstance(c.tag, str) and etree.QName(c).localname == name]
        return (found[0].text or "").strip() if found else ""

    entries = [el for el in tree if isinstance(el.tag, str)
               and etree.QName(el).localname in ("url", "sitemap")]
    items = []
    for el in entries:
        loc = child(el, "loc")
        if not loc.startswith(("http://", "https://")):
            continue
        lastmod = child(el, "lastmod")
        published = child(el, "publication_date")  # news sitemaps (xmlns:news)
        items.append(Item(key=canonical(loc), url=loc, title=" ".join(child(el, "title").split()),
                          published_at=normalise_date(published) if published else None,
                          stamp=lastmod or published, source=" ".join(child(el, "name").split())))
    return Listing(kind="sitemap index" if root == "sitemapindex" else "sitemap", items=items)


def _feed(content: bytes, page: Page) -> Listing:
    import feedparser

    parsed = feedparser.parse(content, response_headers={
        "content-location": page.url, "content-type": page.headers.get("content-type", "application/xml")})
    problem = parsed.get("bozo_exception")
    title = " ".join((parsed.feed.get("title") or "").split())
    items = []
    for entry in parsed.entries:
        raw = dict(entry)  # feedparser maps a missing "updated" to "published", with a warning
        link = raw.get("link") or ""
        if not link.startswith(("http://", "https://")):
            continue
        guid = (raw.get("id") or "").strip()
        when = raw.get("published_parsed") or raw.get("updated_parsed")
        published = (f"{when.tm_year:04d}-{when.tm_mon:02d}-{when.tm_mday:02d}" if when else
                     normalise_date(raw.get("published") or raw.get("updated")))
        items.append(Item(key=guid or canonical(link), url=link, title=" ".join((raw.get("title") or "").split()),
                          published_at=published, stamp=raw.get("updated") or raw.get("published") or "",
                          channel=title))
    if not items and (problem or not parsed.get("version")):
        what = f"malformed XML ({problem})" if problem else "neither a feed, a sitemap nor a web page"
        raise InvalidInput(f"{page.url} is {what}")
    warning = f"the feed is not well-formed ({problem}); read leniently" if problem else ""
    return Listing(kind="feed", title=title, items=items, warning=warning)


def page_article(page: Page, item: Item | None = None) -> Article:
    """The article on a fetched page (trafilatura), dated from the listing, else from the
    page (htmldate, through trafilatura's metadata), else undated (``metadata["undated"]``).
    Its source is the publication the listing or the page names (news:name, og:site_name),
    else the feed's title, else the host. ``InvalidInput`` when the page has no article text."""
    from corpus.formats import html_record, record_to_article

    record = html_record(page.text(), page.url, url=page.url)
    item = item or Item(key=canonical(page.url), url=page.url)
    record["published_at"] = item.published_at or record.get("published_at")
    if not record["published_at"]:
        record["undated"] = True  # shown as undated; never given the day it was fetched
    record["title"] = record.get("title") or item.title
    host = urlsplit(page.url)
    named = record.get("source") if record.get("source") not in (
        host.netloc, host.hostname, host.hostname.removeprefix("www.")) else ""
    record["source"] = item.source or named or item.channel or host.hostname.removeprefix("www.")
    # the page's canonical link (trafilatura) names the article; else where the item led
    record["url"] = record.get("url") if str(record.get("url") or "").startswith("http") else page.url
    return record_to_article(record, page.url)
