"""The audit trail (Directive (EU) 2016/680 art. 25): who did what, when, to which object, why.

Append-only from the application: this module records and reads entries, nothing updates or
deletes them. Every consultation of personal data (a view, a search), every decision, watchlist
change, export, import and erasure is recorded by the layer that performs it. A retention purge
(`purge`) writes one entry per erased ad, naming it only by a non-reversible reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Text
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, func, select

import storage.auditchain  # noqa: F401 — chains every entry as it is flushed
from storage.columns import JSONDocument, UTCDateTime

ACTIONS = frozenset(
    {
        "login",
        "login_failed",
        "logout",
        "view_ad",
        "view_network",
        "view_networks",
        "view_queue",
        "view_dashboard",
        "view_watchlists",
        "view_audit",
        "search",
        "decision",
        "watchlist_change",
        "export",
        "import",
        "erase",
        "purge",
        "retention_report",
        "user_change",
        "audit_export",
        "audit_verify",
        "audit_purge",
    }
)


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str = Field(index=True)
    zone: str | None = None
    action: str = Field(index=True)
    object_type: str | None = None
    object_id: str | None = Field(default=None, sa_type=Text)
    reason: str | None = Field(default=None, sa_type=Text)
    details: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONDocument, nullable=False)
    )
    prev_hash: str | None = None
    """The hash of the entry before this one (storage/auditchain.py): set as it is flushed."""
    entry_hash: str | None = None
    """SHA-256 of this entry's content and `prev_hash`."""


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One entry of the trail, as callers read it."""

    id: int
    at: datetime
    actor: str
    zone: str | None
    action: str
    object_type: str | None
    object_id: str | None
    reason: str | None
    details: dict[str, Any]
    prev_hash: str | None = None
    entry_hash: str | None = None


def new_entry(
    *,
    actor: str,
    action: str,
    zone: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """A checked entry, not yet added: for a caller that records it in its own transaction
    (so that the entry and what it records commit together, or neither does)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; expected one of {sorted(ACTIONS)}")
    if not actor:
        raise ValueError("an audit entry needs an actor")
    return AuditEntry(
        at=at or datetime.now(UTC),
        actor=actor,
        zone=zone,
        action=action,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        details=details or {},
    )


class AuditLog:
    """Records and reads the trail. There is deliberately no way to change an entry."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine  # the schema (create_schema) includes the audit table

    def record(
        self,
        *,
        actor: str,
        action: str,
        zone: str | None = None,
        object_type: str | None = None,
        object_id: str | None = None,
        reason: str | None = None,
        details: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> int:
        entry = new_entry(
            actor=actor,
            action=action,
            zone=zone,
            object_type=object_type,
            object_id=object_id,
            reason=reason,
            details=details,
            at=at,
        )
        from storage.engine import write_engine  # storage.engine imports this module

        with Session(write_engine(self._engine)) as session:
            session.add(entry)
            session.commit()
            assert entry.id is not None  # noqa: S101 — set by the database on commit
            return entry.id

    def entries(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        zone: str | None = None,
        object_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditRecord]:
        """Newest first, filtered."""
        query = select(AuditEntry)
        for column, value in (
            (AuditEntry.actor, actor),
            (AuditEntry.action, action),
            (AuditEntry.zone, zone),
            (AuditEntry.object_id, object_id),
        ):
            if value is not None:
                query = query.where(col(column) == value)
        if since is not None:
            query = query.where(col(AuditEntry.at) >= since)
        if until is not None:
            query = query.where(col(AuditEntry.at) < until)
        query = query.order_by(col(AuditEntry.id).desc()).offset(offset).limit(limit)
        with Session(self._engine) as session:
            return [_record(e) for e in session.exec(query)]

    def iter_entries(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        batch: int = 1000,
    ) -> Iterator[AuditRecord]:
        """Oldest first, filtered, read a batch at a time (an export of any size)."""
        after = 0
        while True:
            query = select(AuditEntry).where(col(AuditEntry.id) > after)
            if actor is not None:
                query = query.where(col(AuditEntry.actor) == actor)
            if action is not None:
                query = query.where(col(AuditEntry.action) == action)
            if since is not None:
                query = query.where(col(AuditEntry.at) >= since)
            if until is not None:
                query = query.where(col(AuditEntry.at) < until)
            with Session(self._engine) as session:
                rows = [_record(e) for e in session.exec(
                    query.order_by(col(AuditEntry.id)).limit(batch))]
            if not rows:
                return
            yield from rows
            after = rows[-1].id

    def count(self, *, action: str | None = None) -> int:
        query = select(func.count()).select_from(AuditEntry)
        if action is not None:
            query = query.where(col(AuditEntry.action) == action)
        with Session(self._engine) as session:
            return int(session.exec(query).one())


def _record(e: AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=e.id or 0, at=e.at, actor=e.actor, zone=e.zone, action=e.action,
        object_type=e.object_type, object_id=e.object_id, reason=e.reason,
        details=dict(e.details), prev_hash=e.prev_hash, entry_hash=e.entry_hash,
    )
