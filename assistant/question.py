"""What a question asks: the kind of answer wanted, its focus words and its constraints.

:func:`analyze` reads a reader's question ("How many seats did the Conservatives win?",
"Why did the protests start?", "Where was he born?") into a :class:`Question`:

- ``wants``: the kind of answer: ``quantity``, ``date``, ``time``, ``place``, ``person``,
  ``org``, ``role``, ``reason``, ``words`` (someone's words) or ``thing`` (anything else);
- ``names``, ``years``: the constraints an answer must meet (the people, places and
  events it names, the years it gives);
- ``speaker``: whose words a ``words`` question asks for.

:func:`spans` finds, in a sentence, the spans of a kind (numbers with their noun, dates,
times, capitalised names with place or organisation cues, a role next to a name, a
reason clause): the sentence answerer uses it to choose the sentence that carries the
answer and to lead with the answer itself. Rules over the forms news questions and news
sentences take, no model: fast enough to run on every candidate sentence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December" \
         r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
NUMBER_WORDS = set("""one two three four five six seven eight nine ten eleven twelve thirteen fourteen
fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred hundreds thousand thousands million millions billion billions trillion dozen dozens
half quarter third""".split())
_NUM_WORD = r"(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_NUMBER = rf"(?:(?:[A-Z]{{0,3}}[$£€¥₹]|Rs\.?\s?)?\d[\d,.]*+(?!st\b|nd\b|rd\b|th\b)(?:\s?(?:%|per\s?cent|percent))?|\b{_NUM_WORD}\b)"
_QUANTITY = re.compile(
    rf"(?:\b(?:about|around|some|nearly|almost|over|more than|less than|at least|up to|roughly|"
    rf"approximately|an estimated)\s+)?{_NUMBER}(?:[\s-]+(?:{_NUM_WORD}|\d[\d,.]*))*"
    rf"(?:[\s-]+(?:[a-zA-Z$£€%][\w$£€%'’-]*)){{0,2}}", re.I)
_DATE = re.compile(
    rf"\b(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH},?\s+\d{{4}}|(?:in\s+)?(?:1[89]|20)\d\d\b"
    rf"|{_WEEKDAY}|yesterday|today|last (?:week|month|year|night)|earlier this (?:week|month|year))")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\s?[ap]\.?m\.?)?|\b\d{1,2}\s?[ap]\.m\.|"
                   r"\b(?:noon|midnight|\d+(?:\.\d+)?\s+(?:seconds|minutes|hours))\b", re.I)
_CAP = rf"(?!{_MONTH}\b)[A-Z][\w&.-]*(?:['’](?!s\b)\w+)*"
_CAPS = re.compile(rf"{_CAP}(?:\s+(?:(?:of|the|de|da|di|du|van|von|der|del|bin|al|le|la)\s+)*{_CAP})*")
PLACE_WORDS = set("""airport street avenue road square hospital prison jail base island islands river
mount mountain lake sea ocean bay coast palace cathedral church mosque temple stadium arena park
station bridge hall university college school village town city county province state region
district reservation range center centre facility port harbour harbor valley forest desert
gardens garden house building tower court camp""".split())
ORG_WORDS = set("""association party group company corporation corp inc ltd llc council ministry
department agency union command committee commission organisation organization institute
university bank network club team board bureau authority federation league forces army navy
police court service services foundation fund trust society alliance coalition""".split())
ROLE_WORDS = set("""minister president spokesperson spokesman spokeswoman director head chief
commissioner judge administrator physician doctor wife husband widow son daughter mother father
leader official chairman chairwoman chair secretary governor mayor officer professor senator
representative ambassador prosecutor attorney general commander founder ceo executive manager
coach captain editor reporter analyst researcher scientist member deputy adviser advisor envoy
spokesperson inspector superintendent sergeant constable lawyer candidate nominee owner
president-elect chancellor premier king queen prince princess pope cardinal bishop""".split())
REASON = re.compile(
    r"\b(?:because|due to|owing to|caused by|causing|cause[sd]?|led to|leading to|lead to|blamed|"
    r"as a result|result(?:ed|ing)? (?:of|from|in)|after|follow(?:ing|ed|s)|amid|over|since|so that|in order to|"
    r"to (?:prevent|avoid|reduce|protect|stop|limit|punish|help)|triggered|prompted|sparked|from|"
    r"reason|for (?:fear|security|safety)|thanks to|meant|means)\b", re.I)
_SPEECH_VERB = re.compile(r"\b(?:said|says|told|stated|added|announced|warned|called|described|"
                          r"indicated|responded|reacted|tweeted|wrote|urged|insisted|argued)\b")
QUOTE_MARKS = re.compile(r"[“\"]([^”\"]{8,})[”\"]")

_GROUP_NOUNS = {"officials", "government", "authorities", "leaders", "military", "protesters",
                "residents", "critics", "experts", "lawmakers", "activists", "unions", "opposition",
                "players", "fans", "doctors", "scientists", "police", "spokespeople"}
QUESTION_WORDS = set("""what which who whom whose when where why how did does do was were is are
has have had will would can could should the a an of""".split())


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
                 r"\bwhat (?:\w+\s+){0,3}?(?:proportion|share|percentage|per ?cent|fraction|number|amount|"
                 r"price|sum|fine|bail|score|total|figure|rate|age|distance|depth|height|length|size|"
                 r"speed|cost|value|salary|margin|turnout|toll|sentences?|term|penalty|compensation)\b|"
                 r"\bat what (?:depth|speed|height|age|altitude|price|rate|cost)\b|\bhow much\b"),
    ("date", r"^\s*(?:and\s+)?when\b|\bwhat (?:year|date|day|month|decade)\b|\bsince when\b|"
             r"\b(?:on|in) which (?:year|date|day|month)\b|\bwhen (?:was|were|did|will|is|does)\b"),
    ("reason", r"\bwhy\b|\bwhat (?:\w+\s+){0,5}(?:caused|causes|cause|triggered|prompted|led to|"
               r"killed|sparked|made|drove|motivated|reason|prompt)\b|\bfor what reason\b|"
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
             r"^\s*who (?:is|was|'s)\s+(?-i:[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*)\s*(?:,|\?|$| in | who )"),
    ("person", r"^\s*(?:and\s+)?(?:who|whom)\b|\bwhich (?:\w+\s+){0,2}(?:player|person|officer|man|"
               r"woman|official|candidate|minister|leader|member|athlete|driver|pilot|actor|actress|"
               r"singer|journalist|judge|politician|president|senator|doctor|scientist|runner|winner)\b|"
               r"^\s*whose\b|\bwhat was (?:\w+\s+)?(?:his|her) name\b"),
]]

_WORDS_FRAMES = [re.compile(p, re.I) for p in [
    # What did X say / tell reporters / write (about|after|when ...) Y?
    r"^\s*(?:and\s+)?what (?:did|does|do|has|have|had|was|were|is)\s+(?P<who>.+?)\s+(?:been\s+)?"
    r"(?:say|said|saying|tell|told|write|wrote|tweet|tweeted|post|posted|call|called|argue|argued|"
    r"claim|claimed|warn|warned|announce|announced|apologi[sz]e for|state|stated|comment|reply|answer|"
    r"respond|add|admit|describe|predict)(?P<rest>\b.*)$",
    # How did X react / respond (to Y)?
    r"^\s*(?:and\s+)?how (?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+(?:react|respond|reply|"
    r"answer|greet|receive|view|see|take)(?:ed)?(?P<rest>\b.*)$",
    r"^\s*(?:and\s+)?what (?:was|were|is|are)\s+(?P<who>.+?)(?:'s|’s|')\s+(?:reaction|response|"
    r"comments?|remarks?|statement|message|answer|words|view|position)(?P<rest>\b.*)$",
]]
_TOPIC_LEAD = re.compile(r"^\s*(?:in response to|in reaction to|with regard to|regarding|concerning|"
                         r"about|on|of|to|after|when|as|following|over|comparing|in|at)\s+", re.I)
_ROLE_PREFIX = re.compile(r"^(?:the\s+)?(?:[a-z][\w'’-]*\s+)+(?=[A-Z])")


def analyze(text: str) -> Question:
    """Read ``text`` (one question, standalone) into a :class:`Question`."""
    q = " ".join(text.split())
    names = tuple(names_in(q))
    years = tuple(dict.fromkeys(re.findall(r"\b(?:19|20)\d\d\b", q)))
    speaker = topic = None
    wants = "thing"
    for frame in _WORDS_FRAMES:
        m = frame.match(q)
        who_words = m.group("who").split() if m else []
        if m and (any(w[:1].isupper() for w in who_words)
                  or {w.lower().strip(",.'’s") for w in who_words} & (ROLE_WORDS | ORG_WORDS | _GROUP_NOUNS)):
            speaker = m.group("who").strip(" ,")
            topic = _TOPIC_LEAD.sub("", m.group("rest").strip(" ?.!,")) or None
            wants = "words"
            break
    if wants == "thing":
        for kind, pattern in _KIND_RULES:
            if pattern.search(q):
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
    unit = None
    if wants == "quantity":
        unit = next((u for u, pattern in _UNIT_QUESTIONS if pattern.search(q)), "count")
    elif wants == "time":
        unit = "clock"
    subject = None
    if wants == "role":
        people = [n for n in names if is_person(n) or len(n.split()) == 1]
        subject = people[0] if people else (names[0] if names else None)
    numbers = tuple(n for n in numbers_in(q) if n not in years)
    # the clause the question word opens ("Before May 2020, | when was the last time ...")
    # up to the next clause that places the event
    wh = re.search(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", q, re.I)
    rest = q[wh.start():] if wh else q
    cut = _SUBORDINATE.search(rest, wh.end() - wh.start() if wh else 0)
    core = rest[:cut.start()] if cut else rest
    return Question(q, wants, names, years, speaker, topic, noun, unit, subject, numbers, core)


# Words that open a clause placing the event in time or saying which one it is: what follows
# them identifies the story; what comes before asks about it.
_SUBORDINATE = re.compile(r"\s(?:after|when|before|while|during|since|until|once|following|as|"
                          r"that|which|who|whose|where|because|amid|despite|whom)\s", re.I)


# Words news writing uses for the same event, each group one meaning: a question's word
# matches any of its group in a sentence ("died" ~ "lost their lives", "on board" ~
# "aboard"). General news vocabulary, by meaning, not by story.
SYNONYMS = [
    "die died dies dead death deaths killed kill fatalities fatal perished|lost their lives|death toll",
    "injure injured injuries wounded hurt",
    "arrest arrested detain detained custody apprehended",
    "board aboard passengers",
    "destroy destroyed wreck wrecked damaged razed flattened collapsed",
    "fine fined penalty",
    "pick picked choose chose chosen draft drafted select selected",
    "win won winner victory beat defeated",
    "lose lost losing defeat",
    "start started begin began triggered sparked|broke out",
    "buy bought acquire acquired acquisition purchase purchased",
    "sell sold sale",
    "pay paid price cost",
    "build built construct constructed",
    "storey storeys floor floors stories",
    "born native|birth",
    "resign resigned quit",
    "leave left depart departed",
    "find found discover discovered uncover uncovered locate located",
    "fire blaze flames",
    "attack strike assault raid bombing",
    "launch launched fired",
    "sentence sentenced jailed term",
    "suspend suspended halt halted postpone postponed cancel cancelled",
    "vote votes voters ballots turnout",
    "route distance journey",
    "flight journey trip crossing",
    "take took taken lasted last",
    "rule ruling ruled verdict decision",
    "ban banned bar barred prohibit prohibited",
    "hold held host hosted",
    "cause caused reason blamed",
    "succeed successor|take over",
    "name named nicknamed called dubbed",
    "proportion share percentage percent",
    "shortage shortages lack",
    "protest protests protesters demonstration demonstrations rally",
    "meet met meeting summit talks",
    "agreement deal pact accord treaty",
    "relate related cousin brother sister son daughter nephew uncle father mother",
    "carry carrying carried bring bringing brought transport transporting cargo freight",
    "burst broke broken rupture ruptured",
]



_SMALL = "zero one two three four five six seven eight nine ten eleven twelve".split()


def numbers_in(text: str) -> set[str]:
    """The numbers a text gives, as digits ("1,500" -> "1500", "seven" -> "7")."""
    plain = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    found = set(re.findall(r"\d+(?:\.\d+)?", plain))
    return found | {str(_SMALL.index(w)) for w in re.findall(r"[a-z]+", text.lower()) if w in _SMALL}


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
    ("duration", r"\bhow long\b|\b(?:prison term|sentences?|jail term|term)\b"),
    ("area", r"\bhow much (?:\w+\s+)?(?:forest|land|area|ground|territory)\b|\barea\b"),
    ("age", r"\bhow old\b|\bat what age\b|\bwhat age\b"),
    ("count", r"\bhow many\b"),
]]
_MONEY = re.compile(r"[$£€¥₹]|\b(?:dollars?|pounds?|euros?|yen|rupees?|lari|z[łl]oty\w*|francs?|yuan|"
                    r"rubles?|roubles?|kroner|krona|kronor|pesos?|lira|rand|shillings?|naira|dirhams?|"
                    r"riyals?|won|baht|ringgit)\b", re.I)
_UNITS = {
    "percent": re.compile(r"%|\bper ?cent\b", re.I),
    "duration": re.compile(r"\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b", re.I),
    "length": re.compile(r"\d\s?(?:km|m|ft|mi)\b|\b(?:kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet|foot|"
                         r"yards?|inches)\b", re.I),
    "area": re.compile(r"\b(?:hectares?|acres?|square)\b|km2|km²", re.I),
    "age": re.compile(r"\b(?:years? old|aged|age)\b|\b\d{1,3}-year-old\b", re.I),
    "clock": re.compile(r"\d:\d\d|\b\d+(?:\.\d+)?\s?(?:seconds|s)\b|\b[ap]\.?m\.?", re.I),
}
_NOT_COUNT = [_MONEY, _UNITS["percent"], _UNITS["length"], _UNITS["area"], _UNITS["clock"],
              re.compile(r"\b(?:years? old|-year-old)\b", re.I)]


def unit_fits(span: str, unit: str | None) -> bool:
    """Whether a quantity span is of the unit asked for ("US$86,000" is money, "47.42
    seconds" a time, "ten passengers" a count)."""
    if unit is None:
        return True
    if unit == "money":
        return bool(_MONEY.search(span))
    if unit == "count":
        return not any(p.search(span) for p in _NOT_COUNT)
    return bool(_UNITS[unit].search(span))


COMMON_CAPS = set("""a an the in on at of for and but or so yet if as by to from with after before during
since according however also meanwhile moreover still then there this that these those it its he she
they we i you his her their our my your who what when where why how which while although whom whose
did does do was were is are has have had will would can could should and apart once under
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december mr mrs ms dr""".split())


def names_in(text: str) -> list[str]:
    """Capitalised name sequences in ``text`` ("Kyle Rittenhouse", "Hong Kong"), question
    words and sentence openers left out."""
    out = []
    for m in _CAPS.finditer(text):
        words = m.group().split()
        if m.start() == 0 and len(words) == 1 and (words[0].lower() in _OPENERS or words[0].endswith("ly")):
            continue  # "Roughly how many ...", "Apart from ...": an opener, not a name
        while words and (words[0].lower().strip(".,'’") in COMMON_CAPS or words[0].isdigit()):
            words = words[1:]
        while words and words[-1].lower() in {"of", "the", "and", "for", "on", "in", "at", "de"}:
            words = words[:-1]
        name = re.sub(r"(?:'s|’s|'|’)$", "", " ".join(words)).strip(" .,")
        if name and name.lower() not in COMMON_CAPS and not re.fullmatch(r"[\d\W]+", name):
            out.append(name)
    return list(dict.fromkeys(out))


def is_person(name: str) -> bool:
    """A name that reads as a person's: two or more capitalised words, none of them a place,
    organisation or role word, a month or a country's adjective ("Park Won-soon", not
    "Sistine Chapel", "Hong Kong Police" or "Northern California")."""
    words = [w for w in name.split() if w.lower() not in _PARTICLES]  # "Haitham bin Tariq Al Said"
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    low = [_fold(w).strip(".,'’") for w in words]
    last = low[-1]
    return not (last in PLACE_WORDS | ORG_WORDS or last.rstrip("s") in PLACE_WORDS | ORG_WORDS
                or last.endswith("ies") and last[:-3] + "y" in ORG_WORDS or set(low) & (ROLE_WORDS | _GEO_WORDS)
                or set(low) & set(_DEMONYM) or any(w in MONTHS for w in low))


def person_in(name: str) -> str | None:
    """The person a name sequence names, roles and countries before it dropped
    ("Ukrainian President Volodymyr Zelensky" -> "Volodymyr Zelensky"), or None."""
    words = name.split()
    while len(words) > 1 and (_fold(words[0]).strip(".,") in ROLE_WORDS | set(_DEMONYM) | COMMON_CAPS
                              or _fold(words[0]).strip(".,")[:5] in _ROLE_PREFIXES
                              or _AGENT.fullmatch(_fold(words[0]))):
        words = words[1:]
    candidate = " ".join(words)
    return candidate if is_person(candidate) else None


_ROLE_PREFIXES = {w[:5] for w in ("ukrainian", "russian", "american", "british", "countryman",
                                   "countrywoman", "former", "acting", "deputy", "senior")}


def is_place_or_org(name: str) -> bool:
    """A name that reads as a place, organisation or country ("London Bridge", "Ukraine's
    air force", "Mexican")."""
    low = [_fold(w).strip(".,'’") for w in re.sub(r"['’]s\b", "", name).split()]
    return bool(low) and (low[-1] in PLACE_WORDS | ORG_WORDS or low[-1].rstrip("s") in PLACE_WORDS | ORG_WORDS
                          or " ".join(low) in _DEMONYM or bool(set(low) & _GEO_WORDS))


_PARTICLES = {"bin", "ibn", "al", "el", "de", "da", "di", "du", "van", "von", "der", "del", "la", "le",
              "y", "dos", "das", "ben"}
_GEO_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
              "new", "san", "los", "las", "saint", "st", "fort", "port", "lake", "cape", "great",
              "united", "republic", "kingdom", "chapel", "times", "post", "news", "day", "prize",
              "award", "cup", "championship", "championships", "games", "olympics", "marathon"}


