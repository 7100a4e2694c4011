"""Stories: articles about one developing event (a crash and its investigation, a death toll
that grows over days, an impeachment from inquiry to vote), linked incrementally as they
arrive, the way topic detection and tracking systems do it (single pass, nearest neighbour).

Each article is described by its passage vector (the first chunk's: headline and lead, where
news puts the event) and its key terms: the names in the headline and lead (people, places,
organisations; each whole and word by word) and the headline's content words, weighted by
how rare they are among the articles known (idf). A new article is compared with the
articles published within ``WINDOW`` days of it (an undated one is linked only as a copy:
without a date it cannot be placed in a story's time): the ``TOP``
nearest by vector are scored as

    score = (1 - TERMS) x cosine + TERMS x shared key-term weight (idf-weighted, cosine-normalised)
            - DECAY x days apart / WINDOW

and the article joins the story of the best one when the score reaches ``LINK``; otherwise
it starts a story. A copy of an article (``index.copies``) is in that article's story. A
story is named by the id of the article that started it. The linker holds every article's
vector and terms in memory (``load`` from the catalog), as ``CopyFinder`` does.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

VERSION = "stories-v2"  # v2: undated articles are linked only as copies
WINDOW = 60      # days either side within which an article can continue a story
TOP = 10         # nearest articles by vector that are scored in full
TERMS = 0.3      # weight of the key-term similarity against the vector cosine
DECAY = 0.1      # taken off the score at WINDOW days apart (in proportion: the nearer, the likelier)
LINK = 0.38      # the score at which an article continues a story
LEAD_WORDS = 80  # the words of the body, after the headline, whose names are key terms

_CAP_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:of|de|la|van|von|al|bin)?\s*[A-Z][\w'’.-]*)*")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_STOP = frozenset("""
a an the in on at of for and but or so if as by to from with after before during over under
about into onto than then this that these those there their they he she it its his her we our
you your i me my is are was were be been being has have had do does did will would can could
may might must shall should not no yes new says said say told according also more most many
much some any all each every other another such only just very how what when where who whom
whose why which while amid against between through among across around near off out up down
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
january february march april may june july august september october november december
mr mrs ms dr st jr sr first second third last year years day days week weeks month months
people man woman men women report reports reported news breaking update updates live
""".split())


@dataclass(frozen=True)
class StoryRow:
    """An article's place among stories, with what it was linked by (for the catalog)."""

    article_id: str
    story: str
    day: int | None
    vector: bytes
    terms: str


def day_number(published_at: str | None) -> int | None:
    """The day of a publication date (proleptic ordinal), ``None`` when undated or unreadable."""
    try:
        return dt.date.fromisoformat(published_at[:10]).toordinal() if published_at else None
    except ValueError:
        return None


def _fold(word: str) -> str:
    return re.sub(r"['’]s$", "", word.casefold()).strip(".'’-")


def key_terms(title: str, body: str) -> set[str]:
    """The headline's content words and the names in the headline and lead, folded."""
    lead = " ".join(body.split()[:LEAD_WORDS])
    terms: set[str] = set()
    for text in (title, lead):
        for run in _CAP_RUN.findall(text):
            words = [w for w in (_fold(x) for x in run.split()) if w and w not in _STOP]
            terms.update(w for w in words if len(w) > 1)
            if len(words) > 1:
                terms.add(" ".join(words))
    terms.update(w for w in (_fold(x) for x in _WORD.findall(title)) if len(w) > 3 and w not in _STOP)
    return terms


def date_span(first: str | None, last: str | None) -> str:
    """A story's dates for people: "2019-09-01 to 2019-09-05", or one date."""
    first, last = (first or "")[:10], (last or "")[:10]
    return first if first == last else f"{first or 'undated'} to {last or 'undated'}"


def version() -> str:
    return f"{VERSION}-w{WINDOW}-t{TERMS}-d{DECAY}-l{LINK}"


