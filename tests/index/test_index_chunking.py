"""index.chunking with the real cl100k_base encoding."""

from __future__ import annotations

import random

import pytest

from corpus import BUNDLED_DIR, Article, load_paths
from index import ChunkParams, chunk_article, embedding_text, get_encoding, sentence_spans
from index.chunking import MAX_TITLE_TOKENS

ENC = get_encoding("cl100k_base")


def ntok(text: str) -> int:
    return len(ENC.encode_ordinary(text))


def title_tokens(article: Article) -> int:
    """The title's share of the budget, as documented (capped at MAX_TITLE_TOKENS)."""
    return min(ntok(article.title), MAX_TITLE_TOKENS)


def article(body: str, title: str = "A short title", id: str = "art-1", **kw) -> Article:
    return Article(id=id, title=title, body=body, **kw)


def prose(n_sentences: int, seed: int = 0) -> str:
    """Paragraphs of short, varied sentences (one paragraph per line)."""
    rng = random.Random(seed)
    names = ["Olsen", "Vos", "Brandt", "the mayor", "officials", "the ministry"]
    verbs = ["said", "reported", "announced", "denied", "confirmed"]
    things = ["the repairs", "new funding", "a delay", "the talks", "record sales", "the vote"]
    sentences = [f"{rng.choice(names).capitalize()} {rng.choice(verbs)} {rng.choice(things)} "
                 f"on day {i}." for i in range(n_sentences)]
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def corpus_sample():
    articles = load_paths([BUNDLED_DIR]).articles
    seed = [a for a in articles if a.title.startswith("Zelensky")]
    return seed + articles[::9]


# -- offsets and ids ---------------------------------------------------------------

def test_chunk_text_is_the_body_slice_and_metadata_is_copied(corpus_sample):
    for art in corpus_sample:
        chunks = chunk_article(art)
        assert chunks, art.title
        for n, c in enumerate(chunks):
            assert c.text == art.body[c.start:c.end]
            assert c.id == f"{art.id}:{n}" and c.n == n and c.article_id == art.id
            assert (c.title, c.source, c.published_at, c.url, c.author) == (
                art.title, art.source, art.published_at, art.url, art.author)


def test_chunking_is_deterministic():
    art = article(prose(60))
    assert chunk_article(art) == chunk_article(art)


def test_every_sentence_is_in_some_chunk(corpus_sample):
    for art in corpus_sample:
        chunks = chunk_article(art)
        for s, e in sentence_spans(art.body):
            assert any(c.start <= s and e <= c.end for c in chunks), art.body[s:e]
        assert chunks[0].start == sentence_spans(art.body)[0][0]
        assert chunks[-1].end == sentence_spans(art.body)[-1][1]


# -- size ----------------------------------------------------------------------------

@pytest.mark.parametrize("max_tokens, overlap", [(180, 40), (64, 10), (32, 0)])
def test_chunks_fit_the_budget_title_included(max_tokens, overlap):
    params = ChunkParams(max_tokens=max_tokens, overlap_tokens=overlap)
    art = article(" ".join(prose(80).split("\n\n")), title="Harbour bridge reopens after repairs")
    chunks = chunk_article(art, params)
    assert len(chunks) > 1
    for c in chunks:
        assert title_tokens(art) + ntok(c.text) <= max_tokens, c.text


@pytest.mark.parametrize("body", [
    "\n".join(["- item one"] * 300),
    "\n \n".join(["Ok."] * 300),
    "corpus",
])
def test_chunks_spanning_line_breaks_fit_the_budget(body, corpus_sample):
    if body == "corpus":
        arts = load_paths([BUNDLED_DIR]).articles
        params = ChunkParams()
    else:
        arts = [article(body, title="Title here")]
        params = ChunkParams(max_tokens=64, overlap_tokens=10)
    for art in arts:
        for c in chunk_article(art, params):
            assert title_tokens(art) + ntok(c.text) <= params.max_tokens, c.text


def test_default_chunks_of_the_corpus_stay_near_the_budget(corpus_sample):
    # the embedding text (title + "\n" + passage) must fit MiniLM's window comfortably
    for art in corpus_sample:
        for c in chunk_article(art):
            assert ntok(embedding_text(c)) <= 200


# -- sentence alignment and overlap --------------------------------------------------

def test_chunk_boundaries_are_sentence_boundaries(corpus_sample):
    params = ChunkParams(max_tokens=96, overlap_tokens=20)
    cut = 0
    for art in corpus_sample + [article(prose(100))]:
        spans = sentence_spans(art.body)
        budget = params.max_tokens - title_tokens(art)
        too_long = [(s, e) for s, e in spans if ntok(art.body[s:e]) > budget]
        starts, ends = {s for s, _ in spans}, {e for _, e in spans}
        for c in chunk_article(art, params):
            for at, bounds in ((c.start, starts), (c.end, ends)):
                if at not in bounds:  # only an over-long sentence may be cut
                    assert any(s < at < e for s, e in too_long), c.text[:80]
                    cut += 1
    assert cut, "the sample has an over-long sentence; its cuts were checked"


