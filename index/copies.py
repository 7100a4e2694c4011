"""Copies of one story: syndicated wire copy, republished or lightly edited versions (another
headline, a trimmed paragraph, outlet boilerplate), found at ingest with MinHash/LSH
(datasketch), never by comparing every pair.

Each article's body becomes a set of word 5-shingles and a 128-permutation MinHash; an LSH
index (Jaccard threshold ``CANDIDATE``) proposes earlier articles that may share most of
them, and a candidate is a copy when the estimated Jaccard similarity is at least
``JACCARD`` or one text is at least ``CONTAINED`` inside the other (a trimmed version). A
copy joins its match's group; a group is named by the id of the article that started it.
Every version stays indexed with its own source and date; retrieval shows one per group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

VERSION = "copies-v1"
NUM_PERM = 128
SHINGLE = 5
CANDIDATE = 0.3
JACCARD = 0.5
CONTAINED = 0.8
MIN_SHINGLES = 8  # shorter texts are too small to tell copies from chance
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class CopyRow:
    """An article's place among copies: its group and its signature (for the catalog)."""

    article_id: str
    group: str
    shingles: int
    signature: bytes


def shingles(body: str) -> set[bytes]:
    words = _WORD.findall(body.casefold())
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(max(0, len(words) - SHINGLE + 1))}


def signature(body: str):
    from datasketch import LeanMinHash, MinHash

    grams = shingles(body)
    mh = MinHash(num_perm=NUM_PERM)
    mh.update_batch(list(grams))
    return LeanMinHash(mh), len(grams)


def _template():
    from datasketch import MinHash

    return MinHash(num_perm=1)


def version() -> str:
    """Signatures written under another version (of this module or of datasketch, whose
    hashing scheme may change between releases) are computed again. Read from the package's
    metadata: importing datasketch (and scipy with it) costs 0.75 s of every cold start."""
    from importlib.metadata import version as installed

    return f"{VERSION}-{NUM_PERM}-datasketch-{installed('datasketch')}"


def _from_bytes(blob: bytes):
    from datasketch import LeanMinHash

    t = _template()
    return LeanMinHash(seed=t.seed, hashvalues=np.frombuffer(blob, dtype=t.hashvalues.dtype),
                       scheme=getattr(t, "scheme", "legacy"))


def _to_bytes(mh) -> bytes:
    return np.asarray(mh.hashvalues).tobytes()


def earliest_first(published_at: str | None) -> tuple[bool, str]:
    """Sort key of a publication date: the earliest version of a story first, undated last."""
    return published_at is None, published_at or ""


class CopyFinder:
    """The LSH index over the signatures the catalog holds, kept in step by the indexer."""

    def __init__(self):
        self._lsh = None
        self._known: dict[str, tuple[str, int, object]] = {}  # id -> (group, shingles, minhash)

    def load(self, rows: Iterable[tuple[str, str, int, bytes]]) -> None:
        """(Re)build from ``(article_id, group, shingles, signature)`` rows."""
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=CANDIDATE, num_perm=NUM_PERM)
        self._known = {}
        with self._lsh.insertion_session() as session:
            for aid, group, count, blob in rows:
                mh = _from_bytes(blob)
                self._known[aid] = (group, count, mh)
                session.insert(aid, mh, check_duplication=False)

    def forget(self, article_ids: Iterable[str]) -> None:
        for aid in article_ids:
            if self._known.pop(aid, None) is not None:
                self._lsh.remove(aid)

    def assign(self, articles: Sequence) -> list[CopyRow]:
        """Find each article's group (in order, so a batch's own copies group too) and add
        it to the index. Articles already known are first forgotten (an update)."""
        self.forget([a.id for a in articles])
        rows = []
        for art in articles:
            mh, count = signature(art.body)
            group = self._match(mh, count) or art.id
            self._known[art.id] = (group, count, mh)
            self._lsh.insert(art.id, mh, check_duplication=False)
            rows.append(CopyRow(art.id, group, count, _to_bytes(mh)))
        return rows

    def _match(self, mh, count: int) -> str | None:
        if count < MIN_SHINGLES:
            return None
        best, best_score = None, 0.0
        for aid in self._lsh.query(mh):
            group, other, theirs = self._known[aid]
            if other < MIN_SHINGLES:
                continue
            jaccard = mh.jaccard(theirs)
            shared = jaccard * (count + other) / (1 + jaccard)  # |A n B| from J, |A| and |B|
            contained = shared / min(count, other)
            if (jaccard >= JACCARD or contained >= CONTAINED) and jaccard > best_score:
                best, best_score = group, jaccard
        return best
