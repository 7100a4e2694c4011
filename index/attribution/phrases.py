"""Tokens, quotations and speaker phrases: the pieces ``extract`` puts together."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import (ADVERBS, AUXILIARIES, CONNECTORS, CONTRACTIONS, CUES, DETERMINERS, GROUPS,
                      HONORIFICS, MONTHS, NAMING, OPENERS, ORG_WORDS, PARTICIPLES, PERSON_NOUNS, PRONOUNS,
                      ROLE_NOUNS, SPEAKER_STOP, SPEECH_EVENTS, TITLE_WORDS, _BOUNDARY, _CAPITAL_CUES,
                      _CLAUSE_WORDS, _CLOSE, _OPEN, _PARTY_STATE, _RELATIVE, _SENT_END,
                      _STATE_ABBREV, _WORD)


# -- quotations --------------------------------------------------------------------------------

@dataclass
class _Quote:
    start: int        # first character inside the marks
    end: int          # end of the words inside the marks
    close: int        # index after the closing mark (== end if the paragraph ended)
    para: int


def _quotations(body: str) -> list[_Quote]:
    """Double-quoted spans, paragraph by paragraph; a quotation left open at the end of a
    paragraph ends there (news style when it continues in the next one)."""
    quotes: list[_Quote] = []
    for p, m in enumerate(re.finditer(r"[^\n]+", body)):
        line, base = m.group(), m.start()
        open_at = None
        for i, ch in enumerate(line):
            prev_space = i == 0 or line[i - 1].isspace() or line[i - 1] in "([—–:"
            if open_at is None:
                if ch in _OPEN or (ch == '"' and prev_space):
                    open_at = i + 1
            elif ch in _CLOSE or ch == '"' or (ch in _OPEN and not prev_space):
                quotes.append(_Quote(base + open_at, base + i, base + i + 1, p))
                open_at = None
            elif ch in _OPEN:  # an opening mark inside an open quotation: the first never closed
                open_at = i + 1
        if open_at is not None and len(line) - open_at > 1:
            quotes.append(_Quote(base + open_at, base + len(line), base + len(line), p))
    return [q for q in quotes if _words(body[q.start:q.end])]


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_][\w'’\-]*", text)


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def _clip_sentence(text: str) -> str:
    m = _SENT_END.search(text)
    return text[:m.start()] if m else text


# -- speaker phrases ---------------------------------------------------------------------------

def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


@dataclass
class _Speaker:
    mention: str
    name: str | None = None    # a person's name as written (without title)
    role: str | None = None
    pronoun: str | None = None
    person: bool = True


def _parse_speaker(toks: list[str], appositive: list[str] | None = None) -> _Speaker | None:
    """Read a speaker phrase such as "Ukraine's foreign minister Andriy Sybiga",
    "Sammon", "he", "the Kremlin", "a spokesman for Clinton"."""
    toks = [t for t in toks if t not in {",", "—", "–", "(", ")"}]
    while toks and (toks[0].lower() in OPENERS or toks[0] in _CAPITAL_CUES
                    or _STATE_ABBREV.match(toks[0])):
        toks = toks[1:]  # "But Guardian said", "Continued Stone:", "(Alexandria,) Va. Lazar said"
    while len(toks) > 1 and len(toks[-1]) == 1 and toks[-1].isupper():
        toks = toks[:-1]  # "Howard Dean (D)" with the brackets gone
    if not toks or len(toks) > 10:
        return None
    low = [t.lower() for t in toks]
    mention = " ".join(toks)
    if len(toks) == 1 and low[0] in PRONOUNS:
        return _Speaker(mention, pronoun=low[0])
    if any(t in CUES for t in toks) or any(t in {"i", "we", "you", "it", "that", "this"} for t in low):
        return None
    role = (" ".join(appositive) if appositive and _is_role(appositive)
            and appositive[0].lower() not in _RELATIVE else None)
    # trailing run of capitalised words (and connectors between them)
    i = len(toks)
    while i > 0 and (_is_cap(toks[i - 1]) or (low[i - 1] in CONNECTORS and i < len(toks)
                                                and i - 1 > 0 and _is_cap(toks[i - 2]))):
        i -= 1
    run, prefix = toks[i:], toks[:i]
    if "of" in run and appositive is None:
        # "David Sandalow of Columbia University's Center", "Sen. Chuck Schumer of New York":
        # the person, then where from
        k = run.index("of")
        plain = [t for t in run[:k] if t.lower() not in TITLE_WORDS and t.lower() not in HONORIFICS]
        if len(plain) >= 2 and not any(t.lower() in ORG_WORDS for t in run[:k]):
            sp = _parse_speaker(prefix + run[:k])
            if sp and sp.name:
                sp.role = sp.role or " ".join(run[k:])
                return sp
    if run and not any(t in {"for", "of", "at", "with", "from", "to", "by"} for t in low[:i]):
        # split a title off the front of the run: "Foreign Minister Andriy Sybiga"
        j = 0
        for k, t in enumerate(run):
            if t.lower() in TITLE_WORDS or t.lower() == "of" or t.endswith(("’s", "'s", "’", "'")):
                j = k + 1
        if j == len(run):  # "Amy Pope", "Mike Pence Campaign": a title word last is part of the name
            j = 0
        name = [t for t in run[j:] if t.lower() not in HONORIFICS]
        title = [t for t in run[:j] if t.lower() not in HONORIFICS]
        org = any(t.lower() in ORG_WORDS for t in run) or (low[:len(prefix)] == ["the"] and not title)
        if len(name) == 1 and (_PARTY_STATE.match(name[0]) or name[0].lower() in SPEAKER_STOP
                               or name[0].lower() in MONTHS):
            return None  # "R-Utah": a party and state, not a speaker; "Sunday", "March"
        if len(name) == 1 and (name[0].isupper() and len(name[0]) > 1 or name[0].lower() in GROUPS):
            org = True  # "CNN", "Democrats": not a person
        if prefix and low[0] in {"a", "an", "one", "another"}:
            org = True  # "a South Carolina Democrat": a description, not a name
        if name and not org:
            pre = prefix + title  # "Ukraine's foreign minister", not "No wonder"
            is_role = any(_role_word(t) for t in pre)
            return _Speaker(mention, name=" ".join(name), role=role or (" ".join(pre) if is_role else None))
    # organisations and descriptions: "the Kremlin", "Fox News", "a spokesman for Clinton";
    # kept as written, never taken for a person's name
    all_caps_run = all(_is_cap(t) or t in CONNECTORS for t in toks)
    known_kind = any(t in ORG_WORDS or t in GROUPS or t.rstrip("s") in PERSON_NOUNS for t in low)
    if all(t in DETERMINERS or t in {"others", "another", "one", "some"} for t in low):
        return None  # "Another said": nobody in particular
    if all_caps_run or known_kind or (low[0] in DETERMINERS and any(_is_cap(t) for t in toks[1:])):
        return _Speaker(mention, role=role, person=False)
    return None  # "the borrowing", "An earlier version": not a speaker


def _role_word(tok: str) -> bool:
    """A word that makes a title or job: "minister", "CWA President", "strategist"."""
    t = tok.lower().rstrip(".")
    return (t in TITLE_WORDS or f"{t}." in TITLE_WORDS or t.rstrip("s") in PERSON_NOUNS
            or t in ROLE_NOUNS or t.endswith(("ist", "ian")) or tok.endswith(("’s", "'s", "’", "'")))


_PAST = frozenset("""spoke went came made took gave left met ran won lost wrote held told said got sent
spent kept found felt brought bought became began fled fell saw heard stood sat""".split())


def _is_role(toks: list[str]) -> bool:
    """An appositive that describes a person: "the Republican attorney general of Oklahoma",
    "Sanders' campaign manager", "head of Kyiv's military administration" (not "30", not
    "in contrast", not "It's nonsense")."""
    if not toks or len(toks) > 16 or toks[0][:1].isdigit():
        return False
    if len(toks) == 1 and _PARTY_STATE.match(toks[0]):
        return True
    first = toks[0].lower()
    if first in _RELATIVE:
        return True
    if first in SPEAKER_STOP or first in OPENERS or first in CONTRACTIONS or first in CUES \
            or first in AUXILIARIES or first in {"will", "can", "must", "said", "says"} \
            or first in PARTICIPLES or (first.endswith("ing") and not _is_cap(toks[0])) \
            or first in _PAST or (first.endswith("ed") and not _is_cap(toks[0])):
        return False  # "Lou Jiwei, spoke in Beijing": what they did, not what they are
    return (first in DETERMINERS or first in TITLE_WORDS or first in _RELATIVE or not _is_cap(toks[0])
            or toks[0].endswith(("’s", "'s", "'", "’")))


def _segments(toks: list[str]) -> list[list[str]]:
    segs: list[list[str]] = [[]]
    for t in toks:
        if t == ",":
            segs.append([])
        else:
            segs[-1].append(t)
    return segs


def _trim_verbs(seg: list[str]) -> list[str]:
    """Drop adverbs and auxiliaries between a speaker and the cue: "Trump later said",
    "X may have said"."""
    while seg and (seg[-1].lower() in ADVERBS or seg[-1].lower() in AUXILIARIES
                   or (seg[-1].lower().endswith("ly") and not _is_cap(seg[-1]))):
        seg = seg[:-1]
    return seg


def _speaker_before(toks: list[str]) -> _Speaker | None:
    """The speaker in the tokens that precede a cue within its clause:
    "Sammon", "In a statement, Trump", "John Weaver, a GOP strategist who has feuded
    with Manafort,", "his wife, Gabriela Violeta Lazar,"."""
    b = len(toks)
    while b > 0 and toks[b - 1] not in _BOUNDARY and toks[b - 1].lower() not in _CLAUSE_WORDS:
        b -= 1
    segs = _segments(toks[b:])
    if len(segs) > 1 and segs[-1] and segs[-1][0].lower() in SPEAKER_STOP:
        segs = segs[:-1]  # "Neil Basu, on Sunday said": a time or place, not the speaker
    last = _trim_verbs(segs[-1])
    if last and last[0].lower() not in _RELATIVE:
        sp = _parse_speaker(last)
        if sp and sp.name and not sp.role and len(segs) > 1 and segs[-2] and segs[-2][0].lower() in DETERMINERS:
            return _parse_speaker(last, segs[-2])  # "The head of the UK's police, Neil Basu, said"
        if sp and (sp.name or sp.pronoun or len(segs) == 1):
            return sp
    # "X, <role>, said", "X, <role>, <more role>, said", "X, who ..., said", "<role>, X, said"
    rest = segs[:-1] if not last else segs
    for i in range(len(rest) - 1, -1, -1):
        seg = rest[i]
        named = _parse_speaker(seg)
        if named and (named.name or (named.pronoun and i == len(rest) - 1)):
            after = rest[i + 1] if i + 1 < len(rest) else None
            role = after if after and _is_role(after) and after[0].lower() not in _RELATIVE else None
            if role is None and i > 0 and rest[i - 1] and rest[i - 1][0].lower() in DETERMINERS:
                role = rest[i - 1]   # "his wife, Gabriela Violeta Lazar, wrote"
            return _parse_speaker(seg, role)
        if not seg or not (_is_role(seg) or (len(seg) == 1 and seg[0].isdigit())):  # role, or age
            break
    sp = _parse_speaker(last) if last else None
    return sp if sp and not sp.person and len(segs) == 1 else None


