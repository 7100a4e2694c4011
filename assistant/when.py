"""The days news sentences name: "on Wednesday", "yesterday", "on July 13", "2 August 2019",
"next Wednesday, July 31", resolved against the day the article was published.

News writes relative dates. A weekday is the last one on or before publication ("On Friday",
"late Wednesday night"), unless it is "next"; a month and day without a year is of the
publication's year, or the year before when that would put it more than two months after
publication ("on 28 December" in a January report). A mention is *ahead* when it lies after
publication or the clause puts it there ("would meet on Monday", "is set to leave on
August 2"): a plan, not something that happened.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .lexicon import MONTH, MONTHS

_WEEKDAY_NAMES = "monday tuesday wednesday thursday friday saturday sunday".split()
_MONTH_NAMES = MONTHS[:12]  # the full names
_WHEN = re.compile(
    r"\b(?P<rel>yesterday|today|tonight|last night|this morning|this afternoon|this evening)\b|"
    rf"\b(?:(?P<next>next|coming)\s+|(?:last|this|past)\s+)?(?P<wd>(?-i:{'|'.join(w.title() for w in _WEEKDAY_NAMES)}))\b"
    rf"(?:\s*,?\s*(?P<md1>(?:{MONTH})\s+\d{{1,2}}|\d{{1,2}}\s+(?:{MONTH}))\b)?|"
    rf"\b(?P<md>(?-i:{MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)|\d{{1,2}}(?:st|nd|rd|th)?\s+(?-i:{MONTH}))\b"
    r"(?:\s*,?\s*(?P<year>(?:19|20)\d\d)\b)?|"
    r"\b(?P<iso>(?:19|20)\d\d-\d\d-\d\d)\b", re.I)
# a plan or expectation in the clause before a day: the day is not when something happened
_AHEAD = re.compile(r"\b(?:will|would|shall|is to|are to|was to|were to|set to|scheduled|due to|expected to|"
                    r"plans? to|planned|intends? to|until|effective|forecast(?:ed)? to|predicted to|projected to|likely to|"
                    r"could|may|might)\b[^.;,]*$", re.I)
FUTURE_SLACK = 60  # days after publication a month and day without a year may still lie


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    day: str        # ISO date
    ahead: bool     # after publication, or planned: not something that has happened


def mentions(sentence: str, published_at: str | None) -> list[Mention]:
    """The days ``sentence`` names, in order, resolved against ``published_at``; none when
    the publication date is unknown (a relative day cannot be placed)."""
    try:
        pub = dt.date.fromisoformat((published_at or "")[:10])
    except ValueError:
        return []
    out = []
    for m in _WHEN.finditer(sentence):
        day = _resolve(m, pub)
        if day is not None:
            planned = bool(_AHEAD.search(sentence[max(0, m.start() - 100):m.start()]))
            out.append(Mention(m.start(), m.end(), day.isoformat(), day > pub or planned or bool(m.group("next"))))
    return out


def _resolve(m: re.Match, pub: dt.date) -> dt.date | None:
    if m.group("iso"):
        try:
            return dt.date.fromisoformat(m.group("iso"))
        except ValueError:
            return None
    if m.group("rel"):
        return pub - dt.timedelta(days=1 if m.group("rel").lower() in ("yesterday", "last night") else 0)
    md = m.group("md") or m.group("md1")
    if md:
        words = md.split()
        month_word, day = (words[0], words[1]) if not words[0][0].isdigit() else (words[1], words[0])
        month = month_number(month_word)
        year = int(m.group("year")) if m.group("year") else pub.year
        try:
            day_of = dt.date(year, month, int(re.sub(r"\D", "", day)))
        except ValueError:
            return None
        if not m.group("year") and day_of > pub + dt.timedelta(days=FUTURE_SLACK):
            day_of = day_of.replace(year=pub.year - 1)
        return day_of
    weekday = _WEEKDAY_NAMES.index(m.group("wd").lower())
    if m.group("next"):
        return pub + dt.timedelta(days=(weekday - pub.weekday()) % 7 or 7)
    return pub - dt.timedelta(days=(pub.weekday() - weekday) % 7)


def month_number(word: str) -> int:
    """"Sept." -> 9."""
    return next(i for i, name in enumerate(_MONTH_NAMES, 1) if name.startswith(word.lower()[:3]))


def reported_date(sentence: str, published_at: str | None, at: int = 0) -> str:
    """The day a sentence reports for (the day named nearest position ``at``), else the
    publication date."""
    found = mentions(sentence, published_at)
    if not found:
        return (published_at or "")[:10]
    return min(found, key=lambda m: abs(m.start - at)).day


def human_date(iso: str) -> str:
    """``2020-04-05`` as "5 April 2020"."""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso or "undated"
    return f"{day.day} {day:%B %Y}"
