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
from functools import lru_cache

from .answer import Citation
from .lexicon import DEMONYM, MONTH, SYNONYM_GROUPS
from .question import Question, analyze, numbers_in
from .spans import names_the_noun
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
_ELSEWHERE = re.compile(r"\b(?:other countries|elsewhere|abroad|outside (?:the country|of))\b", re.I)
_INCREMENT = re.compile(r"\b(?:more(?!\s+than)|new|additional|further|extra|daily)\b", re.I)
_PART = re.compile(r"\b(?:suspected|severe|serious|critical|probable|active)\b", re.I)  # a part of the total
_FORECAST = re.compile(r"\b(?:may|might|could|would|projected|projects|forecasts?|predict\w*|expected to|"
                       r"misstat\w*|falsely|wrongly|erroneously|"
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
_STATED = re.compile(r"\b(\w+)\s+(?:is|are|was|were|stands? at|stood at|reached|rose to|"
                     r"climbed to|increased to|hit)\s+(?:\w+\s+){0,2}?$", re.I)
_VERB = re.compile(r"(?:died|killed|infected|recovered|injured|wounded|hurt|arrested|detained)", re.I)
_FRAME = set("""how many much what which is are was were the a an of in on at to for from by has have had
been be do does did so far far now total number count tally figure people person confirmed reported
recorded registered counted there their its it this that with and or most recent current latest""".split())
_PEOPLE = {"people", "persons", "person", "individuals"}
EARLIER = 3      # earlier reports listed after the newest
CLOSE = 0.5      # a report's sentence scoring this share of the best one's gives the figure asked for
LATER_REPORTS = 14  # days after an "as of" date whose reports may give its figure
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
    an increase, "523 new infections", a part, "461 severe cases", nor a forecast, "may cause
    32,000 more deaths"), of what the question is about (``_topic``), counting what it asks
    (``_counts``), and of the place the question names (or of the world, for a worldwide
    figure): the place named nearest the figure in its sentence, else in ``context`` (the
    sentence before, the headline). "US" is "the United States", "Americans"; another
    country's figure, or one country's when the world's is asked, is not the figure asked for."""
    if _INCREMENT.search(figure) or _FORECAST.search(sentence) or (
            _PART.search(figure) and not _PART.search(asked.text)):
        return False
    topic = _topic(asked)  # of what: "died of COVID-19", not "18 people died" in a plane crash
    if topic and not any(re.search(rf"\b{re.escape(w)}", f"{sentence} {context}", re.I) for w in topic):
        return False
    at = sentence.find(figure)
    end = at + len(figure)
    # deaths asked: the figure counts deaths, not cases (see ``_counts``)
    wanted_metric = next((said for asked_for, said in _METRICS if asked_for.search(asked.text)), None)
    if wanted_metric is not None:
        counts = _counts(sentence, at, end)
        if counts is None and not wanted_metric.search(context) or counts not in (None, wanted_metric):
            return False
    elif asked.noun and asked.noun.lower() not in _PEOPLE and not names_the_noun(sentence, (at, end), asked):
        return False  # "611 aftershocks" for "how many aftershocks", not a magnitude of 4.0
    wanted = {_place(n) for n in asked.names if not re.search(r"\d", n)}  # not "COVID-19"
    if _WORLD.search(asked.text):
        wanted.add("world")
    if not wanted:
        return True
    named = _places(sentence, wanted)
    after = [p for p in named if at <= p[0] <= end + 40]  # "one person in the Philippines", "cases worldwide"
    before = [p for p in named if p[0] < at]
    # else the place a list of figures ends with: "2741 cases, 80 deaths ... in China"
    after = after or ([] if before else [p for p in named if p[0] >= end])
    if after or before:
        return (min(after)[1] if after else max(before)[1]) in wanted
    return any(place in wanted for _, place in _places(context, wanted))


@lru_cache(maxsize=256)  # fits() asks it of every candidate figure of one question
def _topic(asked: Question) -> frozenset[str]:
    """What a running figure is of: the question's words that are not its places, what it
    counts, or how it asks ("coronavirus" in "What is the US coronavirus death toll now?"),
    each with the words of the same meaning, as word starts."""
    text = asked.text
    for name in asked.names:
        if not re.search(r"\d", name):  # places and people; "COVID-19" names the topic
            text = text.replace(name, " ")
    for pattern in [_WORLD, _CUES, *(p for pair in _METRICS for p in pair)]:
        text = pattern.sub(" ", text)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)} - _FRAME
    for group, _ in SYNONYM_GROUPS:
        if words & set(group):
            words |= set(group)
    return frozenset(w[:5] for w in words if len(w) > 2)


def _counts(sentence: str, at: int, end: int) -> re.Pattern | None:
    """What the figure at ``at:end`` counts (one of ``_METRICS``): the word inside it or just
    after it ("100 deaths"), else a verb just before it ("infected 200", "killed three"),
    else the word it is stated of ("the number of deaths is 66", "deaths rose to 66"), else
    the first such word of its clause, its subject ("the number of deaths linked to
    infections surpassed 100,000"); None when the sentence does not say."""
    def first(text: str, verbs: bool = False):
        found = [(m.start(), said) for _, said in _METRICS for m in said.finditer(text)
                 if not verbs or _VERB.fullmatch(m.group())]
        return min(found, key=lambda x: x[0])[1] if found else None

    after = " ".join(re.split(r"[,;]|\b(?:and|but|while)\b", sentence[end:])[0].split()[:4])
    before = sentence[:at].split()
    clause = re.split(r"[;:]", sentence[:at])[-1]
    stated = _STATED.search(sentence[max(0, at - 60):at])  # "the number of deaths is 66"
    return (first(sentence[at:end] + " " + after) or first(" ".join(before[-2:]), verbs=True)
            or (first(stated.group(1)) if stated else None) or first(clause))


def _place(name: str) -> str:
    """A place's key: one for all its names ("US", "United States", "American")."""
    group = DEMONYM.get(name.lower())
    return min(group) if group else name.lower()


def _places(text: str, wanted: set[str]) -> list[tuple[int, str]]:
    """``(position, key)`` of each country, the world, or wanted place named in ``text``."""
    low = text.lower()
    forms = {rf"\b{re.escape(form)}\b": _place(form) for form in DEMONYM}
    # a wanted place by its other forms too: "Samoa" in "Samoan", "Iran" in "Iranian"
    forms |= {rf"\b{re.escape(w)}\w*": w for w in wanted if w not in DEMONYM}
    found = [(m.start(), key) for form, key in forms.items() if key != "world" for m in re.finditer(form, low)]
    found += [(m.start(), "elsewhere") for m in _ELSEWHERE.finditer(text)]  # "37 cases in other countries"
    # not "30% of world-wide infections": a share of the world's figure is not the world's
    return found + [(m.start(), "world") for m in _WORLD.finditer(text)
                    if not re.search(r"\bof\s+(?:the\s+)?$", text[max(0, m.start() - 8):m.start()], re.I)]


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
    one per figure and date and one per article and date."""
    if not reports:
        return []
    best = max(r.score for r in reports)
    kept = sorted((r for r in reports if r.score >= CLOSE * best), key=lambda r: (-r.score))
    kept.sort(key=lambda r: r.date or "0000", reverse=True)  # stable: the better first within a day
    seen, out = set(), []
    for r in kept:  # one figure a day, and one a day from each report (its best)
        keys = {(frozenset(numbers_in(r.figure)) or r.figure, r.date), (r.citation.article_id, r.date)}
        if not keys & seen:
            seen |= keys
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
