"""The extractor: every attributed statement of one article."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Callable

from ..sentences import sentence_spans
from .lexicon import (CUES, DETERMINERS, HEAD_TITLES, NAMING, OBJECTS, PRONOUNS, SPEAKER_STOP,
                      THAT_OPTIONAL, TITLE_WORDS, TRAILING_CUES, _APPOSITIVE, _RELATIVE,
                      _SENTENCE_CUT, _SENT_END, _WORD)
from .phrases import (_PAST, _Quote, _Speaker, _after, _before, _is_cap, _is_role, _parse_speaker,
                      _quotations, _speaker_before, _tokens, _words, _clip_sentence)

VERSION = "attribution-v18"

DIRECT, INDIRECT = "direct", "indirect"


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


class _CombiningMarks(dict):
    """A ``str.translate`` table that deletes combining marks: each code point is looked up
    in ``unicodedata`` once, then by the table itself (answers fold every candidate sentence)."""

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_NO_MARKS = _CombiningMarks()


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form for matching names: "Zelenskyy" ~ "zelenskyy"."""
    return unicodedata.normalize("NFKD", text).translate(_NO_MARKS).casefold().replace("’", "'")


def name_words(name: str) -> str:
    """A name folded to plain words, possessives dropped, for matching any word of it:
    "Russia’s Ministry of Defence" -> "russia ministry of defence"."""
    return " ".join(re.findall(r"[^\W_]+", re.sub(r"['’]s\b", "", fold(name))))


def speaker_key(name: str) -> str:
    """The surname (last word) of a person, folded: what a "What did X say?" matches on."""
    words = [re.sub(r"'s?$", "", w) for w in re.findall(r"[^\W_][\w'’\-]*", fold(name))]
    words = [w for w in words if w and w not in {"jr", "sr", "ii", "iii"}]
    return words[-1] if words else ""


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
        if not candidates and " " not in name.strip():
            # a family name written first ("the finance minister, Lou Jiwei" ... "Mr. Lou"),
            # when only one person of the article is named so
            candidates = [(p, n) for p, n in self.full if len(n.split()) == 2 and n.split()[0] == name]
            if len({n for _, n in candidates}) != 1:
                return name
        if not candidates:
            return name
        before = [c for c in candidates if c[0] <= pos]
        pool = before or candidates
        best = max(len(n.split()) for _, n in pool)
        # the nearest mention among the fullest forms
        return [n for p, n in sorted(pool, key=lambda c: -c[0] if before else c[0])
                if len(n.split()) == best][0]

    def gender(self, name: str) -> str | None:
        """"he" or "she" from the article itself: the subject pronoun that follows the
        person's mentions in the same sentence or opens the next, by majority; honorifics
        (Mr., Ms., Mrs.) count most."""
        if name not in self._gender:
            surname = re.escape(name.split()[-1])
            votes = {"he": 0, "she": 0}
            for m in re.finditer(rf"\b(Mr\.?|Mrs\.?|Ms\.?)\s+{surname}\b", self.body):
                votes["he" if m.group(1).startswith("Mr") and not m.group(1).startswith("Mrs") else "she"] += 5
            # "he"/"she" only: "his"/"her" after a name often belong to someone else
            # ("Axelrod called out Clinton for her ways")
            for m in re.finditer(rf"\b{surname}\b[^.!?\n]{{0,120}}?\b(he|she)\b", self.body,
                                 flags=re.IGNORECASE):
                votes[m.group(1).lower()] += 1
            # ... or opening the next sentence: "Marta Olsen opened the bridge. She thanked ..."
            for m in re.finditer(rf"\b{surname}\b[^.!?\n]{{0,160}}[.!?][\"”]?\s+(He|She)\b", self.body):
                votes[m.group(1).lower()] += 1
            self._gender[name] = (max(votes, key=votes.get) if votes["he"] != votes["she"] else None)
        return self._gender[name]

    def antecedent(self, pronoun: str, pos: int, para_start: int,
                   sentence_starts: list[int]) -> str | None:
        """The person "he"/"she" at ``pos`` refers to: going back sentence by sentence
        (to the start of the paragraph two before), the first person named in the
        sentence — its subject, usually — whose gender, as the article uses it, agrees."""
        known = [(p, name) for p, name in self.mentions if para_start <= p < pos
                 and (name in self.speakers or name in self.roles)]  # people, not "New Hampshire"
        by_sentence: dict[int, list[tuple[int, str]]] = {}
        for p, name in known:
            by_sentence.setdefault(bisect.bisect_right(sentence_starts, p), []).append((p, name))
        for k in sorted(by_sentence, reverse=True):
            for _, name in sorted(by_sentence[k]):
                if self.gender(name) in (pronoun, None):
                    return name
        return None