# -- spans of a kind in a sentence -----------------------------------------------------------

def spans(sentence: str, kind: str, question: Question | None = None) -> list[tuple[int, int]]:
    """Character spans in ``sentence`` that could answer a question wanting ``kind``, leaving
    out what the question itself already says (its names, years and numbers)."""
    given = _given(question)
    found: list[tuple[int, int]] = []
    if kind == "quantity":
        for m in _QUANTITY.finditer(sentence):
            s, e = m.span()
            core = m.group()
            if re.match(r"\d+(?:st|nd|rd|th)\b", core):
                continue  # an ordinal: "the 13th century"
            year = re.match(r"(?:in\s+)?(?:1[89]|20)\d\d\b(?!,\d)(?:\s+(\S+))?", core)
            if year and not (year.group(1) or "").lower().rstrip(".,").endswith("s"):
                continue  # a year, not "1885 aftershocks"
            if re.search(r"(?:1[89]|20)\d\d$", core) and re.search(_MONTH + r"\s*$", sentence[:s]):
                continue  # "March 2020"
            if re.match(r"\d{1,2}\b", core) and re.match(r"\s*" + _MONTH, sentence[e:]):
                continue  # "7 January"
            if re.search(rf"{_MONTH}\s*$", sentence[:s]):
                continue  # "January 7"
            found.append(_trim_span(sentence, s, e))
    elif kind == "date":
        found = [m.span() for m in _DATE.finditer(sentence)]
    elif kind == "time":
        found = [m.span() for m in _TIME.finditer(sentence)] or spans(sentence, "quantity", question)
    elif kind in ("place", "org", "person", "thing"):
        loose = []
        for m in _CAPS.finditer(sentence):
            s, e = m.span()
            text = m.group()
            words = text.split()
            low = {w.lower().strip(".,'’") for w in words}
            before = sentence[max(0, s - 12):s].lower()
            if s == 0 and len(words) == 1 and words[0].lower() in COMMON_CAPS:
                continue
            if all(w.lower() in COMMON_CAPS for w in words):
                continue
            e = s + len(text.rstrip("."))
            loose.append((s, e))
            if kind == "place" and not (low & PLACE_WORDS or re.search(r"\b(?:in|at|from|near|to|into|outside|of)\s+(?:the\s+)?$", before)):
                continue
            if kind == "org" and not (low & ORG_WORDS or re.fullmatch(r"[A-Z]{2,}", text)):
                continue
            if kind == "person":
                person = person_in(text)
                if not person:
                    continue
                s = s + text.index(person)
                e = s + len(person)
            found.append((s, e))
        if not found and kind in ("place", "org"):
            found = [sp for sp in loose if not _is_given(sentence[sp[0]:sp[1]], given)]
    elif kind == "role":
        found = _role_spans(sentence, question)
    elif kind == "reason":
        found = [(m.start(), len(sentence.rstrip(" .!?\"”"))) for m in REASON.finditer(sentence)][:1]
    elif kind == "words":
        found = [m.span() for m in QUOTE_MARKS.finditer(sentence)]
    return [(s, e) for s, e in found if e > s and not _is_given(sentence[s:e], given)]


