"""What every ``newsdesk`` command shares: the consoles, logging, the Assistant, errors."""

from __future__ import annotations

import logging
import sys

import typer
from rich.console import Console

from corpus import NewsdeskError

out = Console()
err = Console(stderr=True)


def _setup_logging(level: str) -> None:
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO),
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _assistant():
    from .config import load_settings
    from .core import Assistant

    settings = load_settings()
    _setup_logging(settings.log_level)
    return Assistant.from_settings(settings)


def _fail(exc: NewsdeskError) -> None:
    err.print(f"[bold red]error:[/] {exc.user_message()}", highlight=False)
    raise typer.Exit(2)