_NAME_RUN = re.compile(
    r"(?:\b(?:[A-Z][\w’'\-]*\.?\s+){0,3})?\b[A-Z][^\W\d_][\w’'\-]*(?:\s+(?:[A-Z]\.\s+)?"
    r"(?:(?:de|van|von|bin|al|da|del|la|le|du)\s+)?[A-Z][^\W\d_][\w’'\-]*){1,3}")


_ROLE_BEFORE = re.compile(r"(?:^|(?<=[,.;:]\s)|(?<=\n))([^,.;:\"“”()\n]{3,100}?),\s+$")


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
            start = m.end() - len(text)
            before = (_ROLE_BEFORE.search(body, max(0, start - 120), start)  # "a ... spokesperson, Morgan Ortagus,"
                      if role is None and body[m.end():m.end() + 1] == "," else None)
            if before:
                toks = _tokens(before.group(1))
                if toks[0].lower() in DETERMINERS and _is_role(toks):
                    role = before.group(1).strip()
            names.add(m.end() - len(text), sp.name, role)
    # every later "Clinton" of a "Hillary Clinton" is a mention of her too (for "she said")
    surnames: dict[str, list[tuple[int, str]]] = {}
    for pos, full in names.full:
        surnames.setdefault(full.split()[-1], []).append((pos, full))
    for word in re.finditer(r"\b[A-Z][^\W\d_][\w’'\-]*\b", body):
        owners = [(p, n) for p, n in surnames.get(word.group(), []) if p <= word.start()]
        if owners:
            names.mentioned(word.start(), max(owners)[1])


_TWO_APOSTROPHES = re.compile(r"(?<!')''(?!')")


def _double_marks(body: str) -> str:
    """``body`` with each pair of apostrophes used as a quotation mark (''We finally may be
    seeing some wage acceleration,'' the economist wrote: the style of some archives) read
    as one, at the same offsets: ' "' when it opens a quotation, '" ' when it closes one."""
    def mark(m: re.Match) -> str:
        before = body[m.start() - 1] if m.start() else " "
        return ' "' if before.isspace() or before in "([—–:" else '" '
    return _TWO_APOSTROPHES.sub(mark, body) if "''" in body else body


def extract(article_id: str, body: str, published_at: str | None = None) -> list[Statement]:
    """Every attributed statement of one article, in text order. Found in the text with its
    quotation marks made plain (``_double_marks``: same offsets), cut from ``body`` itself."""
    written, body = body, _double_marks(body)
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

    def person_name(sp: _Speaker, pos: int, trailing: bool = False) -> tuple[str | None, str | None, bool]:
        if sp.pronoun and trailing:
            # '... spokesperson Morgan Ortagus indicated: "...," he said': the person the
            # sentence named before the quotation (not inside one) speaks
            k = bisect.bisect_right(sentence_starts, pos) - 1
            start = sentence_starts[k] if k >= 0 else 0
            before = [name for p, name in names.mentions if start <= p < pos
                      and (name in names.speakers or name in names.roles)
                      and not any(q.start <= p < q.end for q in quotes)
                      and names.gender(name) in (sp.pronoun, None)]
            if before:
                return before[-1], names.roles.get(before[-1]), True
        if sp.pronoun:
            # "he said" refers to someone named before the sentence: in '"He said Zelensky
            # is honest," he added' the speaker is not Zelensky
            k = bisect.bisect_right(sentence_starts, pos) - 1
            pos = sentence_starts[k] if k >= 0 else pos
            para = para_of(pos)
            window = line_starts[max(0, para - 2)] if line_starts else 0
            name = names.antecedent(sp.pronoun, pos, window, sentence_starts) if sp.pronoun in ("he", "she") else None
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
        # ... unless what follows is only its attribution: '"... a trial." Pelosi said.'
        attribution_only = len(tail_toks) <= 6 and bool(tail_toks) and tail_toks[-1] in TRAILING_CUES
        if ends_sentence and (not tail_toks or _is_cap(tail_toks[0])) and not attribution_only:
            sp, cue = None, None
        else:
            sp, cue = _after(tail_toks)
        trailing = sp is not None
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
            if cue in NAMING and len(_words(body[first.start:q.end])) < 2:
                sp, cue = None, None  # 'called the plan a "disaster"': a scare quote
        if sp is None:
            prev = raw[-1] if raw else None
            # the same speaker goes on: in the paragraph, or in a next one that is nothing but
            # a quotation after a paragraph that ended with their quoted words
            if prev and prev["speaker"] and _standalone(body, first) and (
                    prev["para"] == first.para or prev["para"] == first.para - 1 and prev["kind"] == DIRECT
                    and _whole_paragraph(body, first, q) and _ends_paragraph(body, quotes, prev)):
                raw.append(dict(prev, kind=DIRECT, parts=tuple(parts)))
                _cover(covered, sentences, first.start, q.close)
                continue
            if _is_statement_like(body, first) and _standalone(body, first):
                raw.append(dict(speaker=None, role=None, mention=None, kind=DIRECT, cue=None,
                                parts=tuple(parts), person=False, para=first.para))
            continue
        speaker, role, person = person_name(sp, first.start, trailing)
        if speaker is None and not sp.pronoun:
            continue
        raw.append(dict(speaker=speaker, role=role, mention=sp.mention, kind=DIRECT, cue=cue,
                        parts=tuple(parts), person=person, para=first.para))
        _cover(covered, sentences, first.start, q.close)
    raw += _interview_answers(body, names, quotes, para_of)
    out = []
    raw.sort(key=lambda r: r["parts"][0][0])
    for n, r in enumerate(raw):
        parts = r["parts"]
        if r["kind"] == DIRECT:  # the words inside the marks; a closing comma is punctuation
            text = " ".join(_strip_marks(written[a:b]).rstrip(",").rstrip() for a, b in parts)
        else:  # with a closing quotation mark the sentence splitter left out
            end = parts[0][1] + len(re.match(r"['’\"”]*", written[parts[0][1]:]).group())
            parts = ((parts[0][0], end),)
            text = written[parts[0][0]:end]
        role = r["role"]
        if r["speaker"] and r["person"] and not role:
            role = names.roles.get(r["speaker"])
        out.append(Statement(article_id=article_id, n=n, speaker=r["speaker"], role=role,
                             mention=r["mention"], text=text, kind=r["kind"], cue=r["cue"],
                             start=parts[0][0], end=parts[-1][1], parts=tuple(parts),
                             person=r["person"], published_at=published_at))
    return out


