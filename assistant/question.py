"""What a question asks: the kind of answer wanted, its focus words and its constraints.

:func:`analyze` reads a reader's question ("How many seats did the Conservatives win?",
"Why did the protests start?", "Where was he born?") into a :class:`Question`: the kind
of answer it wants (``quantity`` with its unit, ``date``, ``time``, ``place``, ``person``,
``org``, ``role``, ``reason``, ``words`` — someone's words — or ``thing``), the thing it
counts or places, its main clause, the constraints an answer must meet (names, years,
month-years, numbers: :func:`unmet`), and the speaker of a words question, who may be a
person with a role, a country, an organisation or a group (:func:`group_words`). Rules over
the ways news questions are phrased, no model. :mod:`assistant.spans` finds the answers of
each kind in a sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from index.attribution import fold  # case and accents folded, as names are matched

from .lexicon import (
    AGENT,
    COMMON_CAPS,
    DEMONYM,
    GEO_WORDS,
    GROUP_NOUNS,
    GROUP_STOP,
    MONTH,
    MONTHS,
    NAME_GLUE,
    OPENERS,
    ORG_WORDS,
    PARTICLES,
    PLACE_WORDS,
    ROLE_PREFIXES,
    ROLE_WORDS,
    WEEKDAYS,
)
from .when import month_number

_CAP = rf"(?!{MONTH}\b)[A-Z][\w&.-]*(?:['’](?!s\b)\w+)*"
# a run of capitalised words, with name particles and a quoted nickname: Matiu "Matt" Ratana
CAPS = re.compile(rf"{_CAP}(?:(?:\s+[\"“]{_CAP}[\"”](?=\s+[A-Z]))?\s+(?:(?:of|the|de|da|di|du|van|von|der|del|bin|al|"
                  rf"le|la)\s+)*{_CAP})*")


@dataclass(frozen=True)
class Question:
    text: str
    wants: str
    names: tuple[str, ...] = ()      # capitalised names the question gives (constraints)
    years: tuple[str, ...] = ()
    speaker: str | None = None       # ``words`` questions: whose words
    topic: str | None = None         # ... and about what
    noun: str | None = None          # "which <noun>", "how many <noun>": what is counted or named
    unit: str | None = None          # quantities: money, percent, duration, length, area, age, count
    subject: str | None = None       # ``role`` questions: whose role ("Who is <subject>, who ...?")
    numbers: tuple[str, ...] = ()    # the numbers it gives ("round 3", "Flight 610"): constraints too
    core: str = ""                   # its main clause, without the clauses that place the event
    #                                  ("... detained | after flying back to Moscow")


_KIND_RULES: list[tuple[str, re.Pattern]] = [(kind, re.compile(p, re.I)) for kind, p in [
    ("time", r"\bwhat time\b|\bwhat was (?:\S+\s+){1,4}(?:time|finishing time|winning time)\b|"
             r"\b(?:in|with) what time\b|\bwhat (?:\w+\s+)?time did\b"),
    ("quantity", r"\bhow (?:many|much|long|far|old|big|large|tall|high|deep|fast|often|heavy)\b|"
                 r"\bwhat(?:'s|’s)? (?:[\w'’-]+\s+){0,5}?(?:proportion|share|percentage|per ?cent|fraction|number|amount|"
                 r"price|sum|fine|bail|score|total|tally|count|figure|rate|age|distance|depth|height|length|size|"
                 r"speed|cost|value|salary|margin|turnout|toll|sentences?|term|penalty|compensation)\b|"
                 r"\bat what (?:depth|speed|height|age|altitude|price|rate|cost)\b|\bhow much\b|"
                 r"\bwhat (?:was|were|is) the (?:[\w'’-]+\s+){0,3}?vote\b"),
    ("date", r"^\s*(?:and\s+)?when\b|\bwhat (?:year|date|day|month|decade)\b|\bsince when\b|"
             r"\b(?:on|in) which (?:year|date|day|month)\b|\bwhen (?:was|were|did|will|is|does)\b"),
    ("reason", r"\bwhy\b|\bwhat (?:\w+\s+){0,4}(?:caused|causes|cause|triggered|prompted|led to|sparked|"
               r"motivated|prompt)\b|\bwhat (?:(?:had|has|have|was|is|were|the|main|real|official|stated|"
               r"exactly|really|first|finally|eventually|ultimately|actually|originally|initially)\s+){0,3}"
               r"(?:killed|made|drove|reasons?)\b|\bthe (?:main |likely |probable |official |exact )?"
               r"(?:cause|motive) of\b|\bfor what reason\b|"
               r"\bhow did (?:\w+\s+){1,8}(?:end up|ended up|come to|came to|get hold of|got hold of|get|got|happen|start|begin)\b|"
               r"\bhow (?:was|were) (?:\w+\s+){1,8}(?:uncovered|discovered|found|caused|started|exposed)\b|"
               r"\bhow did (?:\w+\s+){1,10}(?:uncover|discover|find out|learn)\b"),
    ("place", r"^\s*(?:and\s+)?where\b|\b(?:in|at|from|to|into|near|on|outside) (?:which|what) "
              r"(?!year|date|day|month|time)\w+|\bwhich (?:[\w-]+\s+){0,2}(?:city|country|town|village|street|hospital|"
              r"prison|airport|state|province|region|island|venue|stadium|place|location|corner|"
              r"base|port|university|county|district|area|neighbourhood|neighborhood)\b|"
              r"\bwhat (?:city|country|town|village|street|hospital|prison|airport|venue|place|location)\b"),
    ("org", r"\bwhich (?:company|firm|team|party|organi[sz]ation|group|network|agency|club|union|"
            r"newspaper|broadcaster|airline|bank|body|charity|university)\b|"
            r"\bwhat (?:company|firm|team|party|organi[sz]ation|agency|club|airline)\b"),
    ("role", r"\bwhat (?:\w+\s+)?(?:position|role|post|posts|job|title|office|offices) (?:does|did|do|is|was|has|had)\b|"
             r"\bdo(?:es)? for a living\b|\bwhat (?:is|was) (?:[\w'’.-]+\s+){1,4}?(?:job|occupation|profession)\b|"
             r"^\s*who (?:is|was|'s)\s+(?-i:[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*)\s*(?:,|\?|$| in | who )"),
    ("person", r"^\s*(?:and\s+)?(?:who|whom)\b|\bwhich (?:\w+\s+){0,3}(?:player|person|officer|man|"
               r"woman|official|candidate|minister|leader|member|athlete|driver|pilot|actor|actress|"
               r"singer|journalist|judge|politician|president|senator|doctor|scientist|runner|winner|rival|"
               r"opponent|challenger|successor|predecessor|suspect|victim)s?\b|"
               r"^\s*whose\b|\bwhat was (?:\w+\s+)?(?:his|her) name\b|"
               r"\bwhat (?:was|is|were|are) the names? of the (?:\w+\s+){0,2}?(?:teenager|man|woman|boy|girl|"
               r"gunman|shooter|attacker|assailant|suspect|victim|driver|pilot|officer|soldier|child|student|"
               r"teacher|person|judge|doctor|nurse|worker|employee)s?\b"),
]]

_LEADING_CLAUSE = re.compile(r"^\s*(?:when|after|before|as|once|while|since|following|with)\b[^,?]{3,}?,\s+"
                             r"(?=.*\b(?:what|which|who|whom|whose|when|where|why|how)\b)", re.I)

_WORDS_FRAMES = [re.compile(p, re.I) for p in [
    # What did X say / tell reporters / write (about|after|when ...) Y?
    r"^\s*(?:and\s+)?what (?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+(?:been\s+)?"
    r"(?:say|said|saying|tell|told|write|wrote|tweet|tweeted|post|posted|call|called|argue|argued|"
    r"claim|claimed|warn|warned|announce|announced|apologi[sz]e for|state|stated|comment|reply|answer|"
    r"respond|add|admit|describe|predict|blame|critici[sz]e|praise|accuse|deny|promise|pledge|urge|"
    r"thank)(?P<rest>\b.*)$",
    # What was X saying? (not "What was the ship called?": a name, not words)
    r"^\s*(?:and\s+)?what (?:was|were|is|are)\s+(?P<who>.+?)\s+(?:saying|telling|writing|tweeting|posting|"
    r"claiming|arguing|warning|announcing)(?P<rest>\b.*)$",
    # How did X react / respond (to Y)?
    r"^\s*(?:and\s+)?how (?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+(?:react|respond|reply|"
    r"answer|greet|receive|view|see|take|describe|characteri[sz]e)(?:ed|d)?(?P<rest>\b.*)$",
    r"^\s*(?:and\s+)?what (?:was|were|is|are)\s+(?P<who>.+?)(?:'s|’s|')\s+(?:reaction|response|"
    r"comments?|remarks?|statement|message|answer|words|view|position)(?P<rest>\b.*)$",
]]
_MEDIUM = re.compile(r"^\s*(?:on|in|to|during|via|at)\s+(?:twitter|facebook|instagram|x|tv|television|radio|"
                     r"social media|reporters|the press|(?:a|an|his|her|their|its)\s+(?:\w+\s+)?(?:statement|tweet|"
                     r"post|video|livestream|interview|press conference|speech|address|letter))\b\s*", re.I)
_TOPIC_LEAD = re.compile(r"^\s*(?:in response to|in reaction to|with regard to|regarding|concerning|"
                         r"about|on|of|to|for|after|when|as|following|over|comparing|in|at)\s+", re.I)


_NOT_NOUNS = frozenset("more were was are is have has had did do does will would could can of in".split())
_PAST_VERBS = frozenset("heard saw went came got took made told lost won left fled fell ran gave held met "
                        "paid sent spent kept found felt brought bought became began".split())


def analyze(text: str) -> Question:
    """Read ``text`` (one question, standalone) into a :class:`Question`."""
    q = " ".join(text.split())
    names = tuple(names_in(_HOLIDAY.sub(" ", q)))
    years = tuple(dict.fromkeys(re.findall(r"\b(?:19|20)\d\d\b", q)))
    speaker = topic = None
    wants = "thing"
    for frame in _WORDS_FRAMES:
        m = frame.match(q)
        who_words = m.group("who").split() if m else []
        if m and (any(w[:1].isupper() for w in who_words)
                  or {w.lower().strip(",.'’s") for w in who_words} & (ROLE_WORDS | ORG_WORDS | GROUP_NOUNS)):
            speaker = m.group("who").strip(" ,")
            rest = _MEDIUM.sub("", m.group("rest").strip(" ?.!,"))  # "on Twitter about ..."
            topic = _TOPIC_LEAD.sub("", rest) or None
            wants = "words"
            break
    if wants == "thing":
        main = _LEADING_CLAUSE.sub("", q)  # "When infections topped a million, | which country ...?"
        for kind, pattern in _KIND_RULES:
            if pattern.search(main):
                wants = kind
                break
    noun = None
    m = re.search(r"\b(?:how many|which|what)\s+(?:of\s+the\s+)?((?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*?)\s+"
                  r"(?:did|does|do|was|were|is|are|had|has|have|will|would|could)\b", q, re.I)
    if m:
        noun = m.group(1).lower()
    m = re.search(r"\bhow many\s+((?:[a-z][\w-]*\s+){0,1}[a-z][\w-]*)", q, re.I)
    if m and not noun:
        noun = m.group(1).lower()
        first, _, second = noun.partition(" ")
        if second.endswith("ed") or second in _PAST_VERBS:  # "how many people heard him"
            noun = first
    if noun and noun.split()[0] in _NOT_NOUNS:
        noun = None  # "how many were carried out", "how many more have turned up": no noun said
    unit = None
    if wants == "quantity":
        unit = next((u for u, pattern in _UNIT_QUESTIONS if pattern.search(q)), "count")
    elif wants == "time":
        unit = "clock"
    subject = None
    if wants == "role":
        people = [n for n in names if is_person(n) or len(n.split()) == 1]
        subject = people[0] if people else (names[0] if names else None)
    # "one of its buses" and "on 1 October" say no number an article must give
    # nor does "for nearly ten years": a figure the reader only estimates
    numbers = tuple(n for n in numbers_in(re.sub(r"\bone\b", " ", _HEDGED.sub(" ", _DAY.sub(" ", q)), flags=re.I))
                    if n not in years)
    # the clause the question word opens ("Before May 2020, | when was the last time ...")
    # up to the next clause that places the event
    wh = re.search(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", q, re.I)
    rest = q[wh.start():] if wh else q
    cut = _SUBORDINATE.search(rest, wh.end() - wh.start() if wh else 0)
    core = rest[:cut.start()] if cut else rest
    last = re.search(r"\s([a-z]+)\s*[?.!]*\s*$", q)
    if cut and cut.group().strip().lower() in _RELATIVE and last and last.group(1) not in core \
            and re.fullmatch(r"[a-z]+(?:ed|en|rn|wn|lt|ht)|from|based", last.group(1)):
        core = f"{core} {last.group(1)}"  # "Where was the man [who ...] born?": born is its verb
    return Question(q, wants, names, years, speaker, topic, noun, unit, subject, numbers, core)


# Words that open a clause placing the event in time or saying which one it is: what follows
# them identifies the story; what comes before asks about it.
_SUBORDINATE = re.compile(r"\s(?:after|when|before|while|during|since|until|once|following|as|"
                          r"that|which|who|whose|where|because|amid|despite|whom)\s", re.I)

_RELATIVE = {"who", "which", "that", "whose", "whom"}
# a holiday dates the question: an article names it, or was written in the days after it
# (one of New Year's Day 2016 may say only "Friday morning"); :func:`unmet` checks it
_HOLIDAY = re.compile(r"\b(?:New Year['’]s(?: Day| Eve)?|Christmas(?: Day| Eve)?|Thanksgiving(?: Day)?|"
                      r"Easter(?: Sunday| Monday)?|Halloween|Independence Day|July Fourth|Fourth of July|"
                      r"Labou?r Day|Memorial Day|Veterans Day|Valentine['’]s Day|Boxing Day|Good Friday)\b")
_HOLIDAY_DATES = {"new year's eve": (12, 31), "new year's day": (1, 1), "new year's": (1, 1),
                  "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
                  "boxing day": (12, 26), "halloween": (10, 31), "independence day": (7, 4),
                  "july fourth": (7, 4), "fourth of july": (7, 4), "valentine's day": (2, 14),
                  "veterans day": (11, 11)}


def holidays_in(text: str) -> tuple[str, ...]:
    """The holidays that date ``text`` ("New Year's Eve")."""
    return tuple(dict.fromkeys(m.group() for m in _HOLIDAY.finditer(text)))


def _holiday_met(holiday: str, years: tuple[str, ...], text: str, published_at: str | None) -> bool:
    """Whether an article names ``holiday`` or was written within three days after it (in
    one of the question's ``years``, when it gives any)."""
    pattern = re.escape(holiday.replace("’", "'")).replace("'", "['’]")
    if re.search(rf"\b{pattern}", text, re.I):
        return True
    month_day = _HOLIDAY_DATES.get(holiday.lower().replace("’", "'"))
    if month_day is None:  # a holiday without a fixed date: only its name meets it
        return False
    try:
        written = dt.date.fromisoformat((published_at or "")[:10])
    except ValueError:
        return False
    for year in (written.year, written.year - 1):
        day = dt.date(year, *month_day)
        if 0 <= (written - day).days <= 3 and (not years or str(year) in years):
            return True
    return False


_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen twenty").split()
_TENS = {w: str(10 * n) for n, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
         if n >= 2}
_HEDGED = re.compile(r"\b(?:nearly|almost|about|around|roughly|approximately|some|more than|over|fewer than|"
                     r"less than|under|at least|up to|close to)\s+(?=\d|(?:a\s+)?(?:%s)\b)" % "|".join(
                         _SMALL + list(_TENS) + ["dozen", "hundred", "thousand"]) + r"\S+", re.I)
# a day of a month is part of a date, not a number a text must give: "on 1 October", "October 1"
_DAY = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.I)


