"""Make the project root importable when pytest is run as ``.venv/bin/pytest``.

tests/corpus has no __init__.py on purpose: as a package it would be named
``corpus`` and shadow the package under test.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path (text as UTF-8, or raw bytes) and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
