"""Answers about statements, from the attribution index rather than from passages.

"What did X say (about Y) (over time)?", "X's comments/reaction ...", "Who said
'<words>'?" and "Who is X?" are recognised by :func:`parse` and answered from the
statements extracted at ingest (``index.attribution``): the exact words, the speaker
by name and role, each cited to the passage that holds it. Anything else, or a
"Who is X?" the statements cannot answer, goes to normal retrieval.
"""

from __future__ import annotations

import difflib
import re
import time
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, NamedTuple, Sequence

import numpy as np

from index import Catalog, Chunk, Embedder, Hit, HybridRetriever, SearchFilters, sentence_spans
from index.attribution import DIRECT, Statement, fold, name_words, speaker_key
from index.copies import earliest_first
from index.store import date_number

from .answer import Citation
from .citations import without_markers
from .lexicon import GROUP_STOP
from .question import Question, group_words, is_person, names_in, numbers_in, unmet

_CUE = (r"(?:say|said|says|tell|told|write|wrote|tweet|tweeted|claim|claimed|state|stated|argue|argued|"
        r"comment|commented|announce|announced|think|thought|mean|meant|warn|warned|predict|predicted)")
_TOPIC = r"(?:\s+(?:about|on|regarding|concerning|of|to)\s+(?P<topic>.+?))?"
_TIME = r"(?P<time>\s+(?:over time|over the years|through time|so far|lately|recently))?"
_END = r"\s*[?.!]*\s*$"
_WHAT_SAID = [
    re.compile(rf"^\s*what\s+(?:did|does|do|has|have|had|is|was)\s+(?P<who>.+?)\s+(?:been\s+)?"
               rf"(?:saying|{_CUE})(?:\s+(?:to|in)\s+(?:reporters|the press|a statement|an interview))?"
               rf"{_TOPIC}{_TIME}{_END}", re.I),
    re.compile(rf"^\s*(?:what\s+(?:was|were|are|is)\s+|show\s+(?:me\s+)?)?(?P<who>.+?)(?:'s|’s|'|’)\s+"
               rf"(?:comments?|remarks?|statements?|words|reactions?|responses?|quotes?|views?|"
               rf"position)(?:\s+(?:about|on|regarding|to)\s+(?P<topic>.+?))?{_TIME}{_END}", re.I),
    re.compile(rf"^\s*(?:quotes?|statements?|comments?)\s+(?:from|by)\s+(?P<who>.+?){_TOPIC}{_TIME}{_END}",
               re.I),
    re.compile(rf"^\s*how\s+(?:did|has|does)\s+(?P<who>.+?)\s+(?:react|respond)(?:ed)?"
               rf"(?:\s+(?:to|on)\s+(?P<topic>.+?))?{_TIME}{_END}", re.I),
]
_WHO_SAID = re.compile(
    r"^\s*who\s+(?:said|says|wrote|tweeted|stated|declared|told\s+\S+|is\s+quoted\s+as\s+saying)"
    r"\s*[:,]?\s*(?:that\s+)?(?P<words>.+?)\s*[?.!]*\s*$", re.I)
_WHO_IS = re.compile(r"^\s*who\s+(?:is|was|'s|’s)\s+(?P<who>[^?\"“”]+?)\s*\?*\s*$", re.I)
_MARKS = "\"“”‘’'«»„"
SIMILARITY_WORDS = 40  # of a statement, compared with the topic by meaning
RANKED_BY_MEANING = 16  # best statements by words that are then also compared by meaning
TOP_ARTICLES = 3  # a speaker quoted in one of the question's best articles is answered from it
TOPIC_WORDS = 0.5  # ... unless one of their statements has this share of the topic's words
MAX_CANDIDATES = 300  # a speaker's newest statements weighed per question (plus those in retrieved articles)
NOT_QUOTED = "The articles don't quote {who}: no statement by {who} was found in the indexed articles."