def numbers_in(text: str) -> set[str]:
    """The numbers a text gives, as digits ("1,500" -> "1500", "seven" -> "7")."""
    plain = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    found = set(re.findall(r"\d+(?:\.\d+)?", plain))
    words = re.findall(r"[a-z]+", text.lower())
    return found | {str(_SMALL.index(w)) for w in words if w in _SMALL} | {_TENS[w] for w in words if w in _TENS}


# What unit a quantity question asks for, by its words; the first that matches wins.
_UNIT_QUESTIONS = [(u, re.compile(p, re.I)) for u, p in [
    ("percent", r"\b(?:proportion|share|percentage|per ?cent|fraction|turnout|rate)\b"),
    ("money", r"\bhow much\b.*\b(?:pay|paid|cost|spend|spent|raise|raised|worth|price|sell|sold|buy|"
              r"bought|fund|earn|owe|fine|charge|donate|money|compensation)\b|"
              r"\b(?:price|cost|fine|bail|financial penalty|compensation|salary|sum|money|worth|budget|"
              r"damages|ransom|fee|bond)\b"),
    ("length", r"\bhow (?:far|tall|high|deep|long was the (?:route|distance|road|track|course|line|"
               r"bridge|tunnel|wall|border|river|trip|journey|flight path))\b|\b(?:depth|height|distance|"
               r"length|altitude)\b"),
    ("term", r"\b(?:prison term|sentences?|jail term|term)\b"),
    ("duration", r"\bhow long\b"),
    ("area", r"\bhow much (?:\w+\s+)?(?:forest|land|area|ground|territory)\b|\b(?-i:area)\b"),
    ("age", r"\bhow old\b|\bat what age\b|\bwhat age\b"),
    ("tally", r"\b(?:vote|score|tally)\b"),
    ("count", r"\bhow many\b"),
]]


