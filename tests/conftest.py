"""Fixtures for the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.shorttmp import short_tmpdir


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A TMPDIR for a crawl subprocess (see `tests.shorttmp`), removed after the test."""
    with short_tmpdir() as path:
        yield path
