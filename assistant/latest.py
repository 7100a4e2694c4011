"""Questions about the current state of a developing story ("How many have died so far?",
"What is the latest death toll?", "How many cases does Spain have?") and about the state on
a date ("As of 1 May 2020, how many ...?", or ``ask(..., as_of=...)``).

Such a question is answered from every report that gives the figure, newest first: the
reports are the articles retrieved for it (published on or before the "as of" date) and the
newest articles of their story (``index.stories``); each report's figure is the fact the
extractive answerer finds in it, kept when its sentence scores close to the best one. The
answer leads with the newest figure, dated, then the earlier ones with their dates:
"1,051,635, as of 5 April 2020 [1]. <its sentence> [1] Earlier reports: 167,515 (16 March
2020) [2]; 126,000 (12 March 2020) [3]." When the newest reports of one day give different
figures, the answer says they differ and cites each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .answer import Citation
from .lexicon import DEMONYM, MONTH
from .question import Question, analyze, numbers_in
from .when import human_date, reported_date

_CUES = re.compile(
    r"\b(?:latest|so far|to date|now|currently|current|at present|presently|most recent|up to date|"
    r"as (?:it|things) stands?|yet|running total|tally|death toll|toll)\b|"
    r"\b(?:do|does|did)\s+(?:\w+\s+){1,5}?have\b|"
    r"\b(?:has|have|had)\s+(?:\w+\s+){0,5}?(?:died|been|risen|rose|climbed|reached|recovered|tested|"
    r"reported|recorded|confirmed|registered|counted|killed|infected)\b|"
    r"^\s*(?:how many|what)\b.*\b(?:is|are|does|do)\b", re.I)
_DAY = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\s*,?\s+\d{{4}}|"
        rf"{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s+\d{{4}}|\d{{4}}-\d\d-\d\d)")
_AS_OF = re.compile(rf"\s*,?\s*\b(?:as (?:of|at)|up to|until)\s+(?P<day>{_DAY})\s*,?\s*", re.I)
_ON_DAY = re.compile(rf"\s*,?\s*\b(?:by|on|at)\s+(?P<day>{_DAY})\s*,?\s*", re.I)
_WORLD = re.compile(r"\b(?:worldwide|world-wide|world|globally|global|around the globe|across the globe)\b", re.I)
_INCREMENT = re.compile(r"\b(?:more|new|additional|further|extra|daily)\b", re.I)
_FORECAST = re.compile(r"\b(?:may|might|could|would|projected|projects|forecasts?|predict\w*|expected to|"
                       r"models? (?:show|suggest))\b", re.I)
# what a running figure counts: a question about one wants a figure said to count it
_METRICS = [(re.compile(a, re.I), re.compile(b, re.I)) for a, b in [
    (r"\b(?:died|dead|deaths?|killed|death toll|fatalit\w*|lives)\b",
     r"\b(?:died|dead|deaths?|killed|toll|fatal\w*|lives|victims)\b"),
    (r"\b(?:cases|infections?|infected|tested positive|positive)\b", r"\b(?:cases?|infections?|infected|positive)\b"),
    (r"\brecover\w*\b", r"\brecover\w*\b"),
    (r"\binjur\w*\b|\bwounded\b", r"\binjur\w*\b|\bwounded\b|\bhurt\b"),
    (r"\bmissing\b", r"\bmissing\b|\bunaccounted\b"),
    (r"\barrest\w*\b|\bdetained\b", r"\barrest\w*\b|\bdetain\w*\b|\bcustody\b"),
]]
EARLIER = 3      # earlier reports listed after the newest
CLOSE = 0.5      # a report's sentence scoring this share of the best one's gives the figure asked for
REPORTS = 8      # articles read for figures


@dataclass(frozen=True)
class Report:
    figure: str            # the fact as written: "more than 1,000", "1.6 million"
    citation: Citation
    score: float

    @property
    def date(self) -> str:
        """The day the figure is given for: the one its sentence names ("as of Wednesday",
        "on April 28", "yesterday"), else the day the article was published."""
        c = self.citation
        return reported_date(c.quote, c.published_at, c.quote.find(self.figure))


def fits(asked: Question, sentence: str, figure: str, context: str = "") -> bool:
    """Whether a report's sentence gives the running figure asked for: a total reported (not
    an increase, "523 new infections", nor a forecast, "may cause 32,000 more deaths"), and of
    the place the question names (or of the world, for a worldwide figure): the place named
    nearest the figure in its sentence, else in ``context`` (the sentence before, the
    headline). "US" is "the United States", "Americans"; another country's figure, or one
    country's when the world's is asked, is not the figure asked for."""
    if _INCREMENT.search(figure) or _FORECAST.search(sentence):
        return False
    wanted = {_place(n) for n in asked.names if not re.search(r"\d", n)}  # not "COVID-19"
    if _WORLD.search(asked.text):
        wanted.add("world")
    if not wanted:
        return True
    at = sentence.find(figure)
    end = at + len(figure)
    for asked_for, said in _METRICS:  # deaths asked: the figure counts deaths, not cases
        if asked_for.search(asked.text):
            if not said.search(sentence[max(0, at - 80):end + 60]) and not said.search(context):
                return False
        elif said.search(figure):  # "6606 lives" when cases are asked
            return False
    named = _places(sentence, wanted)
    after = [p for p in named if end <= p[0] <= end + 40]  # "one person in the Philippines"
    before = [p for p in named if p[0] < at]
    if after or before:
        return (min(after)[1] if after else max(before)[1]) in wanted
    return any(place in wanted for _, place in _places(context, wanted))


def _place(name: str) -> str:
    """A place's key: one for all its names ("US", "United States", "American")."""
    group = DEMONYM.get(name.lower())
    return min(group) if group else name.lower()


