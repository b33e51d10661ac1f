"""Column types shared by Vigie's tables (UTC datetimes, JSON documents), and their names.

Every table module imports this one before it defines a table, so the naming convention below is
on `SQLModel.metadata` before any constraint is named.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import SQLModel

NAMING_CONVENTION: dict[str, str] = {
    # PostgreSQL's own default names, so a database made by create_all before migrations existed
    # carries the very names the migrations give (SQLite gets the same names).
    "ix": "ix_%(column_0_label)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}
"""Deterministic names for every index and constraint, so that migrations can name them."""

SQLModel.metadata.naming_convention = NAMING_CONVENTION

JSONDocument = JSON().with_variant(JSONB(), "postgresql")
"""A JSON column: JSONB on PostgreSQL, JSON text on SQLite."""


def as_utc(value: datetime) -> datetime:
    """`value` in UTC; a naive datetime is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (UTC), on both databases."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = as_utc(value)
        # SQLite has no timezone type: store the UTC wall-clock time.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):  # SQLite hands back whatever text was stored
            value = datetime.fromisoformat(str(value))
        return as_utc(value)
