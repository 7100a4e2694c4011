"""Articles and the files they come from: the bottom layer of Newsdesk.

``load_paths(["corpus/articles"])`` reads .txt/.md/.json/.jsonl/.html files into
cleaned ``Article``s with stable ids, and lists what it could not use as
``LoadProblem``s instead of raising. ``BUNDLED_DIR`` is the demo corpus shipped
with the package.
"""

from __future__ import annotations

from pathlib import Path

from corpus.article import Article, stable_id
from corpus.errors import InvalidInput, NewsdeskError, TooLarge
from corpus.loaders import SUPPORTED_SUFFIXES, LoadProblem, LoadResult, load_bytes, load_file, load_paths

BUNDLED_DIR: Path = Path(__file__).resolve().parent / "articles"

__all__ = [
    "Article",
    "stable_id",
    "NewsdeskError",
    "InvalidInput",
    "TooLarge",
    "LoadProblem",
    "LoadResult",
    "load_paths",
    "load_file",
    "load_bytes",
    "SUPPORTED_SUFFIXES",
    "BUNDLED_DIR",
]
