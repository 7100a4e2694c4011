"""Spans of a kind of answer in a news sentence, and how well a sentence fits a question.

:func:`spans` finds the quantities (a number with the noun it counts), dates, times,
places, organisations, people, roles next to a name, reason clauses and quotations of a
sentence, leaving out what the question itself says; :func:`kind_fit` grades a sentence
for a question's kind of answer (and unit, and the thing it asks about); :func:`key_span`
is what an answer leads with ("169 seats"). Regular expressions over the forms news
sentences take: fast enough for every candidate sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import (AGENT, COMMON_CAPS, DEMONYM, MONTH, NOT_AGENTS, NOUN_GROUPS, NUMBER_WORDS, ORG_WORDS,
                      PLACE_WORDS, QUESTION_WORDS, ROLE_WORDS, SYNONYM_GROUPS, WEEKDAY)
from .question import CAPS, Question, fold, group_words, person_in

_NUM_WORD = r"(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
# (not a number inside a name: "SARS-CoV-2", "COVID-19"; after a currency code it is one: "SEK9")
_NUMBER = rf"(?:\ba\s+(?:quarter|third|half)\s+of\s+an?\s+(?:million|billion|thousand)\b|\bhalf\s+a\s+(?:million|billion)\b|(?:[A-Z]{{0,3}}[$£€¥₹]|Rs\.?\s?)?(?<![A-Za-z]-)(?-i:(?<![a-z\d]))\d+(?:[,.]\d+)*+(?!st\b|nd\b|rd\b|th\b)(?:\s?(?:%|per\s?cent|percent))?|\b{_NUM_WORD}\b)"
_QUANTITY = re.compile(
    rf"(?:\b(?:about|around|some|nearly|almost|over|more than|less than|at least|up to|roughly|"
    rf"approximately|an estimated)\s+)?{_NUMBER}(?:[\s-]+(?:{_NUM_WORD}|\d[\d,.]*))*"
    rf"(?:[\s-]+(?:[a-zA-Z$£€%][\w$£€%'’-]*)){{0,2}}", re.I)
_DATE = re.compile(
    rf"\b(?:{WEEKDAY},?\s+)?(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?:,?\s+\d{{4}})?|{MONTH},?\s+\d{{4}}|(?:in\s+)?(?:1[89]|20)\d\d\b"
    rf"|{WEEKDAY}|yesterday|today|last (?:week|month|year|night)|earlier this (?:week|month|year))")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\s?[ap]\.?m\.?)?|\b\d{1,2}\s?[ap]\.m\.|"
                   r"\b(?:noon|midnight|\d+(?:\.\d+)?\s+(?:seconds|minutes|hours))\b", re.I)

REASON = re.compile(
    r"\b(?:because|due to|owing to|caused by|causing|cause[sd]?|led to|leading to|lead to|blamed|"
    r"as a result|result(?:ed|ing)? (?:of|from|in)|after|follow(?:ing|ed|s)|amid|over|since|so that|in order to|"
    r"to (?:prevent|avoid|reduce|protect|stop|limit|punish|help)|triggered|prompted|sparked|from|"
    r"reason|for (?:fear|security|safety)|thanks to|meant|means)\b", re.I)
_LIFE = re.compile(r"\blife (?:in prison|imprisonment|sentences?|term)(?: without (?:the possibility of )?parole)?\b",
                   re.I)
_LAST_PREPOSITION = re.compile(r"\b(from|to|into|at|in|on)\s*[?.!]*\s*$", re.I)
# the article says it does not name them, or that it is not known yet: "did not release the
# identity of the player", "had not yet publicly decided on a candidate", "no suspect has been arrested"
UNNAMED = re.compile(
    r"\b(?:did not|didn't|has not|have not|had not|would not|will not|declined to|refused to)\s+(?:yet\s+)?"
    r"(?:release|reveal|disclose|publish|give|confirm|name)\s+(?:the\s+|his\s+|her\s+|their\s+)?"
    r"(?:identity|identities|names?)\b|\b(?:was|were|has|have|had) not (?:yet )?been (?:named|identified)\b|"
    r"\b(?:unnamed|unidentified)\b|\bnames? (?:was|were|has|have) not been (?:released|made public|disclosed)\b|"
    r"\b(?:has|have|had) not (?:yet )?(?:publicly )?(?:decided|chosen|named|announced)\b|"
    r"\bno (?:suspects?|arrests?|one) (?:has|have|had) (?:yet )?been (?:arrested|named|identified|charged)\b",
    re.I)
# the article says the cause is not known: "no cause had yet been released"
NO_CAUSE = re.compile(
    r"\bno (?:\w+ )?(?:cause|reason|motive)\b[^.;]*?\b(?:confirmed|released|given|known|established|"
    r"determined|identified|announced|found)\b|\b(?:cause|reason|motive)s?\b[^.;]*?\b(?:is|was|are|were|"
    r"remains?|remained)\s+(?:still\s+)?(?:unknown|unclear|not (?:yet )?known|under investigation|"
    r"being investigated)\b|\bnot (?:yet )?(?:known|clear) (?:why|what (?:caused|led))\b", re.I)
# the words that give a cause, not only a sequence ("after", "from", "over" often do not)
STRONG_REASON = re.compile(
    r"\b(?:because|due to|owing to|(?:caused|prompted|triggered|motivated|sparked|driven) by|as a result of|"
    r"(?:the |a )?result of|resulted from|reasons?\b|in order to|so as to|in response to|in retaliation|"
    r"in protest|in the wake of|blamed (?:on|for)|on (?:\w+ )?grounds|(?:citing|cited)|"
    r"(?:concerns?|fears?|worries) (?:about|over|regarding|that|of)|"
    r"to (?:prevent|avoid|protect|punish|stop|curb|combat|counter|deter|discourage)|"
    # a purpose: "is intended to stop teachers from ...", "in a bid to ..."
    r"(?:intended|designed|aimed|meant)\s+to|\bin (?:a bid|an effort|an attempt) to|"
    # a journey's purpose: "was returning to Cairo to see his ailing father"
    r"(?:return|travel|fly|flew|go|went|head|came|come|mov)\w*\b[^.;]{0,40}?\bto (?:see|visit|attend|join|meet|"
    r"care for|be with|study|celebrate|bury|mourn)\b|"
    r"(?:decision|move|ban|announcement|step|measure|action|change|this|which)\s+(?:\w+\s+)?"
    r"(?:comes?|came|follows|followed|was made)\b|named (?:after|for)|in (?:honou?r|memory) of|"
    r"(?:as )?a tribute to)", re.I)
_SPEECH_VERB = re.compile(r"\b(?:said|says|told|stated|added|announced|warned|called|described|"
                          r"indicated|responded|reacted|tweeted|wrote|urged|insisted|argued)\b")
QUOTE_MARKS = re.compile(r"[“\"]([^”\"]{8,})[”\"]")

_CURRENCY_CODE = r"(?:USD|GBP|EUR|SEK|NOK|DKK|CHF|JPY|CNY|INR|AUD|CAD|NZD|RUB|UAH|PLN|ZAR)"
_MONEY = re.compile(rf"[$£€¥₹]|\b{_CURRENCY_CODE}\s?\d|"
                    r"\b(?:dollars?|pounds?|euros?|yen|rupees?|lari|z[łl]oty\w*|francs?|yuan|"
                    r"rubles?|roubles?|kroner|krona|kronor|pesos?|lira|rand|shillings?|naira|dirhams?|"
                    r"riyals?|won|baht|ringgit)\b", re.I)
_UNITS = {
    "percent": re.compile(r"%|\bper ?cent\b", re.I),
    "duration": re.compile(r"\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b", re.I),
    "term": re.compile(r"\b(?:days?|weeks?|months?|years?|decades?|life)\b", re.I),  # a prison term
    "length": re.compile(r"\d\s?(?:km|m|ft|mi)\b|\b(?:kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet|foot|"
                         r"yards?|inches)\b", re.I),
    "area": re.compile(r"\b(?:hectares?|acres?|square)\b|km2|km²", re.I),
    "age": re.compile(r"\b(?:years? old|aged|age)\b|\b\d{1,3}-year-old\b", re.I),
    "clock": re.compile(r"\d:\d\d|\b\d+(?:\.\d+)?\s?(?:seconds|s)\b|\b[ap]\.?m\.?", re.I),
    "tally": re.compile(r"\b\d{1,3}\s*(?:to|-|–)\s*\d{1,3}\b(?![-–]\d)"),
}
_NOT_COUNT = [_MONEY, _UNITS["percent"], _UNITS["length"], _UNITS["area"], _UNITS["clock"],
              re.compile(r"\b(?:years? old|-year-old)\b|\bmagnitude\b", re.I)]  # "a 5.0 magnitude aftershock"


_AGE_AFTER_NAME = re.compile(r"\b[A-Z][\w'’-]+,\s(?P<at>(?:at|aged)\s)?$")


# a country's people by its adjective ("the French"), not the countries that take "the"
_PEOPLE_OF = set(DEMONYM) - {"us", "usa", "uk", "united states", "united kingdom", "netherlands", "philippines",
                             "czech republic", "vatican", "holy see"}


def unit_fits(span: str, unit: str | None, noun: str | None = None) -> bool:
    """Whether a quantity span is of the unit asked for ("US$86,000" is money, "47.42
    seconds" a time, "ten passengers" a count; "two months" counts cases only when the
    question counts days, weeks, months or years: its ``noun``)."""
    if unit is None:
        return True
    if unit == "money":
        return bool(_MONEY.search(span))
    if unit == "count":
        if _UNITS["duration"].search(span) and not (noun and _UNITS["duration"].search(noun)):
            return False
        return not any(p.search(span) for p in _NOT_COUNT)
    return bool(_UNITS[unit].search(span))


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
            if re.match(r"\d{1,2}(?::\d\d|\s?[ap]\.?m\.?(?!\w))|\d{4}\s?(?:UTC|GMT)\b", sentence[s:]):
                continue  # a clock time: "at 12:54 am", "5 p.m."
            year = re.match(r"(?:in\s+)?(?:1[89]|20)\d\d\b(?!,\d)(?:\s+(\S+))?", core)
            if year and not (year.group(1) or "").lower().rstrip(".,").endswith("s"):
                continue  # a year, not "1885 aftershocks"
            if re.search(r"(?:1[89]|20)\d\d$", core) and re.search(MONTH + r"\s*$", sentence[:s]):
                continue  # "March 2020"
            if re.match(r"\d{1,2}\b", core) and re.match(r"\s*" + MONTH, sentence[e:]):
                continue  # "7 January"
            if re.search(rf"{MONTH}\s*$", sentence[:s]):
                continue  # "January 7"
            code = re.search(rf"\b{_CURRENCY_CODE}$", sentence[:s])
            found.append(_trim_span(sentence, code.start() if code else s, e))  # "SEK9 million"
        if question is not None and question.unit == "term":  # "sentenced to life in prison"
            found += [m.span() for m in _LIFE.finditer(sentence)]
        if question is not None and question.unit == "tally":  # "confirmed 92 to 0", "won 3-1"
            found = [m.span() for m in _UNITS["tally"].finditer(sentence)] + found
    elif kind == "date":
        found = [m.span() for m in _DATE.finditer(sentence)]
    elif kind == "time":
        found = [m.span() for m in _TIME.finditer(sentence)] or spans(sentence, "quantity", question)
    elif kind in ("place", "org", "person", "thing"):
        loose = []
        for m in ([] if headline(sentence) else CAPS.finditer(sentence)):  # a headline: all capitals
            s, e = m.span()
            text = m.group()
            words = text.split()
            low = {w.lower().strip(".,'’") for w in words}
            before = sentence[max(0, s - 12):s].lower()
            if s == 0 and len(words) == 1 and words[0].lower() in COMMON_CAPS:
                continue
            if s == 0 and text.isupper() and re.match(r"\s*(?:[-—–(]|,\s*[A-Z])", sentence[m.end():]):
                continue  # a dateline: "MOSCOW - ", "DES MOINES, Iowa, Aug. 10 (UPI) —"
            if all(w.lower() in COMMON_CAPS for w in words):
                continue
            if words[0] == "The" and " ".join(w.lower().strip(".,'’") for w in words[1:]) in _PEOPLE_OF:
                continue  # "The French": a people, not a place
            e = s + len(text.rstrip("."))
            if s > 0 or len(words) > 1:  # not a word capitalised for opening the sentence ("Police said")
                loose.append((s, e))
            if kind == "place" and not (low & PLACE_WORDS or re.search(r"\b(?:in|at|from|near|to|into|outside|of)\s+(?:the\s+)?$", before)):
                continue
            if kind == "org" and not (low & ORG_WORDS or re.fullmatch(r"[A-Z]{2,}", text)):
                continue
            if kind == "person":
                person = person_in(text.rstrip("."))
                if not person:
                    continue
                # the words of the name, however they are spaced in the text ("John\nSmith")
                at = re.search(r"\s+".join(map(re.escape, person.split())), text)
                if at is None:
                    continue
                s, e = s + at.start(), s + at.end()
            found.append((s, e))
        if kind == "org":  # "NBA" asked about: "the Charlotte Hornets" may still be the answer
            found = [sp for sp in found if not _is_given(sentence[sp[0]:sp[1]], given)]
        if not found and kind in ("place", "org"):
            found = [sp for sp in loose if not _is_given(sentence[sp[0]:sp[1]], given)]
    elif kind == "role":
        found = _role_spans(sentence, question)
    elif kind == "reason":
        found = [(m.start(), len(sentence.rstrip(" .!?\"”"))) for m in REASON.finditer(sentence)][:1]
    elif kind == "words":
        found = [m.span() for m in QUOTE_MARKS.finditer(sentence)]
    return [(s, e) for s, e in found if e > s and not _is_given(sentence[s:e], given)]


def headline(sentence: str) -> bool:
    """A title in title case ("British Bank Abruptly Drops Russian Network RT's Accounts"):
    its capitals are not names."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", sentence) if len(w) > 3
             and w.lower() not in ("with", "from", "into", "over", "after", "about", "than", "that")]
    return len(words) >= 4 and all(w[:1].isupper() for w in words)


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


