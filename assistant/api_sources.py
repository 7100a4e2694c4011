"""``/v1/sources``: the followed feeds, sitemaps and pages over HTTP (list, add, fetch now,
remove); ``POST /v1/articles/fetch`` indexes one article page by its address."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from .core import Assistant


class SourceRequest(BaseModel):
    url: str = Field(..., max_length=2000, description="An RSS/Atom feed, a sitemap (index) or an article page.")
    every: str = Field("1h", max_length=20, description='How often to fetch it: "15m", "2h", "1d".')
    name: str | None = Field(None, max_length=100, description="A short name (default: the feed's title).")


class UrlRequest(BaseModel):
    url: str = Field(..., max_length=2000, description="An article page's address.")


def sources_router(bot: Assistant) -> APIRouter:
    router = APIRouter()

    @router.get("/v1/sources", summary="The followed sources and their state")
    def sources():
        return {"sources": bot.sources()}

    @router.post("/v1/sources", summary="Follow a feed, a sitemap or an article page")
    async def add(req: SourceRequest):
        return await run_in_threadpool(bot.add_source, req.url, every=req.every, name=req.name)

    @router.get("/v1/sources/{name}", summary="One source, with its items' recent errors")
    def source(name: str):
        return bot.source(name)

    @router.post("/v1/sources/{name}/fetch", summary="Fetch a source now and index what is new")
    async def fetch(name: str):
        bot.source(name)  # 404 for an unknown name
        reports = await run_in_threadpool(bot.fetch_sources, [name])
        return asdict(reports[0])

    @router.delete("/v1/sources/{name}", summary="Stop following a source (its articles stay)")
    def remove(name: str):
        bot.source(name)
        return {"removed": bot.remove_source(name), "name": name}

    @router.post("/v1/articles/fetch", summary="Fetch one article page by its address and index it")
    async def fetch_article(req: UrlRequest):
        report = await run_in_threadpool(bot.ingest_url, req.url)
        return {"added": report.added, "updated": report.updated, "unchanged": report.unchanged,
                "duplicates": report.duplicates, "chunks_embedded": report.chunks_embedded,
                "seconds": round(report.seconds, 3)}

    return router
