"""One parser per file format, all ending in the same record-to-Article step.

Each parser takes the raw bytes of a file and yields ``(origin, Article)`` for
every article it finds, or ``(origin, InvalidInput)`` for a record that cannot be
used, so one bad line of a .jsonl never costs the rest of the file. A problem
with the whole file is raised as ``InvalidInput``. The loader turns both into
``LoadProblem``s.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from corpus.article import Article, stable_id
from corpus.clean import decode_utf8, normalise_text, normalise_title, strip_boilerplate
from corpus.dates import normalise_date
from corpus.errors import InvalidInput

log = logging.getLogger(__name__)

Parsed = Iterator[tuple[str, "Article | InvalidInput"]]

BODY_KEYS = ("body", "text", "content")
DATE_KEYS = ("published_at", "date")
TITLE_MAX = 100
MIN_HTML_WORDS = 20
# A record's fields hold at most this many values, nested at most this deep: YAML aliases
# can make a few hundred bytes of front matter stand for billions of values.
MAX_FIELD_VALUES = 100_000
MAX_FIELD_DEPTH = 32


# --- records -----------------------------------------------------------------

def title_from_body(body: str) -> str:
    """A stand-in title: the first sentence of the first line, at most ~100 chars."""
    line = next((ln.strip() for ln in body.split("\n") if ln.strip()), "")
    match = re.match(r"(.+?[.!?])(\s|$)", line)
    title = match.group(1) if match else line
    if len(title) > TITLE_MAX:
        title = title[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return title


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text_field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):  # the items that are text; nested lists and maps are not
        return ", ".join(str(v) for v in value if v is not None and not isinstance(v, (list, tuple, dict)))
    if isinstance(value, dict):
        _plain(value, [MAX_FIELD_VALUES])  # its text could be huge (YAML aliases): check the size first
    return str(value)


def _plain(value: Any, budget: list[int], depth: int = 0) -> Any:
    """Metadata values as JSON-friendly data (YAML gives date objects). ``budget`` holds
    how many more values may be taken; too many or too deeply nested is InvalidInput."""
    budget[0] -= 1
    if budget[0] < 0:
        raise InvalidInput(f"record has too many values in its fields (over {MAX_FIELD_VALUES:,})")
    if depth > MAX_FIELD_DEPTH:
        raise InvalidInput(f"record fields are nested too deeply (over {MAX_FIELD_DEPTH} levels)")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, budget, depth + 1) for v in value]
    return value


def record_to_article(record: Any, origin: str) -> Article:
    """Map a record (JSON object or front matter + body) onto an Article.

    Known fields: title, body (or text, content), source, url, published_at (or
    date), author, id. Every other field is kept in ``metadata``.
    """
    if not isinstance(record, dict):
        raise InvalidInput(f"record is {_json_kind(record)}, not an object")
    body_key = next((k for k in BODY_KEYS if not _blank(record.get(k))), None)
    if body_key is None:
        raise InvalidInput("record has no body (expected a 'body', 'text' or 'content' field)")
    if not isinstance(record[body_key], str):
        raise InvalidInput(f"record field '{body_key}' is not text")
    date_key = next((k for k in DATE_KEYS if not _blank(record.get(k))), None)
    used = {body_key, date_key, "title", "source", "url", "author", "id"}
    used |= {k for k in BODY_KEYS + DATE_KEYS if _blank(record.get(k))}
    title = normalise_title(_text_field(record.get("title")))
    body = strip_boilerplate(record[body_key], title)
    if not body:
        raise InvalidInput("record has no body text after cleaning")
    title = title or title_from_body(body)
    source = normalise_title(_text_field(record.get("source")))
    url = _text_field(record.get("url")).strip() or None
    explicit = _text_field(record.get("id")).strip() or None
    author = normalise_title(_text_field(record.get("author"))) or None
    budget = [MAX_FIELD_VALUES]
    metadata = {k: _plain(v, budget) for k, v in record.items() if k not in used}
    try:  # a "\ud800" escape in JSON or YAML gives a lone surrogate: not text, cannot be stored
        json.dumps([title, body, source, url, explicit, author, metadata],
                   ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError as err:
        raise InvalidInput(f"record has an invalid character (U+{ord(err.object[err.start]):04X}, half of "
                           "a surrogate pair, from an escape such as \\ud800)") from None
    return Article(
        id=stable_id(explicit=explicit, url=url, title=title, source=source, body=body),
        title=title,
        body=body,
        source=source,
        url=url,
        published_at=normalise_date(record.get(date_key)) if date_key else None,
        author=author,
        metadata=metadata,
        origin=origin,
    )


# --- parsers -----------------------------------------------------------------

def parse_txt(data: bytes, origin: str) -> Parsed:
    """Plain text: the first non-empty line is the title, the rest the body."""
    text = normalise_text(decode_utf8(data))
    title, _, body = text.partition("\n")
    if not body.strip():
        raise InvalidInput("file has a title line but no body text")
    yield origin, record_to_article({"title": title, "body": body}, origin)


def _atx_h1(line: str) -> str | None:
    """The text of a ``# Heading`` line, closing ``#``s dropped; None for other lines.
    (Without a regex: ``^#\\s+(.+?)(\\s+#+)?\\s*$`` took quadratic time on a long line of spaces.)"""
    if not (line[:1] == "#" and line[1:2].isspace()):
        return None
    text = line[1:].strip()
    closed = text.rstrip("#")
    if closed != text and closed[-1:].isspace():
        text = closed.rstrip()
    return text or None


def parse_md(data: bytes, origin: str) -> Parsed:
    """Markdown with optional YAML front matter.

    Without a front-matter title, the first ``# Heading`` (else the first
    non-empty line) is the title and leaves the body. A heading that repeats the
    front-matter title is dropped too. The rest of the markdown is kept as is.
    """
    import frontmatter
    import yaml

    text = normalise_text(decode_utf8(data))
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as err:
        raise InvalidInput(f"malformed YAML front matter: {_first_line(err)}") from None
    if not isinstance(post.metadata, dict):
        raise InvalidInput("front matter is not a mapping of keys to values")
    record = dict(post.metadata)
    lines = post.content.split("\n")
    given = normalise_title(_text_field(record.get("title")))
    index, heading = _find_md_title(lines)
    if given:
        if heading is not None and heading.casefold() == given.casefold():
            del lines[index:index + _heading_span(lines, index)]
    elif heading is not None:
        record["title"] = heading
        del lines[index:index + _heading_span(lines, index)]
    record["body"] = "\n".join(lines)
    if not record["body"].strip():
        raise InvalidInput("file has no body text")
    yield origin, record_to_article(record, origin)


def _find_md_title(lines: list[str]) -> tuple[int, str | None]:
    for i, line in enumerate(lines):
        if (heading := _atx_h1(line)) is not None:
            return i, heading
    for i, line in enumerate(lines):
        if line.strip():
            return i, line.strip().lstrip("#").strip()
    return 0, None


def _heading_span(lines: list[str], index: int) -> int:
    """1, or 2 for a setext heading (a line underlined with === or ---)."""
    nxt = lines[index + 1].strip() if index + 1 < len(lines) else ""
    return 2 if nxt and set(nxt) in ({"="}, {"-"}) else 1


TOO_DEEP = "malformed JSON: nested too deeply (arrays or objects inside each other hundreds of levels deep)"


def parse_json(data: bytes, origin: str) -> Parsed:
    """One record object, or a list of them (origins ``path#0``, ``path#1``, ...)."""
    try:
        value = json.loads(decode_utf8(data))
    except json.JSONDecodeError as err:
        raise InvalidInput(f"malformed JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    except RecursionError:
        raise InvalidInput(TOO_DEEP) from None
    if isinstance(value, dict):
        yield from _one(value, origin)
    elif isinstance(value, list):
        if not value:
            raise InvalidInput("JSON file holds an empty list: no records to load")
        for i, item in enumerate(value):
            yield from _one(item, f"{origin}#{i}")
    else:
        raise InvalidInput(f"JSON file holds {_json_kind(value)}; expected an object or a list of objects")


def parse_jsonl(data: bytes, origin: str) -> Parsed:
    """One record per line; blank lines are skipped; each line fails on its own."""
    offset = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        where, start = f"{origin}:{number}", offset
        offset += len(raw) + 1
        if not raw.strip():
            continue
        try:
            value = json.loads(decode_utf8(raw, offset=start))
        except InvalidInput as err:
            yield where, err
            continue
        except json.JSONDecodeError as err:
            yield where, InvalidInput(f"malformed JSON: {err.msg} at column {err.colno}")
            continue
        except RecursionError:
            yield where, InvalidInput(TOO_DEEP)
            continue
        yield from _one(value, where)


def _one(value: Any, origin: str) -> Parsed:
    try:
        yield origin, record_to_article(value, origin)
    except InvalidInput as err:
        yield origin, err


_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def parse_html(data: bytes, origin: str) -> Parsed:
    """A web page: main text and metadata by trafilatura, comments excluded."""
    yield origin, record_to_article(html_record(decode_utf8(data), origin), origin)


def html_record(page: str, origin: str, url: str | None = None) -> dict:
    """A page's article as a record (title, body, source, url, published_at, author).

    trafilatura gives one paragraph per line; they are re-joined with blank lines. A
    first line that repeats the title (the page's <h1>) is dropped. ``url`` (where the
    page was fetched from) resolves relative links. ``InvalidInput`` without article text.
    """
    import trafilatura  # slow to import; only pages need it

    try:
        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False)
    except Exception as err:  # noqa: BLE001 - e.g. htmldate's date search fails on odd markup
        log.warning("%s: no metadata from the page (%s: %s); taking its text only",
                    origin, type(err).__name__, err)
        try:
            doc = trafilatura.bare_extraction(page, url=url, with_metadata=False, include_comments=False)
        except Exception as err2:  # noqa: BLE001
            raise InvalidInput(f"the page could not be read as HTML ({type(err2).__name__})") from None
    text = normalise_text(getattr(doc, "text", None) or "") if doc is not None else ""
    if len(text.split()) < MIN_HTML_WORDS:  # e.g. only a menu was left
        raise InvalidInput("no article text found in the page")
    title = normalise_title(getattr(doc, "title", None) or "")
    if not title and (match := _TITLE_TAG.search(page)):
        title = normalise_title(html.unescape(match.group(1)))
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if title and paragraphs and normalise_title(paragraphs[0]).casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    return {
        "title": title,
        "body": "\n\n".join(paragraphs),
        "source": getattr(doc, "sitename", None) or "",
        "url": getattr(doc, "url", None),
        "published_at": getattr(doc, "date", None),
        "author": getattr(doc, "author", None),
    }


def _json_kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "true/false",
             int: "a number", float: "a number", type(None): "null"}
    return kinds.get(type(value), f"a {type(value).__name__}")


def _first_line(err: Exception) -> str:
    return " ".join(str(err).split("\n")[0].split())


PARSERS: dict[str, Callable[[bytes, str], Parsed]] = {
    ".txt": parse_txt, ".md": parse_md, ".json": parse_json, ".jsonl": parse_jsonl,
    ".html": parse_html, ".htm": parse_html,
}
