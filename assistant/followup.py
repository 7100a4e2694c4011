"""Follow-up questions made standalone before retrieval.

"What did Sybiga say?" then "What about Tregubov?" must search for "What did Tregubov
say?", and "Who is he?" for "Who is Tregubov?". :func:`rewrite_by_rules` does it without
a model:
- a pronoun (he, she, they, him, her, his, their, them) becomes the person or
  organisation named last (in the last question, else in the last answer);
- "What about X?", "How about X?", "And X?" reuse the previous question's frame with X in
  place of its subject;
- "And before that?", "Earlier?" keep the previous question's topic, before the
  earliest date the previous answer gives (and "after that?" after its latest).
With an LLM configured, the rewrite prompt (``prompts/rewrite.md``) does it instead, and
these rules take over when the model's output is unusable.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from corpus import InvalidInput

from .question import analyze, holidays_in, is_place_or_org, names_in, person_in
from .quotes import parse as parse_quote_question

_PERSONAL = r"he|she|they|him|them|his|her|their|hers|theirs"
_PRONOUN = re.compile(rf"\b({_PERSONAL})\b", re.I)
_SINGULAR = {"he", "she", "him", "his", "her", "hers"}
_ELLIPSIS = re.compile(r"^\s*(?:and|also|so|but|then|plus)\b", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*[?.!]*\s*$"
                         r"|^\s*and\s+(?!(?:who|what|when|where|why|how|which|whom|whose)\b)"
                         r"(?P<y>(?-i:[A-Z])[^?]*?)\s*\?+\s*$", re.I)
_BEFORE = re.compile(r"^\s*(?:and\s+)?(?:(?:what\s+about\s+|what\s+happened\s+)?"
                     r"(?P<dir>before|after|earlier|later)(?:\s+(?:that|then))?)\s*[?.!]*\s*$", re.I)
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_PREPOSITIONS = {"about", "to", "with", "for", "from", "by", "on", "of", "at", "against", "than"}


MAX_TURNS = 20
MAX_TURN_CHARS = 4000


@dataclass(frozen=True)
class Rewrite:
    question: str                 # standalone
    since: str | None = None      # a date bound the follow-up implies ("after that?")
    until: str | None = None
    how: str = "unchanged"        # unchanged | pronoun | noun | frame | time | context | llm
    # the previous turn's names and years, carried to a follow-up that names nothing of its
    # own ("And how many were injured?", "Who won the men's race?"): searched and required too
    context: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.how != "unchanged" or bool(self.context)

    @property
    def searched(self) -> str:
        """What retrieval and the answerer read: the question and any carried context."""
        return f"{self.question} ({', '.join(self.context)})" if self.context else self.question


def plain(text: str) -> str:
    """Text as a question or turn is read: invisible format characters (soft hyphens,
    zero-width spaces, so a pasted "Syb\u00adiga" still matches) and lone surrogates
    dropped, other control characters made spaces, whitespace collapsed."""
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cs"))
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def normalize_history(history) -> list[dict]:
    """Earlier turns as ``{"role": "user"|"assistant", "content": str}`` dicts. Accepts such
    dicts, LangChain messages and ``(role, content)`` pairs; keeps the last
    ``MAX_TURNS`` turns, each cut to ``MAX_TURN_CHARS``."""
    out = []
    for i, turn in enumerate(list(history or ())[-MAX_TURNS:]):
        if isinstance(turn, dict):
            role, content = turn.get("role"), turn.get("content")
        elif hasattr(turn, "type") and hasattr(turn, "content"):  # a LangChain message
            role, content = {"human": "user", "ai": "assistant"}.get(turn.type, turn.type), turn.content
        elif isinstance(turn, (tuple, list)) and len(turn) == 2:
            role, content = turn
        else:
            raise InvalidInput(f"History turn {i + 1} is not a message.",
                               hint='Give turns as {"role": "user" or "assistant", "content": "..."}.')
        if role not in ("user", "assistant", "system"):
            raise InvalidInput(f"History turn {i + 1} has the role {str(role)[:20]!r}.",
                               hint='Roles are "user" and "assistant".')
        if isinstance(content, list):  # content parts (chat UIs)
            content = " ".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
        out.append({"role": role, "content": plain(str(content or ""))[:MAX_TURN_CHARS]})
    return out


def needs_context(question: str) -> bool:
    """Whether ``question`` leans on earlier turns (a pronoun, "what about X?", "before that?")."""
    return bool(_PRONOUN.search(question) or _WHAT_ABOUT.match(question) or _BEFORE.match(question))


def _turns(history: Sequence[dict], role: str) -> list[str]:
    return [str(m.get("content") or "") for m in history if isinstance(m, dict) and m.get("role") == role]


def last_named(history: Sequence[dict]) -> str | None:
    """The person or organisation named last: the last question's subject, else a name in
    it, else the first name of the last answer."""
    for question, answer in zip(reversed(_turns(history, "user")),
                                list(reversed(_turns(history, "assistant"))) + [""] * len(history)):
        parsed = parse_quote_question(question)
        if parsed and parsed.speaker:
            return parsed.speaker
        asked, answered = names_in(question)[::-1], names_in(answer)
        # a full name ("Tymur Tkachenko") before a lone capitalised word, which is as often
        # a place ("Kyiv") as a person
        for found in ([n for n in asked if " " in n], [n for n in answered if " " in n], asked, answered):
            if found:
                return found[0]
    return None


def person_named(history: Sequence[dict], turns: int = 3) -> str | None:
    """The person a "he" or "she" in the next question stands for, from the last turns, most
    recent first: when a question asked who someone was, the first person its answer names;
    else the person the question was about (its speaker, else its first person); else the
    first person its answer names. Places and organisations are never taken for people."""
    for i in range(len(history) - 1, -1, -1):
        turn = history[i]
        if turn.get("role") != "user" or turns <= 0:
            continue
        turns -= 1
        rewrite = rewrite_by_rules(str(turn.get("content") or ""), history[:i])
        answer = next((str(t.get("content") or "") for t in history[i + 1:] if t.get("role") == "assistant"), "")
        asked = analyze(rewrite.searched)
        in_answer = [p for p in (person_in(n) for n in names_in(answer)) if p and p not in asked.names]
        if asked.wants == "person" and in_answer:
            return in_answer[0]
        parsed = parse_quote_question(rewrite.question)
        if parsed and parsed.speaker and not is_place_or_org(parsed.speaker):
            return parsed.speaker
        in_question = [p for p in (person_in(n) for n in asked.names) if p]
        if in_question:
            return in_question[0]  # the question's subject comes first
        if in_answer:
            return in_answer[0]
    return None


def _replace_pronouns(question: str, name: str) -> str:
    def sub(m: re.Match) -> str:
        word = m.group(1).lower()
        after = question[m.end():].lstrip()
        before = question[:m.start()].split()
        if word in ("his", "their", "hers", "theirs"):
            return f"{name}'s" if word in ("his", "their") else f"{name}'s"
        if word == "her":  # object ("about her") or possessive ("her remarks")
            objective = (not after or not after[0].isalpha()
                         or (before and before[-1].lower() in _PREPOSITIONS))
            return name if objective else f"{name}'s"
        return name

    return _PRONOUN.sub(sub, question)


def _previous_question(history: Sequence[dict]) -> str | None:
    """The last question asked, itself made standalone from the turns before it."""
    for i in range(len(history) - 1, -1, -1):
        turn = history[i]
        if isinstance(turn, dict) and turn.get("role") == "user" and str(turn.get("content") or "").strip():
            return rewrite_by_rules(str(turn["content"]).strip(), history[:i]).question
    return None


def rewrite_by_rules(question: str, history: Sequence[dict]) -> Rewrite:
    """``question`` made standalone using the earlier turns (see the module docstring)."""
    if not history:
        return Rewrite(question)
    turns = tuple((str(m.get("role")), str(m.get("content") or "")) for m in history if isinstance(m, dict))
    return _rewrite(question, turns)


@lru_cache(maxsize=1024)
def _rewrite(question: str, turns: tuple[tuple[str, str], ...]) -> Rewrite:
    """:func:`rewrite_by_rules` over turns as ``(role, content)`` pairs. Making an earlier
    question standalone needs the turns before it in turn, and a pronoun looks back over
    several of them: each (question, earlier turns) is worked out once, not once per path
    that reaches it (which grows exponentially with the turns)."""
    history = [{"role": role, "content": content} for role, content in turns]
    previous = _previous_question(history)
    m = _BEFORE.match(question)
    if m and previous:
        answers = _turns(history, "assistant")
        dates = sorted(_DATE.findall(answers[-1])) if answers else []
        direction = m.group("dir").lower()
        bound = None
        if dates:
            day = dt.date.fromisoformat(dates[0] if direction in ("before", "earlier") else dates[-1])
            shift = dt.timedelta(days=-1 if direction in ("before", "earlier") else 1)
            bound = (day + shift).isoformat()
        if direction in ("before", "earlier"):
            return Rewrite(previous, until=bound, how="time")
        return Rewrite(previous, since=bound, how="time")
    m = _WHAT_ABOUT.match(question)
    if m and previous:
        new = (m.group("x") or m.group("y") or "").strip()
        parsed = parse_quote_question(previous)
        old = parsed.speaker if parsed and parsed.speaker else None
        if old is None:
            found = names_in(previous)
            old = found[-1] if found else None
        if old and re.search(re.escape(old), previous, re.I):
            return Rewrite(re.sub(re.escape(old), new, previous, count=1, flags=re.I), how="frame")
        return Rewrite(f"{previous.rstrip(' ?.!')}: {new}?", how="frame")
    rewrite = Rewrite(question)
    pronouns = {m.group(1).lower() for m in _PRONOUN.finditer(question)}
    if pronouns:
        # "he"/"she" stand for a person: the one the last answer named when the last
        # question asked who, else the person the last question named
        name = person_named(history) if pronouns <= _SINGULAR else last_named(history)
        if name:
            rewrite = Rewrite(_replace_pronouns(question, name), how="pronoun")
    asked = analyze(rewrite.question)
    if previous and asked.wants == "quantity" and asked.noun is None:
        # "And how many were carried out ...?" counts what the last question counted
        counted = analyze(previous).noun
        if counted and counted not in rewrite.question.lower():
            text = re.sub(r"\b(how many)(\s+more)?\b", rf"\1\2 {counted}", rewrite.question, count=1, flags=re.I)
            rewrite = Rewrite(text, how="noun" if rewrite.how == "unchanged" else rewrite.how)
    own = analyze(rewrite.question).names
    if previous and (not own or _ELLIPSIS.match(question)):
        before = analyze(previous)
        carried = tuple(n for n in before.names + holidays_in(previous) + before.years
                        if n.lower() not in rewrite.question.lower())
        if carried:
            rewrite = Rewrite(rewrite.question, how=rewrite.how, context=carried)
    return rewrite
