"""A GGUF model run in-process by llama-cpp-python, as a LangChain chat model.

langchain-community's ChatLlamaCpp did this, but that package is being sunset; this is
the part Newsdesk needs: chat messages in, the model's chat template applied by
llama.cpp, text out, streamed. Imported only when ``NEWSDESK_LLM`` names a GGUF model.
"""

from __future__ import annotations

import os
from typing import Any, Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LlamaCppChat(BaseChatModel):
    model_path: str
    n_ctx: int = 4096
    n_threads: int | None = None
    max_tokens: int = 400
    temperature: float = 0.0
    repeat_penalty: float = 1.1  # small models otherwise loop on one sentence
    _llama: Any = PrivateAttr(default=None)

    def model_post_init(self, context: Any) -> None:
        from llama_cpp import Llama

        # n_batch 512: prompt tokens are evaluated 512 at a time (the default 8 is ~10x slower)
        threads = self.n_threads or os.cpu_count() or 1  # llama-cpp-python's default is half the cores
        self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx, n_threads=threads,
                            n_threads_batch=threads, n_batch=512, verbose=False)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _request(self, messages: list[BaseMessage], stop: list[str] | None) -> dict:
        return dict(messages=[{"role": _ROLES.get(m.type, "user"), "content": str(m.content)}
                              for m in messages],
                    max_tokens=self.max_tokens, temperature=self.temperature,
                    repeat_penalty=self.repeat_penalty, stop=stop or [])

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        out = self._llama.create_chat_completion(**self._request(messages, stop))
        text = out["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        for part in self._llama.create_chat_completion(**self._request(messages, stop), stream=True):
            text = part["choices"][0]["delta"].get("content") or ""
            if text:
                if run_manager is not None:
                    run_manager.on_llm_new_token(text)
                yield ChatGenerationChunk(message=AIMessageChunk(content=text))
