"""The HTTP API (FastAPI) on a small index: answers, search, quotes, articles, errors;
and the OpenAI-compatible endpoint through the real ``openai`` client against the
running server over the bundled corpus."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.api import create_api


@pytest.fixture
def client(make_bot, small_corpus, tmp_path, fake_embedder_cls):
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls(), max_upload_mb=1, max_upload_files=3)
    bot.ingest([small_corpus])
    return TestClient(create_api(bot))


def test_health_and_ask(client):
    health = client.get("/v1/health").json()
    assert health["status"] == "ok" and health["articles"] == 3 and health["llm"] is None
    r = client.post("/v1/ask", json={"question": "What did Marta Olsen say?"})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert "Traffic is flowing again" in answer["text"] and answer["citations"][0]["n"] == 1
    assert answer["passages"] and answer["answerer"] == "statements"
    follow = client.post("/v1/ask", json={"question": "Who is she?", "history": [
        {"role": "user", "content": "What did Marta Olsen say?"},
        {"role": "assistant", "content": answer["text"]}]}).json()
    assert follow["standalone"] == "Who is Marta Olsen?"
    dated = client.post("/v1/ask", json={"question": "Who won the chess open?",
                                         "filters": {"date_from": "2021-01-01", "sources": ["Example News"]}})
    assert dated.status_code == 200 and "Brandt" in dated.json()["text"]


def test_ask_streams_server_sent_events(make_bot, small_corpus, tmp_path, fake_embedder_cls):
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls(), chat_model=GenericFakeChatModel(
        messages=iter([AIMessage(content="The bridge reopened on Monday after storm repairs [1].")])))
    bot.ingest([small_corpus])
    with TestClient(create_api(bot)) as c:
        r = c.post("/v1/ask", json={"question": "When did the harbour bridge reopen?", "stream": True})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = [(b.split("\n")[0][len("event: "):], json.loads(b.split("\n")[1][len("data: "):]))
              for b in r.text.strip().split("\n\n")]
    kinds = [k for k, _ in events]
    assert kinds[-1] == "answer" and kinds.count("token") >= 3
    assert "".join(d["text"] for k, d in events if k == "token").startswith("The bridge reopened")
    assert events[-1][1]["citations"]


def test_search_and_quotes(client):
    passages = client.post("/v1/search", json={"query": "apple harvest", "k": 2}).json()["passages"]
    assert passages and passages[0]["title"].startswith("Apple harvest") and len(passages) <= 2
    found = client.get("/v1/quotes", params={"speaker": "Olsen"}).json()["statements"]
    assert found and found[0]["speaker"] == "Marta Olsen" and "Traffic" in found[0]["text"]
    assert client.get("/v1/quotes", params={"speaker": "Nobody"}).json()["statements"] == []


def test_articles_list_get_add_delete(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listing = client.get("/v1/articles").json()
    assert listing["total"] == 3
    chess = client.get("/v1/articles", params={"q": "chess", "source": "Example News"}).json()["articles"]
    assert [a["title"] for a in chess] == ["Teenager wins Zembla chess open"]
    assert client.get("/v1/articles", params={"since": "2021-03-05"}).json()["total"] == 0
    one = client.get(f"/v1/articles/{chess[0]['id']}").json()
    assert "Ilona Brandt" in one["body"]

    added = client.post("/v1/articles", json={"articles": [
        {"title": "Ferry strike ends", "body": "The ferry workers of Nordhavn ended their strike on Friday."},
        {"title": "No body"}]})
    assert added.status_code == 200, added.text
    report = added.json()
    assert report["added"] == 1 and report["files"][0]["problems"][0]["origin"] == "request.jsonl:2"
    assert "Nordhavn" in client.post("/v1/ask", json={"question": "When did the Nordhavn ferry strike end?"}).json()["text"]

    files = [("files", ("../../etc/evil.txt", b"Lighthouse relit\n\nThe old lighthouse of Skarvik was relit.", "text/plain")),
             ("files", ("tool.exe", b"MZ\x00\x00", "application/octet-stream"))]
    uploaded = client.post("/v1/articles", files=files).json()
    assert uploaded["added"] == 1
    assert [f["file"] for f in uploaded["files"]] == ["evil.txt", "tool.exe"]
    assert "unsupported file type .exe" in uploaded["files"][1]["problems"][0]["reason"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["data", "articles"])  # nothing else written

    gone = client.delete(f"/v1/articles/{chess[0]['id']}")
    assert gone.status_code == 200 and gone.json()["removed"] == 1
    assert client.get(f"/v1/articles/{chess[0]['id']}").status_code == 404
    assert client.get("/v1/health").json()["articles"] == 4


@pytest.mark.parametrize("method, path, kwargs, status, words", [
    ("post", "/v1/ask", {"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "not valid"),
    ("post", "/v1/ask", {"json": {"question": 42}}, 422, "question"),
    ("post", "/v1/ask", {"json": {"question": "   "}}, 400, "empty"),
    ("post", "/v1/ask", {"json": {"question": "x" * 5000}}, 400, "limit"),
    ("post", "/v1/ask", {"json": {"question": "q", "filters": {"date_from": "yesterday"}}}, 400, "date"),
    ("post", "/v1/ask", {"json": {"question": "q", "history": [{"role": "robot", "content": "x"}]}}, 422, "role"),
    ("post", "/v1/ask", {"content": b"x" * (2 * 1024 * 1024), "headers": {"content-type": "application/json"}},
     413, "limit"),
    ("post", "/v1/articles", {"files": [("files", ("big.txt", b"Big\n\n" + b"word " * 300_000, "text/plain"))]},
     413, "limit"),
    ("post", "/v1/articles", {"files": [("files", (f"{i}.txt", b"T\n\nBody.", "text/plain")) for i in range(4)]},
     413, "at most 3 files"),
    ("post", "/v1/ask", {"content": iter([b"{" + b" " * 65536] * 20), "headers": {"content-type": "application/json"}},
     413, "body is over"),  # sent chunked, with no length: counted as it arrives
    ("post", "/v1/search", {"json": {"query": "x", "k": 0}}, 422, "k"),
    ("post", "/v1/articles", {"content": b"[nope", "headers": {"content-type": "application/json"}}, 400, "JSON"),
    ("post", "/v1/articles", {"json": {"articles": []}}, 400, "No articles"),
    ("post", "/v1/articles", {"files": [("files", ("a.exe", b"MZ", "x"))]}, 422, "Nothing could be indexed"),
    ("get", "/v1/articles/does-not-exist", {}, 404, "No article"),
    ("delete", "/v1/articles/..%2F..%2Fetc%2Fpasswd", {}, 404, "No article"),
    ("delete", "/v1/articles/../../etc/passwd", {}, 404, "No such endpoint"),  # the client resolves ../
    ("get", "/v1/nowhere", {}, 404, "No such endpoint"),
    ("post", "/v1/chat/completions", {"json": {"messages": []}}, 422, "messages"),
    ("post", "/v1/chat/completions", {"json": {"messages": [{"role": "assistant", "content": "hi"}]}}, 400, "user"),
])
def test_bad_requests_get_clear_json_errors(client, method, path, kwargs, status, words):
    before = client.get("/v1/health").json()["chunks"]
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert words.lower() in (error["message"] + " " + (error.get("hint") or "")).lower(), error
    assert "Traceback" not in r.text
    assert client.get("/v1/health").json()["chunks"] == before  # nothing indexed was lost


# -- the OpenAI-compatible endpoint with the real openai client, over HTTP -------

@pytest.fixture(scope="module")
def server_url(corpus_bot, serve_app):
    """``newsdesk serve``'s app (API and web chat) in uvicorn on a free 127.0.0.1 port."""
    return serve_app(corpus_bot) + "/v1"


