"""Who said what: attributed statements extracted from an article's text.

Rules of news writing, no model: a quotation ("..." or “...”) is attributed by the
speaker and speech verb next to it — ``"...," X said``, ``"...," said X, the <role>``,
``X said: "..."``, ``according to X, "..."`` — and an interrupted quotation
(``"The first part," X said, "and the rest."``) is one statement. A quotation with no
speaker of its own that follows an attributed one in the same paragraph continues it;
a quotation left open at a paragraph's end and reopened at the next one runs on.
Reported speech (``X said that ...``, ``X warned that ...``) is a second kind,
``indirect``. Speakers are resolved within the article: a surname or "Mr. X" to the
fullest form of the name used ("Sybiga" -> "Andriy Sybiga"), "he"/"she" to the last
person named as a speaker, a role taken from the text ("Ukraine's foreign minister").
Organisations ("the Kremlin", "Russia's Ministry of Defence") stay as written. A
quotation whose speaker cannot be found is kept with ``speaker=None``: never guessed.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import asdict, dataclass

from .sentences import sentence_spans

VERSION = "attribution-v10"

DIRECT, INDIRECT = "direct", "indirect"

# speech verbs that attribute a quotation, present and past
CUES = frozenset("""
said says say told tells added adds asked asks wrote writes tweeted tweets posted posts stated states
explained explains noted notes argued argues claimed claims insisted insists warned warns continued
continues acknowledged acknowledges admitted admits conceded concedes declared declares announced
announces replied replies responded responds answered answers recalled recalls remarked remarks stressed
stresses emphasized emphasised emphasizes observed observes suggested suggests predicted predicts
complained complains joked jokes quipped quips cautioned cautions urged urges vowed vows promised
promises countered counters shouted yelled testified concluded concludes agreed agrees confirmed
confirms denied denies reported reports recounted mused maintained maintains contended contends
asserted asserts boasted boasts charged charges pointed lamented laments pledged pledges exclaimed
repeated repeats interjected wondered wonders demanded demands
""".split())
# "..., X said." and "..., said X.": only verbs that are speech in any context
TRAILING_CUES = frozenset("""said says added adds wrote writes told tells explained noted argued insisted
warned stated claimed declared tweeted asked""".split())
# reported speech needs one of these followed by "that" (say/tell may drop it)
THAT_OPTIONAL = frozenset("said says told tells".split())
PRONOUNS = {"he": "he", "she": "she", "they": "they"}
ADVERBS = frozenset("""also later then previously once recently again simply further earlier
repeatedly flatly firmly quickly bluntly publicly privately separately yesterday today""".split())
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. miss dr dr. sir dame".split())
# capitalised words that make the start of a name run a title, not a name
TITLE_WORDS = frozenset("""
president vice secretary sen. sen senator rep. rep representative gov. gov governor mayor minister
prime foreign defence defense interior finance chancellor gen. gen general lt. col. adm. admiral
judge justice speaker chairman chairwoman chair director chief executive ceo coo cfo spokesman
spokeswoman spokesperson leader whip attorney press deputy assistant former state treasury
commerce energy labor health education affairs house senate majority minority campaign manager
officer ambassador commander king queen prince princess pope rev. rev bishop archbishop cardinal
professor prof. candidate nominee chairperson head mr. mrs. ms. dr. democratic republican gop
presidential
""".split())
# the titles that make a role on their own ("State" of "Secretary of State" does not)
HEAD_TITLES = frozenset("""president secretary sen. senator rep. representative gov. governor mayor
minister chancellor judge justice speaker chairman chairwoman chair director ceo spokesman spokeswoman
spokesperson leader whip attorney ambassador commander king queen prince princess pope rev. bishop
archbishop cardinal professor prof. candidate nominee manager officer general gen. admiral adm. lt.
col.""".split())
CONNECTORS = frozenset("of de da del della van von der den du la le bin al el ibn di dos".split())
SPEAKER_STOP = frozenset("""in on at during when after before as while because via through from
to with last this yesterday today tonight earlier later about since according who which that
monday tuesday wednesday thursday friday saturday sunday""".split())
OPENERS = frozenset("""but and so yet still however meanwhile then also now instead here there
thus when while after before if as another neither does did is are was were can could should would
will has have had outside inside either both not what how why where despite although though during under with without like unlike
among against over through since until upon within across behind beyond besides about above below
for from in on at by to into onto toward towards of even only just yes no asked meanwhile""".split())
CONTRACTIONS = frozenset("""it's it’s that's that’s there's there’s he's he’s she's she’s what's what’s
let's let’s who's who’s here's here’s""".split())
OBJECTS = frozenset("him her them me us reporters journalists supporters voters crowd audience".split())
PERSON_NOUNS = frozenset("""spokesman spokeswoman spokesperson official aide adviser advisor voter
resident member leader analyst expert source lawyer attorney strategist consultant staffer organizer
organiser supporter critic activist protester delegate donor lawmaker senator governor mayor
president minister secretary director chairman chairwoman chair officer agent investigator
prosecutor judge witness police doctor nurse teacher student professor economist pollster
researcher scientist worker employee owner manager executive woman man person people friend
neighbor neighbour mother father son daughter wife husband relative veteran soldier survivor victim
campaign administration government ministry""".split())
GROUPS = frozenset("""democrats republicans americans conservatives liberals progressives
evangelicals officials critics supporters voters""".split())
_CAPITAL_CUES = frozenset(c.capitalize() for c in CUES)
DETERMINERS = frozenset("a an the one two three some several many other another his her their its our".split())
ORG_WORDS = frozenset("""ministry department party committee campaign council agency office house
kremlin police army force forces court commission company inc corp corporation group association
university union organization organisation bureau service government administration command staff
spokesman spokeswoman spokesperson officials official authorities parliament senate congress
cabinet embassy network news times post press foundation institute center centre board""".split())

