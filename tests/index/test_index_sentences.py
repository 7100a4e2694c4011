"""index.sentences: sentence spans with character offsets."""

from __future__ import annotations

import pytest

from corpus import BUNDLED_DIR, load_paths
from index import sentence_spans

TEXTS = [
    "Mr. Smith went to the U.S. yesterday. He said hi.",
    "“Seven lives were taken,” said Tymur Tkachenko. “Among them was a child.” Then more.",
    "Line one\nline two. Line three.\n\n  Indented sentence.  \n",
    "Windows line\r\nends here. Really.\r\n",
    "  leading and trailing whitespace.   Two spaces between.  ",
    "No final punctuation",
    "Emoji 😀 inside. 東京都で会議が開かれた。 Then English again!",
    "\n\n\n",
    "",
]


def _check_invariants(text: str) -> list[tuple[int, int]]:
    spans = sentence_spans(text)
    previous_end = 0
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert s >= previous_end, "spans are in order and do not overlap"
        piece = text[s:e]
        assert piece == piece.strip(), f"whitespace at an end: {piece!r}"
        assert "\n" not in piece, f"span crosses a line break: {piece!r}"
        previous_end = e
    return spans


@pytest.mark.parametrize("text", TEXTS)
def test_spans_are_inside_text_trimmed_and_never_cross_a_line_break(text):
    spans = _check_invariants(text)
    # every non-space character of the text is in some sentence
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(ch.isspace() for i, ch in enumerate(text) if i not in covered)


def test_invariants_hold_on_the_bundled_corpus():
    for article in load_paths([BUNDLED_DIR]).articles[::3]:
        _check_invariants(article.body)


def test_empty_and_blank_text_have_no_sentences():
    assert sentence_spans("") == []
    assert sentence_spans("   \n \n\t ") == []


def test_line_breaks_are_hard_boundaries():
    text = "A heading without a full stop\nThe first sentence follows. A second one."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "A heading without a full stop", "The first sentence follows.", "A second one."]


@pytest.mark.parametrize("text, expected", [
    ("Mr. Smith went to Washington. He met the press.",
     ["Mr. Smith went to Washington.", "He met the press."]),
    ("The U.S. Senate voted on Tuesday. The bill passed.",
     ["The U.S. Senate voted on Tuesday.", "The bill passed."]),
    ("Mrs. Jones and Mr. Brown arrived at 3 p.m. on Friday. They left early.",
     ["Mrs. Jones and Mr. Brown arrived at 3 p.m. on Friday.", "They left early."]),
])
def test_abbreviations_do_not_end_a_sentence(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def test_closing_curly_quotes_stay_with_their_sentence():
    text = ("“President Trump has been very generous and patient with Putin,” said Ukraine’s foreign "
            "minister Andriy Sybiga. “It’s time to make him feel the pain and consequences of his "
            "choices. It’s time to put maximum pressure on Moscow.”")
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert got[0].startswith("“President Trump") and got[0].endswith("Andriy Sybiga.")
    assert got[-1] == "It’s time to put maximum pressure on Moscow.”"
    assert "".join(got).replace(" ", "") == text.replace(" ", "")
    for sentence in got:
        assert not sentence.startswith("”"), "a closing quote was split off"


def test_offsets_are_character_offsets_with_non_ascii_text():
    text = "Café “naïve” 😀🇺🇦 test. 東京 is big. Ünïcödé ends."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans][-1] == "Ünïcödé ends."
    assert spans[-1][1] == len(text)
