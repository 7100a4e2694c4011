"""What every ``newsdesk`` command shares: the consoles, logging, the Assistant, errors."""

from __future__ import annotations

import logging
import sys
import warnings

import typer
from rich.console import Console

from corpus import NewsdeskError

out = Console()
err = Console(stderr=True)


class _Options:
    verbose = False  # `newsdesk --verbose ...`: log lines and library warnings on stderr


def _setup_logging(level: str, *, quiet: bool = True) -> None:
    """Log to stderr at ``level``; a command's normal output (``quiet``) shows warnings and
    errors only, and no library warnings, unless ``--verbose`` was given."""
    wanted = getattr(logging, level.upper(), logging.INFO)
    if quiet and not _Options.verbose:
        wanted = max(wanted, logging.WARNING)
        warnings.filterwarnings("ignore")
    logging.basicConfig(level=wanted, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3", "bm25s"):
        logging.getLogger(noisy).setLevel(max(wanted, logging.WARNING))


def _assistant(*, quiet: bool = True):
    from .config import load_settings
    from .core import Assistant

    settings = load_settings()
    _setup_logging(settings.log_level, quiet=quiet)
    return Assistant.from_settings(settings)


def _fail(exc: NewsdeskError) -> None:
    err.print(f"[bold red]error:[/] {exc.user_message()}", highlight=False)
    raise typer.Exit(2)