@pytest.mark.integration
def test_openai_client_non_streaming(server_url):
    from openai import OpenAI

    client = OpenAI(base_url=server_url, api_key="unused")
    assert [m.id for m in client.models.list()] == ["newsdesk"]
    reply = client.chat.completions.create(model="newsdesk", messages=[
        {"role": "system", "content": "ignored"}, {"role": "user", "content": "How many drones were fired?"}])
    content = reply.choices[0].message.content
    assert "300 drones" in content and "[1]" in content
    assert "\n[1]: Zelensky Calls for Regime Change" in content  # the footnote
    citations = reply.model_extra["citations"]
    assert citations[0]["n"] == 1 and citations[0]["quote"] in citations[0]["passage"]


@pytest.mark.integration
def test_openai_client_streaming_with_history(server_url):
    from openai import OpenAI

    client = OpenAI(base_url=server_url, api_key="unused")
    stream = client.chat.completions.create(model="newsdesk", stream=True, messages=[
        {"role": "user", "content": "What did Sybiga say?"},
        {"role": "assistant", "content": "Andriy Sybiga said: it is time to put maximum pressure on Moscow. [1]"},
        {"role": "user", "content": "Who is he?"}])
    chunks = list(stream)
    content = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "foreign minister" in content and "[1]:" in content
    assert chunks[-1].choices[0].finish_reason == "stop" and chunks[-1].model_extra["citations"]