def _trim_span(sentence: str, s: int, e: int) -> tuple[int, int]:
    """A quantity span ends at its noun: no trailing verb, article or clause word."""
    words = sentence[s:e].split()
    stop = {"and", "or", "the", "a", "an", "of", "in", "on", "at", "to", "for", "was", "were", "is",
            "are", "had", "has", "have", "by", "from", "with", "that", "who", "which", "as", "it",
            "dead", "alive", "more", "less", "ago", "old", "later", "earlier", "each", "apiece",
            "since", "than", "per", "this", "last", "after", "before", "he", "she", "they", "we"}
    while len(words) > 1 and (words[-1].lower().strip(".,;:") in stop
                              or words[-1].lower().endswith(("ed", "ing")) and not words[-1][:1].isdigit()):
        words = words[:-1]
    text = " ".join(words).rstrip(".,;:")
    at = sentence.find(text, s)
    return (at, at + len(text)) if at >= 0 else (s, e)


def _given(question: Question | None) -> set[str]:
    if question is None:
        return set()
    words = set()
    for n in question.names:
        words |= {w.lower() for w in re.findall(r"\w+", n)}
    words |= set(question.years)
    words |= set(re.findall(r"\d[\d,.]*", question.text))
    return words


def _is_given(span: str, given: set[str]) -> bool:
    """The span only repeats what the question said."""
    words = [w.lower() for w in re.findall(r"\w+", span)]
    content = [w for w in words if w not in COMMON_CAPS and (len(w) > 1 or w.isdigit())
               and w not in {"about", "some", "over", "nearly"}]
    return bool(content) and all(w in given for w in content)


