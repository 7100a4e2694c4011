"""The LangChain retriever and Runnable, including the README's example, run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.langchain_api import NewsdeskRetriever, answer_chain
from index import SearchFilters

pytestmark = pytest.mark.integration
README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_example_runs(corpus_bot):
    section = README.read_text(encoding="utf-8").split("### LangChain", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    exec(compile(code, "README.md#LangChain", "exec"), {"bot": corpus_bot})  # its asserts must hold


def test_retriever_is_a_langchain_retriever_with_filters(corpus_bot):
    retriever = NewsdeskRetriever(assistant=corpus_bot, k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("drones fired at Kyiv")
    assert 1 <= len(docs) <= 3 and all(isinstance(d, Document) for d in docs)
    assert {"article_id", "title", "source", "published_at", "start", "end", "score"} <= set(docs[0].metadata)
    assert docs[0].id and docs[0].page_content.strip()
    source = docs[0].metadata["source"] or "nowhere"
    only = NewsdeskRetriever(assistant=corpus_bot, k=3, filters=SearchFilters(sources=(source,)))
    assert all(d.metadata["source"] == source for d in only.invoke("drones fired at Kyiv"))
    assert retriever.batch(["drones", "Sybiga"]) and len(retriever.batch(["drones", "Sybiga"])) == 2


def test_answer_chain_takes_history(corpus_bot):
    chain = answer_chain(corpus_bot)
    answer = chain.invoke({"question": "Who is he?", "history": [
        {"role": "user", "content": "What did Sybiga say?"},
        {"role": "assistant", "content": "Andriy Sybiga said: ... [1]"}]})
    assert answer.standalone == "Who is Sybiga?" and "foreign minister" in answer.text
