"""Load article files and folders into Articles, reporting what could not be used.

A batch of files is loaded as far as it can be: a bad file or a bad record
becomes a ``LoadProblem`` (where, and why in plain words) and the rest of the
batch still loads. Nothing here raises for bad input, so one stray file never
stops an ingest; callers show the problems to the person who can fix them.
Duplicate ids are returned as they are: de-duplication belongs to the indexer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus.article import Article
from corpus.errors import InvalidInput
from corpus.formats import PARSERS, Parsed

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".json", ".jsonl", ".html", ".htm")
# Files that sit beside articles but are not articles (checked in folder walks only).
_SKIPPED_PREFIXES = ("readme", "license", "licence")
_SNIFF_BYTES = 8192


@dataclass
class LoadProblem:
    """A file or record that was not loaded.

    ``origin`` is the file ("data/a.html"), the file and 1-based line
    ("data/b.jsonl:17") or the file and 0-based array index ("data/c.json#3").
    """

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass
class LoadResult:
    """The articles of a batch, its problems, and how many files were read."""

    articles: list[Article] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    files: int = 0

    def extend(self, other: LoadResult) -> None:
        """Add another result's articles, problems and file count to this one."""
        self.articles.extend(other.articles)
        self.problems.extend(other.problems)
        self.files += other.files


def load_paths(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> LoadResult:
    """Load files and folders (walked recursively, in sorted order).

    In a folder, hidden files and folders, README*/LICENSE* files and files of
    other types are skipped silently. A path given explicitly is always tried,
    so an unsupported or missing one is reported as a problem.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    result = LoadResult()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path):
                result.extend(load_file(file))
        else:
            result.extend(load_file(path))
    log.info("loaded %d articles from %d files (%d problems)",
             len(result.articles), result.files, len(result.problems))
    return result


def load_file(path: str | os.PathLike[str]) -> LoadResult:
    """Load one file; ``files`` is 1 when the file was of a supported type and existed."""
    path = Path(path)
    origin = str(path)
    if not path.exists():
        return _problem(origin, "no such file or directory")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return load_bytes(origin, b"")
    try:
        data = path.read_bytes()
    except OSError as err:
        return LoadResult(problems=[LoadProblem(origin, f"cannot read the file: {err.strerror or err}")],
                          files=1)
    return load_bytes(origin, data)


def load_bytes(name: str, data: bytes) -> LoadResult:
    """Load one file's content (an upload, say): ``name``'s suffix gives the format and
    ``name`` is the origin reported; nothing is read from or written to disk."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(no suffix)"
        return _problem(name, f"unsupported file type {shown}; supported: {' '.join(SUPPORTED_SUFFIXES)}")
    result = LoadResult(files=1)
    reason = _sniff(data)
    if reason:
        result.problems.append(LoadProblem(name, reason))
    else:
        _parse_into(result, PARSERS[suffix], data, name)
    for problem in result.problems:
        log.debug("problem: %s", problem)
    return result


def _parse_into(result: LoadResult, parser: Callable[[bytes, str], Parsed], data: bytes, origin: str) -> None:
    try:
        for where, item in parser(data, origin):
            if isinstance(item, Article):
                result.articles.append(item)
            else:
                result.problems.append(LoadProblem(where, item.message))
    except InvalidInput as err:
        result.problems.append(LoadProblem(origin, err.message))
    except Exception as err:  # a parser bug or a library failure must not stop the batch
        log.exception("unexpected failure loading %s", origin)
        result.problems.append(LoadProblem(origin, f"could not be loaded ({type(err).__name__}: {err})"))


def _sniff(data: bytes) -> str | None:
    """Reject what is not a text file before any parser sees it."""
    if not data.strip():
        return "file is empty"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16 text; save the file as UTF-8"
    if b"\x00" in data[:_SNIFF_BYTES]:
        return "binary file, not text"
    return None


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.lower().startswith(_SKIPPED_PREFIXES):
                continue
            if Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield Path(root) / name


def _problem(origin: str, reason: str) -> LoadResult:
    log.debug("problem: %s: %s", origin, reason)
    return LoadResult(problems=[LoadProblem(origin, reason)])
