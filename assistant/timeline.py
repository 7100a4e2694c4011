"""Timelines: "Timeline of X", "How did X unfold?", "What has happened in X since D?", and
"What's the latest on X?" (the events of the story's newest days).

A timeline is built from the articles of X's story (``index.stories``), oldest first, one
dated line per event, each citing the sentence it comes from. The events are the sentences
that say when something happened ("On Friday, Rosselló resigned", "released them on July
13"), dated by that day (``assistant.when``), and each article's opening sentence, which
reports its own news (dated by the day it names, else the day it was published). Not
events: days ahead ("is set to leave on August 2"), sentences that are mostly someone's
words, and background long before the story. The same event told by several articles
(the same day, mostly the same words) is one line, citing its first report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from corpus.dates import normalise_date
from index import Chunk, sentence_spans

from .answer import Citation
from .lexicon import MONTH
from .question import is_person, names_in
from .when import Mention, human_date, mentions, month_number

_TOPIC_END = r"\s*[?.!]*\s*$"
_LATEST = re.compile(r"^\s*(?:what(?:'s|’s|\s+is|\s+are)\s+the\s+(?:latest|newest)(?:\s+(?:news|developments?|updates?))?"
                     r"|(?:are\s+there\s+)?(?:any\s+)?(?:news|updates?)|what(?:'s|’s|\s+is)\s+new)\s+"
                     r"(?:on|in|about|with|regarding|from)\s+(?P<topic>.+?)" + _TOPIC_END, re.I)
_ASKS = [_LATEST] + [re.compile(p, re.I) for p in (
    r"^\s*(?:(?:please\s+)?(?:give|show|make|write|tell)\s+(?:me\s+|us\s+)?|(?:what|where)\s+is\s+|"
    r"(?:can|could)\s+(?:you|i)\s+(?:give|get|see|have)\s+(?:me\s+)?)?(?:an?\s+|the\s+)?"
    r"(?:timeline|time line|chronology)\s+(?:of|for|on|about)\s+(?P<topic>.+?)"
    r"(?:\s+since\s+(?P<since>[^?.!]+?))?" + _TOPIC_END,
    r"^\s*(?P<topic>.+?)\s*[:\u2013\u2014-]\s*(?:a\s+|the\s+)?(?:timeline|chronology)" + _TOPIC_END,
    r"^\s*how\s+(?:did|has|have|had|does|do)\s+(?P<topic>.+?)\s+(?:unfold(?:ed)?|develop(?:ed)?|"
    r"evolve[ds]?|play(?:ed)?\s+out|progress(?:ed)?|escalate[ds]?)"
    r"(?:\s+(?:so far|over time|since\s+(?P<since>[^?.!]+?)))?" + _TOPIC_END,
    r"^\s*what\s+(?:has|have)?\s*happen(?:ed|s)\s+(?:(?:in|with|to|on|around|regarding)\s+(?P<topic>.+?)\s+)?"
    r"since\s+(?P<since>[^?.!]+?)" + _TOPIC_END,
    r"^\s*what(?:'s|\s+has)\s+happened\s+(?:(?:in|with|to|on)\s+(?P<topic>.+?)\s+)?since\s+(?P<since>[^?.!]+?)"
    + _TOPIC_END,
    r"^\s*what\s+(?:are|were)\s+the\s+(?:key|main|major|important)\s+(?:events|developments|moments|steps)\s+"
    r"(?:of|in)\s+(?P<topic>.+?)" + _TOPIC_END,
)]
_CONTEXT = re.compile(r"\s*\(([^()]+)\)\s*$")
_QUOTED = re.compile(r"[\"“”]([^\"“”]*)[\"“”]")
_LEADING_DAY = re.compile(r"^(?:(?:earlier|later|late|early)\s+)?(?:on|by|at|in)?\s*$", re.I)
_TIME_OF_DAY = re.compile(r"^(?:\s+(?:morning|afternoon|evening|night|local time))*\s*,\s*", re.I)
_FRAME = {"aftermath", "spread", "event", "develop", "stori", "latest", "news", "situat", "happen"}  # stems
_CONNECTIVE = re.compile(r"^[\s,;]*(?:(?:and|but|then|while|before)\s+)?", re.I)
_BOUNDARY = re.compile(r",\s+(?:and|but|then|while|before)\s+|;\s+", re.I)
_SAME_DAY = re.compile(r"\b(?:on\s+|later\s+|earlier\s+)?(?:(?:that|the)\s+(?:very\s+)?same\s+day|later that day|"
                       r"(?P<next>the (?:next|following) day|a day later)|(?P<before>the (?:day before|previous day)))\b",
                       re.I)
BEFORE = 90        # days before a story's first report its timeline still reaches back
LATEST_DAYS = 2    # "the latest": the events of a story's newest days
LATEST_ITEMS = 8
MAX_ITEMS = 40     # lines in one timeline, the best supported kept
SAME_EVENT = 0.4   # share of words two lines of one day share to be one event
MOSTLY_QUOTED = 0.5
MIN_WORDS = 6      # words a line needs
RELATED = 10        # retrieved articles outside the story looked at for a timeline
SINCE_ARTICLES = 30  # newest articles read for "What has happened since D?" without a story named


@dataclass(frozen=True)
class TimelineAsk:
    topic: str          # what the timeline is of ("" for "What has happened since D?")
    since: str | None   # ISO date: only events from that day on
    latest: bool = False  # "What's the latest on X?": the story's newest events only


def timeline_asked(question: str, today: str | None = None) -> TimelineAsk | None:
    """Whether ``question`` asks for a timeline, and of what since when. ``today`` (ISO)
    places "since Monday" (default: the real today); a "since" that is not a day is not
    a timeline question."""
    context = _CONTEXT.search(question)  # a follow-up's context: "How did it unfold? (Pierluisi)"
    if context:
        question = question[:context.start()]
    for pattern in _ASKS:
        m = pattern.match(question)
        if m is None:
            continue
        topic = " ".join(x for x in ((m.groupdict().get("topic") or "").strip(" ,"),
                                     context.group(1) if context else "") if x)
        since_text = m.groupdict().get("since")
        since = None
        if since_text:
            since = _day(since_text, today or dt.date.today().isoformat())
            if since is None:
                return None
        if topic or since:
            return TimelineAsk(topic, since, pattern is _LATEST)
    return None


def newest(items: Sequence[Item]) -> list[Item]:
    """The events of a story's last ``LATEST_DAYS`` days (its newest), oldest first."""
    if not items:
        return []
    last = dt.date.fromisoformat(items[-1].day)
    start = (last - dt.timedelta(days=LATEST_DAYS)).isoformat()
    return [i for i in items if i.day >= start][-LATEST_ITEMS:]


