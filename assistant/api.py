"""The HTTP API and the OpenAI-compatible endpoint (FastAPI), served with the web chat.

``create_api(bot)`` returns the FastAPI app; ``app.create_app(bot)`` mounts the web chat
on it and ``newsdesk serve`` runs both in one process. The OpenAPI page is at ``/docs``.

- ``POST /v1/ask``: question, history, filters -> answer, citations, passages;
  ``"stream": true`` gives server-sent events (``token`` pieces, then ``answer``).
- ``POST /v1/search``: passages only, no answer.
- ``GET /v1/quotes``: statements by speaker and/or topic, date range, sources.
- ``GET /v1/articles`` (list, filter by title/source/date), ``GET /v1/articles/{id}``,
  ``POST /v1/articles`` (uploaded files as multipart ``files``, or JSON records),
  ``DELETE /v1/articles/{id}``.
- ``GET/POST /v1/sources``, ``GET/DELETE /v1/sources/{name}``, ``POST /v1/sources/{name}/fetch``:
  followed feeds, sitemaps and pages; ``POST /v1/articles/fetch`` indexes one page by address.
- ``GET /v1/health``.
- ``GET /v1/models`` and ``POST /v1/chat/completions`` (streaming or not): Newsdesk as a
  model for the ``openai`` client and OpenAI-speaking chat UIs; citations come back as
  markdown footnotes in the content and as a ``citations`` field.

Errors are JSON, ``{"error": {"type", "message", "hint"}}``, with the status of the
error (400 bad input, 404 unknown article, 413 too large, 422 malformed request, 503
unavailable); nothing is written outside the data directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import math
import time
import uuid
from dataclasses import asdict
from typing import Iterator, Literal

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from corpus import NewsdeskError, TooLarge
from index import SearchFilters

from .answer import Answer
from .api_sources import sources_router
from .api_stories import stories_router
from .core import Assistant

log = logging.getLogger(__name__)

MODEL_ID = "newsdesk"


class NotFound(NewsdeskError):
    status = 404


# -- request bodies -------------------------------------------------------------

class Filters(BaseModel):
    sources: list[str] = Field(default_factory=list, max_length=100)
    date_from: str | None = Field(None, description="ISO date, inclusive")
    date_to: str | None = Field(None, description="ISO date, inclusive")

    def to_search(self) -> SearchFilters | None:
        f = SearchFilters(tuple(self.sources), self.date_from, self.date_to)
        return None if f.is_empty() else f


class Turn(BaseModel):
    role: Literal["user", "assistant", "system"]
    content: str


class AskRequest(BaseModel):
    question: str
    history: list[Turn] = Field(default_factory=list, max_length=100)
    filters: Filters | None = None
    stream: bool = False
    statements: bool = Field(True, description="Answer statement questions from the attribution index.")
    as_of: str | None = Field(None, max_length=40, description="Answer as things stood on this date "
                              "(YYYY-MM-DD): a changing figure is given as of then, newest first.")


class SearchRequest(BaseModel):
    query: str
    k: int = Field(8, ge=1, le=50)
    filters: Filters | None = None


class ChatMessage(BaseModel):
    role: str
    content: str | list | None = None


class ChatRequest(BaseModel):
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    model_config = {"extra": "allow"}  # temperature, max_tokens ...: accepted, not used


# -- helpers --------------------------------------------------------------------

class SafeJSONResponse(JSONResponse):
    """JSON as UTF-8; text that cannot be UTF-8 (a lone surrogate, which JSON input may
    carry as ``\\ud800``) is sent escaped rather than failing the request."""

    def render(self, content) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, separators=(",", ":")).encode()


def _error(status: int, kind: str, message: str, hint: str | None = None) -> JSONResponse:
    return SafeJSONResponse(status_code=status,
                            content={"error": {"type": kind, "message": message, "hint": hint}})


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _text(content) -> str:
    if isinstance(content, list):  # OpenAI content parts
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content or "")


class Unauthorized(NewsdeskError):
    status = 401


class Forbidden(NewsdeskError):
    status = 403


def _key_matches(given: str, keys) -> bool:
    return any(hmac.compare_digest(given.encode(), k.get_secret_value().encode()) for k in keys)


def _guarded(path: str) -> bool:
    """The paths that keys, the body limit and the rate limit apply to."""
    return path.startswith("/v1/") or path == "/mcp" or path.startswith("/mcp/")


class RateLimiter:
    """A token bucket per client: ``per_minute`` requests a minute on average, in bursts of
    up to a sixth of that. Buckets idle long enough to be full again are forgotten."""

    def __init__(self, per_minute: int):
        self.rate = per_minute / 60
        self.burst = max(1.0, per_minute / 6)
        self._buckets: dict[str, tuple[float, float]] = {}

    def wait(self, client: str) -> float:
        """0 when ``client`` may go ahead (and it is counted); else the seconds to wait."""
        now = time.monotonic()
        tokens, last = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if len(self._buckets) > 10_000:
            full = now - self.burst / self.rate
            self._buckets = {c: v for c, v in self._buckets.items() if v[1] > full}
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1 - tokens) / self.rate


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes on the guarded paths: by their declared
    length at once, and by counting what arrives for a body sent without one (chunked)."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    def _message(self, size: str) -> str:
        return (f"The request body is {size}; the limit is {self.limit:,} bytes. Send less at a "
                "time, or raise NEWSDESK_MAX_UPLOAD_MB.")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not _guarded(scope["path"]):
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            response = _error(413, "TooLarge", self._message(f"{int(length):,} bytes"))
            return await response(scope, receive, send)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise StarletteHTTPException(413, self._message(f"over {self.limit:,} bytes"))
            return message

        await self.app(scope, counted, send)


def create_api(bot: Assistant) -> FastAPI:
    """The HTTP API over ``bot``. With ``NEWSDESK_API_KEYS`` (and/or ``NEWSDESK_ADMIN_KEYS``)
    set, every ``/v1`` and ``/mcp`` request needs ``Authorization: Bearer <key>``; adding and
    deleting articles needs an admin key when admin keys are set. Request bodies are limited
    to ``NEWSDESK_MAX_UPLOAD_MB`` and, with ``NEWSDESK_RATE_LIMIT_PER_MINUTE``, each client's
    requests too (429 with Retry-After)."""
    from .mcp_server import create_mcp

    mcp = create_mcp(bot)
    mcp_routes = mcp.streamable_http_app(streamable_http_path="/mcp").routes  # creates the session manager

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async with mcp.session_manager.run():
            yield

    api = FastAPI(title="Newsdesk", version="0.1.0", lifespan=lifespan, default_response_class=SafeJSONResponse,
                  description="Answers about news articles, every sentence cited. "
                              "Also an OpenAI-compatible chat endpoint, and MCP tools at /mcp.")
    api.router.routes.extend(mcp_routes)
    settings = bot.settings
    max_body = int(settings.max_upload_mb * 1024 * 1024)
    api.add_middleware(BodyLimit, limit=max_body)
    _handle_errors(api)
    _require_keys(api, settings)
    for router in (sources_router(bot), stories_router(bot), answers_router(bot), articles_router(bot),
                   openai_router(bot)):
        api.include_router(router)
    return api


def _handle_errors(api: FastAPI) -> None:
    """Every error as ``{"error": {"type", "message", "hint"}}`` with its status."""

    @api.exception_handler(NewsdeskError)
    async def newsdesk_error(request: Request, exc: NewsdeskError):
        return _error(exc.status, type(exc).__name__, exc.message, exc.hint)

    @api.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        details = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ()) if x != 'body') or 'body'}: {e.get('msg')}"
                            for e in exc.errors()[:10])
        return _error(422, "InvalidRequest", f"The request is not valid: {details}.",
                      "See the request schemas at /docs.")

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return _error(404, "NotFound", f"No such endpoint: {request.method} {request.url.path[:200]}.",
                          "The endpoints are listed at /docs.")
        if exc.status_code == 413:
            return _error(413, "TooLarge", str(exc.detail))
        return _error(exc.status_code, "HTTPError", str(exc.detail))

    @api.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("%s %s failed", request.method, request.url.path)
        return _error(500, "InternalError", "Something went wrong; the server log has the details.")


def _require_keys(api: FastAPI, settings) -> None:
    """API keys (admin keys for writes) and the per-client rate limit on the guarded paths."""
    limiter = RateLimiter(settings.rate_limit_per_minute) if settings.rate_limit_per_minute else None
    read_keys = list(settings.api_keys) + list(settings.admin_keys)
    admin_keys = list(settings.admin_keys)

    @api.middleware("http")
    async def require_key(request: Request, call_next):
        path = request.url.path
        if not _guarded(path):
            return await call_next(request)
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        given = given.strip() if scheme.lower() == "bearer" else ""
        valid = bool(given) and _key_matches(given, read_keys)
        if limiter is not None:
            # a client is its key when it is a valid one (hashed: keys are never kept or
            # logged), else its address, so made-up keys do not buy fresh allowances
            client = ("key:" + hashlib.sha256(given.encode()).hexdigest()[:16] if valid
                      else "addr:" + (request.client.host if request.client else "?"))
            wait = limiter.wait(client)
            if wait:
                response = _error(429, "RateLimited", f"Too many requests: this client may send "
                                  f"{settings.rate_limit_per_minute:,} a minute.",
                                  f"Retry in {wait:.1f} s, or ask for NEWSDESK_RATE_LIMIT_PER_MINUTE "
                                  "to be raised.")
                response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
                return response
        if read_keys:
            if not valid:
                response = _error(401, "Unauthorized", "This server needs an API key.",
                                  "Send it as 'Authorization: Bearer <key>'.")
                response.headers["WWW-Authenticate"] = "Bearer"
                return response
            if (admin_keys and path.startswith(("/v1/articles", "/v1/sources"))
                    and request.method in ("POST", "DELETE") and not _key_matches(given, admin_keys)):
                return _error(403, "Forbidden", "Adding or deleting articles or sources needs an admin key.",
                              "Use a key from NEWSDESK_ADMIN_KEYS.")
        return await call_next(request)


def answers_router(bot: Assistant) -> APIRouter:
    """``/v1/ask``, ``/v1/search``, ``/v1/quotes`` and ``/v1/health``."""
    router = APIRouter()

    @router.post("/v1/ask", summary="Answer a question, with citations")
    def ask(req: AskRequest):
        history = [t.model_dump() for t in req.history]
        filters = req.filters.to_search() if req.filters else None
        if not req.stream:
            return bot.ask(req.question, history, filters, statements=req.statements, as_of=req.as_of).to_dict()
        bot.check_question(req.question)  # a bad question is a 400, not an event

        def events() -> Iterator[str]:
            try:
                for item in bot.ask_stream(req.question, history, filters, statements=req.statements,
                                            as_of=req.as_of):
                    if isinstance(item, Answer):
                        yield _sse("answer", item.to_dict())
                    else:
                        yield _sse("token", {"text": item})
            except NewsdeskError as exc:
                yield _sse("error", {"type": type(exc).__name__, "message": exc.message, "hint": exc.hint})
            except Exception:  # noqa: BLE001 - the stream has started: report it in band
                log.exception("streamed answer failed")
                yield _sse("error", {"type": "InternalError", "message": "Something went wrong."})

        return StreamingResponse(events(), media_type="text/event-stream")

    @router.post("/v1/search", summary="Retrieve passages (no answer)")
    def search(req: SearchRequest):
        hits = bot.search(req.query, req.k, req.filters.to_search() if req.filters else None)
        return {"query": req.query, "passages": [h.to_dict() for h in hits]}

    @router.get("/v1/quotes", summary="What someone said: statements with their exact words")
    def quotes(speaker: str | None = None, topic: str | None = None, since: str | None = None,
               until: str | None = None, source: list[str] = Query(default_factory=list),
               limit: int = Query(50, ge=1, le=500)):
        found = bot.quotes(speaker, topic, since=since, until=until, sources=source, limit=limit)
        return {"speaker": speaker, "topic": topic, "statements": [asdict(s) for s in found]}

    @router.get("/v1/health", summary="Is it up, and what is indexed")
    def health():
        status = bot.status()
        return {"status": "ok", "articles": status["articles"], "chunks": status["chunks"],
                "statements": status["statements"], "embedding_model": status["embedding_model"],
                "llm": status["answerer"][4:] if status["answerer"].startswith("llm:") else None}

    return router


async def _uploaded(request: Request, most: int) -> list[tuple[str, bytes]]:
    """The files of a multipart upload (field ``files``), at most ``most`` of them."""
    try:
        form = await request.form(max_files=most, max_fields=most + 10)
    except StarletteHTTPException as exc:
        if exc.status_code != 400:
            raise
        raise TooLarge(f"The upload is refused: {exc.detail}",
                       hint=f"Send at most {most:,} files at a time, or raise "
                       "NEWSDESK_MAX_UPLOAD_FILES.") from None
    uploads = [f for f in form.getlist("files") if hasattr(f, "read")]
    if not uploads:
        raise NewsdeskError("No files in the upload.", hint="Send them as multipart field 'files'.")
    return [(upload.filename, await upload.read()) for upload in uploads]


async def _posted(request: Request) -> list[tuple[str, bytes]]:
    """JSON article records (``{"articles": [...]}`` or a list) as one JSON-lines file."""
    body = await request.body()
    try:
        payload = json.loads(body or b"null")
    except RecursionError:
        raise NewsdeskError("The body's JSON is nested too deeply.",
                            hint='Send {"articles": [{"title": ..., "body": ...}]}.') from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise NewsdeskError(f"The body is not valid JSON: {exc}.",
                            hint='Send {"articles": [{"title": ..., "body": ...}]} or files.') from None
    records = payload.get("articles") if isinstance(payload, dict) else payload
    if not isinstance(records, list) or not records:
        raise NewsdeskError("No articles in the request.",
                            hint='Send {"articles": [{"title": ..., "body": ...}]}.')
    return [("request.jsonl", "\n".join(json.dumps(r) for r in records).encode())]


def articles_router(bot: Assistant) -> APIRouter:
    """``/v1/articles``: list, read, delete and add articles."""
    router = APIRouter()
    settings = bot.settings

    @router.get("/v1/articles", summary="List indexed articles (no bodies)")
    def articles(q: str | None = Query(None, description="words of the title"), source: str | None = None,
                 since: str | None = None, until: str | None = None,
                 limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0)):
        rows = bot.articles(q, source, since, until)
        return {"total": len(rows), "articles": rows[offset:offset + limit]}

    @router.get("/v1/articles/{article_id:path}", summary="One article, with its body")
    def article(article_id: str):
        found = bot.article(article_id)
        if found is None:
            raise NotFound(f"No article with id {article_id[:200]!r}.", hint="GET /v1/articles lists them.")
        return {"id": found.id, "title": found.title, "body": found.body, "source": found.source,
                "url": found.url, "published_at": found.published_at, "author": found.author,
                "metadata": found.metadata}

    @router.delete("/v1/articles/{article_id:path}", summary="Remove an article from the index")
    def delete(article_id: str):
        if bot.article(article_id) is None:
            raise NotFound(f"No article with id {article_id[:200]!r}.", hint="GET /v1/articles lists them.")
        removed = bot.remove([article_id])  # writers queue on the index's lock; questions go on
        return {"removed": removed, "id": article_id}

    @router.post("/v1/articles", summary="Add articles: files (multipart 'files') or JSON records")
    async def add(request: Request):
        multipart = request.headers.get("content-type", "").startswith("multipart/form-data")
        files = await (_uploaded(request, settings.max_upload_files) if multipart else _posted(request))
        # in a worker thread: the event loop keeps serving questions during the ingest
        report, loaded = await run_in_threadpool(bot.ingest_files, files)
        per_file = [{"file": name if multipart else "request", "articles": [a.id for a in one.articles],
                     "problems": [{"origin": p.origin, "reason": p.reason} for p in one.problems]}
                    for name, one in loaded]
        if report is None:
            problems = [p for _, one in loaded for p in one.problems]
            return JSONResponse(status_code=422, content={"error": {
                "type": "NothingToIndex", "message": "Nothing could be indexed: " + "; ".join(
                    f"{p.origin}: {p.reason}" for p in problems[:10]) + ".",
                "hint": "Supported: .txt .md .json .jsonl .html with a title and a body."}, "files": per_file})
        return {"added": report.added, "updated": report.updated, "unchanged": report.unchanged,
                "duplicates": report.duplicates, "chunks_embedded": report.chunks_embedded,
                "seconds": round(report.seconds, 3), "files": per_file}

    return router


def openai_router(bot: Assistant) -> APIRouter:
    """``/v1/models`` and ``/v1/chat/completions``: Newsdesk as an OpenAI-compatible model."""
    router = APIRouter()

    @router.get("/v1/models", summary="OpenAI-compatible: the one model, newsdesk")
    def models():
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0,
                                            "owned_by": "newsdesk"}]}

    @router.post("/v1/chat/completions", summary="OpenAI-compatible chat: the last user message is the question")
    def chat(req: ChatRequest):
        turns = [{"role": m.role, "content": _text(m.content)} for m in req.messages
                 if m.role in ("user", "assistant")]
        if not turns or turns[-1]["role"] != "user":
            raise NewsdeskError("The last message must be the user's question.")
        question, history = turns[-1]["content"], turns[:-1]
        cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        head = {"id": cid, "created": created, "model": MODEL_ID}
        if not req.stream:
            answer = bot.ask(question, history)
            return {**head, "object": "chat.completion",
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": answer.markdown(footnotes=True)}}],
                    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                    "citations": [c.to_dict() for c in answer.citations]}
        bot.check_question(question)

        def chunk(delta: dict, finish: str | None = None, **extra) -> str:
            body = {**head, "object": "chat.completion.chunk",
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
            return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

        def events() -> Iterator[str]:
            yield chunk({"role": "assistant", "content": ""})
            try:
                for item in bot.ask_stream(question, history):
                    if not isinstance(item, Answer):
                        continue  # raw model text may carry citations the check removes: send the checked answer
                    yield chunk({"content": item.markdown(footnotes=True)})
                    yield chunk({}, "stop", citations=[c.to_dict() for c in item.citations])
            except NewsdeskError as exc:
                yield chunk({"content": f"⚠ {exc.user_message()}"}, "stop")
            except Exception:  # noqa: BLE001 - the stream has started: say so in band
                log.exception("streamed chat completion failed")
                yield chunk({"content": "⚠ Something went wrong; the server log has the details."}, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return router