@lru_cache(maxsize=64)  # the same question, for every candidate sentence
def _given(question: Question | None) -> frozenset[str]:
    if question is None:
        return frozenset()
    words = set()
    for n in question.names:
        words |= {w.lower() for w in re.findall(r"\w+", n)}
        words |= {alt for w in re.findall(r"\w+", n) for alt in DEMONYM.get(w.lower(), ())}  # Russian: Russia
    words |= set(question.years)
    words |= set(re.findall(r"\d[\d,.]*", question.text))
    return frozenset(words)


_TITLES = frozenset("sen senator rep gov governor mr mrs ms dr president gen prof rev sir dame lord lady "
                    "judge mayor minister".split())  # "Sen. Bernie Sanders" is only "Bernie Sanders"


def _is_given(span: str, given: frozenset[str]) -> bool:
    """The span only repeats what the question said."""
    words = [w.lower() for w in re.findall(r"\w+", span)]
    content = [w for w in words if w not in COMMON_CAPS and (len(w) > 1 or w.isdigit())
               and w not in {"about", "some", "over", "nearly"} and w not in _TITLES]
    return bool(content) and all(w in given for w in content)


_ROLE_AFTER = re.compile(r",\s+((?:(?:formerly|currently|now|also)\s+)?(?:the|a|an|his|her|its|their)?\s*"
                         r"(?:[\w'’&-]+\s+){0,12}?[\w'’&-]+)\s*(?:,|\.|;|$| who | said| told)")
