"""Vigie's persistence: SQLModel tables on SQLite (default) or PostgreSQL, behind `Store`."""

from __future__ import annotations

from storage.errors import BadDatabaseURL, CorruptRecord, StorageError, UnknownAd
from storage.records import StoredAd, StoredVersion
from storage.repository import SaveOutcome, Store

__all__ = [
    "BadDatabaseURL",
    "CorruptRecord",
    "SaveOutcome",
    "StorageError",
    "Store",
    "StoredAd",
    "StoredVersion",
    "UnknownAd",
]