@pytest.mark.integration
def test_openapi_page_and_web_chat_share_the_server(server_url):
    import httpx

    base = server_url.removesuffix("/v1")
    spec = httpx.get(f"{base}/openapi.json").json()
    assert {"/v1/ask", "/v1/search", "/v1/quotes", "/v1/articles", "/v1/health",
            "/v1/chat/completions", "/v1/models"} <= set(spec["paths"])
    assert httpx.get(f"{base}/docs").status_code == 200
    assert "Newsdesk" in httpx.get(f"{base}/").text


@pytest.mark.integration
def test_mcp_tools_with_a_real_client_session(server_url):
    import anyio
    from mcp.client.session import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def session_calls():
        async with streamable_http_client(server_url.removesuffix("/v1") + "/mcp") as (read, write, *_):
            async with ClientSession(read, write) as session:
                await session.initialize()
                tools = {t.name for t in (await session.list_tools()).tools}
                search = await session.call_tool("search_news", {"query": "drones fired at Kyiv", "k": 3})
                ask = await session.call_tool("ask_news", {"question": "How many drones were fired?"})
                quotes = await session.call_tool("quotes_by", {"speaker": "Sybiga"})
                bad = await session.call_tool("ask_news", {"question": "   "})
                return tools, search, ask, quotes, bad

    # in a thread of its own: Playwright's sync API keeps an event loop running on the main
    # thread when the browser tests ran earlier in the session
    with ThreadPoolExecutor(1) as pool:
        tools, search, ask, quotes, bad = pool.submit(anyio.run, session_calls).result()
    assert {"search_news", "ask_news", "quotes_by"} <= tools
    assert not search.is_error and 1 <= len(search.structured_content["passages"]) <= 3
    assert "300 drones" in ask.structured_content["answer"] and ask.structured_content["citations"]
    assert "300 drones" in ask.content[0].text  # the same as JSON text, for clients without structure
    statements = quotes.structured_content["statements"]
    assert statements and all("Sybiga" in s["speaker"] for s in statements)
    assert bad.is_error and "empty" in bad.content[0].text