class QuoteResult(NamedTuple):
    text: str
    citations: list[Citation]
    covered: bool
    hits: list[Hit]
    compose_s: float = 0.0  # of the time taken, composing the text (the rest: finding)


@dataclass(frozen=True)
class QuoteQuery:
    intent: str                 # "said" | "who_said" | "who_is" | "group"
    speaker: str | None = None
    topic: str | None = None
    words: str | None = None
    over_time: bool = False


def _clean_name(who: str) -> str | None:
    who = who.strip(" ,;:" + _MARKS)
    if not who or len(who.split()) > 8 or any(m in who for m in "\"“”«»„"):
        return None
    if not any(w[:1].isupper() for w in who.split()) and not who.lower().startswith("the "):
        return None  # "what did they say", "what does it mean": not a speaker
    return who


def parse(question: str) -> QuoteQuery | None:
    """Recognise a question about statements; None for anything else."""
    m = _WHO_SAID.match(question)
    if m:
        words = m.group("words").strip(" " + _MARKS)
        if len(words.split()) >= 3:
            return QuoteQuery("who_said", words=words)
    for pattern in _WHAT_SAID:
        m = pattern.match(question)
        if m:
            who = _clean_name(m.group("who"))
            if who:
                topic = (m.group("topic") or "").strip(" " + _MARKS) or None
                return QuoteQuery("said", speaker=who, topic=topic, over_time=bool(m.group("time")))
    m = _WHO_IS.match(question)
    if m:
        who = _clean_name(m.group("who"))
        if who and who[:1].isupper():
            return QuoteQuery("who_is", speaker=who)
    return None


def in_order_share(gold: str, text: str) -> float:
    """Share of ``gold``'s words that ``text`` has in the same order (LCS over words)."""
    g, a = _words(gold), _words(text)
    if not g:
        return 0.0
    prev = [0] * (len(a) + 1)
    for gw in g:
        cur = [0] * (len(a) + 1)
        for j, aw in enumerate(a, 1):
            cur[j] = prev[j - 1] + 1 if gw == aw else max(prev[j], cur[j - 1])
        prev = cur
    return prev[-1] / len(g)


def words(text: str) -> list[str]:
    """The words of ``text``, case and accents folded."""
    return list(_words(text))