class StoryLinker:
    """Every known article's vector, day, key terms and story; links new ones."""

    def __init__(self):
        self.load([])

    def load(self, rows: Iterable[tuple[str, str, int | None, bytes, str]]) -> None:
        """(Re)build from ``(article_id, story, day, vector, terms)`` rows."""
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._story: list[str] = []
        self._terms: list[set[str]] = []
        self._matrix = np.zeros((0, 0), dtype=np.float32)  # rows grow by doubling
        self._days = np.zeros(0)
        self._df: Counter = Counter()
        self._gone: list[int] = []
        for aid, story, day, vector, terms in rows:
            self._add(aid, story, day, np.frombuffer(vector, dtype=np.float32), set(terms.split("\n")) - {""})

    def __len__(self) -> int:
        return len(self._ids) - len(self._gone)

    def _add(self, aid: str, story: str, day: int | None, vector: np.ndarray, terms: set[str]) -> None:
        n = len(self._ids)
        if n == len(self._matrix):
            grown = np.zeros((max(64, 2 * n), len(vector)), dtype=np.float32)
            if n:
                grown[:n] = self._matrix[:n]
            self._matrix, self._days = grown, np.resize(self._days, len(grown))
        self._matrix[n] = vector
        self._days[n] = math.nan if day is None else day
        self._row[aid] = n
        self._ids.append(aid)
        self._story.append(story)
        self._terms.append(terms)
        self._df.update(terms)

    def forget(self, article_ids: Iterable[str]) -> None:
        for aid in article_ids:
            i = self._row.pop(aid, None)
            if i is not None:
                self._gone.append(i)
                self._df.subtract(self._terms[i])

    def story_of(self, article_id: str) -> str | None:
        i = self._row.get(article_id)
        return None if i is None else self._story[i]

    def link(self, articles: Sequence, vectors: Sequence[np.ndarray],
             copy_of: dict[str, str] | None = None) -> list[StoryRow]:
        """Link each article (oldest first; ``vectors[i]`` is ``articles[i]``'s, unit length)
        to a story and add it. ``copy_of`` maps an article to an earlier version of it,
        whose story it joins whatever its score."""
        self.forget([a.id for a in articles])
        copy_of = copy_of or {}
        order = sorted(range(len(articles)), key=lambda i: (day_number(articles[i].published_at) is None,
                                                             day_number(articles[i].published_at) or 0))
        rows: dict[int, StoryRow] = {}
        for i in order:
            art = articles[i]
            vector = np.asarray(vectors[i], dtype=np.float32)
            day = day_number(art.published_at)
            terms = key_terms(art.title, art.body)
            original = copy_of.get(art.id)
            story = (self.story_of(original) if original else None) or self._best(vector, day, terms) or art.id
            self._add(art.id, story, day, vector, terms)
            rows[i] = StoryRow(art.id, story, day, vector.tobytes(), "\n".join(sorted(terms)))
        return [rows[i] for i in range(len(articles))]

    def _best(self, vector: np.ndarray, day: int | None, terms: set[str]) -> str | None:
        n = len(self._ids)
        if len(self) == 0 or day is None:  # an undated article cannot be placed in a story's time
            return None
        cos = self._matrix[:n] @ vector
        apart = np.abs(self._days[:n] - day)
        cos[~(apart <= WINDOW)] = -2.0  # too far apart, or undated (nan)
        apart = np.nan_to_num(apart)
        cos[self._gone] = -2.0
        top = np.argsort(-cos)[:TOP]
        best, best_score = None, LINK
        for j in top:
            if cos[j] <= -2.0:
                break
            score = ((1 - TERMS) * float(cos[j]) + TERMS * self._term_similarity(terms, self._terms[j])
                     - DECAY * apart[j] / WINDOW)
            if score >= best_score:
                best, best_score = self._story[j], score
        return best

    def _term_similarity(self, a: set[str], b: set[str]) -> float:
        shared = a & b
        if not shared:
            return 0.0
        n = len(self) + 1
        weight = {t: math.log(n / (1 + max(self._df[t], 0))) + 1.0 for t in a | b}
        both = sum(weight[t] for t in shared)
        return both / math.sqrt(sum(weight[t] for t in a) * sum(weight[t] for t in b))
