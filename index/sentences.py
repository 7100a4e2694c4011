"""Sentence boundaries with character offsets.

Line breaks are hard boundaries (news bodies put one paragraph per line); inside a
line, blingfire's finite-state splitter finds sentence ends (it knows "Mr.", "U.S.",
"p.m." and keeps closing quotation marks with their sentence).
"""

from __future__ import annotations

import re
from functools import lru_cache

import blingfire

_LINE = re.compile(r"[^\n]+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` character spans of the sentences of ``text``, in order.

    Spans never cross a line break and never start or end with whitespace.
    """
    return list(_spans(text))


@lru_cache(maxsize=4096)  # answers split the same passages again and again
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        segment = line.group()
        if not segment.strip():
            continue
        base = line.start()
        _, offsets = blingfire.text_to_sentences_and_offsets(segment)
        for s, e in offsets:
            s, e = _trim(segment, s, e)
            if e > s:
                spans.append((base + s, base + e))
    return tuple(spans)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def quote_open_after(text: str, is_open: bool = False) -> bool:
    """Whether a quotation is still open after ``text`` (curly or straight marks), given
    whether one was open before it."""
    for ch in text:
        if ch == "“":
            is_open = True
        elif ch == "”":
            is_open = False
        elif ch == '"':
            is_open = not is_open
    return is_open
