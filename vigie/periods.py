"""Bounds of the retention and review periods (VIGIE_RETENTION_MONTHS, VIGIE_REVIEW_MONTHS and the
commands' --older-than / --review-months), importable without the settings' pydantic."""

from __future__ import annotations

MAX_MONTHS = 120
