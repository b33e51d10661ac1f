"""Where the risk model's files are, and what it predicts: plain constants, importable without
scikit-learn (the command line's options show them as defaults in `--help`)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_DIR = Path(__file__).parent / "artefact"
DEFAULT_STEM = DEFAULT_DIR / "risk"
DATA_DIR = Path(__file__).parent / "data"  # the synthetic and hand-written labelled ads
TARGETS = ("minor", "trafficking")