@lru_cache(maxsize=20_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", fold(text)))


class QuoteAnswerer:
    """Answers :class:`QuoteQuery` questions from the catalog's statements."""

    def __init__(self, catalog: Catalog, retriever: HybridRetriever, *,
                 terms: Callable[..., list[str]], idf: Callable[[str], float],
                 embedder: Embedder | None = None, max_statements: int = 4, max_words: int = 120):
        self.catalog = catalog
        self.retriever = retriever
        self.terms = terms
        self.idf = idf
        self.embedder = embedder
        self.max_statements = max_statements
        self.max_words = max_words
        self._keys: tuple[int, set[str]] | None = None

    # -- understanding the question --------------------------------------------
    def understand(self, question: str, asked: Question, filters: SearchFilters | None = None
                   ) -> QuoteQuery | None:
        """The statement question ``question`` asks, or None for one the passages answer.
        A speaker given with a role ("pro-democracy legislator Tanya Chan", "Ukraine's foreign
        minister Andriy Sybiga") is the person the statements know; a country, organisation
        or group ("Ukraine", "Mexico's government", "Ukrainian officials") is a ``group``,
        answered by the people quoted for it."""
        query = parse(question)
        if query is not None and query.intent != "said":
            return query
        if query is None and asked.wants == "role" and asked.subject:  # "Who is X, who ...?"
            return QuoteQuery("who_is", speaker=asked.subject)
        phrase = asked.speaker if asked.wants == "words" and asked.speaker else (query and query.speaker)
        if not phrase:
            return query
        topic = asked.topic if asked.wants == "words" else query.topic
        over_time = bool(query and query.over_time)
        person = self.known_speaker(phrase)
        if person:
            return QuoteQuery("said", speaker=person, topic=topic, over_time=over_time)
        candidates = [n for n in _not_possessive(names_in(phrase), phrase) if is_person(n)]
        if candidates:  # a person the statements do not know: say so
            return QuoteQuery("said", speaker=candidates[-1], topic=topic, over_time=over_time)
        return QuoteQuery("group", speaker=phrase, topic=topic, over_time=over_time)

    def known_speaker(self, phrase: str) -> str | None:
        """The person named in ``phrase`` whom the statements quote ("Tanya Chan" in
        "pro-democracy legislator Tanya Chan"; "Sybiga"); None for a country or organisation,
        whose words are its people's."""
        # not one named as whose the speaker is: "Tim Canova, Debbie Wasserman Schultz's challenger"
        names = _not_possessive(names_in(phrase), phrase)
        keys = self._speaker_keys()
        for name in [n for n in names if is_person(n)][::-1] + [n for n in names if len(n.split()) == 1]:
            if speaker_key(name) in keys and any(s.person for s in self.by_speaker(name, newest=5)):
                return name
        return None

    def _speaker_keys(self) -> set[str]:
        generation = self.catalog.generation()
        if self._keys is None or self._keys[0] != generation:
            self._keys = (generation, set(self.catalog.speaker_keys()))
        return self._keys[1]

    # -- finding statements ----------------------------------------------------
    def by_speaker(self, who: str, filters: SearchFilters | None = None, *,
                   article_ids: Sequence[str] | None = None, newest: int | None = None
                   ) -> list[Statement]:
        """Statements by ``who``: surname match, case and diacritics ignored; a full name
        given narrows to that person when the articles name them so. ``article_ids``
        restricts them to some articles; ``newest`` keeps that many, newest first."""
        who_fold = re.sub(r"^the\s+", "", name_words(who))
        key = speaker_key(who_fold)
        if not key:
            return []
        f = filters or SearchFilters()
        where = dict(since=date_number(f.date_from) or None, until=date_number(f.date_to) or None,
                     sources=f.sources or None, article_ids=article_ids, limit=newest)
        found = self.catalog.statements(key=key, org_word=who_fold, **where)
        if not found and len(key) >= 5:  # "Zelenskyy" for "Zelensky": one spelling apart
            close = difflib.get_close_matches(key, self.catalog.speaker_keys(), n=3, cutoff=0.85)
            for other in close:
                found += self.catalog.statements(key=other, **where)
        parts = words(who_fold)
        if len(parts) > 1:  # "Bill Clinton": not Hillary (a bare "Clinton" may be either)
            fits = [s for s in found if all(p in words(s.speaker or "") for p in parts)
                    or len(words(s.speaker or "")) == 1]
            # else a first name spelled otherwise ("Andriy" / "Andrii"), never another person
            # of the surname ("Diane Guerrero" is not "Carlos Guerrero")
            found = fits or [s for s in found if difflib.SequenceMatcher(
                None, parts[0], words(s.speaker or "")[0]).ratio() >= 0.7]
        return found

    def rank(self, statements: list[Statement], topic: str | None,
             article_rank: dict[str, int] | None = None, *, related_only: bool = True) -> list[Statement]:
        """By relevance to ``topic`` (IDF-weighted words, then meaning, then how well
        retrieval ranked the article: ``article_rank``), only those that share a word with
        it or come close in meaning unless ``related_only`` is False; without a topic,
        direct quotes first, newest first."""
        if not topic:
            return sorted(statements, key=lambda s: (s.kind != DIRECT, -date_number(s.published_at),
                                                     s.article_id, s.n))
        t_terms = list(dict.fromkeys(self.terms(topic, query=True)))
        weights = {t: self.idf(t) for t in t_terms}
        total = sum(weights.values()) or 1.0
        ranks = article_rank or {}
        bodies: dict[str, str] = {}
        scored = []
        for s in statements:
            present = set(self.terms(s.text))
            share = sum(w for t, w in weights.items() if t in present) / total
            if ranks.get(s.article_id, 99) < TOP_ARTICLES:  # or, at half weight, the words around it
                # in the best articles: '... endorsed Trump, saying he had ...', '..., he told AFP'
                if s.article_id not in bodies:
                    article = self.catalog.article(s.article_id)
                    bodies[s.article_id] = article.body if article else ""
                around = set(self.terms(_framing(bodies[s.article_id], s)))
                share = max(share, 0.5 * sum(w for t, w in weights.items() if t in around) / total)
            scored.append([share, 0.0, s])
        scored.sort(key=lambda x: -x[0])
        top = scored[:RANKED_BY_MEANING]
        if self.embedder is not None and top:
            # syndicated copies embedded once; a long quote by its opening words, which
            # carry its gist at a bounded cost (a 250-token quote costs 10x a 25-token one)
            opening = [" ".join(x[2].text.split()[:SIMILARITY_WORDS]) for x in top]
            texts = list(dict.fromkeys(opening))
            sims = np.asarray(self.embedder.embed(texts) @ self.embedder.embed_query(topic), dtype=float)
            by_text = dict(zip(texts, sims))
            for x, text in zip(top, opening):
                x[1] = float(by_text[text])
        top.sort(key=lambda x: -(0.6 * x[0] + 0.25 * max(x[1], 0.0) + 0.02 * (x[2].kind == DIRECT)
                                 + 0.15 / (1 + ranks.get(x[2].article_id, 99))))
        return [x[2] for x in top if x[0] > 0 or x[1] >= 0.35 or not related_only]

    def topic_share(self, s: Statement, topic: str) -> float:
        """IDF-weighted share of the topic's words in the statement."""
        weights = {w: self.idf(w) for w in dict.fromkeys(self.terms(topic, query=True))}
        present = set(self.terms(s.text))
        return sum(v for w, v in weights.items() if w in present) / (sum(weights.values()) or 1.0)

    # -- answering -------------------------------------------------------------
    def answer(self, query: QuoteQuery, question: str, filters: SearchFilters | None = None,
               asked: Question | None = None) -> QuoteResult | None:
        """The answer from the statements, or None to leave the question to retrieval.
        ``asked`` (the question's analysis) has the years and numbers a statement's article
        must give ("What did X say at the 2031 summit?")."""
        if query.intent == "who_said":
            return self._who_said(query, filters)
        if query.intent == "who_is":
            return self._who_is(query, filters)
        lacks = self._lacking(asked)
        if query.intent == "group":
            return self._group(query, question, filters, lacks)
        return self._said(query, question, filters, lacks)

    def _lacking(self, asked: Question | None) -> Callable[[str, str | None], list[str]]:
        """A test of an article (id, date) against the question's years and numbers: what it
        lacks of them."""
        if asked is None or not (asked.years or asked.numbers):
            return lambda article_id, published_at: []
        # the speaker's name is met by their statements, and what the question tells of who
        # they are is no constraint ("Diane Guerrero, whose parents were deported when she was 14")
        timeless = replace(asked, names=(), numbers=tuple(n for n in asked.numbers
                                                          if n not in numbers_in(asked.speaker or "")))
        cache: dict[str, list[str]] = {}

        def lacks(article_id: str, published_at: str | None) -> list[str]:
            if article_id not in cache:
                article = self.catalog.article(article_id)
                text = f"{article.title}\n{article.body}" if article else ""
                cache[article_id] = unmet(timeless, text, published_at)
            return cache[article_id]
        return lacks

    def _group(self, query: QuoteQuery, question: str, filters, lacks):
        """What a country, organisation or group said: the direct quotes, in the best of the
        articles the question retrieves, of people who speak for it: their name, role or the
        words that introduce them in the article are the group's ("Ukraine" -> Ukraine's
        foreign minister; "the RMT rail union" -> its general secretary). None when no such
        quote is found (the passages may still hold one)."""
        names, other = group_words(query.speaker or "")
        if not names:
            return None
        # "Hillary Clinton's campaign", "the Trump campaign": its spokespeople before the candidate
        phrase = query.speaker or ""
        named = names_in(phrase)
        owners = {speaker_key(n) for n in set(named) - set(_not_possessive(named, phrase))}
        ranks = self._article_ranks(question, 30, filters)
        for article_id in [a for a, r in ranks.items() if r < TOP_ARTICLES]:
            article = self.catalog.article(article_id)
            if article is None or lacks(article_id, article.published_at):
                continue
            body = article.body
            named_here = _names_group(body, names)
            fit = {}
            for s in self.catalog.statements(article_ids=[article_id]):
                # reported speech only by who the speaker is, not by the words around them
                intro = _introduction(body, s.speaker or "") if s.person and s.kind == DIRECT else ""
                # the group itself speaking, by the words asked ("China said", "the ministry said"),
                # then its people, then other voices ("a report from the government"); people
                # by their own words before what they are reported to have said
                voice = _voice_of(s, phrase)
                score = _speaks_for(s, names, other, intro, named_here, voice)
                if voice:
                    score = 2.0 if score else 0.0
                else:
                    score *= (1.0 if s.person else 0.5) * (0.5 if speaker_key(s.speaker or "") in owners else 1.0) \
                        * (0.9 if s.person and s.kind != DIRECT else 1.0)
                if score:
                    fit[s.n] = (score, s)
            if fit:
                # the best-fitting speakers (the foreign minister, if asked), by any of their
                # statements ('"...," said Chris Weston, chief market strategist at IG', then
                # '"...," he said'); their own words when they have any
                fits: dict[str | None, float] = {}
                for score, s in fit.values():
                    fits[s.speaker] = max(fits.get(s.speaker, 0.0), score)
                best = max(fits.values())
                found = [s for _, s in fit.values() if fits[s.speaker] == best]
                found = [s for s in found if s.kind == DIRECT] or found
                # on the topic when any is (what Ukrainian officials said about Trump), else all
                ranked = self.rank(found, query.topic, ranks) or self.rank(found, None)
                return self._compose(self._budget(ranked, ordered=True), "")
        return None

    def _said(self, query: QuoteQuery, question: str, filters, lacks):
        who = query.speaker or ""
        # the newest statements, and (with a topic) all in the articles retrieval finds for
        # the question: bounded however often the speaker is quoted
        found = self.by_speaker(who, filters, newest=MAX_CANDIDATES)
        if not found:
            return QuoteResult(NOT_QUOTED.format(who=who), [], False, [])
        lacking = lacks(found[0].article_id, found[0].published_at)
        found = [s for s in found if not lacks(s.article_id, s.published_at)]
        if not found:
            return QuoteResult(f"The articles don't quote {who} on this: no article quoting {who} "
                               f"mentions {' or '.join(lacking)}.", [], False, [])
        ranks = None
        if query.topic:  # the same quote often runs in several articles: prefer the best match
            ranks = self._article_ranks(question, 50, filters)
            seen = {(s.article_id, s.n) for s in found}
            found += [s for s in self.by_speaker(who, filters, article_ids=list(ranks))
                      if (s.article_id, s.n) not in seen and not lacks(s.article_id, s.published_at)]
            # a statement that has the topic's words answers ("What did X say about the
            # merger?"); else the article the question finds, when it quotes them: what they
            # said there, closest in meaning first (the words of "after the match" or "when
            # he quit" are rarely in the quote itself)
            ranked = self.rank(found, query.topic, ranks)
            near = [s for s in found if ranks.get(s.article_id, 99) < TOP_ARTICLES]
            if near and not (ranked and self.topic_share(ranked[0], query.topic) >= TOPIC_WORDS):
                first = min(ranks[s.article_id] for s in near)
                local = [s for s in near if ranks[s.article_id] == first]
                ranked = self.rank(local, query.topic, ranks, related_only=False)
                ranked += [s for s in local if s not in ranked]
                return self._compose(self._budget(ranked, ordered=True), "")
        else:
            ranked = self.rank(found, None)
        if query.topic and not ranked:
            return QuoteResult(f"No statement by {who} about {query.topic} was found in the articles.",
                               [], False, [])
        chosen = self._budget(ranked)
        if query.over_time:
            chosen.sort(key=lambda s: (date_number(s.published_at), s.article_id, s.start))
        return self._compose(chosen, "", dated=query.over_time)

    def _article_ranks(self, question: str, k: int, filters) -> dict[str, int]:
        """Each article of the ``k`` best passages for ``question``, by the rank of its best."""
        ranks: dict[str, int] = {}
        for h in self.retriever.search(question, k, filters):
            ranks.setdefault(h.chunk.article_id, len(ranks))
        return ranks

    def _budget(self, ranked: list[Statement], *, ordered: bool = False) -> list[Statement]:
        """The best statements that fit the length budget (the first always), in reading
        order of their article when ``ordered``."""
        chosen, words = [], 0
        for s in _one_per_copy(ranked):
            n = len(s.text.split())
            if chosen and (len(chosen) >= self.max_statements or words + n > self.max_words):
                continue
            chosen.append(s)
            words += n
        return sorted(chosen, key=lambda s: s.start) if ordered else chosen

    def _who_said(self, query: QuoteQuery, filters):
        words = query.words or ""
        hits = self.retriever.search(words, 10, filters)
        ids = list(dict.fromkeys(h.chunk.article_id for h in hits))
        if not ids:
            return None
        best, best_share = None, 0.0
        wanted = Counter(_words(words))
        for s in self.catalog.statements(article_ids=ids, attributed=False):
            # the words shared, counted, bound the in-order share: skip hopeless ones cheaply
            shared = sum((wanted & Counter(_words(s.text))).values())
            if shared < max(0.6, best_share) * sum(wanted.values()) - 1e-9:
                continue
            share = in_order_share(words, s.text)
            if share > best_share + 1e-9 or (share == best_share and best and s.speaker and not best.speaker):
                best, best_share = s, share
        if best is None or best_share < 0.6:
            return None
        if best.speaker is None:
            return self._compose([best], "The articles quote these words without saying who said them: ",
                                 header=False)
        return self._compose([best], "", header=True, said_it=True)

    def _who_is(self, query: QuoteQuery, filters):
        found = [s for s in self.by_speaker(query.speaker or "", filters, newest=MAX_CANDIDATES)
                 if s.person and s.role]
        if not found:
            return None
        s = self.rank(found, None)[0]
        body = (self.catalog.article(s.article_id) or None)
        if body is None:
            return None
        # the role the article gives where it introduces them ("Hans-Peter Bartels, the
        # parliamentary commissioner for the military,") before the one beside a quote
        # ("said Mr. Bartels, a member of the Social Democratic Party")
        first = _role_after_name(s.speaker or "").search(body.body) if s.speaker else None
        role = first.group(1) if first and first.group(1) != s.role else s.role
        # cite the sentence that gives the role, near the statement
        at = first.start(1) if role != s.role else body.body.find(s.role, max(0, s.start - 600))
        if at < 0:
            at = body.body.find(role)
        anchor = replace(s, start=at, end=at + len(role)) if at >= 0 else s
        found = self._compose([anchor], "", header=False)
        roles = role if role == s.role else f"{role}; {s.role}"
        return found._replace(text=f"{s.speaker}: {roles}. {found.text}") if found else None

    # -- composing ---------------------------------------------------------------
    def _compose(self, chosen: Sequence[Statement], notice: str, *, header: bool = True,
                 said_it: bool = False, dated: bool = False) -> QuoteResult | None:
        started = time.perf_counter()
        # each statement's sentences in its passage; consecutive ones of one paragraph merge
        entries: list[list] = []   # [statement, chunk, start, end]
        for s in chosen:
            chunk, qs, qe = self.passage_of(s)
            if chunk is None:
                continue
            prev = entries[-1] if entries else None
            gap = chunk.text[prev[3] - chunk.start:max(prev[3], qs) - chunk.start] if prev else ""
            if prev and prev[1].id == chunk.id and prev[2] <= qs and not gap.strip() and "\n" not in gap:
                prev[3] = max(prev[3], qe)
                continue
            if any(e[1].id == chunk.id and e[2] <= qs and qe <= e[3] for e in entries):
                continue  # already quoted
            entries.append([s, chunk, qs, qe])
        if not entries:
            return None
        speakers = {e[0].speaker for e in entries}
        citations, hits, lines = [], [], []
        for n, (s, chunk, qs, qe) in enumerate(entries, 1):
            citations.append(Citation(
                n=n, article_id=chunk.article_id, title=chunk.title, source=chunk.source,
                published_at=chunk.published_at, url=chunk.url, passage=chunk.text,
                passage_start=chunk.start, passage_end=chunk.end,
                quote=chunk.text[qs - chunk.start:qe - chunk.start], quote_start=qs, quote_end=qe))
            hits.append(Hit(chunk=chunk, score=1.0))
            prefix = f"{s.published_at}: " if dated and s.published_at else ""
            if header and len(speakers) > 1:
                prefix += f"{_who(s)}: "
            lines.append(f"{prefix}{without_markers(citations[-1].quote)} [{n}]")
        head = ""
        if header and len(speakers) == 1:
            head = f"{_who(entries[0][0])} said{' it' if said_it else ''}:\n"
        return QuoteResult(notice + head + "\n".join(lines), citations, True, hits,
                           time.perf_counter() - started)

    def passage_of(self, s: Statement) -> tuple[Chunk | None, int, int]:
        """The chunk holding the statement, and the span of its whole sentences there."""
        chunks = self.catalog.article_chunks(s.article_id)
        holding = [c for c in chunks if c.start <= s.start < c.end]
        if not holding:
            return None, 0, 0
        chunk = max(holding, key=lambda c: min(c.end, s.end) - s.start)
        qs, qe = s.start, min(s.end, chunk.end)
        for a, b in sentence_spans(chunk.text):
            a, b = a + chunk.start, b + chunk.start
            if a <= s.start < b:
                qs = a
            if a < qe <= b or (a < s.end <= b):
                qe = max(qe, b)
        return chunk, qs, min(qe, chunk.end)


def _framing(body: str, s: Statement) -> str:
    """The words of the statement's sentence outside it and of the sentence before: who said
    it to whom, when, and what about ("In 2016, Mrs. Schlafly endorsed Donald J. Trump for
    president, saying ...")."""
    spans = sentence_spans(body[max(0, s.start - 600):s.end + 300])
    base = max(0, s.start - 600)
    at = next((k for k, (a, b) in enumerate(spans) if a + base <= s.start < b + base), None)
    if at is None:
        return ""
    first = spans[max(0, at - 1)][0] + base
    last = next((b for a, b in spans[at:] if b + base >= s.end), spans[at][1]) + base
    return f"{body[first:s.start]} {body[s.end:last]}"


def _role_after_name(name: str) -> re.Pattern:
    """A role written after the full name: "Hans-Peter Bartels, the parliamentary commissioner
    for the military,"."""
    return re.compile(rf"\b{re.escape(name)},\s+((?:the|a|an)\s+[^,.;:()\n\"“”]{{3,90}}?)(?=,|\.\s)")


def _one_per_copy(ranked: list[Statement]) -> list[Statement]:
    """The same words of the same speaker once (copies of a story repeat them), from the
    earliest article that has them, in the order the best-ranked came."""
    earliest: dict[tuple, Statement] = {}
    for s in ranked:
        key = (s.speaker, _words(s.text))
        kept = earliest.get(key)
        if kept is None or earliest_first(s.published_at) < earliest_first(kept.published_at):
            earliest[key] = s
    return list(earliest.values())  # dicts keep the order keys were first seen in


def _who(s: Statement) -> str:
    if s.role and s.person:
        return f"{s.speaker} ({s.role})"
    return s.speaker[:1].upper() + s.speaker[1:] if s.speaker else "Someone"  # "The ministry"


def _introduction(body: str, speaker: str) -> str:
    """The words around the article's first mention of a speaker ("Mexico's foreign minister,
    Marcelo Ebrard, said"), which often say whom they speak for."""
    key = speaker.split()[-1] if speaker.split() else ""
    at = body.find(key) if key else -1
    line_start, line_end = body.rfind("\n", 0, at) + 1, body.find("\n", at)  # within its paragraph
    line_end = len(body) if line_end < 0 else line_end
    around = body[max(line_start, at - 100):min(line_end, at + len(key) + 60)] if at >= 0 else ""
    return re.sub(r"[“\"][^”\"]*[”\"]", " ", around)  # their own words say nothing of whom they speak for


def _names_group(text: str, names: set[str] | frozenset[str]) -> bool:
    """``text`` names the group: one of its names, as a word or by its first five letters."""
    words = re.findall(r"[^\W_]+", fold(text))
    have = {w[:5] if len(w) >= 5 else w for w in words} | set(words)
    spaced = f" {' '.join(words)} "
    return bool(names & have or any(f" {n} " in spaced for n in names if " " in n))


def _speaks_for(s: Statement, names: set[str], other: set[str], introduction: str = "",
                named_here: bool = False, voice: bool = False) -> float:
    """0 when the statement's speaker, role, mention and introduction have none of the group's
    names; else 1 plus the share of its other words ("foreign minister") they have. In an
    article that names the group (``named_here``), a speaker with every one of its other words
    ("The finance minister, Lou Jiwei" for "China's finance minister") counts nearly as much,
    and so does its ``voice``, an organisation named by the words asked ("the ministry")."""
    said_by = f"{s.speaker or ''} {s.role or ''} {s.mention or ''} {introduction}"
    words = re.findall(r"[^\W_]+", fold(said_by))
    have = {w[:5] if len(w) >= 5 else w for w in words} | set(words)
    share = len(other & have) / len(other) if other else 0.0
    if not _names_group(said_by, names):
        return 1.9 if named_here and share == 1.0 else 1.0 + share if named_here and voice else 0.0
    return 1.0 + share


def _voice_of(s: Statement, phrase: str) -> bool:
    """An organisation speaking as the one asked about, by its words: "the ministry said" for
    "China's foreign ministry" (not "the minister")."""
    if s.person or not s.speaker:
        return False
    words = set(re.findall(r"[^\W_]+", fold(s.speaker))) - GROUP_STOP
    return bool(words) and words <= set(re.findall(r"[^\W_]+", fold(phrase)))


_CAMP = r"(?:campaign|camp|administration|team|office|aides|allies|spokes\w+)\b"


def _not_possessive(names: list[str], phrase: str) -> list[str]:
    """``names`` without those ``phrase`` names as whose someone is: "Debbie Wasserman
    Schultz's primary challenger", "Hillary Clinton's campaign", "the Trump campaign" (its
    people speak for it)."""
    return [n for n in names if not re.search(rf"\b{re.escape(n)}(?:['’]s\b|\s+{_CAMP})", phrase, re.I)]
