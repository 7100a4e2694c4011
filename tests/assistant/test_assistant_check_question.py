"""Assistant.check_question: the gate every question passes (no model, no index needed)."""

from __future__ import annotations

import pytest

from assistant import Assistant, load_settings
from corpus import InvalidInput


@pytest.fixture
def bot(tmp_path, fake_embedder_cls):
    settings = load_settings(data_dir=tmp_path / "data", max_question_chars=100)
    return Assistant.from_settings(settings, embedder=fake_embedder_cls())


@pytest.mark.parametrize("question", ["", " ", "   \n\t  ", "\x00\x07", "\u200b"])
def test_empty_or_blank_question_is_invalid_with_a_message(bot, question):
    with pytest.raises(InvalidInput) as info:
        bot.check_question(question)
    err = info.value
    assert "empty" in err.message.lower()
    assert err.hint and "Sybiga" in err.user_message()
    assert err.status == 400


def test_question_over_the_limit_names_the_limit(bot):
    with pytest.raises(InvalidInput) as info:
        bot.check_question("why " * 60)
    message = info.value.user_message()
    assert "100" in message and "limit" in message
    assert "NEWSDESK_MAX_QUESTION_CHARS" in message


def test_limit_is_inclusive_and_counted_after_normalising(bot):
    assert len(bot.check_question("a" * 100)) == 100
    assert bot.check_question("  " + "b" * 100 + "   \n") == "b" * 100
    with pytest.raises(InvalidInput):
        bot.check_question("c" * 101)


def test_default_limit_is_1000_characters(tmp_path, fake_embedder_cls):
    bot = Assistant.from_settings(load_settings(data_dir=tmp_path), embedder=fake_embedder_cls())
    bot.check_question("x" * 1000)
    with pytest.raises(InvalidInput, match="1,000"):
        bot.check_question("x" * 1001)


def test_control_characters_are_stripped_and_whitespace_collapsed(bot):
    assert bot.check_question("What did\x00 Sybiga\x1b say?\x07") == "What did Sybiga say?"
    assert bot.check_question("  What\tdid\r\nSybiga   say? ") == "What did Sybiga say?"
    assert bot.check_question("Who is Tymur\u2028Tkachenko?") == "Who is Tymur Tkachenko?"


def test_unicode_letters_and_quotes_are_kept(bot):
    q = "What did “Zelensky” say about Kyiv’s 東京 talks? 😀"
    assert bot.check_question(q) == q


def test_non_text_is_invalid(bot):
    with pytest.raises(InvalidInput):
        bot.check_question(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        bot.check_question(b"What did Sybiga say?")  # type: ignore[arg-type]


def test_ask_and_search_validate_before_touching_the_index(bot):
    for call in (bot.ask, bot.search):
        with pytest.raises(InvalidInput):
            call("   ")
    assert bot.embedder.embedded == []