def _subject(seg: list[str]) -> list[str]:
    """The leading name of a clause: "Rep. Hakeem Jeffries reacted to the news" -> the name
    ("This Wednesday Greek Foreign Minister George Katrougalos emphasized" -> from "Greek")."""
    while seg and (seg[0].lower() in SPEAKER_STOP or seg[0].lower() in MONTHS or seg[0].isdigit()):
        seg = seg[1:]
    out = []
    for t in seg:
        if _is_cap(t) or (out and t.lower() in CONNECTORS):
            out.append(t)
        else:
            break
    return out


def _participle_speaker(toks: list[str]) -> _Speaker | None:
    """The speaker of '..., saying: "...' is the subject of the clause before the comma;
    of 'Podesta saying, "...' the name right before."""
    if toks and toks[-1] != ",":
        run = _subject(list(reversed(toks)))[::-1]
        return _parse_speaker(run) if run else None
    segs = _segments(toks[:-1])
    for seg in reversed(segs):
        run = _subject(seg)
        if run:
            sp = _parse_speaker(run)
            if sp and (sp.name or not sp.person):
                return sp
        if seg and seg[0].lower() in PRONOUNS:
            return _parse_speaker(seg[:1])
    return None


def _quoted_as(toks: list[str]) -> _Speaker | None:
    """The person a source quoted: 'Politico quoted Tim Manning, formerly a deputy at FEMA,'."""
    k = max(i for i, t in enumerate(toks) if t.lower() in ("quoted", "quotes"))
    segs = _segments(toks[k + 1:])
    sp = _parse_speaker(segs[0], segs[1] if len(segs) > 1 and segs[1] else None)
    return sp if sp and sp.name else None