_ROLE_AFTER = re.compile(r",\s+((?:the|a|an|his|her|its|their)?\s*(?:[\w'’&-]+\s+){0,8}?[\w'’&-]+)\s*(?:,|\.|;|$| who | said| told)")
_ROLE_BEFORE = re.compile(r"((?:[\w'’.&-]+\s+){0,7}[\w'’.&-]+)$")
_HONORIFIC = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof|Professor|Sir|Dame|Rev)\.?$")


def _role_spans(sentence: str, question: Question | None) -> list[tuple[int, int]]:
    """Spans describing the person a question is about: the appositive after their name
    ("Maróth, the Hungarian Government commissioner for defence,") or the title before it
    ("District Judge Gray Miller", "the director of IEDCR, Dr Flora")."""
    subject = question.subject if question else None
    if not subject:
        return []
    parts = subject.split()
    out = []
    for m in re.finditer(rf"\b{re.escape(parts[-1])}\b", sentence):
        start = m.start()
        if len(parts) > 1:  # where the whole name starts ("Dedi Prasetyo", "Meerjady Sabrina Flora")
            k = sentence.rfind(parts[0], max(0, m.start() - 40), m.start())
            start = k if k >= 0 else start
        after = _ROLE_AFTER.match(sentence, m.end())
        if after and _roleish(after.group(1)):
            out.append(after.span(1))
        head = _HONORIFIC.sub("", sentence[:start].rstrip()).rstrip(" ,")
        before = _ROLE_BEFORE.search(head)
        if before and _roleish(before.group(1)):
            out.append((before.start(1), before.end(1)))
    return out