# "Farquharson is a former military contractor and owns ...": what someone is, said plainly
_ROLE_IS = re.compile(r"\s+(?:is|was|became|serves as|served as|works as|worked as)\s+(?:also\s+|now\s+|currently\s+)?"
                      r"((?:a|an|the)\s+(?:[\w'’&-]+\s+){0,6}?[\w'’&-]+?)(?=\s*[,.;]|\s+(?:and|who|which|at|in|"
                      r"for|from|with|since|until)\b|$)")
# "Eric Fanning, who was his chief of staff at the time and is now ...": what someone is, in a clause
_ROLE_WHO = re.compile(r",\s+who\s+(?:is|was|has been|had been|serves as|served as|works as|worked as)\s+"
                       r"(?:also\s+|now\s+|currently\s+|formerly\s+|then\s+)?"
                       r"((?:(?:the|a|an|his|her|its|their)\s+)?(?:[\w'’&-]+\s+){0,10}?[\w'’&-]+?)"
                       r"(?=\s*[,.;]|\s+(?:and|from|since|until|at the time|when|who|which)\b|$)")
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
        after = (_ROLE_WHO.match(sentence, m.end()) or _ROLE_AFTER.match(sentence, m.end())
                 or _ROLE_IS.match(sentence, m.end()))
        if after and _roleish(after.group(1)):
            out.append(after.span(1))
        head = _HONORIFIC.sub("", sentence[:start].rstrip()).rstrip(" ,")
        before = _ROLE_BEFORE.search(head)
        last = before.group(1).split()[-1] if before else ""
        if last[:1].islower() and not _roleish(last):
            before = None  # "the president granted Marta Olsen": a clause, not her title
        if before and _roleish(before.group(1)):
            out.append((before.start(1), before.end(1)))
    return out