def names_in(text: str) -> list[str]:
    """Capitalised name sequences in ``text`` ("Kyle Rittenhouse", "Hong Kong"), question
    words and sentence openers left out."""
    out = []
    for m in CAPS.finditer(text):
        words = m.group().split()
        if m.start() == 0 and len(words) == 1 and (words[0].lower() in OPENERS or words[0].endswith("ly")):
            continue  # "Roughly how many ...", "Apart from ...": an opener, not a name
        while words and (words[0].lower().strip(".,'’") in COMMON_CAPS or words[0].isdigit()):
            words = words[1:]
        while words and words[-1].lower() in {"of", "the", "and", "for", "on", "in", "at", "de"}:
            words = words[:-1]
        name = re.sub(r"(?:'s|’s|'|’)$", "", " ".join(words)).strip(" .,")
        if name and name.lower() not in COMMON_CAPS and not re.fullmatch(r"[\d\W]+|[A-Z]{2,}s", name):
            out.append(name)  # (not "MPs", "NGOs": a kind of people or thing)
    return list(dict.fromkeys(out))


def is_person(name: str) -> bool:
    """A name that reads as a person's: two or more capitalised words, none of them a place,
    organisation or role word, a month or a country's adjective ("Park Won-soon", not
    "Sistine Chapel", "Hong Kong Police" or "Northern California")."""
    words = [w.strip('"“”') for w in name.split() if w.lower() not in PARTICLES]  # "Haitham bin Tariq Al Said"
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    low = [fold(w).strip(".,'’") for w in words]
    last = low[-1]
    return not (last in PLACE_WORDS or set(low) & ORG_WORDS or last.rstrip("s") in PLACE_WORDS | ORG_WORDS
                or last.endswith("ies") and last[:-3] + "y" in ORG_WORDS or set(low) & (ROLE_WORDS | GEO_WORDS)
                or set(low) & set(DEMONYM) or " ".join(low) in DEMONYM
                or any(w in MONTHS or w in WEEKDAYS for w in low))


