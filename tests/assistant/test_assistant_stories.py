"""Stories over the bundled corpus with the real model: one event's articles are one story,
another event of the same kind is another; the CLI and the HTTP API list and show them."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.api import create_api
from assistant.cli import app

pytestmark = pytest.mark.integration

DORIAN = ["wn-20190901-c77aaa", "wn-20190905-adb763"]    # Hurricane Dorian: landfall, then its damage
HUMBERTO = ["wn-20190916-0ecd0b", "wn-20190919-69515c"]  # Hurricane Humberto, two weeks later
NAVALNY = ["wn-20200822-5f59f3", "wn-20200905-5793d7"]   # airlifted to Germany; poisoned with Novichok


def story_of(bot, article_id):
    return next(s["story"] for s in bot.stories(single=True, limit=10_000)
                if article_id in {a["article_id"] for a in bot.story(s["story"])["articles"]})


def test_one_event_one_story_another_event_another(corpus_bot):
    for pair in (DORIAN, HUMBERTO, NAVALNY):
        story = corpus_bot.story(story_of(corpus_bot, pair[0]))
        ids = [a["article_id"] for a in story["articles"]]
        assert set(pair) <= set(ids) and ids.index(pair[0]) < ids.index(pair[1]), ids
    assert story_of(corpus_bot, DORIAN[0]) != story_of(corpus_bot, HUMBERTO[0])
    status = corpus_bot.status()
    assert status["stories"] >= 10 and status["articles_in_stories"] > 2 * status["stories"] - 1


def test_stories_over_http(corpus_bot):
    client = TestClient(create_api(corpus_bot))
    listed = client.get("/v1/stories", params={"since": "2020-08-01"}).json()["stories"]
    assert listed and all(s["last"] >= "2020-08-01" and s["articles"] >= 2 for s in listed)
    navalny = story_of(corpus_bot, NAVALNY[0])
    assert navalny in {s["story"] for s in listed}
    shown = client.get(f"/v1/stories/{navalny}").json()
    assert [a["article_id"] for a in shown["articles"]][:2] == NAVALNY
    missing = client.get("/v1/stories/no-such-story")
    assert missing.status_code == 404 and "newsdesk stories" in missing.json()["error"]["hint"]
    assert client.get("/v1/stories", params={"since": "soon"}).status_code == 400


def test_stories_from_the_command_line(corpus_bot):
    env = {"NEWSDESK_DATA_DIR": corpus_bot.status()["index_path"]}
    if corpus_bot.settings.chroma_url:
        env["NEWSDESK_CHROMA_URL"] = corpus_bot.settings.chroma_url
    listed = CliRunner().invoke(app, ["stories", "--json", "--since", "2019-09-01"], env=env)
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    dorian = story_of(corpus_bot, DORIAN[0])
    assert dorian in {r["story"] for r in rows}
    table = CliRunner().invoke(app, ["stories", "--since", "2019-09-01"], env=env)
    assert table.exit_code == 0 and "2019-09-01 to" in table.output and "Dorian" in table.output, table.output
    shown = CliRunner().invoke(app, ["stories", "show", dorian], env=env)
    assert shown.exit_code == 0 and "2019-09-01 to 2019-09-05" in shown.output, shown.output
    unknown = CliRunner().invoke(app, ["stories", "show", "nope"], env=env)
    assert unknown.exit_code == 2 and "No story has the id 'nope'" in unknown.output
