"""What the question benchmarks over the bundled corpus share: their arguments, the question
file read, and the bundled articles indexed with the real model (into a temporary index, or
one kept in ``--data-dir`` that re-runs reuse)."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def arguments(questions: Path, out: Path) -> tuple[argparse.Namespace, list[dict]]:
    """``--questions``, ``--out`` and ``--data-dir``, and the questions' rows."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=Path, default=questions)
    ap.add_argument("--out", type=Path, default=out)
    ap.add_argument("--data-dir", type=Path, help="index here (kept; re-runs reuse it) instead of a temporary one")
    args = ap.parse_args()
    return args, [json.loads(line) for line in args.questions.read_text().splitlines() if line.strip()]


@contextmanager
def bundled_assistant(data_dir: Path | None) -> Iterator:
    """An ``Assistant`` over the bundled corpus, indexed on first use."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NEWSDESK_DATA_DIR"] = str(data_dir or tmp)
        from assistant import Assistant
        from corpus import BUNDLED_DIR

        bot = Assistant.from_settings()
        bot.ingest([BUNDLED_DIR])
        yield bot
