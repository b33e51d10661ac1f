"""Tamper evidence for the audit trail: a hash chain over its entries (issue 19.6).

Each entry carries `prev_hash`, the hash of the entry before it (by id), and `entry_hash`, the
SHA-256 of its own content together with `prev_hash`. Changing an entry breaks its own hash;
removing one breaks the link of the entry after it; changing an entry *and* its hash breaks the
link of the next. The chain is extended as entries are flushed, whatever code adds them
(`AuditLog.record` or `new_entry` in a caller's own transaction): on PostgreSQL under a
transaction-level advisory lock, so concurrent writers queue; on SQLite the database's single
writer lock orders them.

The trail's own retention (`purge_audit`) removes the oldest entries and records that it did,
with the hash of the last entry removed: that record is the anchor from which `verify` accepts
the chain to start. Removing the newest entries leaves no broken link: `verify` reports the head
(last id and hash) so that the data-protection officer can note it and compare next time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import UOWTransaction
from sqlalchemy.orm.attributes import instance_state

from storage.columns import as_utc

GENESIS = "0" * 64
"""`prev_hash` of the very first entry of a trail."""
PURGE_ACTION = "audit_purge"
_LOCK_KEY = 0x5649_4741_5544  # "VIGAUD": the advisory lock that orders audit writers


def entry_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor: str,
    zone: str | None,
    action: str,
    object_type: str | None,
    object_id: str | None,
    reason: str | None,
    details: Any,
) -> str:
    """SHA-256 (hex) of an entry's content and the previous entry's hash (version 1 layout)."""
    content = [
        "vigie-audit-v1", prev_hash, as_utc(at).isoformat(timespec="microseconds"), actor, zone,
        action, object_type, object_id, reason, details or {},
    ]
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def hash_of(entry: Any, prev_hash: str) -> str:
    """The hash of an AuditEntry (or any object with the same attributes)."""
    return entry_hash(
        prev_hash=prev_hash, at=entry.at, actor=entry.actor, zone=entry.zone,
        action=entry.action, object_type=entry.object_type, object_id=entry.object_id,
        reason=entry.reason, details=entry.details,
    )


def last_hash(connection: Connection) -> str:
    """The newest entry's hash, GENESIS for an empty trail."""
    row = connection.execute(
        text("SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1")
    ).first()
    return str(row[0]) if row and row[0] else GENESIS


def lock_chain(connection: Connection) -> None:
    """Order the writers of the chain (PostgreSQL; SQLite has a single writer already)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _chain_new_entries(session: OrmSession, _flush: UOWTransaction, _instances: object) -> None:
    from storage.audit import AuditEntry

    new = [obj for obj in session.new if isinstance(obj, AuditEntry)]
    if not new:
        return
    new.sort(key=lambda obj: instance_state(obj).insert_order or 0)  # the order of their ids
    connection = session.connection()
    lock_chain(connection)
    previous = last_hash(connection)
    for entry in new:
        entry.prev_hash = previous
        entry.entry_hash = previous = hash_of(entry, previous)


event.listen(OrmSession, "before_flush", _chain_new_entries)


@dataclass(frozen=True, slots=True)
class Break:
    """One place where the chain does not hold."""

    entry_id: int
    problem: str  # "changed" | "missing_before" | "bad_start"

    def describe(self) -> str:
        if self.problem == "changed":
            return f"entry {self.entry_id} was changed after it was written"
        if self.problem == "missing_before":
            return f"entries removed (or changed) just before entry {self.entry_id}"
        return (f"the trail starts at entry {self.entry_id}, which follows no recorded purge: "
                "older entries were removed")


@dataclass(slots=True)
class Verification:
    entries: int = 0
    breaks: list[Break] = field(default_factory=list)
    head_id: int | None = None
    head_hash: str | None = None
    anchored_at: int | None = None  # the purge record the chain starts from, if any

    @property
    def ok(self) -> bool:
        return not self.breaks


def _rows(connection: Connection, batch: int = 2000) -> Iterator[Any]:
    from storage.audit import AuditEntry

    table = AuditEntry.__table__  # type: ignore[attr-defined]
    after = 0
    while True:
        rows = connection.execute(
            table.select().where(table.c.id > after).order_by(table.c.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id


def _anchors(connection: Connection) -> set[str]:
    from storage.audit import AuditEntry

    table = AuditEntry.__table__  # type: ignore[attr-defined]
    rows = connection.execute(
        table.select().where(table.c.action == PURGE_ACTION).order_by(table.c.id)
    ).all()
    return {str(r.details.get("anchor")) for r in rows if isinstance(r.details, dict)}


def verify(connection: Connection) -> Verification:
    """Walk the whole trail, oldest first, checking every hash and every link."""
    result = Verification()
    anchors = _anchors(connection)
    previous: str | None = None
    for row in _rows(connection):
        result.entries += 1
        if previous is None:
            if row.prev_hash != GENESIS:
                if row.prev_hash in anchors:
                    result.anchored_at = row.id
                else:
                    result.breaks.append(Break(row.id, "bad_start"))
        elif row.prev_hash != previous:
            result.breaks.append(Break(row.id, "missing_before"))
        if row.entry_hash != hash_of(row, row.prev_hash or ""):
            result.breaks.append(Break(row.id, "changed"))
        previous = row.entry_hash
        result.head_id, result.head_hash = row.id, row.entry_hash
    return result


@dataclass(frozen=True, slots=True)
class AuditPurge:
    cutoff: datetime
    removed: int
    record_id: int | None  # the entry recording the purge (None on a dry run)


def purge_audit(
    connection: Connection, *, cutoff: datetime, months: int, actor: str, zone: str | None,
    dry_run: bool = False,
) -> AuditPurge:
    """Remove the entries older than `cutoff` (the oldest unbroken run of them, so the chain
    stays whole) and record the purge, anchored at the hash of the last entry removed.

    Runs in the caller's transaction (`connection`), which must be a writing one."""
    from storage.audit import AuditEntry, new_entry

    table = AuditEntry.__table__  # type: ignore[attr-defined]
    lock_chain(connection)
    first_kept = connection.execute(
        select(func.min(table.c.id)).where(table.c.at >= as_utc(cutoff))
    ).scalar()
    doomed = table.c.id < first_kept if first_kept is not None else table.c.id.is_not(None)
    last = connection.execute(
        table.select().where(doomed).order_by(table.c.id.desc()).limit(1)
    ).first()
    removed = int(connection.execute(select(func.count()).where(doomed)).scalar() or 0)
    if dry_run or last is None:
        return AuditPurge(cutoff=cutoff, removed=removed, record_id=None)
    connection.execute(table.delete().where(doomed))
    record = new_entry(
        actor=actor, action=PURGE_ACTION, zone=zone, object_type="audit",
        details={"removed": removed, "cutoff": as_utc(cutoff).isoformat(), "months": months,
                 "last_removed": last.id, "anchor": last.entry_hash},
    )
    with OrmSession(bind=connection) as session:
        session.add(record)
        session.flush()
        record_id = record.id
    return AuditPurge(cutoff=cutoff, removed=removed, record_id=record_id)