def person_in(name: str) -> str | None:
    """The person a name sequence names, roles and countries before it dropped
    ("Ukrainian President Volodymyr Zelensky" -> "Volodymyr Zelensky"), or None."""
    words = name.split()
    while len(words) > 1 and (fold(words[0]).strip(".,") in ROLE_WORDS | set(DEMONYM) | COMMON_CAPS
                              or fold(words[0]).strip(".,")[:5] in ROLE_PREFIXES
                              or AGENT.fullmatch(fold(words[0]))):
        words = words[1:]
    candidate = " ".join(words)
    return candidate if is_person(candidate) else None


def is_place_or_org(name: str) -> bool:
    """A name that reads as a place, organisation or country ("London Bridge", "Ukraine's
    air force", "Mexican")."""
    low = [fold(w).strip(".,'’") for w in re.sub(r"['’]s\b", "", name).split()]
    return bool(low) and (low[-1] in PLACE_WORDS | ORG_WORDS or low[-1].rstrip("s") in PLACE_WORDS | ORG_WORDS
                          or " ".join(low) in DEMONYM or bool(set(low) & GEO_WORDS))


_PORTFOLIO = frozenset("""foreign defence defense finance interior home justice health education trade
commerce economy energy environment treasury labor labour transport agriculture culture""".split())


