"""The default answerer: no LLM, only verbatim sentences from the articles.

A question is first read (:mod:`assistant.question`): the kind of answer it wants, its
names and years, its other words. Then, for the best-ranked articles of the retrieved
passages:

1. **Does an article answer it?** Its names and years must occur in the article (or the
   year be the article's), and enough of the question's words (IDF-weighted) must occur in
   the article. If the best article misses a name or year, the answer says so and names what
   the articles cover instead, citing nothing.
2. **Which sentence?** Every sentence of those articles is scored by
   - focus: the question's words other than its names and years, each weighted by its IDF
     and by how rare it is in the article (the story's topic words are in every sentence;
     the words that tell this question from others about the story are not);
   - context: the question's words in the sentence, the one before it or the title;
   - kind: whether it holds the kind of answer wanted (a quantity of the thing counted, a
     date, a place, a person, a reason ...), not already given by the question;
   - similarity: MiniLM cosine to the question (for the best candidates by the above).
   A question that wants a number, date, time, place, person, organisation or role is not
   answered from a sentence that holds none: the articles do not give it.
3. **The answer** leads with the answer itself when the question wants a fact (a short span
   taken verbatim from the cited sentence, "169 seats [1]."), then the sentences quoted,
   each cited [n], in reading order. A quote that a chosen sentence opens and the next ones
   continue is kept whole.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

import numpy as np

from index import Chunk, Embedder, Hit, sentence_spans
from index.sentences import quote_open_after

from .answer import Citation
from .citations import INSTRUCTIONS, without_markers
from .lexicon import MONTHS, SYNONYM_GROUPS
from .question import Question, analyze, is_person, made_as, unmet
from .spans import (NO_CAUSE, UNNAMED, after_the_preposition, headline, key_span, kind_fit, mentions, names_the_doer,
                    spans, tells_the_deed, unit_fits)

log = logging.getLogger(__name__)

NOT_COVERED = ("The articles don't cover this question: no passage in the indexed articles "
               "answers it. Try other words, or ingest articles about it.")

_SPEECH = re.compile(r"\b(say|said|says|tell|told|quote|comment\w*|react\w*|statement|words?|"
                     r"claim\w*|respon\w*|warn\w*)\b", re.I)
_OPEN_MARKS = "“\""
STRICT = {"quantity", "date", "time", "place", "person", "org", "role"}
ARTICLES = 3          # best-ranked articles whose every sentence is a candidate
EMBEDDED = 6         # candidates compared by meaning (the best by words and kind)
RUNNER_UP = 0.7       # a sentence this close to the best one comes along
CACHED = 20_000       # sentence vectors kept (1.5 kB each)
CAUSE = 0.5           # ... and, for a "why", a sentence that gives a cause this close
NAMED = 0.85          # ... and, for a fact, one that names the thing asked about this close
CORE = 0.15           # weight of the words of the question's main clause
KIND_NOUN = {"quantity": "that number", "date": "that date", "time": "that time", "place": "that place",
             "person": "who it was", "org": "that organisation", "role": "that person's role",
             "reason": "the cause"}
KIND_WORD = {"quantity": "the number", "date": "the date", "time": "the time", "place": "the place",
             "person": "the person", "org": "the organisation", "role": "the role"}


class ArticleTexts(Protocol):
    """Whole articles, for answering from every sentence of the best-ranked ones."""

    def body(self, article_id: str) -> str | None: ...

    def article_chunks(self, article_id: str) -> list[Chunk]: ...


@dataclass(eq=False)  # compared by identity: the same sentence object, not equal fields
class _Sentence:
    hit_rank: int
    hit: Hit
    start: int  # offset in the article body
    end: int
    text: str
    prev: str = ""          # the sentence before it in its paragraph ("" for a paragraph's first)
    coverage: float = 0.0   # IDF-weighted share of the question's terms in the sentence
    context: float = 0.0    # ... in the sentence, the one before it or its article's title
    focus: float = 0.0      # ... of the terms that are not the question's names and years,
    #                         weighted by their rarity in the article
    kind: float = 0.0       # it holds the kind of answer wanted (1), or a weaker sign of it
    core: float = 0.0       # share of the words of the question's main clause it has (or words
    #                         meaning the same), each counted once: the verb weighs as much as the names
    similarity: float = 0.0  # cosine to the question
    pointed: float = 0.0    # cosine to the question without its names and years: what it asks

    def features(self) -> dict:
        return {"article": self.hit.chunk.article_id, "focus": round(self.focus, 3),
                "context": round(self.context, 3), "coverage": round(self.coverage, 3),
                "kind": self.kind, "core": round(self.core, 2), "similarity": round(self.similarity, 3),
                "pointed": round(self.pointed, 3), "score": round(self.score, 3), "text": self.text[:80]}

    @property
    def score(self) -> float:
        # Fragments (captions, datelines) rarely answer anything: short sentences lose a little.
        brevity = 0.1 if len(self.text.split()) < 6 else 0.0
        return (0.1 * self.focus + 0.2 * self.context + 0.3 * max(self.pointed, 0.0)
                + 0.2 * max(self.similarity, 0.0) + 0.3 * self.kind + CORE * self.core - brevity)


class ExtractiveAnswerer:
    def __init__(self, *, terms: Callable[..., list[str]], idf: Callable[[str], float],
                 embedder: Embedder | None = None, max_sentences: int = 4, max_words: int = 120,
                 min_coverage: float = 0.5, articles: ArticleTexts | None = None):
        self.terms = terms
        self.idf = idf
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.max_words = max_words
        self.min_coverage = min_coverage
        self.articles = articles  # whole articles; without them, only the passages' sentences
        self._alts: dict[str, list[set[str]]] | None = None
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()  # sentence -> vector, LRU
        self._lock = threading.Lock()

    def answer(self, question: str, hits: Sequence[Hit], question_vector: np.ndarray | None = None,
               asked: Question | None = None) -> tuple[str, list[Citation], bool]:
        """Return ``(text, citations, covered)``; ``question_vector`` saves re-embedding it,
        ``asked`` re-analysing it."""
        asked = asked or analyze(question)
        found = self._find(question, hits, question_vector, asked)
        if isinstance(found, str):
            return found, [], False
        best, candidates, sentences = found

        # 3. the answer: the best sentence, close runners-up, quotes kept whole
        chosen = [best]
        words = len(best.text.split())
        for s in candidates[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if s.score < RUNNER_UP * best.score and not (asked.wants == "reason" and s.kind >= 1.0
                                                         and s.score >= CAUSE * best.score):
                continue  # a reason often has more than one cause: each comes along
            n = len(s.text.split())
            if words + n > self.max_words:
                continue
            chosen.append(s)
            words += n
        if _SPEECH.search(question) or asked.wants == "words":
            chosen = self._with_quote_continuations(chosen, sentences, self.max_words - words)
        chosen += _antecedents(chosen, sentences)
        lead = key_span(best.text, asked)
        return self._compose(chosen, lead=best.text[lead[0]:lead[1]] if lead else None, lead_of=best)

    def facts(self, question: str, hits: Sequence[Hit], question_vector: np.ndarray | None = None,
              asked: Question | None = None, keep: Callable[[str, str, str], bool] | None = None
              ) -> list[tuple[str, Citation, float]]:
        """The facts a question that wants one (a number, a date, ...) finds in these passages:
        ``(the fact as written, the citation of its sentence, the sentence's score)`` for each
        sentence that holds one, scores close to the best sentence and that ``keep(sentence,
        fact, context)`` keeps (the context is the headline and the sentence before), best first."""
        asked = asked or analyze(question)
        found = self._find(question, hits, question_vector, asked)
        if isinstance(found, str):
            return []
        best, candidates, _ = found
        out = []
        for s in candidates:
            if s.score < RUNNER_UP * best.score:
                break
            lead = key_span(s.text, asked) if s.kind >= 0.7 else None
            if lead is None:
                continue
            context = f"{s.hit.chunk.title}. {s.prev}"
            # the sentence's fact, else another of its kind that is kept ("244 thousand cases,
            # linking to at least 5,900 deaths": the deaths, when deaths are asked)
            others = [x for x in spans(s.text, asked.wants, asked)
                      if x != lead and unit_fits(s.text[x[0]:x[1]], asked.unit, asked.noun)]
            for a, b in [lead] + others:
                if keep is None or keep(s.text, s.text[a:b], context):
                    _, citations, _ = self._compose([s])
                    out.append((s.text[a:b], citations[0], s.score))
                    break
        return out

    def _find(self, question: str, hits: Sequence[Hit], question_vector: np.ndarray | None,
              asked: Question) -> tuple[_Sentence, list[_Sentence], list[_Sentence]] | str:
        """The sentence an answer is built on, the candidates (best first) and every sentence
        read; or the answer when there is none (why not, or ``NOT_COVERED``)."""
        q_terms = list(dict.fromkeys(self.terms(question, query=True)))
        if not hits or not q_terms:
            return NOT_COVERED
        weights = {t: self.idf(t) for t in q_terms}
        total = sum(weights.values()) or 1.0

        # 1. the articles that answer: names and years met, enough of the words there
        ranked_articles = list(dict.fromkeys(h.chunk.article_id for h in hits))
        first_hit = {}
        for h in hits:
            first_hit.setdefault(h.chunk.article_id, h)
        kept, missing = [], None
        for aid in ranked_articles[:ARTICLES]:
            c = first_hit[aid].chunk
            body = (self.articles.body(aid) if self.articles else None) or \
                " ".join(h.chunk.text for h in hits if h.chunk.article_id == aid)
            text = f"{c.title}\n{body}"
            lacking = unmet(asked, text, c.published_at)
            if lacking:
                missing = missing if missing is not None else (first_hit[aid], lacking)
                continue
            present = set(self.terms(text)) | self._dated(c.published_at)
            if sum(w for t, w in weights.items() if self._has(t, present)) / total >= self.min_coverage:
                kept.append(aid)
        if not kept:
            if missing is not None and missing[0].chunk.article_id == ranked_articles[0]:
                return _not_answered(missing[0], missing[1])
            return NOT_COVERED

        # 2. every sentence of those articles, scored
        sentences = self._sentences(hits, kept)
        self._score(sentences, asked, weights, total)
        # (a headline inside the text, "WHY SENEGAL CLAMPS DOWN ON QURANIC SCHOOLS.", is the
        # context of the paragraph under it, and answers nothing itself)
        candidates = [s for s in sentences if s.context > 0 and len(s.text.split()) >= 3 and not headline(s.text)]
        if not candidates:
            return NOT_COVERED
        candidates.sort(key=lambda s: -s.score)
        if self.embedder is not None:
            top = candidates[:EMBEDDED]
            if question_vector is None:
                question_vector = self.embedder.embed_query(question)
            aim = _without(question, asked.names + asked.years)
            if aim == question:
                vectors, pointed = self._embed([s.text for s in top]), question_vector
            else:  # the question without its names, embedded with the sentences: one call
                *rows, pointed = self._embed([s.text for s in top] + [aim])
                vectors = np.asarray(rows)
            for s, sim, to_aim in zip(top, vectors @ question_vector, vectors @ pointed):
                s.similarity, s.pointed = float(sim), float(to_aim)
            candidates.sort(key=lambda s: -s.score)
        best = self._leading(candidates, asked, question)
        if isinstance(best, str):
            return best
        if log.isEnabledFor(logging.DEBUG):
            log.debug("best sentence for %r: %s", question, best.features())
        if not any(s.focus > 0 or s.coverage >= self.min_coverage or s.similarity >= 0.5
                   for s in candidates[:EMBEDDED]):
            return NOT_COVERED  # no sentence near the top shares the question's point
        candidates.remove(best)
        candidates.insert(0, best)
        return best, candidates, sentences

    def _leading(self, candidates: list[_Sentence], asked: Question, question: str) -> _Sentence | str:
        """The sentence the answer is built on (candidates best first), or why none is: a
        question that wants a fact takes the best sentence that holds one of its kind; a
        "why" the best that gives a cause, when one comes close."""
        best = candidates[0]
        if asked.wants in STRICT:
            kind_of = re.search(r"\b(?i:which)\s+(?:[A-Z][\w.-]*\s+)*([a-z]{3,})", question)
            if asked.wants in ("person", "org"):  # "the NBA did not release the identity of the player"
                unnamed = [s for s in candidates if UNNAMED.search(s.text) and (
                    (kind_of and mentions(s.text, kind_of.group(1)))
                    or (s.core > 0 and s.score >= CAUSE * best.score))]  # "... had not yet decided"
                if unnamed:
                    return _not_given(unnamed[0], asked)
            post = made_as(asked)  # "name as his national security adviser": given that post
            fitting = [s for s in candidates if s.kind >= 0.7
                       and (s.core > 0 or s.pointed >= 0.5 or asked.wants == "role" or asked.unit == "age"
                            or after_the_preposition(s.text, asked))
                       and (not post or any(mentions(s.text, w) for w in post))
                       and tells_the_deed(f"{s.prev} {s.text}", asked)]
            if not fitting or fitting[0].score < 0.6 * best.score:
                return _not_given(best, asked)
            # a close one that names who did it by the question's verb ("founded ... by X")
            doers = [s for s in fitting if s.score >= NAMED * fitting[0].score and names_the_doer(s.text, asked)]
            if doers:
                return doers[0]
            # a close one that names what is asked ("2,267 people") over one that does not
            named = [s for s in fitting if s.kind >= 1.0 and s.score >= NAMED * fitting[0].score]
            return named[0] if named and fitting[0].kind < 1.0 else fitting[0]
        if asked.wants == "thing" and asked.noun and " " not in asked.noun and not any(
                mentions(f"{s.prev} {s.text}", asked.noun) for s in candidates[:EMBEDDED]):
            return _not_given(best, asked)  # "What charges did she face?": none are named
        if asked.wants == "reason":
            close = [s for s in candidates if s.score >= CAUSE * best.score]
            # "the cause of her death": a sentence near the top must tell of the death
            of = re.search(r"\b(?:cause|reason|motive)s?\s+(?:of|for|behind)\s+(.+)", asked.core, re.I)
            deed = set(self.terms(of.group(1), query=True)) if of else set()
            deed -= set(self.terms(" ".join(asked.names + asked.years + tuple(MONTHS))))
            if deed and not any(any(self._has(t, set(self.terms(f"{s.prev} {s.text}"))) for t in deed)
                                for s in close):
                return _not_given(best, asked)
            unknown = [s for s in close if NO_CAUSE.search(s.text)]  # "no cause had yet been released"
            if unknown:
                return _not_given(unknown[0], asked)
            # a sentence that gives a cause over one that retells the event with a "from";
            # of the person asked about, when the question names one ("Why was Helal ...?")
            people = [n.split()[-1] for n in asked.names if is_person(n)]
            causes = sorted((s for s in close if s.kind >= 1.0),
                            key=lambda s: not any(mentions(f"{s.prev} {s.text}", p) for p in people))
            if causes and best.kind < 1.0:
                return causes[0]
        return best

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors, each sentence embedded once per process (a follow-up reads the
        same article again), the least recently used forgotten past ``CACHED`` of them."""
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, np.asarray(self.embedder.embed(missing))))
        with self._lock:
            for t in dict.fromkeys(texts):
                self._vectors[t] = known[t]
                self._vectors.move_to_end(t)
            while len(self._vectors) > CACHED:
                self._vectors.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def _score(self, sentences: list["_Sentence"], asked: Question, weights: dict[str, float],
               total: float) -> None:
        name_terms = set(self.terms(" ".join(asked.names + asked.years)))
        focus = {t: w for t, w in weights.items() if t not in name_terms}
        core = set(self.terms(asked.core, query=True)) - name_terms
        has = self._has
        per_article: dict[str, list[_Sentence]] = {}
        for s in sentences:
            per_article.setdefault(s.hit.chunk.article_id, []).append(s)
        for aid, group in per_article.items():
            title = set(self.terms(group[0].hit.chunk.title))
            present = [set(self.terms(s.text)) for s in group]
            # a focus word in many of the article's sentences is its topic, not this question's
            rare = {t: w / (1 + sum(has(t, p) for p in present) / 4) for t, w in focus.items()}
            rare_total = sum(rare.values())
            for s, have in zip(group, present):
                around = title | set(self.terms(s.prev))
                if headline(s.prev):  # a paragraph under its heading: the heading's words are its own
                    have = have | around - title
                s.coverage = sum(w for t, w in weights.items() if has(t, have)) / total
                s.context = sum(w for t, w in weights.items() if has(t, have) or t in around) / total
                s.focus = (sum(w for t, w in rare.items() if has(t, have)) / rare_total
                           if rare_total else s.coverage)
                s.core = sum(has(t, have) for t in core) / len(core) if core else 1.0
                s.kind = kind_fit(s.text, asked, s.prev)
                if asked.wants == "reason" and 0 < s.kind < 1 and s.core >= 1:
                    s.kind = 1.0  # the event asked about, "after" or "over" something: its cause

    def _dated(self, published_at: str | None) -> set[str]:
        """The terms of an article's year and month: "in April 2016" is met by its date."""
        if not published_at or not re.match(r"\d{4}-\d\d", published_at):
            return set()
        return set(self.terms(f"{published_at[:4]} {MONTHS[int(published_at[5:7]) - 1]}"))

    def _has(self, term: str, terms: set[str]) -> bool:
        """``term``, or a word of the same meaning, is among ``terms``."""
        return term in terms or any(alt <= terms for alt in self._synonyms().get(term, ()))

    def _synonyms(self) -> dict[str, list[set[str]]]:
        """Each term's other words of the same meaning (:data:`SYNONYMS`), as term sets."""
        if self._alts is None:
            alts: dict[str, list[set[str]]] = {}
            for words, phrases in SYNONYM_GROUPS:
                members: list[set[str]] = []
                for m in [set(self.terms(w)) for w in words] + [set(self.terms(p)) for p in phrases]:
                    if m and m not in members:
                        members.append(m)
                for m in members:
                    if len(m) == 1:  # a one-word member: its term finds the others
                        known = alts.setdefault(next(iter(m)), [])
                        known += [x for x in members if x != m and x not in known]
            self._alts = alts
        return self._alts

    # -- helpers ---------------------------------------------------------------
    def _sentences(self, hits: Sequence[Hit], article_ids: Sequence[str]) -> list[_Sentence]:
        """The sentences of the retrieved passages of ``article_ids`` and, with whole articles
        at hand, of all their other passages, each once."""
        out: list[_Sentence] = []
        seen: set[tuple[str, int]] = set()
        rank_of = {aid: r for r, aid in enumerate(article_ids)}
        pool = [(rank, h) for rank, h in enumerate(hits) if h.chunk.article_id in rank_of]
        if self.articles is not None:
            for aid in article_ids:
                pool += [(len(hits) + rank_of[aid], Hit(c, 0.0)) for c in self.articles.article_chunks(aid)]
        for rank, hit in pool:
            c = hit.chunk
            prev = ""
            last_end = 0
            for s, e in sentence_spans(c.text):
                if "\n" in c.text[last_end:s] and not headline(prev):
                    prev = ""  # a new paragraph (one under a heading keeps it as its context)
                last_end = e
                key = (c.article_id, c.start + s)
                if key not in seen:
                    seen.add(key)
                    out.append(_Sentence(rank, hit, c.start + s, c.start + e, c.text[s:e], prev=prev))
                prev = c.text[s:e]
        return out

    def _with_quote_continuations(self, chosen: list[_Sentence], pool: list[_Sentence],
                                  words_left: int) -> list[_Sentence]:
        """Add the sentences of the same paragraph that continue a quote a chosen one opens,
        as far as the length budget allows."""
        by_article: dict[str, list[_Sentence]] = {}
        for s in sorted(pool, key=lambda s: s.start):
            by_article.setdefault(s.hit.chunk.article_id, []).append(s)
        result = list(chosen)
        for s in chosen:
            seq = by_article[s.hit.chunk.article_id]
            is_open = quote_open_after(s.text)
            for nxt in seq[seq.index(s) + 1:seq.index(s) + 4]:
                if nxt.hit is not s.hit or "\n" in _between(s, nxt):
                    break
                if not is_open and nxt.text[:1] not in _OPEN_MARKS:
                    break
                if nxt not in result:
                    words_left -= len(nxt.text.split())
                    if words_left < 0:
                        break
                    result.append(nxt)
                is_open = quote_open_after(nxt.text, is_open)
                if not is_open:
                    break
                s = nxt
        return result

    def _compose(self, chosen: list[_Sentence], lead: str | None = None,
                 lead_of: _Sentence | None = None) -> tuple[str, list[Citation], bool]:
        article_order: dict[str, int] = {}
        for s in sorted(chosen, key=lambda s: s.hit_rank):
            article_order.setdefault(s.hit.chunk.article_id, len(article_order))
        ordered = sorted(chosen, key=lambda s: (article_order[s.hit.chunk.article_id], s.start))
        groups: list[list[_Sentence]] = []
        for s in ordered:
            last = groups[-1][-1] if groups else None
            if last is not None and last.hit is s.hit and _adjacent(last, s):
                groups[-1].append(s)
            else:
                groups.append([s])
        if lead:  # the answer first: the fact, then the sentence it comes from, then the rest
            groups.sort(key=lambda g: lead_of not in g)
        citations: list[Citation] = []
        parts: list[str] = []
        for n, group in enumerate(groups, 1):
            c = group[0].hit.chunk
            qs, qe = group[0].start, group[-1].end
            quote = c.text[qs - c.start:qe - c.start]
            citations.append(Citation(
                n=n, article_id=c.article_id, title=c.title, source=c.source,
                published_at=c.published_at, url=c.url, passage=c.text, passage_start=c.start,
                passage_end=c.end, quote=quote, quote_start=qs, quote_end=qe))
            parts.append(f"{without_markers(quote)} [{n}]")
            if lead and lead_of in group:
                parts[-1] = f"{without_markers(lead)} [{n}]. {parts[-1]}"
        return " ".join(parts), citations, True