def _after(toks: list[str]) -> tuple[_Speaker | None, str | None]:
    """Attribution right after a quotation: '," X said' or '," said X, the role'."""
    while toks and toks[0] in {",", "—", "–"}:
        toks = toks[1:]
    low = [t.lower() for t in toks]
    if not toks:
        return None, None
    if toks[0] in CUES:  # '," said X' / '," said X, the role'
        j = 1
        while j < len(toks) and toks[j] != "," and low[j] not in SPEAKER_STOP and j < 11:
            j += 1
        app = None
        if j < len(toks) and toks[j] == ",":
            k = j + 1
            while k < len(toks) and toks[k] != "," and k < j + 17:
                k += 1
            app = toks[j + 1:k] or None
        return _parse_speaker(toks[1:j], app), low[0]
    for j in range(min(len(toks), 24)):  # '," X said' / '," X, the role, said'
        if toks[j] in CUES:
            return _speaker_before(toks[:j]), low[j]
        if toks[j] in {";", ":"}:
            break
    return None, None


def _before(toks: list[str]) -> tuple[_Speaker | None, str | None]:
    """Attribution right before a quotation: 'X said: "', 'X told reporters, "',
    'according to X, "', '..., saying: "', and transcript style 'Rep. X:"'."""
    if not toks:
        return None, None
    low = [t.lower() for t in toks]
    end = len(toks)
    if toks[-1] in {":", ","} or low[-1] == "that":
        end -= 1
    for j in range(end - 1, max(-1, end - 8), -1):
        if low[j] == "according" and j + 1 < end and low[j + 1] == "to":
            return _speaker_before(toks[j + 2:end]), "according to"
    if end < len(toks) and end >= 3 and low[end - 2:end] == ["put", "it"]:  # 'As X, a senator, put it: "'
        return _speaker_before(toks[:end - 2]), "put it"
    for j in range(end - 1, max(-1, end - 9), -1):
        if toks[j] in NAMING:
            # 'X called the move a "...', 'X described it as "...': a person's words (not
            # 'a site called "...', nor 'what he called "...' with nothing named between)
            sp = _speaker_before(toks[:j]) if j < end - 1 and toks[-1] not in {":", ","} else None
            return (sp, toks[j]) if sp and (sp.name or sp.pronoun) else (None, None)
        if toks[j] in CUES or toks[j] in PARTICIPLES:
            if toks[-1] not in {":", ","} and low[-1] != "that" and j != end - 1:
                return None, None  # 'X said the plan was "a disaster"': reported speech
            if low[j] in PARTICIPLES and j > 1 and low[j - 1] == "as" and ("quoted" in low[:j] or "quotes" in low[:j]):
                return _quoted_as(toks[:j - 1]), low[j]  # 'Politico quoted Tim Manning, ..., as saying "'
            if low[j] in PARTICIPLES:
                return _participle_speaker(toks[:j]), low[j]
            return _speaker_before(toks[:j]), low[j]
    if toks[-1] == ":" and end <= 12:  # transcript style: "Rep. Trey Gowdy:", "Howard Kurtz, Fox News:"
        segs = _segments(toks[:end])
        sp = _parse_speaker(segs[0], segs[1] if len(segs) == 2 else None)
        if sp and sp.name and len(segs) <= 2:
            return sp, ":"
    if toks[-1] == ":" and any(t in SPEECH_EVENTS for t in low):
        # 'X, the mayor, spoke on Morning Joe when he made the announcement: "...': the
        # clause's subject, when it is a named person
        sp = _participle_speaker(toks[:end] + [","])
        if sp and sp.name:
            return sp, ":"
    return None, None