_NOT_AGENTS = {"after", "under", "other", "never", "however", "former", "later", "over", "order",
               "whether", "another", "either", "neither", "rather", "further", "together", "number",
               "matter", "water", "power", "paper", "center", "centre", "border", "letter", "major",
               "minor", "prior", "senior", "junior", "interior", "exterior", "superior", "error",
               "floor", "door", "december", "november", "october", "september", "summer", "winter"}
_AGENT = re.compile(r"[a-z]{3,}(?:ist|ian|er|or|eer|ant|ent|man|woman|person)s?$")


def _roleish(text: str) -> bool:
    """Words that describe what someone is: a role word ("minister", "spokesperson") or an
    agent noun ("agronomist", "legislator", "writer")."""
    words = {w.lower().strip(",.'’") for w in re.findall(r"[\w'’-]+", text)}
    words = {re.sub(r"['’]s$", "", w) for w in words}
    return bool(words & ROLE_WORDS) or any(_AGENT.fullmatch(w) and w not in _NOT_AGENTS for w in words)


def _fitting(sentence: str, question: Question) -> list[tuple[int, int]]:
    """The spans of the kind wanted, those of the unit asked for and naming the thing asked
    about (:func:`names_the_noun`) first."""
    found = spans(sentence, question.wants, question)
    if question.wants in ("quantity", "time") and question.unit:
        found = [sp for sp in found if unit_fits(sentence[sp[0]:sp[1]], question.unit)]
    if question.noun:
        found.sort(key=lambda sp: not names_the_noun(sentence, sp, question))
    return found


