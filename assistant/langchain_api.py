"""Newsdesk inside a LangChain app: the hybrid retrieval as a ``BaseRetriever`` and the
answer pipeline as a ``Runnable``.

    retriever = NewsdeskRetriever(assistant=bot, k=5)
    docs = retriever.invoke("drones fired at Kyiv")        # Documents, metadata = the chunk's
    chain = answer_chain(bot)
    answer = chain.invoke({"question": "What did Sybiga say?"})   # an Answer
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import ConfigDict

from index import Hit, SearchFilters


def to_document(hit: Hit) -> Document:
    """A retrieved passage as a LangChain Document (the chunk's fields as metadata)."""
    meta = hit.to_dict()
    text = meta.pop("text")
    return Document(page_content=text, metadata=meta, id=hit.chunk.id)


class NewsdeskRetriever(BaseRetriever):
    """Newsdesk's hybrid (BM25 + dense) retrieval for LangChain."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any
    k: int = 8
    filters: SearchFilters | None = None

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [to_document(h) for h in self.assistant.search(query, self.k, self.filters)]


def answer_chain(assistant) -> Runnable:
    """The answer pipeline as a Runnable: input ``{"question", "history"?, "filters"?}`` (or
    just the question), output the :class:`~assistant.answer.Answer`."""

    def answer(inputs):
        if isinstance(inputs, str):
            inputs = {"question": inputs}
        return assistant.ask(inputs["question"], inputs.get("history") or (), inputs.get("filters"))

    return RunnableLambda(answer, name="newsdesk_answer")