_MONTH_YEAR = re.compile(rf"^(?:the\s+(?:start|beginning)\s+of\s+|early\s+)?(?P<month>{MONTH})?\s*(?P<year>(?:19|20)\d\d)$", re.I)


def _day(text: str, today: str) -> str | None:
    """A day as a reader writes it: "1 September 2019", "2019-09-01", "Monday", "September 1";
    a month or year is its first day ("October 2019", "the start of December 2019")."""
    text = text.strip()
    found = normalise_date(text)
    if found:
        return found
    m = _MONTH_YEAR.match(text)
    if m:
        month = m.group("month")
        number = month_number(month) if month else 1
        return f"{m.group('year')}-{number:02d}-01"
    named = [m for m in mentions(text, today) if m.end - m.start >= len(text.strip()) - 1]
    return named[0].day if named else None


def about(topic: str, title: str, opening: str, terms: Callable[[str], list[str]],
          idf: Callable[[str], float] | None = None) -> bool:
    """Whether an article is about ``topic``: its title and opening name each of the topic's
    names (a person by the surname will do) and one of its other words; given ``idf``, the
    rarest of them ("impeachment" of "the first impeachment of Donald Trump")."""
    text = f"{title} {opening}"
    names = names_in(topic)
    for name in names:
        forms = [name, name.split()[-1]] if is_person(name) else [name]
        if not re.search(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b", text):
            return False
    rest = topic
    for name in names:
        rest = rest.replace(name, " ")
    wanted = [t for t in terms(re.sub(r"\b(?:19|20)\d\d\b", " ", rest)) if t not in _FRAME]
    if not wanted:
        return True
    present = set(terms(text))
    return max(wanted, key=idf) in present if idf else bool(set(wanted) & present)


@dataclass
class Item:
    day: str
    text: str                 # the line: the sentence without its leading day ("On Friday, ")
    quote: str                # the whole sentence, as cited
    start: int                # the sentence's offsets in its article's body
    end: int
    chunk: Chunk              # a passage holding the sentence
    order: tuple              # (article's publication, position): ties within a day
    words: frozenset = field(default_factory=frozenset)
    support: int = 1          # reports telling this event


def events(body: str, chunks: Sequence[Chunk], published_at: str | None,
           terms: Callable[[str], list[str]]) -> list[Item]:
    """The dated events one article reports: a sentence naming days that lie apart gives
    one line per clause ("reported a 95% rate on December 24, and the last death on
    December 26"); "on the same day" is the day of the sentence before."""
    out = []
    last: str | None = None
    for i, (s, e) in enumerate(sentence_spans(body)):
        sentence = body[s:e]
        named = sorted([m for m in mentions(sentence, published_at) if not m.ahead] + _relative(sentence, last),
                       key=lambda m: m.start)
        last = named[-1].day if named else last
        quoted = sum(len(q) for q in _QUOTED.findall(sentence))
        if quoted > MOSTLY_QUOTED * len(sentence) or sentence[:1] in "\"“":
            continue
        if named:
            parts = _clauses(sentence, named)
        elif i == 0 and published_at:  # the lead reports the article's own news
            parts = [(0, len(sentence), None)]
        else:
            continue
        chunk = next((c for c in chunks if c.start <= s and e <= c.end), None)
        if chunk is None:
            continue
        for a, b, m in parts:
            line = _line(sentence[a:b], (m.start - a, m.end - a) if m else None)
            if len(line.split()) >= MIN_WORDS:  # not a dateline or a list's fragment
                out.append(Item(m.day if m else published_at[:10], line, sentence, s, e, chunk,
                                (published_at or "", s + a), frozenset(terms(sentence[a:b])), 2 if i == 0 else 1))
    return out


def _relative(sentence: str, last: str | None) -> list[Mention]:
    """"On the same day", "the next day", "the day before": days counted from ``last``."""
    if last is None:
        return []
    out = []
    for m in _SAME_DAY.finditer(sentence):
        shift = 1 if m.group("next") else -1 if m.group("before") else 0
        day = (dt.date.fromisoformat(last) + dt.timedelta(days=shift)).isoformat()
        out.append(Mention(m.start(), m.end(), day, False))
    return out


def _clauses(sentence: str, named: list[Mention]) -> list[tuple[int, int, Mention]]:
    """``(start, end, day named)`` of the parts of a sentence that name different days, cut
    at the last clause boundary between them; the whole sentence when it names one day."""
    cuts, kept = [0], [named[0]]
    for prev, nxt in zip(named, named[1:]):
        if nxt.day == kept[-1].day:
            continue
        bounds = list(_BOUNDARY.finditer(sentence, prev.end, nxt.start))
        if bounds:
            cuts.append(bounds[-1].start())
            kept.append(nxt)
    cuts.append(len(sentence))
    return [(cuts[k], cuts[k + 1], m) for k, m in enumerate(kept)]


def _line(clause: str, day_at: tuple[int, int] | None) -> str:
    """A clause as a timeline line: without its leading connective ("and") and its leading
    day ("On Friday,"), which the line's date says."""
    skip = _CONNECTIVE.match(clause).end()
    text = clause[skip:].rstrip(" ,;")
    if day_at is not None:
        start, end = day_at[0] - skip, day_at[1] - skip
        if start >= 0 and _LEADING_DAY.match(text[:start]):
            comma = _TIME_OF_DAY.match(text[end:])
            if comma and len(text[end + comma.end():].split()) >= 4:
                text = text[end + comma.end():]
    return text[:1].upper() + text[1:]


def merge(items: Sequence[Item], *, since: str | None = None, until: str | None = None,
          first_report: str | None = None) -> list[Item]:
    """One line per event, oldest first: a line of the same day sharing most of its words
    with an earlier-reported one is that one (and adds to its support); events before
    ``since``, after ``until`` or long before the story's ``first_report`` are left out."""
    floor = since
    if first_report:
        reach = (dt.date.fromisoformat(first_report[:10]) - dt.timedelta(days=BEFORE)).isoformat()
        floor = max(floor or reach, reach)
    kept: list[Item] = []
    for item in sorted(items, key=lambda x: x.order):
        if (floor and item.day < floor) or (until and item.day > until):
            continue
        same = next((k for k in kept if k.day == item.day and _overlap(k.words, item.words) >= SAME_EVENT), None)
        if same is not None:
            same.support += item.support
        else:
            kept.append(item)
    if len(kept) > MAX_ITEMS:
        best = sorted(kept, key=lambda x: -x.support)[:MAX_ITEMS]
        kept = [x for x in kept if x in best]
    return sorted(kept, key=lambda x: (x.day, x.order))


def _overlap(a: frozenset, b: frozenset) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def compose(items: Sequence[Item], title: str, articles: Sequence[dict], since: str | None = None,
            latest: bool = False) -> tuple[str, list[Citation]]:
    """The answer: a heading naming the story and its span, then one cited line per event."""
    meta = {a["article_id"]: a for a in articles}
    citations = []
    lines = []
    for n, item in enumerate(items, 1):
        c, a = item.chunk, meta[item.chunk.article_id]
        citations.append(Citation(n=n, article_id=c.article_id, title=c.title, source=a["source"],
                                  published_at=a["published_at"], url=a["url"], passage=c.text,
                                  passage_start=c.start, passage_end=c.end, quote=item.quote,
                                  quote_start=item.start, quote_end=item.end))
        lines.append(f"- {human_date(item.day)}: {item.text} [{n}]")
    dated = sorted(a["published_at"] for a in articles if a["published_at"])
    span = f", {human_date(dated[0])} to {human_date(dated[-1])}" if len(dated) > 1 else ""
    reports = f"{len(articles)} report{'s' if len(articles) != 1 else ''}{span}"
    head = (f"The latest on “{title}” ({reports})" if latest and title else
            f"Timeline of “{title}” ({reports})" if title else f"What the articles report ({reports})")
    if since:
        head += f", since {human_date(since)}"
    return head + ":\n\n" + "\n".join(lines), citations