def _noun_words(noun: str) -> set[str]:
    """The words that name what a question counts or places, with the words of the same
    meaning ("storeys" -> floors, stories; "street corner" -> avenue, road, intersection)."""
    words = {w for w in noun.lower().split() if len(w) > 2 and w not in QUESTION_WORDS}
    out = set(words)
    for w in words:
        for group in _NOUN_GROUPS:
            if w in group or w.rstrip("s") in group:
                out |= group
    return out


_NOUN_GROUPS = [set(g.split()) for g in [
    "street corner intersection junction avenue road boulevard lane highway square",
    "hospital clinic medical",
    "prison jail correctional penitentiary facility",
    "airport airfield",
    "storey storeys floor floors stories",
    "people persons passengers residents",
    "team club franchise",
    "company firm corporation group",
    "car vehicle model",
]]


def names_the_noun(sentence: str, span: tuple[int, int], question: Question) -> bool:
    """The span (or the words right after it) names the thing asked about: "300 homes" for
    "how many homes", "Martine Avenue" for "which street corner"."""
    if not question.noun:
        return True
    near = sentence[span[0]:min(len(sentence), span[1] + 25)].lower()
    return any(re.search(rf"\b{re.escape(w[:5])}", near) for w in _noun_words(question.noun))


_GROUP_STOP = {"the", "a", "an", "of", "s", "and", "for", "in", "its", "their", "led", "to", "on"}


