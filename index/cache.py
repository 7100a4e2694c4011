"""Where Newsdesk keeps files it derives once per machine (tokenizer ranks, exported models)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir(kind: str) -> Path:
    """``$XDG_CACHE_HOME/newsdesk/<kind>`` (``~/.cache`` by default; the temp dir if not writable)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    if not os.access(base if base.exists() else base.parent, os.W_OK):
        base = Path(tempfile.gettempdir())
    return base / "newsdesk" / kind
