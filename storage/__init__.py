"""Vigie's persistence: SQLModel tables on SQLite (default) or PostgreSQL, behind `Store`.

The names below are imported on first use (PEP 562): importing a light module of the package
(`storage.roles`, `storage.exchange.model`…) does not load SQLModel, SQLAlchemy and the store,
so that the command line's `--help` stays fast (issue 18.4).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.errors import BadDatabaseURL, CorruptRecord, StorageError, UnknownAd
    from storage.records import StoredAd, StoredVersion
    from storage.repository import SaveOutcome, Store

_HOME = {
    "BadDatabaseURL": "storage.errors",
    "CorruptRecord": "storage.errors",
    "StorageError": "storage.errors",
    "UnknownAd": "storage.errors",
    "StoredAd": "storage.records",
    "StoredVersion": "storage.records",
    "SaveOutcome": "storage.repository",
    "Store": "storage.repository",
}

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


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