def group_words(phrase: str) -> tuple[set[str], set[str]]:
    """What marks a speaker as speaking for ``phrase``: its names (capitalised words, each
    also as its country's other names and by its first five letters: "Ukraine" ~
    "Ukrainian", "Greece" ~ "Greek") and its other words ("foreign minister")."""
    names, other = set(), set()
    for w in re.findall(r"[^\W_]+", re.sub(r"['’]s\b", "", phrase)):
        f = _fold(w)
        if f in _GROUP_STOP or len(f) < 2:
            continue
        target = names if w[:1].isupper() else other
        target.add(f[:5] if len(f) >= 5 else f)
        target |= set(_DEMONYM.get(f, ()))
    for name in names_in(phrase):  # "Syrian Democratic Forces" -> "sdf"
        initials = "".join(w[0] for w in name.split() if w[:1].isupper())
        if len(initials) >= 2:
            names.add(initials.lower())
    return names, other




def kind_fit(sentence: str, question: Question, before: str = "") -> float:
    """How well ``sentence`` (after ``before``, the sentence before it in its paragraph)
    holds the kind of answer ``question`` wants: 1 when it has a span of that kind and
    unit, or a quotation with its speaker named; 0.6 for a weaker sign (a reason word, a
    quotation by someone unnamed); 0.3 for a quantity of another unit; else 0."""
    wants = question.wants
    if wants == "thing":
        return 0.0
    if wants == "words":
        quoted = any(m in sentence for m in "“”\"")
        if not quoted and not _SPEECH_VERB.search(sentence):
            return 0.0
        keys, _ = group_words(question.speaker or "")
        near = _fold(f"{before} {sentence}")
        named = any(re.search(rf"\b{re.escape(k)}", near) for k in keys)
        return (1.0 if quoted else 0.8) if named else (0.6 if quoted else 0.0)
    found = _fitting(sentence, question)
    if found:
        if wants == "reason":
            return 0.6
        # of the kind, but not naming the thing asked about ("dozens of earthquakes" for
        # "how many homes"): a weaker fit
        return 1.0 if names_the_noun(sentence, found[0], question) else 0.8
    if wants in ("quantity", "time") and spans(sentence, "quantity", question):
        return 0.3
    return 0.0


def key_span(sentence: str, question: Question) -> tuple[int, int] | None:
    """The span of ``sentence`` an answer should lead with, or None (reasons, quotes and
    things are answered by the sentence itself)."""
    if question.wants in ("reason", "words", "thing"):
        return None
    found = _fitting(sentence, question)
    return found[0] if found else None


def _month_years(text: str) -> list[tuple[int, str]]:
    """(month, year) pairs a text names: "November 2020", "in March of 2019"."""
    out = []
    for m in re.finditer(rf"\b({_MONTH})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+(?:of\s+)?((?:19|20)\d\d)\b", text):
        name = m.group(1).lower().rstrip(".")[:3]
        out.append((MONTHS.index(next(x for x in MONTHS if x.startswith(name))) + 1, m.group(2)))
    return out


# -- constraints -------------------------------------------------------------------------------