def _roleish(text: str) -> bool:
    """Words that describe what someone is: a role word ("minister", "spokesperson") or an
    agent noun ("agronomist", "legislator", "writer")."""
    words = {w.lower().strip(",.'’") for w in re.findall(r"[\w'’-]+", text)}
    words = {re.sub(r"['’]s$", "", w) for w in words}
    return bool(words & ROLE_WORDS) or any(AGENT.fullmatch(w) and w not in NOT_AGENTS for w in words)


def _age_after_name(sentence: str, sp: tuple[int, int]) -> bool:
    """"Khan, 45, said", "activist Jazz Jennings, at 15 the youngest": someone's age."""
    m = _AGE_AFTER_NAME.search(sentence[:sp[0]])
    after = sentence[sp[1]:]
    if m and m.group("at"):
        return not re.match(r"\s*(?:%|per|[ap]\.?m\b|o[’']clock|miles?|km|feet|meters?)", after, re.I)
    return bool(m) and after.lstrip().startswith(",")


def _fitting(sentence: str, question: Question) -> list[tuple[int, int]]:
    """The spans of the kind wanted, those of the unit asked for and naming the thing asked
    about (:func:`names_the_noun`) first."""
    found = spans(sentence, question.wants, question)
    if question.wants in ("quantity", "time") and question.unit:
        kept = []
        for a, b in found:
            if question.unit == "age" and _age_after_name(sentence, (a, b)):
                kept.append((a, a + len(re.match(r"[\d.]+|\S+", sentence[a:b]).group())))  # not "15 the youngest"
            elif unit_fits(sentence[a:b], question.unit, question.noun):
                kept.append((a, b))
        found = kept
    last = _last_preposition(question)
    if last:  # "Where were they travelling to?": the place after "to", not the one after "from"
        found.sort(key=lambda sp: not _follows(sentence, sp, last))
    if question.wants == "person":  # "Which officer was shot?" / "Who shot him?"
        verb, agent = _event_verb(question), _wants_agent(question)
        found.sort(key=lambda sp: _by_agent(sentence, sp, verb) != agent)
    if question.noun or _event(question):  # then the count nearest to what happened: "killed at least 62"
        found.sort(key=lambda sp: (_naming(sentence, sp, question), _event_distance(sentence, sp, question)))
    return found


