"""The article: the one unit everything else indexes, cites and shows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Article:
    """A cleaned news article.

    ``body`` is the cleaned text (boilerplate removed); every character span
    elsewhere in Newsdesk indexes into it. ``published_at`` is an ISO date
    (``YYYY-MM-DD``) or None. ``metadata`` keeps extra fields of the source
    record (categories, licence, ...). ``origin`` names the file (and line) it
    came from, for messages and provenance; it is not part of the content.
    """

    id: str
    title: str
    body: str
    source: str = ""
    url: str | None = None
    published_at: str | None = None
    author: str | None = None
    metadata: dict = field(default_factory=dict)
    origin: str = ""

    @property
    def content_hash(self) -> str:
        """Hash of everything that is indexed: a change here means re-index."""
        payload = json.dumps(
            [self.title, self.body, self.source, self.url, self.published_at, self.author,
             self.metadata],
            ensure_ascii=False, sort_keys=True, default=str,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def body_hash(self) -> str:
        """Hash of the normalised body alone: the same story saved twice has one."""
        norm = " ".join(self.body.split()).casefold()
        return hashlib.sha256(norm.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict:
        return asdict(self)


def stable_id(*, explicit: str | None = None, url: str | None = None, title: str = "",
              source: str = "", body: str = "") -> str:
    """A content-derived id that survives re-loading and edits of the body.

    Order of preference: the record's own id; the URL; source + title; the body.
    The same article saved in two files therefore gets one id.
    """
    if explicit and str(explicit).strip():
        return str(explicit).strip()
    if url and url.strip():
        key = "url:" + url.strip().rstrip("/").lower()
    elif title.strip():
        key = "title:" + source.strip().casefold() + "\x1f" + " ".join(title.split()).casefold()
    else:
        key = "body:" + " ".join(body.split()).casefold()
    return "a-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