_ANSWER_LINE = re.compile(r"(?m)^A[:.]\s+(?=\S)")
_QUESTION_LINE = re.compile(r"(?m)^Q(?:[:.]\s+|(?=[A-Z]))")


def _interview_answers(body: str, names: _Names, quotes: list[_Quote],
                       para_of: Callable[[int], int]) -> list[dict]:
    """An interview printed as questions and answers ("Q: ...", "A: ..."): each answer is
    the words of the person interviewed, the one the text before the first question names
    most (as "Laura Bush", "Diane Guerrero" in "Immigration debate hits home for actress
    Diane Guerrero")."""
    answers = list(_ANSWER_LINE.finditer(body))
    questions = list(_QUESTION_LINE.finditer(body))
    if len(answers) < 2 or len(questions) < 2:
        return []
    intro = body[:questions[0].start()]
    counts = {name: len(re.findall(rf"\b{re.escape(name.split()[-1])}\b", intro))
              for _, name in sorted(names.full)}
    person = max(counts, key=counts.get, default=None)  # the first named of the most named
    if not person or not counts[person]:
        return []
    out = []
    for m in answers:
        end = body.find("\n", m.end())
        end = len(body) if end < 0 else end
        if any(q.start < end and m.end() < q.end for q in quotes):
            continue  # an answer with a quotation in it: whose words those are, the quotation says
        out.append(dict(speaker=person, role=names.roles.get(person), mention=person, kind=DIRECT,
                        cue="answered", parts=((m.end(), m.end() + len(body[m.end():end].rstrip())),),
                        person=True, para=para_of(m.start())))
    return out


def _whole_paragraph(body: str, first: _Quote, last: _Quote) -> bool:
    """The paragraph is the quotation and nothing else."""
    start = body.rfind("\n", 0, first.start) + 1
    end = body.find("\n", last.close)
    return not body[start:first.start - 1].strip() and not body[last.close:end if end >= 0 else len(body)].strip()


def _ends_paragraph(body: str, quotes: list[_Quote], statement: dict) -> bool:
    """The statement's paragraph holds no quotation after it (the speaker's words end it)."""
    last = statement["parts"][-1][1]
    return not any(q.para == statement["para"] and q.start > last for q in quotes)


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


_SAYING = re.compile(r",\s+(saying|adding|arguing|warning|noting|insisting|explaining|claiming|declaring)"
                     r"\s+(?:that\s+)?")


def _saying(sentence: str):
    """'Mrs. Schlafly endorsed Trump, saying he had ...': what the sentence's subject said,
    as (speaker, cue, offset of the words said), or None."""
    m = _SAYING.search(sentence)
    if m is None or len(_words(sentence[m.end():])) < 4:
        return None
    head = _tokens(sentence[:m.start()])
    # the subject: the words before the sentence's first verb ("endorsed", "issued", "spoke")
    verb = next((i for i, t in enumerate(head[:10]) if not _is_cap(t)
                 and (t.lower().endswith("ed") or t.lower() in _PAST)), None)
    sp = _speaker_before(head[:verb]) if verb else None
    if sp is None or not (sp.name or sp.pronoun or not sp.person):
        return None
    return sp, m.group(1), m.end()


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
    found = _saying(sentence)
    if found is not None:
        sp, cue, at = found
        return sp, cue, s + at, e
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