PEOPLE = frozenset("people persons residents individuals".split())  # count anyone: the event says who
_AUXILIARY = frozenset("had have has were was are is been".split())   # "how many were injured"
# what is told of people counted ("lost power" is not)
_CASUALTIES = [g for g in SYNONYM_GROUPS if g[0][0] in ("die", "injure", "arrest")]
_COUNTED = re.compile(r"\bhow many\b((?:\s+[a-z-]+){1,5})", re.I)


@lru_cache(maxsize=256)
def _counted_event(question_text: str) -> re.Pattern | None:
    """What happened to the people counted, when the question says it with a word of known
    meaning ("how many people had died" -> died, killed, dead, lost their lives ...); None
    when it counts things ("how many drones"): the thing's name says what is counted."""
    m = _COUNTED.search(question_text)
    if not m:
        return None
    first, *rest = m.group(1).lower().split()
    if first not in PEOPLE and first not in _AUXILIARY:
        return None
    for word in rest if first in PEOPLE else [first, *rest]:
        if any(word in words for words, _ in _CASUALTIES):
            return _synonyms_of(word)
    return None


def _event(question: Question) -> re.Pattern | None:
    return _counted_event(question.text) if question.wants == "quantity" else None


def _synonyms_of(word: str) -> re.Pattern | None:
    """A pattern for the word and the words of the same meaning (:data:`SYNONYMS`), or None
    for a word of no listed meaning."""
    for words, phrases in SYNONYM_GROUPS:
        if word in words:
            alternatives = sorted(words + phrases, key=len, reverse=True)
            return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alternatives) + r")\b", re.I)
    return None


