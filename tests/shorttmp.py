"""A temporary directory with a short path, for the TMPDIR of a crawl run in a subprocess.

Chromium puts its singleton socket under TMPDIR and aborts when a Unix socket's path passes
107 bytes; pytest's `tmp_path` (longer still under pytest-xdist's workers) can pass that."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def short_tmpdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="vigie-t") as name:
        yield Path(name)
