"""``/v1/stories``: the developing stories the articles are linked into, and one story's
articles in date order."""

from __future__ import annotations

from fastapi import APIRouter, Query

from .core import Assistant


def stories_router(bot: Assistant) -> APIRouter:
    router = APIRouter()

    @router.get("/v1/stories", summary="Developing stories, the latest-updated first")
    def stories(since: str | None = Query(None, max_length=40, description="Only stories with an "
                                          "article from this date on (YYYY-MM-DD)."),
                all: bool = Query(False, description="Single-article stories too."),
                limit: int = Query(50, ge=1, le=1000, description="At most this many stories.")):
        return {"stories": bot.stories(since, single=all, limit=limit)}

    @router.get("/v1/stories/{story:path}", summary="One story's articles, oldest first")
    def story(story: str):
        return bot.story(story)

    return router