_DOER = re.compile(r"^\s*(?:and\s+)?(?:who|which\s+[\w-]+(?:\s+[\w-]+)?)\s+(?P<verb>[a-z]+)\b", re.I)


@lru_cache(maxsize=256)
def _deed(question_text: str) -> re.Pattern | None:
    """What "who won ...?" or "which team picked ...?" asks who did, when it is a word of
    listed meaning: the answer's sentence must tell it (not "the judge who postponed it")."""
    m = _DOER.search(question_text)
    return _synonyms_of(m.group("verb").lower()) if m else None


def tells_the_deed(sentence: str, question: Question) -> bool:
    deed = _deed(question.text) if question.wants in ("person", "org") else None
    return deed is None or bool(deed.search(sentence))


def _tells_the_event(sentence: str, question: Question) -> bool:
    """False when the question counts people to whom something of known meaning happened
    ("died") and ``sentence`` does not tell it in any of its words: "400 firefighters"
    did not die."""
    event = _event(question)
    return event is None or bool(event.search(sentence))


_PARTICIPLE = (r"(\w+(?:ed|en)|shot|hit|struck|hurt|held|won|made|built|sent|chosen|caught|found|led|left|"
               r"lost|paid|sold|told|born)\b")
_PASSIVE = re.compile(rf"\b(?:was|were|is|are|been|being)\s+(?:\w+ly\s+)?{_PARTICIPLE}", re.I)
_ACTIVE = re.compile(rf"^\s*(?:and\s+)?who\s+{_PARTICIPLE}", re.I)
_BY_WHOM = re.compile(rf"\b{_PARTICIPLE}\s+by\s*\?*\s*$", re.I)


def _event_verb(question: Question) -> str | None:
    m = _PASSIVE.search(question.text) or _ACTIVE.search(question.text) or _BY_WHOM.search(question.text)
    return m.group(1) if m else None


def _wants_agent(question: Question) -> bool:
    """Who did it ("Who shot the sergeant?", "Who was he shot by?"), not to whom."""
    return bool(_ACTIVE.search(question.text) or _BY_WHOM.search(question.text))


def _by_agent(sentence: str, span: tuple[int, int], verb: str | None) -> bool:
    """The span names who did what the question's verb tells, in a passive sentence: "... was
    shot by a prisoner, Louis De Zoysa" names the shooter, not the one shot."""
    at = re.search(rf"\b{re.escape(verb)}\b", sentence[:span[0]], re.I) if verb else None
    return bool(at and re.search(r"\bby\b", sentence[at.end():span[0]], re.I))


def names_the_doer(sentence: str, question: Question) -> bool:
    """"Who founded the bank?": ``sentence`` names who did it, by the question's own verb
    ("was founded in 1942 by Rexford G. Tugwell", "Tugwell founded it")."""
    verb = _event_verb(question) if question.wants == "person" and _wants_agent(question) else None
    if not verb:
        return False
    return any(_by_agent(sentence, sp, verb)
               or re.match(rf"\s+(?:\w+ly\s+)?{re.escape(verb)}\b", sentence[sp[1]:], re.I)
               for sp in _fitting(sentence, question))


@lru_cache(maxsize=256)
def _noun_words(noun: str) -> frozenset[str]:
    """The words that name what a question counts or places, with the words of the same
    meaning ("storeys" -> floors, stories; "street corner" -> avenue, road, intersection)."""
    words = {w for w in noun.lower().split() if len(w) > 2 and w not in QUESTION_WORDS}
    out = set(words)
    for w in words:
        for group in NOUN_GROUPS:
            if w in group or w.rstrip("s") in group:
                out |= group
    return frozenset(out)