@lru_cache(maxsize=256)  # asked again for every candidate sentence of a words question
def group_words(phrase: str) -> tuple[frozenset[str], frozenset[str]]:
    """What marks a speaker as speaking for ``phrase``: its names (capitalised words, each
    also as its country's other names and by its first five letters: "Ukraine" ~
    "Ukrainian", "Greece" ~ "Greek") and its other words ("foreign minister")."""
    names, other = set(), set()
    for w in re.findall(r"[^\W_]+", re.sub(r"['’]s\b", "", phrase)):
        f = fold(w)
        if f in GROUP_STOP or len(f) < 2:
            continue
        # "Foreign Ministry", "Finance Minister": words of a role, even written with capitals
        target = names if w[:1].isupper() and f not in _PORTFOLIO | ROLE_WORDS | ORG_WORDS else other
        target.add(f[:5] if len(f) >= 5 else f)
        target |= set(DEMONYM.get(f, ()))
    for name in names_in(phrase):  # "Syrian Democratic Forces" -> "sdf"
        initials = "".join(w[0] for w in name.split() if w[:1].isupper())
        if len(initials) >= 2:
            names.add(initials.lower())
    return frozenset(names), frozenset(other)


def _month_years(text: str) -> list[tuple[int, str]]:
    """(month, year) pairs a text names: "November 2020", "in March of 2019"."""
    out = []
    for m in re.finditer(rf"\b({MONTH})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+(?:of\s+)?((?:19|20)\d\d)\b", text):
        out.append((month_number(m.group(1)), m.group(2)))
    return out