_BACK_REFERENCE = re.compile(r"^\W*(?:for (?:this|that|these|those) reasons?|because of (?:this|that)|as a result|"
                             r"that is why|this is why|that's why|therefore|consequently|thus|hence)\b", re.I)


def _antecedents(chosen: list[_Sentence], pool: list[_Sentence]) -> list[_Sentence]:
    """The sentences a chosen one refers back to ("For this reason, he was not granted bail"
    needs the reason before it), when they are not chosen already."""
    out = []
    for s in chosen:
        if not _BACK_REFERENCE.search(s.text) or not s.prev:
            continue
        before = [p for p in pool if p.hit.chunk.article_id == s.hit.chunk.article_id and p.text == s.prev
                  and p.end <= s.start]
        if before and before[-1] not in chosen and before[-1] not in out:
            out.append(before[-1])
    return out


def _between(a: _Sentence, b: _Sentence) -> str:
    """The text between two sentences of the same passage."""
    base = a.hit.chunk.start
    return a.hit.chunk.text[a.end - base:b.start - base]


def _adjacent(a: _Sentence, b: _Sentence) -> bool:
    """Consecutive sentences of one paragraph: quoted together under one citation."""
    between = _between(a, b)
    return b.start >= a.end and not between.strip() and "\n" not in between


