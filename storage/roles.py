"""What an account of the review app can be: its role, police zone and language (plain constants,
importable without the store: the command line's `--help` lists them)."""

from __future__ import annotations

ROLES = ("viewer", "investigator", "admin")
"""Ordered by power: each role can do everything the previous one can."""
ZONES = ("5339", "5340", "5341", "5342", "5343", "5344")
LANGS = ("fr", "nl", "en")
