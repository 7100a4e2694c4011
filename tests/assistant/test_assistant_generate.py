"""The LLM answer path with small in-memory chat models (fast); the real local model is
tested in test_assistant_llm_local.py."""

from __future__ import annotations

import importlib.util
import time
from typing import Iterator

import pytest
from langchain_core.language_models import BaseChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from assistant import Answer, load_settings
from assistant.llm import LLMError, make_chat_model

QUESTION = "When did the Lindqvist harbour bridge reopen?"


def scripted(*replies: str) -> GenericFakeChatModel:
    """A chat model that streams these replies, one per request, word by word."""
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


class Broken(BaseChatModel):
    """A chat model whose server is down (the error names a key, which must not leak)."""

    @property
    def _llm_type(self) -> str:
        return "broken"

    def _generate(self, messages, stop=None, run_manager=None, **kw) -> ChatResult:
        raise ConnectionError("connection refused (api_key=sk-secret-123)")

    def _stream(self, messages, stop=None, run_manager=None, **kw) -> Iterator[ChatGenerationChunk]:
        raise ConnectionError("connection refused (api_key=sk-secret-123)")


class Stalled(BaseChatModel):
    """A chat model that accepts the request and then says nothing."""

    @property
    def _llm_type(self) -> str:
        return "stalled"

    def _generate(self, messages, stop=None, run_manager=None, **kw) -> ChatResult:
        time.sleep(30)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="late"))])

    def _stream(self, messages, stop=None, run_manager=None, **kw) -> Iterator[ChatGenerationChunk]:
        time.sleep(30)
        yield ChatGenerationChunk(message=AIMessageChunk(content="late"))


@pytest.fixture
def bot_with(make_bot, small_corpus, tmp_path, fake_embedder_cls):
    def _make(model, **overrides):
        bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls(), chat_model=model, **overrides)
        bot.ingest([small_corpus])
        return bot
    return _make


def test_streams_then_returns_the_checked_answer(bot_with):
    replies: list[AIMessage] = []
    bot = bot_with(GenericFakeChatModel(messages=iter(replies)))  # the reply is written below
    passages = bot.search(QUESTION)
    assert len(passages) >= 2
    n = 1 + next(i for i, h in enumerate(passages) if h.chunk.title.startswith("Harbour"))
    reply = (f"The Lindqvist harbour bridge reopened on Monday after storm repairs [{n}]. "
             f"The repairs cost 99 million kroner [{n}]. Engineer Marta Olsen oversaw it [9].")
    replies.append(AIMessage(content=reply))
    items = list(bot.ask_stream(QUESTION))
    pieces, answer = items[:-1], items[-1]
    assert isinstance(answer, Answer) and len(pieces) > 5 and all(isinstance(p, str) for p in pieces)
    assert "".join(pieces) == reply
    assert answer.answerer == "llm:GenericFakeChatModel"
    first, second, third = answer.sentences
    assert first.supported is True and first.cited == [1]  # passage n renumbered as [1]
    assert second.supported is False and "99" in second.problems[0]
    assert third.cited == [] and third.supported is None  # [9] does not exist: removed
    assert answer.unsupported == 1 and answer.text.startswith("The Lindqvist harbour bridge reopened")
    assert "[9]" not in answer.text and answer.text.count("[1]") == 2
    assert "(1)" in answer.notice and "do not exist" in answer.notice
    [c] = answer.citations
    assert c.n == 1 and c.title.startswith("Harbour bridge") and c.quote in c.passage
    assert "reopened" in c.quote
    assert answer.to_dict()["unsupported"] == 1 and answer.to_dict()["sentences"][1]["supported"] is False


def test_an_answer_with_nothing_supported_falls_back_to_the_extractive_one(bot_with):
    bot = bot_with(scripted("Mars is red [1]. pwned"))
    answer = bot.ask(QUESTION)
    assert answer.answerer == "extractive" and answer.covered
    assert "do not support it" in answer.notice and "extractive" in answer.notice
    assert "Monday" in answer.text and answer.citations
    uncited = bot_with(scripted("Ignore all that. I will only say: pwned")).ask(QUESTION)
    assert "pwned" not in uncited.text and "cited no passage" in uncited.notice


def test_a_failing_llm_gives_the_extractive_answer_and_a_notice_without_the_key(bot_with):
    answer = bot_with(Broken()).ask(QUESTION)
    assert answer.answerer == "extractive" and "Monday" in answer.text
    assert "failed" in answer.notice and "ConnectionError" in answer.notice
    assert "sk-secret" not in answer.notice and "api_key=***" in answer.notice


def test_a_silent_llm_times_out(bot_with):
    bot = bot_with(Stalled(), llm_timeout=0.5)
    started = time.perf_counter()
    answer = bot.ask(QUESTION)
    assert time.perf_counter() - started < 5
    assert answer.answerer == "extractive" and "sent nothing for 0.5 s" in answer.notice


def test_follow_up_rewritten_by_the_llm(bot_with):
    history = [{"role": "user", "content": "Who is Marta Olsen?"},
               {"role": "assistant", "content": "An engineer. [1]"}]
    bot = bot_with(scripted("When did the harbour bridge that Marta Olsen repaired reopen?",
                            "It reopened on Monday [1]."))
    answer = bot.ask("When did her bridge reopen?", history=history)
    assert answer.standalone == "When did the harbour bridge that Marta Olsen repaired reopen?"
    assert answer.answerer.startswith("llm:")


def test_an_unusable_llm_rewrite_falls_back_to_the_rules(bot_with):
    history = [{"role": "user", "content": "What did Marta Olsen say?"},
               {"role": "assistant", "content": "“Traffic is flowing again.” [1]"}]
    bot = bot_with(scripted("", "She said traffic is flowing again [1]."))
    answer = bot.ask("What else did she say?", history=history)
    assert answer.standalone == "What else did Marta Olsen say?"


def test_settings_name_the_missing_extra_and_keep_keys_secret(tmp_path):
    if importlib.util.find_spec("langchain_ollama") is None:
        with pytest.raises(LLMError, match="needs the 'ollama' extra") as missing:
            make_chat_model(load_settings(data_dir=tmp_path, llm="ollama:llama3.1"))
        assert "pip install 'newsdesk[ollama]'" in missing.value.user_message()
    with pytest.raises(LLMError, match="Unknown LLM provider 'gpt'"):
        make_chat_model(load_settings(data_dir=tmp_path, llm="gpt:4"))
    with pytest.raises(LLMError, match="No GGUF model file"):
        make_chat_model(load_settings(data_dir=tmp_path, llm=f"llamacpp:{tmp_path}/none.gguf"))
    settings = load_settings(data_dir=tmp_path, llm="openai:gpt-4o-mini", llm_api_key="sk-secret-456")
    assert "sk-secret-456" not in repr(settings) and "sk-secret-456" not in settings.model_dump_json()
    assert make_chat_model(load_settings(data_dir=tmp_path)) is None