def _places(text: str, wanted: set[str]) -> list[tuple[int, str]]:
    """``(position, key)`` of each country, the world, or wanted place named in ``text``."""
    low = text.lower()
    forms = {form: _place(form) for form in DEMONYM} | {w: w for w in wanted}
    found = [(m.start(), key) for form, key in forms.items() if key != "world"
             for m in re.finditer(rf"\b{re.escape(form)}\b", low)]
    return found + [(m.start(), "world") for m in _WORLD.finditer(text)]


def as_of_in(question: str) -> tuple[str | None, str]:
    """The date a question asks "as of" (ISO), and the question without it: "as of D", "up
    to D"; "by D" and "on D" only in a question about a figure as it stood ("How many cases
    had been confirmed by 1 May?"), not in one that places an event ("Who was shot on 1
    October?")."""
    from corpus.dates import normalise_date

    for pattern in (_AS_OF, _ON_DAY):
        m = pattern.search(question)
        if not m:
            continue
        day = normalise_date(re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", m.group("day")))
        rest = re.sub(r"\s+([?.!,])", r"\1", (question[:m.start()] + " " + question[m.end():]).strip(" ,"))
        rest = re.sub(r"^\s*([a-z])", lambda x: x.group(1).upper(), rest)
        if day and (pattern is _AS_OF or asks_latest(analyze(rest))):
            return day, rest
    return None, question


_NOW = re.compile(r"\s*\b(?:the latest|latest|so far|to date|right now|now|currently|at present|presently|"
                  r"most recent|up to date|as (?:it|things) stands?|yet)\b", re.I)


def without_now(question: str) -> str:
    """The question without the words that ask for the current state ("so far", "now",
    "latest"): they say when, not what, and no report uses them."""
    return re.sub(r"\s+([?.!,])", r"\1", _NOW.sub("", question)).strip() or question


def asks_latest(asked: Question) -> bool:
    """Whether a question asks for a figure as it stands (a count, a toll, a total)."""
    return asked.wants == "quantity" and asked.unit in ("count", None) and bool(_CUES.search(asked.text))


def newest_first(reports: list[Report]) -> list[Report]:
    """The reports whose sentence comes close to the best one, newest first (undated last),
    one per figure and date."""
    if not reports:
        return []
    best = max(r.score for r in reports)
    kept = sorted((r for r in reports if r.score >= CLOSE * best), key=lambda r: (-r.score))
    kept.sort(key=lambda r: r.date or "0000", reverse=True)  # stable: the better first within a day
    seen, out = set(), []
    for r in kept:
        key = (frozenset(numbers_in(r.figure)) or r.figure, r.date)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def compose(reports: list[Report], as_of: str | None = None) -> tuple[str, list[Citation]]:
    """The answer: the newest figure, dated, its sentence, then the earlier figures."""
    newest = reports[0]
    same_day = [r for r in reports[1:] if r.date == newest.date and r.date
                and set(numbers_in(r.figure)) != set(numbers_in(newest.figure))]
    earlier = [r for r in reports[1:] if r not in same_day][:EARLIER]
    shown = [newest, *same_day, *earlier]
    citations = [replace(r.citation, n=n) for n, r in enumerate(shown, 1)]
    when = f"as of {human_date(newest.date)}" if newest.date else "in an undated report"
    if same_day:
        figures = "; ".join(f"{r.figure} [{n}]" for n, r in enumerate([newest, *same_day], 1))
        text = f"The reports of {human_date(newest.date)} differ: {figures}."
    else:
        text = f"{newest.figure}, {when} [1]. {citations[0].quote} [1]"
    if earlier:
        start = len(shown) - len(earlier) + 1
        listed = "; ".join(f"{r.figure} ({human_date(r.date)}) [{n}]" for n, r in enumerate(earlier, start))
        text += f" Earlier reports: {listed}."
    if as_of:
        text = f"As of {human_date(as_of)}: {text}"
    return text, citations
