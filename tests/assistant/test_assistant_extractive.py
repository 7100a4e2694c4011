"""assistant.extractive: the offline answerer, with hand-built hits (no model, no index)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from assistant.extractive import NOT_COVERED, ExtractiveAnswerer
from index import KeywordIndex, sentence_spans
from index.types import Chunk, Hit

BODIES = {
    "kyiv": (
        "Ukrainian officials met in Kyiv on Thursday after the overnight attack.\n\n"
        "“Seven lives of Kyiv residents were taken by the Russians in their night attack,” said "
        "Tymur Tkachenko, head of Kyiv’s military administration. “Among them was a child who died "
        "in an ambulance.”\n\n"
        "The Ukrainian air force reported that over 300 drones and eight cruise missiles were fired "
        "across the country.\n\n"
        "“President Trump has been very generous and patient with Putin,” said Ukraine’s foreign "
        "minister Andriy Sybiga. “It’s time to make him feel the pain and consequences of his "
        "choices. It’s time to put maximum pressure on Moscow.”\n\n"
        "The Kremlin has not commented on the latest strikes."
    ),
    "harbour": (
        "The Lindqvist harbour bridge reopened on Monday after three weeks of repairs.\n\n"
        "“Traffic is flowing again,” said engineer Marta Olsen. “We replaced forty cables.”\n\n"
        "The city council said the repairs cost 12 million kroner. Sybiga was not mentioned."
    ),
    "league": (
        "The Norvik league suspended its season on Wednesday after a Norvik Rovers player tested positive.\n\n"
        "The league did not release the identity of the player.\n\n"
        "Rovers coach Tom Hansen said the player who tested positive was isolating at home.\n\n"
        "Club chairman Erik Berg was named the league's new treasurer on Friday."
    ),
    "engineer": (
        "Chief engineer Marta Olsen opened the Lindqvist bridge in Oslo on Monday.\n\n"
        "Olsen, from Bergen, joined the city's engineering office in 2001."
    ),
    "primary": (
        "Voters in Norvik went to the polls on Tuesday in the party's primary.\n\n"
        "The vote came after Judge Anna Lund ordered that postal ballots be counted until Friday, "
        "so no result of the primary is known yet."
    ),
    "blaze": (
        "A fire in a Norvik apartment block killed three people on Saturday.\n\n"
        "As of Sunday, no cause had yet been released for the fire by the authorities."
    ),
    "bail": (
        "The driver of the truck was charged with seven counts of negligent homicide on Monday.\n\n"
        "The court found that his driving record made him a danger to the public. "
        "For this reason, he was not granted bail."
    ),
    "pardon": (
        "On Tuesday the president granted Marta Olsen a full and unconditional pardon.\n\n"
        "Olsen, formerly the chief executive of Norfish, pleaded guilty to fraud in 2014."
    ),
    "endorse": (
        "Senator Marta Olsen ended her presidential campaign on Wednesday after weak polls.\n\n"
        "Olsen said she intends to endorse one of her former rivals, Jan Berg or Erik Lund, but had not yet "
        "decided on a candidate."
    ),
    "ferry": (
        "The city of Norvik suspended its ferry service on Tuesday from the main harbour to the islands.\n\n"
        "The decision followed a collision between two ferries in thick fog last week.\n\n"
        "The ferries carry 4,000 passengers a day from the harbour."
    ),
}


def hit(article_id: str, start: int = 0, end: int | None = None, n: int = 0, rank: int = 0) -> Hit:
    body = BODIES[article_id]
    end = len(body) if end is None else end
    chunk = Chunk(id=f"{article_id}:{n}", article_id=article_id, n=n, text=body[start:end],
                  start=start, end=end, title=f"Title of {article_id}", source="Test Wire",
                  published_at="2025-07-31", url=f"https://example.org/{article_id}")
    return Hit(chunk, score=1.0 / (1 + rank), keyword_rank=rank + 1)


def paragraph_hits(article_id: str) -> list[Hit]:
    """One hit per paragraph, so passages start at non-zero offsets."""
    body = BODIES[article_id]
    hits, start = [], 0
    for n, para in enumerate(body.split("\n\n")):
        s = body.index(para, start)
        hits.append(hit(article_id, s, s + len(para), n=n, rank=n))
        start = s + len(para)
    return hits


@pytest.fixture(scope="module")
def keyword(tmp_path_factory):
    # a KeywordIndex that was never built: terms() works, idf() is flat
    return KeywordIndex(tmp_path_factory.mktemp("kw") / "bm25")


@pytest.fixture
def answerer(keyword):
    return ExtractiveAnswerer(terms=keyword.terms, idf=keyword.idf, embedder=None)


def check_citations(text, citations):
    """Verbatim quotes at their spans, inside their passages; markers [1]..[N] in order."""
    for i, c in enumerate(citations, 1):
        body = BODIES[c.article_id]
        assert c.n == i
        assert c.quote == body[c.quote_start:c.quote_end]
        assert c.passage == body[c.passage_start:c.passage_end]
        assert c.passage_start <= c.quote_start < c.quote_end <= c.passage_end
        offset = c.quote_start - c.passage_start
        assert c.passage[offset:offset + len(c.quote)] == c.quote
        assert f"{c.quote} [{c.n}]" in text
    markers = list(dict.fromkeys(int(m) for m in re.findall(r"\[(\d+)\]", text)))
    assert markers == list(range(1, len(citations) + 1))


QUESTIONS = [
    "What did Sybiga say?",
    "How many drones were fired?",
    "Who is Tymur Tkachenko?",
    "What did Marta Olsen say about the cables?",
    "How much did the harbour repairs cost?",
]


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("layout", ["whole", "paragraphs"])
def test_quotes_are_verbatim_and_markers_match_citations(answerer, question, layout):
    if layout == "whole":
        hits = [hit("kyiv"), hit("harbour", rank=1)]
    else:
        hits = paragraph_hits("kyiv") + paragraph_hits("harbour")
    text, citations, covered = answerer.answer(question, hits)
    assert covered and citations
    check_citations(text, citations)


def test_answers_the_question_from_the_right_sentence(answerer):
    text, citations, _ = answerer.answer("How many drones were fired?", [hit("harbour"), hit("kyiv")])
    assert "300 drones and eight cruise missiles" in text
    assert citations[0].article_id == "kyiv"
    text, _, _ = answerer.answer("Who is Tymur Tkachenko?", paragraph_hits("kyiv"))
    assert "head of Kyiv’s military administration" in text


def test_a_quote_continued_in_the_next_sentences_is_kept_whole(answerer):
    text, citations, _ = answerer.answer("What did Sybiga say?", paragraph_hits("kyiv"))
    whole = ("“President Trump has been very generous and patient with Putin,” said Ukraine’s "
             "foreign minister Andriy Sybiga. “It’s time to make him feel the pain and consequences "
             "of his choices. It’s time to put maximum pressure on Moscow.”")
    assert whole in text
    assert any(c.quote == whole for c in citations)
    check_citations(text, citations)


def test_a_speech_quote_is_continued_through_the_next_sentences(keyword):
    BODIES["short"] = ("Opening remark here.\n\n“Alpha team is near,” said Xavier. “Bravo team "
                       "moves now. Charlie team follows next.”\n\nXavier left.")
    try:
        answerer = ExtractiveAnswerer(terms=keyword.terms, idf=keyword.idf)
        text, citations, _ = answerer.answer("What did Xavier say?", [hit("short")])
        assert ("“Alpha team is near,” said Xavier. “Bravo team moves now. Charlie team follows "
                "next.”") in text
        check_citations(text, citations)
    finally:
        del BODIES["short"]


def test_a_quote_continued_by_a_short_sentence_is_kept_whole(keyword):
    BODIES["short"] = ("Opening remark here.\n\n“We will rebuild,” said Olsen. “Soon. The bridge "
                       "will be stronger than before.”")
    try:
        answerer = ExtractiveAnswerer(terms=keyword.terms, idf=keyword.idf)
        text, citations, _ = answerer.answer("What did Olsen say?", [hit("short")])
        check_citations(text, citations)
        assert "“We will rebuild,” said Olsen. “Soon. The bridge will be stronger than before.”" in text
    finally:
        del BODIES["short"]


def test_quote_continuation_stops_at_the_paragraph_end(answerer):
    text, _, _ = answerer.answer("What did Tkachenko say?", [hit("kyiv")])
    assert "“Among them was a child who died in an ambulance.”" in text
    assert "300 drones" not in text


@pytest.mark.parametrize("question", [
    "What is the recipe for banana bread?",
    "Who won the 2022 FIFA World Cup final?",
    "What is it?",  # nothing but stopwords
])
def test_not_covered_when_no_term_matches(answerer, question):
    text, citations, covered = answerer.answer(question, [hit("kyiv"), hit("harbour", rank=1)])
    assert covered is False
    assert citations == []
    assert re.search(r"don't (?:cover|answer|give)", text)
    assert not re.search(r"\[\d+\]", text)


def test_not_covered_without_passages(answerer):
    assert answerer.answer("What did Sybiga say?", []) == (NOT_COVERED, [], False)


def test_partial_coverage_below_the_threshold_is_not_covered(keyword):
    answerer = ExtractiveAnswerer(terms=keyword.terms, idf=keyword.idf, min_coverage=0.8)
    # only "Kyiv" of {kyiv, banana, bread, recipe} occurs
    _, citations, covered = answerer.answer("Kyiv banana bread recipe", [hit("kyiv")])
    assert covered is False and citations == []


def test_idf_weighting_decides_coverage(keyword):
    rare = {"sybiga": 5.0}
    answerer = ExtractiveAnswerer(terms=keyword.terms, idf=lambda t: rare.get(t, 0.1))
    _, citations, covered = answerer.answer("Sybiga banana bread recipe", [hit("kyiv")])
    assert covered and "Sybiga" in citations[0].quote


@pytest.mark.parametrize("max_words, max_sentences", [(20, 4), (40, 2), (120, 1), (60, 3)])
def test_length_budget_is_respected(keyword, max_words, max_sentences):
    answerer = ExtractiveAnswerer(terms=keyword.terms, idf=keyword.idf, max_words=max_words,
                                  max_sentences=max_sentences, min_coverage=0.1)
    # a non-speech question: no quote continuation
    hits = paragraph_hits("kyiv") + paragraph_hits("harbour")
    text, citations, _ = answerer.answer("Kyiv Ukrainian attack repairs bridge council", hits)
    check_citations(text, citations)
    sentences = sum(len(sentence_spans(c.quote)) for c in citations)
    assert 1 <= sentences <= max_sentences
    words = sum(len(c.quote.split()) for c in citations)
    # the best sentence is always given, even when it alone is over the budget
    assert words <= max_words or sentences == 1


def test_quote_continuations_respect_the_length_budget(keyword):
    BODIES["long"] = (
        "Intro line.\n\n“The plan is ready,” said Petrenko on Monday. “It has taken the whole team "
        "many long months of very careful work to prepare every single detail. We are proud of "
        "every single person who helped us along the way to this day. Nobody thought it could be "
        "done in time.”")
    try:
        answerer = ExtractiveAnswerer(terms=keyword.terms, idf=keyword.idf, max_words=30,
                                      max_sentences=2)
        text, citations, _ = answerer.answer("What did Petrenko say?", [hit("long")])
        check_citations(text, citations)
        assert sum(len(c.quote.split()) for c in citations) <= 30
    finally:
        del BODIES["long"]


def test_reading_order_articles_by_rank_sentences_in_text_order(keyword):
    answerer = ExtractiveAnswerer(terms=keyword.terms, idf=keyword.idf, min_coverage=0.1,
                                  max_sentences=6, max_words=400)
    hits = [hit("harbour", rank=0), hit("kyiv", rank=1)]
    text, citations, _ = answerer.answer("Kyiv harbour repairs attack Sybiga", hits)
    ids = [c.article_id for c in citations]
    assert ids == sorted(ids, key=lambda a: ["harbour", "kyiv"].index(a))
    for a, b in zip(citations, citations[1:]):
        if a.article_id == b.article_id:
            assert a.quote_end <= b.quote_start


def test_overlapping_passages_of_one_article_do_not_repeat_a_sentence(answerer):
    body = BODIES["kyiv"]
    mid = body.index("The Ukrainian air force")
    hits = [hit("kyiv", 0, len(body), n=0), hit("kyiv", mid, len(body), n=1, rank=1)]
    text, citations, _ = answerer.answer("How many drones and cruise missiles were fired?", hits)
    assert text.count("The Ukrainian air force reported") == 1
    check_citations(text, citations)


class CountingEmbedder:
    """Says the sentence mentioning 'kroner' is the answer; counts query embeddings."""

    model_id = "counting"
    dimension = 2

    def __init__(self):
        self.queries = 0

    def embed(self, texts):
        return np.array([[1.0, 0.0] if "kroner" in t else [0.0, 1.0] for t in texts])

    def embed_query(self, text):
        self.queries += 1
        return np.array([1.0, 0.0])


def test_similarity_breaks_coverage_ties_and_a_given_question_vector_is_reused(keyword):
    # two sentences contain "repairs"; without an embedder the first one wins
    plain = ExtractiveAnswerer(terms=keyword.terms, idf=keyword.idf, max_sentences=1)
    text, _, _ = plain.answer("repairs", [hit("harbour")])
    assert "three weeks of repairs" in text and "kroner" not in text

    embedder = CountingEmbedder()
    answerer = ExtractiveAnswerer(terms=keyword.terms, idf=keyword.idf, embedder=embedder,
                                  max_sentences=1)
    text, citations, _ = answerer.answer("repairs", [hit("harbour")],
                                         question_vector=np.array([1.0, 0.0]))
    assert embedder.queries == 0
    assert "12 million kroner" in text and "three weeks" not in text
    check_citations(text, citations)
    answerer.answer("repairs", [hit("harbour")])
    assert embedder.queries == 1


@pytest.mark.parametrize("question, lead", [
    ("How much did the harbour repairs cost?", "12 million kroner [1]. The city council said"),
    ("How many drones were fired?", "over 300 drones [1]. The Ukrainian air force reported"),
])
def test_a_fact_question_starts_with_the_fact_then_its_sentence(answerer, question, lead):
    hits = paragraph_hits("harbour") + paragraph_hits("kyiv")
    text, citations, covered = answerer.answer(question, hits)
    assert covered and text.startswith(lead)
    check_citations(text, citations)


def test_a_question_wanting_a_fact_is_not_answered_from_sentences_without_one(answerer):
    text, citations, covered = answerer.answer("How many cables did the council buy for the harbour?",
                                               [hit("harbour")])
    # "forty cables" are replaced, not bought ... but a count of cables is there: answered
    assert covered and "forty cables" in text
    # the article names an engineer, but not who designed the bridge
    text, citations, covered = answerer.answer("Who designed the Lindqvist bridge?", [hit("harbour")])
    assert not covered and citations == [] and "don't give who it was" in text
    assert not re.search(r"\[\d+\]", text)


def test_a_why_question_is_answered_by_the_cause_not_by_the_event_retold(answerer):
    # the first sentence retells the event (with a "from" in it); the second gives its cause
    text, citations, covered = answerer.answer("Why did Norvik suspend its ferry service?",
                                               paragraph_hits("ferry"))
    assert covered and "The decision followed a collision" in text
    check_citations(text, citations)


@pytest.mark.parametrize("question, article, says", [
    # the article says it does not name them, or has not decided yet
    ("Which Norvik Rovers player tested positive?", "league", "don't give who it was"),
    ("Which of her former rivals did Marta Olsen endorse?", "endorse", "don't give who it was"),
    # Erik Berg was named treasurer, not coach
    ("Whom did the league name as its new coach?", "league", "don't give who it was"),
    # the judge ordered something about the primary; she did not win it
    ("Who won the party's primary in Norvik?", "primary", "don't give who it was"),
    # "no cause had yet been released"
    ("What caused the fire in the Norvik apartment block?", "blaze", "don't give the cause"),
    # the article tells of no death at all, let alone its cause
    ("What was the cause of Marta Olsen's death?", "engineer", "don't give the cause"),
    # no charges are named: what she did is not what she was charged with
    ("What charges did Marta Olsen face after opening the Lindqvist bridge?", "engineer", "don't give that"),
])
def test_what_the_article_does_not_give_is_not_answered(answerer, question, article, says):
    text, citations, covered = answerer.answer(question, paragraph_hits(article))
    assert not covered and citations == [] and says in text


def test_who_was_given_a_post_needs_a_sentence_that_names_the_post(answerer):
    text, citations, covered = answerer.answer("Whom did the league name as its new treasurer?",
                                               paragraph_hits("league"))
    assert covered and text.startswith("Erik Berg [1]")


def test_where_someone_is_from_is_the_place_after_from(answerer):
    # no word of "originally" in the article: the "from" relation answers
    text, citations, covered = answerer.answer("Where was Marta Olsen originally from?",
                                               paragraph_hits("engineer"))
    assert covered and text.startswith("Bergen [1]")
    check_citations(text, citations)


def test_a_sentence_that_refers_back_brings_the_one_it_refers_to(answerer):
    text, citations, covered = answerer.answer("Why was the truck driver not granted bail?",
                                               paragraph_hits("bail"))
    assert covered and "his driving record made him a danger" in text and "For this reason" in text
    check_citations(text, citations)


def test_the_sentence_that_answers_need_not_be_the_one_that_matches_the_question(answerer):
    # the role is in a sentence that shares no word with the question but the surname; the
    # sentence before it is what the question is about
    text, citations, covered = answerer.answer("Who is Marta Olsen, one of the people the president pardoned?",
                                               paragraph_hits("pardon"))
    assert covered and text.startswith("formerly the chief executive of Norfish [1]")


def test_a_heading_in_a_digest_is_the_context_of_its_paragraph_not_an_answer(keyword):
    BODIES["digest"] = ("Things to know for today.\n\nWHY NORVIK CLAMPS DOWN ON HARBOUR SCHOOLS\n\n"
                        "The campaign is intended to stop teachers from sending pupils out to beg for money.\n\n"
                        "WHAT ELSE HAPPENED IN THE HARBOUR\n\nA ferry ran late on Monday.")
    try:
        answerer = ExtractiveAnswerer(terms=keyword.terms, idf=keyword.idf)
        text, citations, _ = answerer.answer("Why has Norvik been cracking down on harbour schools?", [hit("digest")])
        assert text.startswith("The campaign is intended to stop teachers") and "CLAMPS" not in text
        check_citations(text, citations)
    finally:
        del BODIES["digest"]
