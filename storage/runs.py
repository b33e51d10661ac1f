"""Crawl runs: one row per scheduled or manual crawl of a site, with its outcome.

`stats` keeps the run's own counters (Scrapy stats under `vigie/`: pages, caps, retries,
timeouts, redirect loops, malformed pages…) as a JSON object of integers.

Statuses: `running`; then `ok`, `empty` (the site answered but gave no ad) or `failed`, each
with a one-line reason in `message`; or `crashed`: the process that ran it died without saying
so (kill -9, power cut). A running run records its process id and host and beats a heartbeat
(`RunLog.keep_alive`); whoever reads the runs marks `crashed` a run whose process is gone (same
host) or whose heartbeat is older than `STALE_AFTER` (any host).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Text
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from storage.columns import UTCDateTime

log = logging.getLogger(__name__)

STATUSES = ("running", "ok", "empty", "failed", "crashed")
FINISHED = STATUSES[1:4]  # what a run can be finished with by its own process

HEARTBEAT_S = 30.0
STALE_AFTER = timedelta(minutes=10)  # a heartbeat this old: the run's process is gone


class CrawlRunRow(SQLModel, table=True):
    __tablename__ = "crawl_run"

    id: int | None = Field(default=None, primary_key=True)
    site: str = Field(index=True)
    zone: str | None = None
    started_at: datetime = Field(sa_type=UTCDateTime, index=True)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = "running"
    ads_new: int = 0
    ads_changed: int = 0
    ads_unchanged: int = 0
    errors: int = 0
    message: str | None = Field(default=None, sa_type=Text)
    stats: str | None = Field(default=None, sa_type=Text)  # JSON {counter: integer}
    pid: int | None = None
    host: str | None = Field(default=None, sa_type=Text)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


@dataclass(frozen=True, slots=True)
class CrawlRun:
    id: int
    site: str
    zone: str | None
    started_at: datetime
    finished_at: datetime | None
    status: str
    ads_new: int
    ads_changed: int
    ads_unchanged: int
    errors: int
    message: str | None
    stats: dict[str, int] = field(default_factory=dict)


def _counters(text: str | None) -> dict[str, int]:
    """The stats column read back; anything but a JSON object of integers reads as empty."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(k): int(v)
        for k, v in data.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


def _read(row: CrawlRunRow) -> CrawlRun:
    return CrawlRun(
        id=row.id or 0,
        site=row.site,
        zone=row.zone,
        started_at=row.started_at,
        finished_at=row.finished_at,
        status=row.status,
        ads_new=row.ads_new,
        ads_changed=row.ads_changed,
        ads_unchanged=row.ads_unchanged,
        errors=row.errors,
        message=row.message,
        stats=_counters(row.stats),
    )


class RunLog:
    """Records the start and the outcome of each crawl run."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def start(self, *, site: str, zone: str | None, at: datetime | None = None) -> int:
        """Record a run starting now in this process (`keep_alive` then beats its heartbeat)."""
        now = at or datetime.now(UTC)
        row = CrawlRunRow(
            site=site,
            zone=zone,
            started_at=now,
            pid=os.getpid(),
            host=socket.gethostname(),
            heartbeat_at=now,
        )
        with Session(self._engine) as session:
            session.add(row)
            session.commit()
            assert row.id is not None  # noqa: S101 — set by the database on commit
            return row.id

    def finish(
        self,
        run_id: int,
        *,
        status: str,
        ads_new: int = 0,
        ads_changed: int = 0,
        ads_unchanged: int = 0,
        errors: int = 0,
        message: str | None = None,
        stats: Mapping[str, int] | None = None,
        at: datetime | None = None,
    ) -> None:
        if status not in FINISHED:
            raise ValueError(f"a run finishes {' or '.join(FINISHED)}, got {status!r}")
        with Session(self._engine) as session:
            row = session.get(CrawlRunRow, run_id)
            if row is None:
                raise KeyError(f"no crawl run {run_id}")
            row.status = status
            row.finished_at = at or datetime.now(UTC)
            row.ads_new, row.ads_changed, row.ads_unchanged = ads_new, ads_changed, ads_unchanged
            row.errors = errors
            row.message = message
            row.stats = json.dumps(dict(sorted(stats.items()))) if stats else None
            session.add(row)
            session.commit()

    def beat(self, run_id: int, *, at: datetime | None = None) -> None:
        """Record that run `run_id`'s process is alive."""
        with Session(self._engine) as session:
            row = session.get(CrawlRunRow, run_id)
            if row is not None and row.status == "running":
                row.heartbeat_at = at or datetime.now(UTC)
                session.add(row)
                session.commit()

    @contextmanager
    def keep_alive(self, run_id: int, *, every_s: float = HEARTBEAT_S) -> Iterator[None]:
        """Beat run `run_id`'s heartbeat every `every_s` seconds while the block runs."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(every_s):
                try:
                    self.beat(run_id)
                except Exception:  # noqa: BLE001 — a missed beat must not kill the crawl
                    log.warning("run %s: heartbeat not recorded", run_id, exc_info=True)

        thread = threading.Thread(target=loop, name=f"run-{run_id}-heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def mark_crashed(self, *, now: datetime | None = None) -> list[int]:
        """Mark `crashed` every running run whose process is gone; returns their ids."""
        now = now or datetime.now(UTC)
        here = socket.gethostname()
        crashed = []
        with Session(self._engine) as session:
            running = session.exec(select(CrawlRunRow).where(col(CrawlRunRow.status) == "running"))
            for row in running:
                why = _why_dead(row, here=here, now=now)
                if why is None:
                    continue
                row.status = "crashed"
                row.finished_at = row.heartbeat_at or row.started_at
                row.message = why
                session.add(row)
                crashed.append(row.id or 0)
            if crashed:
                session.commit()
        return crashed

    def runs(self, *, site: str | None = None, limit: int = 50) -> list[CrawlRun]:
        """Newest first; runs whose process died read as `crashed` (see `mark_crashed`)."""
        self.mark_crashed()
        query = select(CrawlRunRow)
        if site is not None:
            query = query.where(col(CrawlRunRow.site) == site)
        query = query.order_by(col(CrawlRunRow.id).desc()).limit(limit)
        with Session(self._engine) as session:
            return [_read(row) for row in session.exec(query)]


def _why_dead(row: CrawlRunRow, *, here: str, now: datetime) -> str | None:
    """Why running run `row` is dead, or None while it may be alive."""
    if row.host == here and row.pid is not None and not _alive(row.pid):
        return f"process {row.pid} ended without recording an outcome"
    beat = row.heartbeat_at or row.started_at
    if now - beat > STALE_AFTER:
        return f"no heartbeat since {beat:%Y-%m-%d %H:%M} UTC"
    return None


def _alive(pid: int) -> bool:
    """Whether a process `pid` exists on this host (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with Path(f"/proc/{pid}/stat").open(encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True