@lru_cache(maxsize=256)
def _text_words(text: str) -> tuple[frozenset[str], frozenset[str], str]:
    """An article's folded words written with a capital (as names are: "Time" is not met by
    "time"), their five-letter prefixes and all its words as one spaced string: what
    :func:`unmet` looks names up in (cached: follow-ups read the same articles)."""
    # "U.S." is the word "us" (as the question writes it), "U.K." "uk"
    plain = re.sub(r"\b(?:[A-Z]\.){2,}", lambda m: m.group().replace(".", "") + " ", text)
    words = frozenset(fold(w) for w in re.findall(r"[^\W_]+", plain) if not w.islower())
    found = re.findall(r"[^\W_]+", fold(plain))
    return words, frozenset(w[:5] for w in words if len(w) >= 5), " " + " ".join(found) + " "


def _whole_name(name: str, text: str) -> str:
    """``name`` with the capitalised words ``text`` joins to it by "for", "of", "and" or "the"
    ("National League" -> "National League for Democracy")."""
    glue = r"(?:\s+(?:for|of|and|the))*\s+"
    m = re.search(rf"(?:[A-Z][\w'’-]*{glue})*{re.escape(name)}(?:{glue}[A-Z][\w'’-]*)*", text)
    return m.group() if m else name


def _name_words(name: str) -> list[str]:
    name = re.sub(r"\b[A-Z](?:\.[A-Z])+\.?", lambda m: m.group().replace(".", "") + " ", name)  # "U.S." is "US"
    return [w for w in re.findall(r"[^\W_]+", fold(re.sub(r"['’]s\b", "", name)))
            if w not in NAME_GLUE and not w.isdigit()]


_MADE_AS = re.compile(
    r"\b(?:name|named|appoint|appointed|elect|elected|choose|chose|chosen|nominate|nominated|select|"
    r"selected|pick|picked|install|installed|hire|hired|make|made)\b[^?]*?\bas\s+(?:(?:the|his|her|its|"
    r"their|a|an|new|next|first|interim)\s+)*(?P<role>(?:[\w-]+\s+){0,3}?[\w-]+?)"
    r"(?=\s+(?:after|in|on|when|following|before|to|for|of|at|by)\b|\s*[?.,!]|$)", re.I)


def made_as(asked: Question) -> tuple[str, ...]:
    """The words of the post a question asks who was given ("Whom did Trump name as his new
    national security adviser?" -> national, security, adviser): the answer must be given it."""
    m = _MADE_AS.search(asked.core) or _MADE_AS.search(asked.text)
    if not m or asked.wants != "person":
        return ()
    return tuple(w for w in m.group("role").lower().split() if len(w) > 2)