def test_api_keys_and_admin_keys(make_bot, small_corpus, tmp_path, fake_embedder_cls, caplog):
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls(),
                   api_keys=["read-key-123"], admin_keys=["admin-key-456"])
    bot.ingest([small_corpus])
    with TestClient(create_api(bot)) as c:
        ask = {"question": "What did Marta Olsen say?"}
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "read-key-123"}):
            r = c.post("/v1/ask", json=ask, headers=headers)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
            assert "read-key-123" not in r.text and "admin-key-456" not in r.text
        assert c.post("/mcp", json={}).status_code == 401
        assert c.get("/v1/models").status_code == 401
        read = {"Authorization": "Bearer read-key-123"}
        admin = {"Authorization": "Bearer admin-key-456"}
        assert c.post("/v1/ask", json=ask, headers=read).status_code == 200
        assert c.post("/v1/ask", json=ask, headers=admin).status_code == 200
        new = {"articles": [{"title": "Ferry strike ends", "body": "Nordhavn ferry workers ended their strike."}]}
        assert c.post("/v1/articles", json=new, headers=read).status_code == 403
        assert c.post("/v1/articles", json=new, headers=admin).json()["added"] == 1
        some = c.get("/v1/articles", headers=read).json()["articles"][0]["id"]
        assert c.delete(f"/v1/articles/{some}", headers=read).status_code == 403
        assert c.delete(f"/v1/articles/{some}", headers=admin).status_code == 200
    assert "read-key-123" not in caplog.text and "admin-key-456" not in caplog.text
    assert "read-key-123" not in repr(bot.settings)


def test_serving_beyond_loopback_without_keys_warns(monkeypatch, caplog, make_bot, tmp_path, fake_embedder_cls):
    import app

    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: started.append(kw))
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    app.serve(bot, host="0.0.0.0", port=7999)
    assert started and "without API keys (NEWSDESK_API_KEYS) and a web login" in caplog.text
    caplog.clear()
    app.serve(bot, host="127.0.0.1", port=7999)
    assert "without" not in caplog.text


def test_each_client_is_held_to_its_request_rate(make_bot, small_corpus, tmp_path, fake_embedder_cls):
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls(), rate_limit_per_minute=12,
                   api_keys=["k-one", "k-two"])
    bot.ingest([small_corpus])
    client = TestClient(create_api(bot))
    one, two = ({"Authorization": f"Bearer {k}"} for k in ("k-one", "k-two"))
    assert [client.get("/v1/health", headers=one).status_code for _ in range(2)] == [200, 200]  # a burst of 12/6
    refused = client.post("/v1/ask", json={"question": "Who won?"}, headers=one)
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 5
    error = refused.json()["error"]
    assert error["type"] == "RateLimited" and "12 a minute" in error["message"] and "Retry in" in error["hint"]
    assert "k-one" not in refused.text
    assert client.get("/v1/health", headers=two).status_code == 200  # another client has its own
    assert client.get("/v1/health").status_code == 401  # no key: counted by address, then refused
    made_up = [client.get("/v1/health", headers={"Authorization": f"Bearer fake-{i}"}).status_code
               for i in range(3)]
    assert made_up == [401, 429, 429], "made-up keys share their address's allowance"


@pytest.mark.integration
def test_questions_are_answered_over_http_during_an_upload(make_bot, small_corpus, tmp_path, serve_app):
    import httpx

    from corpus import BUNDLED_DIR

    bot = make_bot(tmp_path / "data", ingest_group=16)
    bot.ingest([small_corpus])
    base = serve_app(bot)
    news = (BUNDLED_DIR / "wikinews-2019-2020.jsonl").read_bytes()
    with ThreadPoolExecutor(1) as pool:
        upload = pool.submit(httpx.post, f"{base}/v1/articles", timeout=600,
                             files=[("files", ("wikinews.jsonl", news, "application/jsonl"))])
        while bot.catalog.counts()[0] <= 3:  # the ingest is under way
            assert not upload.done(), upload.result().text
            time.sleep(0.01)
        answered = 0
        while not upload.done():
            r = httpx.post(f"{base}/v1/ask", json={"question": "What did Marta Olsen say?"}, timeout=60)
            assert r.status_code == 200 and "Traffic is flowing again" in r.json()["text"]
            answered += 1
        assert upload.result().json()["added"] == 273
    assert answered >= 5, "questions waited for the upload"
