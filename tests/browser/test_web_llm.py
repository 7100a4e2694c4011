"""The web chat with an LLM answering: text streams in, the checked answer replaces it,
unsupported sentences are marked, follow-ups are rewritten. The chat model is a small
in-memory one that writes slowly (the real local model is tested in
tests/assistant/test_assistant_llm_local.py); everything else is real."""

from __future__ import annotations

import re
import time
from typing import Iterator

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from playwright.sync_api import expect



class SlowWriter(BaseChatModel):
    """Answers with passage 1's first sentence, cited, then a made-up sentence citing it
    too; word by word, slowly enough to watch it stream."""

    @property
    def _llm_type(self) -> str:
        return "slow-writer"

    def _reply(self, messages) -> str:
        prompt = messages[-1].content
        passage = re.search(r'<passage n="1"[^>]*>\n(.*?)\n</passage>', prompt, re.S)
        if passage is None:  # the follow-up rewrite prompt: no passages
            return "What did Andrii Sybiga say?"
        first = re.split(r"(?<=[.!?])\s", passage.group(1).strip())[0]
        return f"{first} [1]. Moscow also fired 9,999 drones at Lviv [1]."

    def _generate(self, messages, stop=None, run_manager=None, **kw) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(self, messages, stop=None, run_manager=None, **kw) -> Iterator[ChatGenerationChunk]:
        for word in re.findall(r"\S+\s*", self._reply(messages)):
            time.sleep(0.08)
            yield ChatGenerationChunk(message=AIMessageChunk(content=word))


@pytest.fixture(scope="module")
def llm_url(web_assistant, serve_ui):
    from assistant import Assistant

    return serve_ui(Assistant.from_settings(web_assistant.settings, embedder=web_assistant.embedder,
                                            chat_model=SlowWriter()))


def test_generated_answer_streams_then_is_checked(open_page, llm_url):
    page = open_page(llm_url, viewport={"width": 1280, "height": 800})
    page.locator("#question textarea").fill("How many drones were fired?")
    page.locator("#send").click()
    chat, sources = page.locator("#chat"), page.locator("#sources")
    expect(chat).to_contain_text("▍")  # still being written
    expect(sources).to_contain_text("sources appear when it is checked")
    expect(chat).to_contain_text("⚠")  # the made-up sentence, marked once checked
    expect(chat).to_contain_text("numbers not in the cited passages")
    expect(chat).to_contain_text("not supported by the passages they cite")
    expect(chat).not_to_contain_text("▍")
    expect(sources.locator(".nd-cite")).to_have_count(1)
    expect(sources.locator("mark")).not_to_be_empty()

    page.locator("#question textarea").fill("What about Tregubov?")
    page.locator("#send").click()
    expect(chat).to_contain_text("Searched for: What did Andrii Sybiga say?")  # the model's rewrite
