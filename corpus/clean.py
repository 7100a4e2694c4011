"""Text hygiene for loaded articles: strict decoding, whitespace, boilerplate.

Everything in an article body becomes a passage that can be retrieved and cited,
so site furniture (comment forms, share bars, "Related posts") must go here,
before indexing. The rules are deliberately conservative: a rule only removes a
whole line that matches a known furniture form, or a trailer that starts at a
known heading late in the text. Ordinary sentences are never cut.
"""

from __future__ import annotations

import logging
import re

from corpus.errors import InvalidInput

log = logging.getLogger(__name__)

_BOM = b"\xef\xbb\xbf"
_NBSPS = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\ufeff": ""})

# A heading that starts the trailer of a page (comments, related links, sources).
# Matched against a whole line, ignoring case, markdown '#' marks and a trailing colon.
_TRAILER_HEADINGS = re.compile(
    r"(leave a (reply|comment)( cancel reply)?|post a comment|add a comment"
    r"|(\d+ )?comments?( \(\d+\))?|\d+ (responses|replies)|join the (conversation|discussion)"
    r"|related (articles|posts|news|stories|content|coverage)|more stories|you may also like"
    r"|share this( article| story)?|sources|see also|external links|sister links)",
    re.IGNORECASE,
)
# Only a heading in the last part of the text starts a trailer: a "Comments"
# line near the top is more likely a section of the article itself.
TRAILER_START = 0.6

# Whole lines that are furniture wherever they appear. Each pattern must match
# the entire (stripped) line, and lines longer than _MAX_FURNITURE are kept.
_FURNITURE = re.compile(
    r"(your email address will not be published\b.*"
    r"|required fields are marked\b.*"
    r"|share (this (article|story|post) )?(on|via|to) \w+.*"
    r"|share this( article| story| post)?:?"
    r"|click to (share|email|print)\b.*"
    r"|(subscribe|sign up) (to|for) (our|the) newsletter\b.*"
    r"|-* ?advertisements? ?-*"
    r"|follow us on\b.*"
    r"|(photo|image|picture|photograph)s?( credit)?\s*:.*"
    r"|(read more|read also|also read)\s*:.*)",
    re.IGNORECASE,
)
_MAX_FURNITURE = 200

_SENTENCE_PUNCT = re.compile(r"[.!?:;\"“”]")
_WORD = re.compile(r"[\w'’-]+")


def decode_utf8(data: bytes, *, offset: int = 0) -> str:
    """Decode strictly as UTF-8 (a BOM is accepted and dropped).

    Guessing another encoding would silently corrupt quotes that end up cited,
    so a bad byte is an error that names its position. ``offset`` is where
    ``data`` starts in its file, so the reported position is the file's.
    """
    if data.startswith(_BOM):
        data, offset = data[len(_BOM):], offset + len(_BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = data[err.start]
        raise InvalidInput(
            f"not valid UTF-8 (byte 0x{bad:02x} at offset {offset + err.start}); "
            "save the file as UTF-8"
        ) from None


def normalise_text(text: str) -> str:
    r"""Uniform whitespace: ``\n`` newlines, plain spaces, no trailing blanks.

    Paragraphs stay separated by one blank line; runs of blank lines collapse.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_NBSPS)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def normalise_title(title: str) -> str:
    """A title is one line with single spaces."""
    return " ".join(title.translate(_NBSPS).split())


def strip_boilerplate(body: str, title: str = "") -> str:
    """Remove comment forms and site furniture from an article body.

    Rules, in order:

    1. Trailer: from a line that is only a trailer heading ("Leave a Reply",
       "Comments", "Related posts", "Share this:", "Sources", "Related news", ...)
       to the end, if that line starts in the last 40% of the text.
    2. Furniture lines, anywhere, if the whole line matches and is short:
       "Your email address will not be published.", "Required fields are
       marked *", "Share on Facebook", "Click to share ...", "Subscribe to our
       newsletter", "Advertisement", "Follow us on ...", "Photo: ..." /
       "Image: ..." credits, "Read more: ...".
    3. Caption residue: the first line of the body is dropped if it has one or
       two words, no sentence punctuation, and every word occurs in ``title``
       (e.g. a stray "Zelensky" under "Zelensky Calls for ..."). Needs ``title``.

    The result is normalised (see ``normalise_text``).
    """
    text = normalise_text(body)
    text = _cut_trailer(text)
    lines = [line for line in text.split("\n") if not _is_furniture(line)]
    text = normalise_text("\n".join(lines))
    if title:
        text = _drop_caption_residue(text, title)
    return text


def _heading_text(line: str) -> str:
    """The text of a line seen as a heading: no '#' marks, emphasis or end colon."""
    return line.strip().lstrip("#").strip().strip("*_").strip().rstrip(":").strip()


def _cut_trailer(text: str) -> str:
    position = 0
    for line in text.split("\n"):
        if position >= TRAILER_START * len(text) and _TRAILER_HEADINGS.fullmatch(_heading_text(line)):
            log.debug("cut trailer from %r (%d of %d chars)", line, position, len(text))
            return text[:position]
        position += len(line) + 1
    return text


def _is_furniture(line: str) -> bool:
    stripped = line.strip().strip("*_").strip()
    return bool(stripped) and len(stripped) <= _MAX_FURNITURE and bool(_FURNITURE.fullmatch(stripped))


def _drop_caption_residue(text: str, title: str) -> str:
    first, sep, rest = text.partition("\n")
    words = _WORD.findall(first.casefold())
    title_words = set(_WORD.findall(title.casefold()))
    if (sep and rest.strip() and 1 <= len(words) <= 2 and len(first.split()) <= 2
            and not _SENTENCE_PUNCT.search(first) and set(words) <= title_words):
        log.debug("dropped caption residue %r", first)
        return rest.lstrip("\n")
    return text
