"""The audit trail's hash chain (issue 19.6): an edited or removed entry is found; the trail's
own retention purge leaves a chain that still verifies, anchored at the purge record."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session

from storage.audit import AuditLog, new_entry
from storage.auditchain import GENESIS, purge_audit, verify
from storage.engine import write_engine
from storage.repository import Store

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def _fill(log: AuditLog, n: int, start: datetime = T0) -> None:
    for i in range(n):
        log.record(actor=f"user{i % 3}", action="search", zone="5339", object_id=f"+3247000{i:04d}",
                   reason=f"PV {i}", details={"hits": i, "zones": ["5339"]},
                   at=start + timedelta(days=i))


def test_an_untouched_trail_verifies_and_links_every_entry(store: Store) -> None:
    log = AuditLog(store.engine)
    _fill(log, 6)
    with store.engine.connect() as conn:
        result = verify(conn)
    assert result.ok, result.breaks
    assert result.entries == 6
    entries = sorted(log.entries(), key=lambda e: e.id)
    assert entries[0].prev_hash == GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    assert result.head_hash == entries[-1].entry_hash


def test_an_edited_entry_is_found(store: Store) -> None:
    log = AuditLog(store.engine)
    _fill(log, 5)
    third = sorted(e.id for e in log.entries())[2]
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET object_id = '+32470999999' WHERE id = :id"),
                     {"id": third})
    with store.engine.connect() as conn:
        result = verify(conn)
    assert [(b.entry_id, b.problem) for b in result.breaks] == [(third, "changed")]


def test_an_edit_with_its_hash_recomputed_breaks_the_next_link(store: Store) -> None:
    log = AuditLog(store.engine)
    _fill(log, 4)
    ids = sorted(e.id for e in log.entries())
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET entry_hash = :h WHERE id = :id"),
                     {"h": "f" * 64, "id": ids[1]})
    with store.engine.connect() as conn:
        problems = {(b.entry_id, b.problem) for b in verify(conn).breaks}
    assert problems == {(ids[1], "changed"), (ids[2], "missing_before")}


def test_a_removed_entry_is_found(store: Store) -> None:
    log = AuditLog(store.engine)
    _fill(log, 5)
    ids = sorted(e.id for e in log.entries())
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": ids[2]})
    with store.engine.connect() as conn:
        result = verify(conn)
    assert [(b.entry_id, b.problem) for b in result.breaks] == [(ids[3], "missing_before")]


def test_removing_the_oldest_entries_without_a_purge_is_found(store: Store) -> None:
    log = AuditLog(store.engine)
    _fill(log, 4)
    ids = sorted(e.id for e in log.entries())
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE id <= :id"), {"id": ids[1]})
    with store.engine.connect() as conn:
        result = verify(conn)
    assert [(b.entry_id, b.problem) for b in result.breaks] == [(ids[2], "bad_start")]


def test_entries_added_in_a_callers_transaction_are_chained_in_order(store: Store) -> None:
    log = AuditLog(store.engine)
    _fill(log, 2)
    with Session(write_engine(store.engine)) as session:
        session.add_all([new_entry(actor="dpo", action="purge", details={"n": n})
                         for n in range(5)])
        session.commit()
    with store.engine.connect() as conn:
        result = verify(conn)
    assert result.ok, result.breaks
    assert result.entries == 7


def test_concurrent_writers_keep_one_chain(store: Store) -> None:
    log = AuditLog(store.engine)
    start = threading.Barrier(4)

    def write(worker: int) -> None:
        start.wait()
        for i in range(10):
            log.record(actor=f"w{worker}", action="view_ad", object_id=str(i))

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.engine.connect() as conn:
        result = verify(conn)
    assert result.entries == 40
    assert result.ok, result.breaks


def test_the_trails_retention_purge_is_recorded_and_the_chain_still_verifies(
    store: Store,
) -> None:
    log = AuditLog(store.engine)
    _fill(log, 10)  # one a day from T0
    cutoff = T0 + timedelta(days=6)
    with write_engine(store.engine).begin() as conn:
        dry = purge_audit(conn, cutoff=cutoff, months=24, actor="dpo", zone="5339", dry_run=True)
    assert (dry.removed, dry.record_id) == (6, None)
    assert len(log.entries(limit=100)) == 10
    with write_engine(store.engine).begin() as conn:
        done = purge_audit(conn, cutoff=cutoff, months=24, actor="dpo", zone="5339")
    assert done.removed == 6
    left = log.entries(limit=100)
    assert len(left) == 5  # four kept and the purge's own record
    (record,) = [e for e in left if e.action == "audit_purge"]
    assert record.details["removed"] == 6
    assert record.actor == "dpo"
    with store.engine.connect() as conn:
        result = verify(conn)
    assert result.ok, result.breaks
    assert result.anchored_at == min(e.id for e in left)
    # the purge record itself is chained: editing it is found like any other edit
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET details = :d WHERE id = :id"),
                     {"d": '{"removed": 1}', "id": record.id})
    with store.engine.connect() as conn:
        assert not verify(conn).ok


def test_migration_0005_chains_the_entries_written_before_it(blank_url: str) -> None:
    from sqlalchemy import insert

    from storage.audit import AuditEntry
    from storage.engine import make_engine
    from storage.migrations import runner

    engine = make_engine(blank_url)
    try:
        runner.upgrade(engine, "0003")
        table = AuditEntry.__table__  # type: ignore[attr-defined]
        with engine.begin() as conn:  # rows of a trail written before the chain existed
            for i in range(3):
                conn.execute(insert(table.c.at.table).values(
                    at=T0 + timedelta(hours=i), actor="ana", action="login", details={"i": i}))
        runner.upgrade(engine)
        with engine.connect() as conn:
            result = verify(conn)
        assert result.ok, result.breaks
        assert result.entries == 3
    finally:
        engine.dispose()
