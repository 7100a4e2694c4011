"""Fixtures the answer tests share."""

from __future__ import annotations

import pytest

from tests.assistant.test_assistant_latest import articles


@pytest.fixture
def flood_bot(make_bot, tmp_path, fake_embedder_cls, write_file):
    """A small developing story (assistant.test_assistant_latest.FLOOD): three reports of
    floods over four days, the toll rising; a stand-in embedder."""
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    bot.ingest([write_file("floods.jsonl", articles())])
    return bot
