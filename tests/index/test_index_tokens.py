"""index.tokens: the real cl100k_base encoding, loaded from local files only."""

from __future__ import annotations

import socket

import pytest

import index.tokens as tokens
from index import get_encoding


def test_cl100k_encodes_hello_world():
    assert get_encoding("cl100k_base").encode("hello world") == [15339, 1917]


def test_default_is_cl100k_and_cached():
    assert get_encoding() is get_encoding("cl100k_base")
    assert get_encoding().name == "cl100k_base"


def test_unknown_encoding_raises_value_error():
    with pytest.raises(ValueError, match="unknown encoding"):
        get_encoding("no_such_encoding")


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize("previous", [None, "/somewhere/else"])
def test_loads_from_a_fresh_cache_without_network(monkeypatch, tmp_path, no_network, previous):
    import tiktoken.registry

    # a cold start: no cached Encoding objects, an empty private cache, no TIKTOKEN_CACHE_DIR
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    cache = tmp_path / "cache"
    monkeypatch.setattr(tokens, "cache_dir", lambda kind: cache)
    if previous is None:
        monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    else:
        monkeypatch.setenv("TIKTOKEN_CACHE_DIR", previous)
    tokens.get_encoding.cache_clear()
    try:
        enc = tokens.get_encoding("cl100k_base")
        assert enc.encode("hello world") == [15339, 1917]
        assert enc.decode(enc.encode("Kyiv’s “air” 😀")) == "Kyiv’s “air” 😀"
        files = list(cache.iterdir())
        assert len(files) == 1 and files[0].stat().st_size > 1_000_000
        # the caller's environment is left as it was
        import os
        assert os.environ.get("TIKTOKEN_CACHE_DIR") == previous
    finally:
        tokens.get_encoding.cache_clear()