def names_the_noun(sentence: str, span: tuple[int, int], question: Question) -> bool:
    """The span (or the words right after it) names the thing asked about: "300 homes" for
    "how many homes", "Martine Avenue" for "which street corner"."""
    return _naming(sentence, span, question) < 3


def _naming(sentence: str, span: tuple[int, int], question: Question) -> int:
    """How the span names the thing asked about: 0 by a word of it ("300 drones"), 1 by the
    event that happened to the people counted, next to it ("killed at least 62" for "how many
    people died"), 2 by a general word ("residents" for "people"), 3 not at all."""
    if not question.noun:
        return 0
    near = sentence[span[0]:min(len(sentence), span[1] + 25)].lower()
    named = {w for w in _noun_words(question.noun) if mentions(near, w)}
    if _event_distance(sentence, span, question) <= 25:
        return 1
    if named - PEOPLE and not _event(question):
        return 0
    return 2 if named else 3


def _event_distance(sentence: str, span: tuple[int, int], question: Question) -> int:
    """Characters between the span and the nearest word telling the counted event (0: inside
    it; large: none, or no such event asked about)."""
    event = _event(question)
    if event is None:
        return 10_000
    return min((max(m.start() - span[1], span[0] - m.end(), 0) for m in event.finditer(sentence)),
               default=10_000)


def kind_fit(sentence: str, question: Question, before: str = "") -> float:
    """How well ``sentence`` (after ``before``, the sentence before it in its paragraph)
    holds the kind of answer ``question`` wants: 1 when it has a span of that kind and
    unit, or a quotation with its speaker named; 0.6 for a weaker sign (a reason word, a
    quotation by someone unnamed); 0.3 for a quantity of another unit; else 0."""
    wants = question.wants
    if wants == "thing":
        return 0.0
    if wants == "words":
        quoted = any(m in sentence for m in ("“", "”", '"', "''"))  # '' in some archives
        if not quoted and not _SPEECH_VERB.search(sentence):
            return 0.0
        keys, _ = group_words(question.speaker or "")
        near = fold(f"{before} {sentence}")
        named = any(re.search(rf"\b{re.escape(k)}", near) for k in keys)
        return (1.0 if quoted else 0.8) if named else (0.6 if quoted else 0.0)
    found = _fitting(sentence, question)
    if found and not _tells_the_event(sentence, question):
        return 0.3  # a count of something else
    if found:
        if wants == "reason":
            return 1.0 if STRONG_REASON.search(sentence) else 0.6
        # of the kind, but not naming the thing asked about ("dozens of earthquakes" for
        # "how many homes"): a weaker fit
        return 1.0 if names_the_noun(sentence, found[0], question) else 0.8
    if wants in ("quantity", "time") and spans(sentence, "quantity", question):
        return 0.3
    return 0.0


def after_the_preposition(sentence: str, question: Question) -> bool:
    """A place question that ends with a preposition ("Where was he from?") and a place of
    the sentence that follows the same one ("Ratana, from Hawke's Bay, ..."): the relation
    asked about, whatever the other words."""
    last = _last_preposition(question)
    return bool(last) and any(_follows(sentence, sp, last) for sp in _fitting(sentence, question))


def _last_preposition(question: Question) -> str | None:
    """The preposition a place question ends with: "from" of "Where was he from?"."""
    m = _LAST_PREPOSITION.search(question.text) if question.wants == "place" else None
    return m.group(1) if m else None


def _follows(sentence: str, span: tuple[int, int], preposition: str) -> bool:
    return bool(re.search(rf"\b{preposition}\s+(?:the\s+)?$", sentence[:span[0]], re.I))


def mentions(text: str, word: str) -> bool:
    """``text`` has a word starting like ``word`` (its first five letters: "adviser" ~ "advisor")."""
    return bool(re.search(rf"\b{re.escape(word[:5])}", text, re.I))


def key_span(sentence: str, question: Question) -> tuple[int, int] | None:
    """The span of ``sentence`` an answer should lead with, or None (reasons, quotes and
    things are answered by the sentence itself)."""
    if question.wants in ("reason", "words", "thing"):
        return None
    found = _fitting(sentence, question)
    return found[0] if found else None