_OPENERS = {"apart", "once", "besides", "according", "under", "during", "since", "given", "among",
            "excluding", "including", "except", "following", "prior", "between", "within"}
_NAME_GLUE = {"of", "the", "and", "de", "da", "di", "du", "van", "von", "der", "del", "bin", "al",
              "le", "la", "for", "in", "on", "at"}


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(text: str) -> str:
    """Case and accents folded ("Erdoğan" -> "erdogan")."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


@lru_cache(maxsize=256)
def _text_words(text: str) -> tuple[frozenset[str], frozenset[str], str]:
    """An article's folded words, their five-letter prefixes and the words as one spaced
    string: what :func:`unmet` looks names up in (cached: follow-ups read the same articles)."""
    found = re.findall(r"[^\W_]+", _fold(text))
    words = frozenset(found)
    return words, frozenset(w[:5] for w in words if len(w) >= 5), " " + " ".join(found) + " "


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", _fold(re.sub(r"['’]s\b", "", name)))
            if w not in _NAME_GLUE and not w.isdigit()]


# Countries whose adjective is not spelled like the name (the others match by their first
# five letters: "Mexican" ~ "Mexico"), each with the other names articles use for it.
DEMONYMS = [{"us", "usa", "american", "americans", "america", "united states", "washington"},
            {"uk", "british", "britain", "united kingdom", "england", "english"},
            {"greece", "greek", "greeks"}, {"france", "french"}, {"netherlands", "dutch", "holland"},
            {"switzerland", "swiss"}, {"spain", "spanish"}, {"ireland", "irish"}, {"wales", "welsh"},
            {"scotland", "scottish", "scots"}, {"philippines", "filipino", "philippine"},
            {"thailand", "thai"}, {"china", "chinese"}, {"japan", "japanese"}, {"denmark", "danish"},
            {"sweden", "swedish"}, {"finland", "finnish"}, {"norway", "norwegian"}, {"poland", "polish"},
            {"turkey", "turkish"}, {"iraq", "iraqi"}, {"israel", "israeli"}, {"pakistan", "pakistani"},
            {"bangladesh", "bangladeshi"}, {"yemen", "yemeni"}, {"kuwait", "kuwaiti"},
            {"saudi arabia", "saudi"}, {"new zealand", "kiwi"}, {"vatican", "holy see"},
            {"belarus", "belarusian"}, {"slovakia", "slovak"}, {"czech republic", "czech", "czechia"},
            {"portugal", "portuguese"}, {"lebanon", "lebanese"}, {"vietnam", "vietnamese"},
            {"congo", "congolese"}, {"sudan", "sudanese"}, {"peru", "peruvian"}]
_DEMONYM = {w: group for group in DEMONYMS for w in group}
DEMONYM_OF = _DEMONYM


def unmet(asked: Question, text: str, published_at: str | None) -> list[str]:
    """The question's names and years that ``text`` (an article's title and body, dated
    ``published_at``) does not meet: a name is met when its surname, or most of its words,
    occur (a word also by its first five letters: "Mexican" meets "Mexico"); a year when
    the text gives it or the article is dated in it (or in the first weeks of the next)."""
    words, prefixes, folded = _text_words(text)

    def has(w: str) -> bool:
        return (w in words or (len(w) >= 5 and w[:5] in prefixes)
                or any(f" {alt} " in folded for alt in _DEMONYM.get(w, ())))

    missing = []
    names = asked.names
    if asked.wants == "words" and asked.speaker:  # the event is often told in other words
        names = tuple(n for n in names if n in asked.speaker)
    for name in names:
        parts = _name_words(name)
        if not parts or " ".join(parts) in _DEMONYM and has(" ".join(parts)):
            continue
        found = sum(has(w) for w in parts)
        if not (has(parts[-1]) or found * 2 >= len(parts)):
            missing.append(name)
    if asked.numbers:
        missing += sorted(set(asked.numbers) - numbers_in(text), key=asked.text.find)
    year = (published_at or "")[:4]
    for month, y in _month_years(asked.text):
        if published_at and published_at[:7] < f"{y}-{month:02d}" and y in asked.years:
            missing.append(f"{MONTHS[month - 1].title()} {y}")  # written before it happened
    for y in asked.years:
        if any(m.endswith(y) for m in missing):
            continue
        if y in text or y == year:
            continue
        if year.isdigit() and int(year) == int(y) + 1 and (published_at or "")[5:7] in ("01", "02"):
            continue
        missing.append(y)
    return missing