def _not_answered(hit: Hit, missing: list[str]) -> str:
    """Why the articles do not answer, and what the closest one covers instead (no markers)."""
    return (f"The articles don't answer this: none of them mentions {_join(missing)}. The closest "
            f"is {article_name(hit.chunk)}.")


def article_name(c: Chunk) -> str:
    """An article as a refusal names it: “Title” (source, date), without citation markers;
    "an article" when the title addresses the assistant (it is not repeated)."""
    meta = ", ".join(x for x in (c.source, c.published_at) if x)
    if INSTRUCTIONS.search(c.title):
        return f"an article{f' ({meta})' if meta else ''}"
    return f"“{without_markers(c.title)}”{f' ({meta})' if meta else ''}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _not_given(s: _Sentence, asked: Question) -> str:
    """The closest article covers the story but does not give what was asked (no markers)."""
    return (f"The articles don't give {KIND_NOUN.get(asked.wants, 'that')}: the closest, "
            f"{article_name(s.hit.chunk)}, covers the story but does not say.")


def _without(text: str, words: Sequence[str]) -> str:
    """``text`` with the given names and years taken out: what the question asks of them."""
    for w in sorted(words, key=len, reverse=True):
        text = re.sub(rf"(?:['’]s)?\b{re.escape(w)}\b(?:['’]s)?", " ", text)
    return " ".join(text.split())
