"""The acceptance questions of issue 2, over the whole bundled corpus.

Real Chroma, real MiniLM, real tiktoken: the index is built once per session
(``corpus_bot`` in tests/conftest.py) and only read here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR
from index import DEFAULT_MODEL, embedding_text

pytestmark = pytest.mark.integration

SEED = "Zelensky Calls for Regime Change"
BOILERPLATE = ("Leave a Reply", "email address", "Required fields are marked")

COVERED = {
    "What did Sybiga say?": (["maximum pressure on Moscow", "generous and patient with Putin"],),
    "How many drones were fired?": (["300 drones"], ["eight cruise missiles"]),
    "What did Russia claim about Chasiv Yar?": (["captured", "liberated"],),
    "Who is Tymur Tkachenko?": (["head of Kyiv’s military administration"],),
}
UNCOVERED = ["What is the recipe for banana bread?", "Who won the 2022 FIFA World Cup final?"]


@pytest.fixture(scope="module")
def answers(corpus_bot):
    return {q: corpus_bot.ask(q) for q in [*COVERED, *UNCOVERED]}


@pytest.mark.parametrize("question", list(COVERED))
def test_acceptance_question_is_answered_from_the_seed_article(answers, question):
    answer = answers[question]
    assert answer.covered, answer.text
    for any_of in COVERED[question]:
        assert any(phrase in answer.text for phrase in any_of), (any_of, answer.text)
    assert any(c.title.startswith(SEED) for c in answer.citations), answer.citations
    # the phrases come from a cited quote, not from elsewhere
    quoted = " ".join(c.quote for c in answer.citations if c.title.startswith(SEED))
    for any_of in COVERED[question]:
        assert any(phrase in quoted for phrase in any_of)


def test_sybiga_is_quoted_whole(answers):
    text = answers["What did Sybiga say?"].text
    assert "It’s time to put maximum pressure on Moscow.”" in text
    assert "“President Trump has been very generous and patient with Putin,”" in text


@pytest.mark.parametrize("question", UNCOVERED)
def test_uncovered_question_says_so_and_cites_nothing(answers, question):
    answer = answers[question]
    assert answer.covered is False
    assert answer.citations == []
    assert re.search(r"The articles don't (?:cover|answer|give)", answer.text)
    assert not re.search(r"\[\d+\]", answer.text)


@pytest.mark.parametrize("question", list(COVERED))
def test_every_citation_is_verbatim_in_the_article_and_its_passage(corpus_bot, answers, question):
    answer = answers[question]
    # in order of first use (an answer that leads with a fact cites its sentence twice)
    markers = list(dict.fromkeys(int(m) for m in re.findall(r"\[(\d+)\]", answer.text)))
    assert markers == [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    passage_ids = {h.chunk.id for h in answer.passages}
    for c in answer.citations:
        body = corpus_bot.catalog.article(c.article_id).body
        assert body[c.quote_start:c.quote_end] == c.quote
        assert body[c.passage_start:c.passage_end] == c.passage
        offset = c.quote_start - c.passage_start
        assert 0 <= offset and c.passage[offset:offset + len(c.quote)] == c.quote
        assert f"{c.quote} [{c.n}]" in answer.text
        assert any(h.chunk.article_id == c.article_id and h.chunk.start == c.passage_start
                   for h in answer.passages), "the cited passage is one of the passages"
    assert len(passage_ids) == len(answer.passages)


def test_answers_never_quote_page_boilerplate(answers, corpus_bot):
    more = [corpus_bot.ask(q) for q in ("Leave a reply", "Will my email address be published?",
                                        "What happened in Kyiv?")]
    for answer in [*answers.values(), *more]:
        for needle in BOILERPLATE:
            assert needle.lower() not in answer.text.lower()
            for c in answer.citations:
                assert needle.lower() not in c.passage.lower()


def test_seed_article_and_its_chunks_have_no_comment_form(corpus_bot, seed_article):
    assert seed_article.body.rstrip().endswith("removal from power.")
    chunks = [c for c in corpus_bot.catalog.iter_chunks() if c.article_id == seed_article.id]
    assert len(chunks) >= 2
    for c in chunks:
        assert c.text == seed_article.body[c.start:c.end]
        for needle in BOILERPLATE:
            assert needle.lower() not in c.text.lower()


def test_status_counts_agree(corpus_index):
    bot, report = corpus_index
    status = bot.status()
    assert status["articles"] == 274
    assert status["chunks"] == status["vectors"] == status["keyword_chunks"] > 274
    # the default backend is the int8 ONNX export of the bundled MiniLM
    assert status["embedding_model"] == f"{DEFAULT_MODEL}#onnx-int8"
    assert DEFAULT_MODEL == "sentence-transformers/all-MiniLM-L6-v2"
    assert status["index_path"] == str(bot.settings.data_dir.resolve())
    assert "Wikinews" in status["sources"]
    assert (report.added, report.files, report.problems) == (274, 2, [])
    assert report.chunks_embedded == status["chunks"]


def test_reingesting_the_corpus_embeds_nothing(corpus_bot):
    before = corpus_bot.status()
    report = corpus_bot.ingest([BUNDLED_DIR])
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 0, 274, 0)
    assert report.chunks_embedded == 0
    assert "0 chunks embedded" in report.summary()
    assert corpus_bot.status() == before


def test_every_chunk_fits_the_embedding_models_window(corpus_bot):
    """MiniLM silently drops wordpieces past max_seq_length (256): no chunk may need more."""
    import json

    from transformers import AutoTokenizer

    from index.embeddings import resolve_model

    model_dir = Path(resolve_model(DEFAULT_MODEL)[1])  # checked with the model's own files
    limit = json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"]
    assert limit == corpus_bot.embedder.max_seq_length == 256
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    texts = [embedding_text(c) for c in corpus_bot.catalog.iter_chunks()]
    lengths = [len(ids) for ids in tokenizer(texts, add_special_tokens=True, verbose=False)["input_ids"]]
    assert max(lengths) <= limit, max(lengths)


def test_example_questions_start_with_the_seed_examples(corpus_bot):
    from assistant.core import SEED_EXAMPLES

    examples = corpus_bot.example_questions()
    assert examples[:4] == SEED_EXAMPLES
    assert len(examples) <= 6
