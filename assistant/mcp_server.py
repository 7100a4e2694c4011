"""Newsdesk's tools over MCP (the official ``mcp`` SDK), served at ``/mcp`` by
``newsdesk serve`` (streamable HTTP):

- ``search_news(query, k, source, since, until)``: passages, best first;
- ``ask_news(question, history)``: the answer with its citations;
- ``quotes_by(speaker, topic, since, until, limit)``: what someone said, exact words.

Each returns structured content (and the same as JSON text). A user error (an empty
question, a bad date) comes back as a tool error with the message, not a crash.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from corpus import NewsdeskError
from index import SearchFilters

INSTRUCTIONS = ("Search and question a collection of news articles. Every answer quotes or "
                "cites the articles' passages; cite them to the user by title and source.")


def _passage(hit) -> dict[str, Any]:
    c = hit.chunk
    return {"article_id": c.article_id, "title": c.title, "source": c.source,
            "published_at": c.published_at, "url": c.url, "text": c.text, "score": round(hit.score, 4)}


def create_mcp(bot) -> MCPServer:
    mcp = MCPServer("newsdesk", instructions=INSTRUCTIONS)

    async def run(fn, *args, **kwargs):
        try:
            return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs))
        except NewsdeskError as exc:  # shown to the agent as the tool's error message
            raise ToolError(exc.user_message()) from None

    @mcp.tool(description="Search the news articles: the passages that best match the query, "
                          "with title, source, date and url.")
    async def search_news(query: str, k: int = 5, source: str | None = None,
                          since: str | None = None, until: str | None = None) -> dict[str, Any]:
        filters = SearchFilters(sources=(source,) if source else (), date_from=since, date_to=until)
        hits = await run(bot.search, query, max(1, min(k, 20)), None if filters.is_empty() else filters)
        return {"query": query, "passages": [_passage(h) for h in hits]}

    @mcp.tool(description="Answer a question from the news articles. The answer cites passages "
                          "as [n]; citations give each one's title, source, date and the quoted words.")
    async def ask_news(question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
        answer = await run(bot.ask, question, history or ())
        return {"answer": answer.text, "covered": answer.covered, "notice": answer.notice,
                "citations": [{k: v for k, v in c.to_dict().items() if k != "passage"}
                              for c in answer.citations]}

    @mcp.tool(description="What a person or organisation said in the articles: their statements, "
                          "exact words, with role, article, source and date; optionally about a topic.")
    async def quotes_by(speaker: str, topic: str | None = None, since: str | None = None,
                        until: str | None = None, limit: int = 20) -> dict[str, Any]:
        found = await run(bot.quotes, speaker, topic, since=since, until=until, limit=max(1, min(limit, 100)))
        keep = ("speaker", "role", "text", "kind", "article_id", "published_at")
        return {"speaker": speaker, "statements": [{k: asdict(s)[k] for k in keep} for s in found]}

    return mcp
