"""SQLite with several writers (issue #17, point 1): every transaction not marked read-only takes
the write lock first (BEGIN IMMEDIATE) and waits for it, so a transaction that reads and then
writes never fails with "database is locked" because another writer committed in between."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from storage.engine import make_engine, read_engine
from storage.errors import BadDatabaseURL
from storage.repository import Store
from storage.runs import CrawlRunRow, RunLog

CHANCE_S = 1.0
"""How long the test lets another writer run before going on. In the fixed code that writer is
blocked by then, whatever the load; on the code before the fix it had committed (on a loaded
machine it may not have: the test then passes there too, never fails wrongly here)."""


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with Store.open(f"sqlite:///{tmp_path / 'db' / 'vigie.db'}") as store:
        yield store.engine


def _in_thread(work: object) -> tuple[threading.Thread, threading.Event, list[BaseException]]:
    done, errors = threading.Event(), []

    def run() -> None:
        try:
            work()  # type: ignore[operator]
        except BaseException as exc:  # handed to the test
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done, errors


def test_a_read_then_write_transaction_waits_for_another_writer(engine: Engine) -> None:
    runlog = RunLog(engine)
    run_id = runlog.start(site="demo-static", zone="5339")
    with Session(engine) as session:  # like finishing a run: read the row, then write it
        row = session.exec(select(CrawlRunRow).where(CrawlRunRow.id == run_id)).one()
        other, other_done, other_errors = _in_thread(
            lambda: runlog.start(site="demo-js", zone="5340")  # another process's write
        )
        other_done.wait(CHANCE_S)
        row.status = "ok"
        session.add(row)
        session.commit()  # before the fix: "database is locked" (a stale snapshot cannot write)
    other.join()
    assert other_errors == []
    assert [(r.site, r.status) for r in reversed(runlog.runs())] == [
        ("demo-static", "ok"),
        ("demo-js", "running"),
    ]


def test_read_only_transactions_do_not_wait_for_a_writer(engine: Engine) -> None:
    RunLog(engine).start(site="demo-static", zone=None)
    with engine.connect() as writer:
        writer.execute(text("UPDATE crawl_run SET status = 'ok'"))  # holds the write lock
        with read_engine(engine).connect() as reader:  # reads the last committed state
            assert reader.execute(text("SELECT status FROM crawl_run")).scalar_one() == "running"
        writer.commit()


def test_the_busy_timeout_comes_from_the_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'vigie.db'}?timeout=0.05"
    with Store.open(url) as store, store.engine.connect() as holder:
        holder.execute(text("DELETE FROM crawl_run"))  # holds the write lock
        with pytest.raises(OperationalError, match="database is locked"):
            RunLog(store.engine).start(site="demo-static", zone=None)
        with read_engine(store.engine).connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 50
        holder.rollback()


@pytest.mark.parametrize("given", ["nan", "-1", "soon", "100000"])
def test_a_bad_busy_timeout_is_refused_before_anything_is_created(
    tmp_path: Path, given: str
) -> None:
    expected = f"timeout: expected 0 to 86400 seconds, got '{given}'"
    with pytest.raises(BadDatabaseURL, match=expected):
        make_engine(f"sqlite:///{tmp_path / 'db' / 'vigie.db'}?timeout={given}")
    assert not (tmp_path / "db").exists()
