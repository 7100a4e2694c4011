"""Fixtures of the corpus tests.

tests/corpus has no __init__.py on purpose: as a package it would be named
``corpus`` and shadow the package under test.
"""

import pytest


@pytest.fixture
def write(write_file):
    """Write a file under tmp_path (text as UTF-8, or raw bytes) and return its path."""
    return write_file