def test_consecutive_chunks_overlap_by_whole_sentences_within_the_overlap():
    art = article(prose(120))
    params = ChunkParams(max_tokens=100, overlap_tokens=30)
    chunks = chunk_article(art, params)
    assert len(chunks) > 5
    starts = {s for s, _ in sentence_spans(art.body)}
    for a, b in zip(chunks, chunks[1:]):
        assert a.start < b.start < a.end < b.end, "neighbours overlap and make progress"
        assert b.start in starts
        shared = art.body[b.start:a.end]
        assert 0 < ntok(shared) <= params.overlap_tokens


def test_zero_overlap_gives_adjacent_chunks():
    art = article(prose(60))
    chunks = chunk_article(art, ChunkParams(max_tokens=64, overlap_tokens=0))
    for a, b in zip(chunks, chunks[1:]):
        assert a.end <= b.start
        assert not art.body[a.end:b.start].strip()


# -- over-long sentences ---------------------------------------------------------------

def test_a_giant_sentence_is_cut_into_pieces_that_fit():
    rng = random.Random(3)
    vocab = ["drone", "missile", "Kyiv", "council", "harbour", "report", "minister", "said",
             "the", "of", "and", "in", "on", "record", "2025", "percent", "talks", "(AP)"]
    body = " ".join(rng.choice(vocab) for _ in range(5000))  # no full stop anywhere
    art = article(body)
    params = ChunkParams()
    chunks = chunk_article(art, params)
    assert len(chunks) > 10
    assert chunks[0].start == 0 and chunks[-1].end == len(body)
    for a, b in zip(chunks, chunks[1:]):
        assert a.start < b.start, "pieces are in order"
        assert not body[a.end:b.start].strip(), "no text is lost between pieces"
    for c in chunks:
        assert c.text == body[c.start:c.end]
        assert title_tokens(art) + ntok(c.text) <= params.max_tokens


def test_a_long_sentence_among_normal_ones_is_cut_and_the_rest_stays_aligned():
    long = " ".join(["word"] * 600)
    body = f"First short sentence here. {long} Last short sentence here."
    art = article(body)
    chunks = chunk_article(art, ChunkParams(max_tokens=100, overlap_tokens=20))
    assert chunks[0].start == 0 and chunks[-1].end == len(body)
    assert chunks[-1].text.endswith("Last short sentence here.")
    for c in chunks:
        assert title_tokens(art) + ntok(c.text) <= 100


def test_a_giant_sentence_of_emoji_and_cjk_is_cut_into_pieces_that_fit():
    body = "東京都庁舎で😀🇺🇦会議" * 1500
    art = article(body)
    params = ChunkParams()
    for c in chunk_article(art, params):
        assert title_tokens(art) + ntok(c.text) <= params.max_tokens


# -- odd bodies ----------------------------------------------------------------------

@pytest.mark.parametrize("body", ["", " ", "\n\n \n", ".", "Ok", "“”"])
def test_empty_ish_bodies_do_not_fail(body):
    chunks = chunk_article(article(body))
    assert isinstance(chunks, list)
    for c in chunks:
        assert c.text == body[c.start:c.end] and c.text.strip()


def test_unicode_bodies_keep_exact_offsets():
    body = "\n\n".join([
        "“It’s time,” said Olga Petrenko 😀. “We will not wait.”",
        "東京で会議が開かれた。参加者は百人を超えた。 The délégués agreed. 👩‍👩‍👧 families came too.",
        "Flags 🇺🇦🇪🇺 flew; naïve café-goers cheered — “again!”",
    ] * 30)
    art = article(body, title="Ünïcödé “title” 😀")
    params = ChunkParams(max_tokens=64, overlap_tokens=12)
    chunks = chunk_article(art, params)
    assert len(chunks) > 5
    spans = sentence_spans(body)
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for c in chunks:
        assert c.text == body[c.start:c.end]
        assert c.start in starts and c.end in ends
        assert body.find(c.text, c.start) == c.start


def test_long_titles_take_at_most_max_title_tokens_from_the_budget():
    title = " ".join(["Extraordinarily"] * 80)
    art = article(prose(60), title=title)
    chunks = chunk_article(art, ChunkParams(max_tokens=180, overlap_tokens=40))
    for c in chunks:
        assert ntok(c.text) <= 180 - MAX_TITLE_TOKENS


def test_params_are_validated():
    with pytest.raises(ValueError):
        ChunkParams(max_tokens=16)
    with pytest.raises(ValueError):
        ChunkParams(max_tokens=100, overlap_tokens=50)
    with pytest.raises(ValueError):
        ChunkParams(overlap_tokens=-1)
    assert "cl100k_base" in ChunkParams().signature()