_OPEN = "“„«"
_CLOSE = "”»"
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W_][\w’'\-]*\.?|[,:;—–()]")
_SENT_END = re.compile(
    r"(?<![A-Z])(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)"
    r"(?<!\bGen)(?<!\bLt)(?<!\bCol)(?<!\bRev)(?<!\bSgt)(?<!\bGov)(?<!\bProf)(?<!\bCapt)[.!?](?=\s|$)")
_ABBREV = frozenset("sen. rep. gov. mr. mrs. ms. dr. st. jr. gen. lt. col. adm. rev. prof.".split())


@dataclass(frozen=True)
class Statement:
    """One attributed statement; ``text == body[start:end]`` except for interrupted
    quotations, whose parts (``parts``, spans into the body) are joined by a space."""

    article_id: str
    n: int
    speaker: str | None        # fullest name, organisation as written, or None: unattributed
    role: str | None
    mention: str | None        # the speaker as written next to the statement
    text: str
    kind: str                  # "direct" | "indirect"
    cue: str | None
    start: int
    end: int
    parts: tuple[tuple[int, int], ...] = ()
    person: bool = True        # a named person (False: organisation, group or description)
    published_at: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["parts"] = [list(p) for p in self.parts]
        return d


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form for matching names: "Zelenskyy" ~ "zelenskyy"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().replace("’", "'")


def speaker_key(name: str) -> str:
    """The surname (last word) of a person, folded: what a "What did X say?" matches on."""
    words = [re.sub(r"'s?$", "", w) for w in re.findall(r"[^\W_][\w'’\-]*", fold(name))]
    words = [w for w in words if w and w not in {"jr", "sr", "ii", "iii"}]
    return words[-1] if words else ""


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
    if any(t in CUES for t in toks) or any(t in {"i", "we", "you", "it"} for t in low):
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
            if t.lower() in TITLE_WORDS or t.lower() in CONNECTORS or t.endswith(("’s", "'s", "’", "'")):
                j = k + 1
        if j == len(run):  # "Amy Pope", "Mike Pence Campaign": a title word last is part of the name
            j = 0
        name = [t for t in run[j:] if t.lower() not in HONORIFICS]
        title = [t for t in run[:j] if t.lower() not in HONORIFICS]
        org = any(t.lower() in ORG_WORDS for t in run) or (low[:len(prefix)] == ["the"] and not title)
        if len(name) == 1 and _PARTY_STATE.match(name[0]):
            return None  # "R-Utah": a party and state, not a speaker
        if len(name) == 1 and (name[0].isupper() and len(name[0]) > 1 or name[0].lower() in GROUPS):
            org = True  # "CNN", "Democrats": not a person
        if prefix and low[0] in {"a", "an", "one", "another"}:
            org = True  # "a South Carolina Democrat": a description, not a name
        if name and not org:
            pre = " ".join(prefix + title).strip()
            return _Speaker(mention, name=" ".join(name), role=role or (pre or None))
    # organisations and descriptions: "the Kremlin", "Fox News", "a spokesman for Clinton";
    # kept as written, never taken for a person's name
    all_caps_run = all(_is_cap(t) or t in CONNECTORS for t in toks)
    known_kind = any(t in ORG_WORDS or t in GROUPS or t.rstrip("s") in PERSON_NOUNS for t in low)
    if all(t in DETERMINERS or t in {"others", "another", "one", "some"} for t in low):
        return None  # "Another said": nobody in particular
    if all_caps_run or known_kind or (low[0] in DETERMINERS and any(_is_cap(t) for t in toks[1:])):
        return _Speaker(mention, role=role, person=False)
    return None  # "the borrowing", "An earlier version": not a speaker


_PARTY_STATE = re.compile(r"^[RDI]-[A-Z][\w.\-]*$")  # "R-Utah", "D-N.Y."


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
            or first in PARTICIPLES or (first.endswith("ing") and not _is_cap(toks[0])):
        return False
    return (first in DETERMINERS or first in TITLE_WORDS or first in _RELATIVE or not _is_cap(toks[0])
            or toks[0].endswith(("’s", "'s", "'", "’")))


AUXILIARIES = frozenset("may might have has had will would could should did does do is was".split())
PARTICIPLES = frozenset("""saying adding writing noting telling arguing warning explaining asking
insisting declaring tweeting stating claiming""".split())
_BOUNDARY = frozenset({";", ":", "—", "–", "(", ")"})
_CLAUSE_WORDS = frozenset("and but while because when if though although".split())


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


_RELATIVE = frozenset({"who", "which", "whose"})


def _speaker_before(toks: list[str]) -> _Speaker | None:
    """The speaker in the tokens that precede a cue within its clause:
    "Sammon", "In a statement, Trump", "John Weaver, a GOP strategist who has feuded
    with Manafort,", "his wife, Gabriela Violeta Lazar,"."""
    b = len(toks)
    while b > 0 and toks[b - 1] not in _BOUNDARY and toks[b - 1].lower() not in _CLAUSE_WORDS:
        b -= 1
    segs = _segments(toks[b:])
    last = _trim_verbs(segs[-1])
    if last and last[0].lower() not in _RELATIVE:
        sp = _parse_speaker(last)
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
    """The leading name of a clause: "Rep. Hakeem Jeffries reacted to the news" -> the name."""
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
    for j in range(end - 1, max(-1, end - 9), -1):
        if toks[j] in CUES or toks[j] in PARTICIPLES:
            if toks[-1] not in {":", ","} and low[-1] != "that" and j != end - 1:
                return None, None  # 'X said the plan was "a disaster"': reported speech
            if low[j] in PARTICIPLES:
                return _participle_speaker(toks[:j]), low[j]
            return _speaker_before(toks[:j]), low[j]
    if toks[-1] == ":" and end <= 12:  # transcript style: "Rep. Trey Gowdy:", "Howard Kurtz, Fox News:"
        segs = _segments(toks[:end])
        sp = _parse_speaker(segs[0], segs[1] if len(segs) == 2 else None)
        if sp and sp.name and len(segs) <= 2:
            return sp, ":"
    return None, None


# -- the extractor -----------------------------------------------------------------------------

class _Names:
    """People named in one article: for resolving "Sybiga", "Mr. Trump" and "she said"."""

    def __init__(self, body: str):
        self.body = body
        self.full: list[tuple[int, str]] = []      # (position, full name) of multi-word names
        self.mentions: list[tuple[int, str]] = []  # (position, resolved name) of every person mention
        self.roles: dict[str, str] = {}
        self._gender: dict[str, str | None] = {}
        self.speakers: set[str] = set()            # people quoted by name in the article

    def add(self, pos: int, name: str, role: str | None) -> None:
        self.full.append((pos, name))
        self.mentions.append((pos, name))
        if role and name not in self.roles:
            self.roles[name] = role

    def mentioned(self, pos: int, name: str) -> None:
        self.mentions.append((pos, name))

    def resolve(self, name: str, pos: int) -> str:
        key = speaker_key(name)
        words = set(fold(name).split()[:-1])  # "Freddy Ortega" is not "German Ortega"
        candidates = [(p, n) for p, n in self.full if speaker_key(n) == key and len(n) >= len(name)
                      and len(n.split()) > 1 and words <= set(fold(n).split())]
        if not candidates:
            return name
        before = [c for c in candidates if c[0] <= pos]
        pool = before or candidates
        best = max(len(n.split()) for _, n in pool)
        # the nearest mention among the fullest forms
        return [n for p, n in sorted(pool, key=lambda c: -c[0] if before else c[0])
                if len(n.split()) == best][0]

    def gender(self, name: str) -> str | None:
        """"he" or "she" from the article itself: the pronoun that first follows the
        person's mentions (within the sentence), by majority; honorifics decide first."""
        if name not in self._gender:
            surname = re.escape(name.split()[-1])
            votes = {"he": 0, "she": 0}
            for m in re.finditer(rf"\b(Mr\.?|Mrs\.?|Ms\.?)\s+{surname}\b", self.body):
                votes["he" if m.group(1).startswith("Mr") and not m.group(1).startswith("Mrs") else "she"] += 5
            for m in re.finditer(rf"\b{surname}\b[^.!?\n]{{0,120}}?\b(he|his|him|she|her|hers)\b",
                                 self.body, flags=re.IGNORECASE):
                votes["he" if m.group(1).lower() in ("he", "his", "him") else "she"] += 1
            self._gender[name] = (max(votes, key=votes.get) if votes["he"] != votes["she"] else None)
        return self._gender[name]

    def antecedent(self, pronoun: str, pos: int, para_start: int) -> str | None:
        """The person "he"/"she" at ``pos`` refers to: the nearest person named since the
        start of the paragraph two before whose gender (as the article uses it) agrees."""
        window = [name for p, name in sorted(self.mentions, key=lambda m: -m[0])
                  if para_start <= p < pos
                  and (name in self.speakers or name in self.roles)]  # a person, not "New Hampshire"
        # someone the article calls "she" beats a nearer someone of unknown gender
        for wanted in (pronoun, None):
            for name in window:
                if self.gender(name) == wanted:
                    return name
        return None


_NAME_RUN = re.compile(
    r"(?:\b(?:[A-Z][\w’'\-]*\.?\s+){0,3})?\b[A-Z][^\W\d_][\w’'\-]*(?:\s+(?:[A-Z]\.\s+)?"
    r"(?:(?:de|van|von|bin|al|da|del|la|le|du)\s+)?[A-Z][^\W\d_][\w’'\-]*){1,3}")


def _collect_names(body: str, names: _Names) -> None:
    """Register every capitalised multi-word name run with its title prefix as the role."""
    for m in _NAME_RUN.finditer(body):
        text = m.group()
        cut = _SENTENCE_CUT.search(text)  # "Madison. Eddie Griffin", "Va. Marcel Lazar"
        if cut:
            text = text[cut.end():]
        text = re.sub(r"['’]s?$", "", text)  # "Marco Rubio's top adviser"
        line_start = body.rfind("\n", 0, m.start()) + 1
        line_end = body.find("\n", m.start())
        line = _words(body[line_start:line_end if line_end >= 0 else len(body)])
        if len(line) >= 4 and sum(_is_cap(w) for w in line) >= 0.6 * len(line):
            continue  # a headline in title case: "Election Wide Open For Bernie Sanders"
        toks = _tokens(text)
        at_start = not body[line_start:m.end() - len(text)].strip() or \
            re.search(r"[.!?\"”:]\s*$", body[line_start:m.end() - len(text)])
        if at_start and len(toks) > 2 and toks[0].lower() not in TITLE_WORDS and re.search(rf"(?<![\w’'-]){re.escape(toks[0].lower())}(?![\w’'-])", body):
            toks = toks[1:]  # "Fault Ted Cruz" at a sentence start: "fault" is a word here
        sp = _parse_speaker(toks)
        if sp and sp.name and len(sp.name.split()) > 1 and sp.person:
            role = sp.role if sp.role and any(w.lower() in HEAD_TITLES for w in sp.role.split()) else None
            after = _APPOSITIVE.match(body, m.end())  # "Viktor Tregubov, spokesperson for ...,"
            if role is None and after:
                toks = _tokens(after.group(1))
                if _is_role(toks) and toks[0].lower() not in _RELATIVE:
                    role = after.group(1).strip()
            names.add(m.end() - len(text), sp.name, role)
    # every later "Clinton" of a "Hillary Clinton" is a mention of her too (for "she said")
    surnames: dict[str, list[tuple[int, str]]] = {}
    for pos, full in names.full:
        surnames.setdefault(full.split()[-1], []).append((pos, full))
    for word in re.finditer(r"\b[A-Z][^\W\d_][\w’'\-]*\b", body):
        owners = [(p, n) for p, n in surnames.get(word.group(), []) if p <= word.start()]
        if owners:
            names.mentioned(word.start(), max(owners)[1])


_STATES = ("Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|"
           "Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|Wyo|D\\.C|N\\.[CDHJMY]|S\\.[CD]")
_STATE_ABBREV = re.compile(rf"^(?:{_STATES})\.$")
_SENTENCE_CUT = re.compile(rf".*(?:[a-z]{{2}}|\b(?:{_STATES}))\.\s+")
_APPOSITIVE = re.compile(r",[ \u00a0]+([^,.;:\"“”()\n]{3,120}?)(?=[,.;]|$)")


def extract(article_id: str, body: str, published_at: str | None = None) -> list[Statement]:
    """Every attributed statement of one article, in text order."""
    names = _Names(body)
    _collect_names(body, names)
    quotes = _quotations(body)
    sentences = sentence_spans(body)
    sentence_starts = [a for a, _ in sentences]
    line_starts = [m.start() for m in re.finditer(r"[^\n]+", body)]

    def para_of(pos: int) -> int:
        return bisect.bisect_right(line_starts, pos) - 1
    raw: list[dict] = []
    covered: list[tuple[int, int]] = []           # sentences that hold direct statements

    def person_name(sp: _Speaker, pos: int) -> tuple[str | None, str | None, bool]:
        if sp.pronoun:
            # "he said" refers to someone named before the sentence: in '"He said Zelensky
            # is honest," he added' the speaker is not Zelensky
            k = bisect.bisect_right(sentence_starts, pos) - 1
            pos = sentence_starts[k] if k >= 0 else pos
            para = para_of(pos)
            window = line_starts[max(0, para - 2)] if line_starts else 0
            name = names.antecedent(sp.pronoun, pos, window) if sp.pronoun in ("he", "she") else None
            return name, names.roles.get(name) if name else None, True
        if sp.name:
            full = names.resolve(sp.name, pos)
            names.mentioned(pos, full)
            names.speakers.add(full)
            if sp.role and full not in names.roles:
                names.roles[full] = sp.role
            return full, sp.role or names.roles.get(full), True
        return sp.mention, sp.role, False

    # direct quotations, with indirect statements interleaved in text order for "he said"
    indirect = {s: _indirect(body, s) for s in sentences}
    # a sentence is looked at when it ends, after the quotations inside it: reported speech
    # is taken only from sentences no direct statement has claimed
    events = sorted([(q.start, "q", q) for q in quotes] + [(s[1], "s", s) for s in sentences],
                    key=lambda e: (e[0], e[1] == "s"))
    i_q = {id(q): k for k, q in enumerate(quotes)}
    done: set[int] = set()
    for pos, kind, item in events:
        if kind == "s":
            found = indirect[item]
            if found is None or any(a < item[1] and item[0] < b for a, b in covered):
                continue
            sp, cue, s, e = found
            speaker, role, person = person_name(sp, s)
            if speaker is None:
                continue
            raw.append(dict(speaker=speaker, role=role, mention=sp.mention, kind=INDIRECT, cue=cue,
                            parts=((s, e),), person=person, para=para_of(s)))
            continue
        first = q = item
        k = i_q[id(q)]
        if k in done:
            continue
        parts = [(q.start, q.end)]
        # a quotation left open at a paragraph's end and reopened at the next one runs on
        while q.close == q.end and k + 1 < len(quotes) and quotes[k + 1].para == q.para + 1 \
                and not body[body.rfind("\n", 0, quotes[k + 1].start) + 1:quotes[k + 1].start - 1].strip():
            k += 1
            q = quotes[k]
            parts.append((q.start, q.end))
            done.add(k)
        para_end = body.find("\n", q.close)
        para_end = len(body) if para_end < 0 else para_end
        nxt = quotes[k + 1] if k + 1 < len(quotes) and quotes[k + 1].para == q.para else None
        tail_text = body[q.close:nxt.start - 1 if nxt else para_end]
        clipped = _clip_sentence(tail_text)
        # a quotation that ends its sentence ('...attack."') is not attributed by what follows
        tail_toks = _tokens(clipped)
        ends_sentence = _strip_marks(body[q.start:q.end]).endswith(".")
        if ends_sentence and (not tail_toks or _is_cap(tail_toks[0])):
            sp, cue = None, None
        else:
            sp, cue = _after(tail_toks)
        if sp is not None and nxt is not None and clipped == tail_text and tail_text.rstrip().endswith(","):
            parts.append((nxt.start, nxt.end))   # interrupted: '"A," X said, "B."'
            done.add(k + 1)
        if sp is None:
            j = i_q[id(first)]
            head_start = max(body.rfind("\n", 0, first.start) + 1,
                             quotes[j - 1].close if j and quotes[j - 1].para == first.para else 0)
            head = body[head_start:first.start - 1]
            ends = list(_SENT_END.finditer(head))
            head = head[ends[-1].end():] if ends else head
            sp, cue = _before(_tokens(re.sub(r"\s*\([^()]*\)", "", head)))
        if sp is None:
            prev = raw[-1] if raw else None
            if prev and prev["para"] == first.para and prev["speaker"] and _standalone(body, first):
                raw.append(dict(prev, kind=DIRECT, parts=tuple(parts)))
                _cover(covered, sentences, first.start, q.close)
                continue
            if _is_statement_like(body, first) and _standalone(body, first):
                raw.append(dict(speaker=None, role=None, mention=None, kind=DIRECT, cue=None,
                                parts=tuple(parts), person=False, para=first.para))
            continue
        speaker, role, person = person_name(sp, first.start)
        if speaker is None and not sp.pronoun:
            continue
        raw.append(dict(speaker=speaker, role=role, mention=sp.mention, kind=DIRECT, cue=cue,
                        parts=tuple(parts), person=person, para=first.para))
        _cover(covered, sentences, first.start, q.close)
    out = []
    raw.sort(key=lambda r: r["parts"][0][0])
    for n, r in enumerate(raw):
        parts = r["parts"]
        if r["kind"] == DIRECT:  # the words inside the marks; a closing comma is punctuation
            text = " ".join(_strip_marks(body[a:b]).rstrip(",").rstrip() for a, b in parts)
        else:
            text = body[parts[0][0]:parts[0][1]]
        role = r["role"]
        if r["speaker"] and r["person"] and not role:
            role = names.roles.get(r["speaker"])
        out.append(Statement(article_id=article_id, n=n, speaker=r["speaker"], role=role,
                             mention=r["mention"], text=text, kind=r["kind"], cue=r["cue"],
                             start=parts[0][0], end=parts[-1][1], parts=tuple(parts),
                             person=r["person"], published_at=published_at))
    return out


def _strip_marks(text: str) -> str:
    return text.strip().strip("\"“”„«»").strip()


def _cover(covered: list, sentences: list[tuple[int, int]], start: int, close: int) -> None:
    """Mark the quotation's sentences, and the one its attribution may have been split
    into ('"Who are they?" / Trump said of Apple.'), as taken by a direct statement."""
    covered.extend(s for s in sentences if s[0] <= close + 1 and start < s[1])


def _is_statement_like(body: str, q: _Quote) -> bool:
    """At least three words: shorter quotations are names, titles or scare quotes."""
    return len(_words(body[q.start:q.end])) >= 3


def _standalone(body: str, q: _Quote) -> bool:
    """A quotation that opens its sentence (not a phrase quoted inside one)."""
    before = body[max(0, body.rfind("\n", 0, q.start) + 1):q.start - 1].rstrip()
    return not before or before[-1] in ".!?:”\""


_TRAILING = re.compile(r",[\s\u00a0]+(?P<attr>[^,.;:\"“”]{2,80}?)[.!]?$")


def _indirect(body: str, span: tuple[int, int]):
    """Reported speech in one sentence: 'X said (that) ...', 'X warned that ...',
    '..., X said.', '..., according to X.' Returns (speaker, cue, start, end) or None."""
    s, e = span
    sentence = body[s:e]
    toks = list(_WORD.finditer(sentence))
    words = [t.group() for t in toks]
    low = [w.lower() for w in words]
    for j in range(1, min(len(toks), 40)):
        if words[j] not in CUES:  # lowercase: "the United States" is no cue
            continue
        k = j + 1
        if low[j] in ("told", "tells") and k < len(toks):   # told reporters / told CNN / told him
            if low[k] in DETERMINERS:
                k += 1
            while k < len(toks) and k < j + 5 and (_is_cap(words[k]) or low[k] in OBJECTS):
                k += 1
        if k < len(toks) and low[k] == "that":
            k += 1
        elif low[j] not in THAT_OPTIONAL:
            continue
        if len(toks) - k < 4 or words[k] in {",", ":", "."} or low[k] in SPEAKER_STOP \
                or low[k] in {"of", "for", "by"}:
            continue  # 'said of Apple', 'said in a statement': not a reported clause
        sp = _speaker_before(words[:j])
        if sp is None:
            continue
        return sp, low[j], s + toks[k].start(), e
    m = _TRAILING.search(sentence)   # "..., Schiff said." / "..., said Schiff." / "..., according to X."
    if m and m.start() > 20:
        attr = _tokens(m.group("attr"))
        lw = [t.lower() for t in attr]
        sp, cue = None, None
        if lw[:2] == ["according", "to"]:
            sp, cue = _speaker_before(attr[2:]), "according to"
        elif attr and attr[0] in TRAILING_CUES and len(attr) <= 7 and not any(t in PRONOUNS for t in lw[1:]):
            sp, cue = _parse_speaker(attr[1:]), lw[0]
        elif attr and attr[-1] in TRAILING_CUES:
            sp, cue = _speaker_before(attr[:-1]), lw[-1]
        if sp is not None and (sp.name or sp.pronoun or not sp.person):
            return sp, cue, s, s + m.start()
    return None