@lru_cache(maxsize=256)
def _acronyms(text: str) -> frozenset[str]:
    """The initials of a text's runs of capitalised words ("Institute for Health Metrics and
    Evaluation" -> IHME), the small words between them left out."""
    found = set()
    for m in re.finditer(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|and|the|on|in)\s+)*[A-Z][\w'’-]*)+", text):
        initials = "".join(w[0] for w in m.group().split() if w[0].isupper())
        found |= {initials[i:j] for i in range(len(initials)) for j in range(i + 2, len(initials) + 1)}
    return frozenset(found)


_CAMPAIGN = re.compile(r"\b((?:19|20)\d\d)\s+(?:[\w-]+\s+){0,2}?(?:race|campaign|primary|primaries|"
                       r"nomination|caucus(?:es)?|bid|candidacy)\b", re.I)


def _campaign_years(text: str) -> set[str]:
    """Years that name a race run in the years before it: "the 2020 Democratic race"."""
    return {m.group(1) for m in _CAMPAIGN.finditer(text)}


def unmet(asked: Question, text: str, published_at: str | None) -> list[str]:
    """The question's names and years that ``text`` (an article's title and body, dated
    ``published_at``) does not meet: a name is met when its surname, or most of its words,
    occur (a word also by its first five letters: "Mexican" meets "Mexico"); a year when
    the text gives it or the article is dated in it (or in the first weeks of the next; a
    race's year, also in the two years before it)."""
    words, prefixes, folded = _text_words(text)

    def has(w: str) -> bool:
        return (w in words or (len(w) >= 5 and w[:5] in prefixes)
                or any(f" {alt} " in folded for alt in DEMONYM.get(w, ())))

    missing = []
    names = asked.names
    if asked.wants == "words" and asked.speaker:  # the event is often told in other words
        names = tuple(n for n in names if n in asked.speaker)
    for name in names:
        parts = _name_words(name)
        if not parts or " ".join(parts) in DEMONYM and has(" ".join(parts)):
            continue
        if re.fullmatch(r"[A-Z]{2,6}", name) and name in _acronyms(text):
            continue  # "IHME": the Institute for Health Metrics and Evaluation
        initials = "".join(w[0] for w in _whole_name(name, asked.text).split() if w[:1].isupper())
        if len(initials) >= 3 and initials.lower() in words:
            continue  # "National League for Democracy": the NLD
        found = sum(has(w) for w in parts)
        if not (has(parts[-1]) or found * 2 >= len(parts)):
            missing.append(name)
    if asked.numbers:
        missing += sorted(set(asked.numbers) - numbers_in(text), key=asked.text.find)
    missing += [h for h in holidays_in(asked.text) if not _holiday_met(h, asked.years, text, published_at)]
    year = (published_at or "")[:4]
    for month, y in _month_years(asked.text):
        if y in asked.years and not _month_met(month, y, text, published_at):
            missing.append(f"{MONTHS[month - 1].title()} {y}")
    running = _campaign_years(asked.text)
    for y in asked.years:
        if any(m.endswith(y) for m in missing):
            continue
        if y in text or y == year:
            continue
        if y in running and year.isdigit() and int(y) - 2 <= int(year) < int(y):
            continue  # "when he quit the 2020 presidential race", reported in 2019
        if year.isdigit() and int(year) == int(y) + 1 and (
                (published_at or "")[5:7] in ("01", "02") or _last_year_told(text, published_at)):
            continue
        missing.append(y)
    return missing


_YEARLESS_MONTH = re.compile(r"\b(?:in|since|last|early|late|mid-?)\s+(" + "|".join(m.title() for m in MONTHS[:12])
                             + r")\b(?!\s+\d{1,2}\b)(?!,?\s+(?:of\s+)?\d{4})")


def _month_met(month: int, year: str, text: str, published_at: str | None) -> bool:
    """Whether an article tells of a month of a year: not when it was written before it;
    else when it names them ("October 2015", "Oct. 3, 2015"), was written in the three months
    after the month's start, or names the month alone ("in March") within the year before
    its date; not long after without saying so (a 2016 report's "so far this year" is not
    October 2015)."""
    if not published_at or not published_at[:7].replace("-", "").isdigit():
        return True  # undated: the year decides
    written = int(published_at[:4]) * 12 + int(published_at[5:7]) - 1
    start = int(year) * 12 + month - 1
    if written < start:
        return False  # written before it happened
    if written - start <= 3 or (month, year) in _month_years(text):
        return True
    name = MONTHS[month - 1].title()
    return written - start < 12 and bool(re.search(rf"\b{name}\b(?!,?\s+(?:\d{{1,2}},?\s+)?(?:of\s+)?\d{{4}})", text))


def _last_year_told(text: str, published_at: str | None) -> bool:
    """The text tells of the year before its date: "last year", or a month named without a
    year that is still to come in its own year ("in August", in an April article)."""
    if re.search(r"\blast year\b", text, re.I):
        return True
    month = int((published_at or "0000-00")[5:7] or 0)
    return any(month_number(m.group(1)) > month for m in _YEARLESS_MONTH.finditer(text))
