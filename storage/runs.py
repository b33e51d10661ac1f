"""Crawl runs: one row per scheduled or manual crawl of a site, with its outcome.

`stats` keeps the run's own counters (Scrapy stats under `vigie/`: pages, caps, retries,
timeouts, redirect loops, malformed pages…) as a JSON object of integers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Text
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from storage.columns import UTCDateTime

STATUSES = ("running", "ok", "failed")


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
        row = CrawlRunRow(site=site, zone=zone, started_at=at or datetime.now(UTC))
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
        if status not in STATUSES[1:]:
            raise ValueError(f"a run finishes 'ok' or 'failed', got {status!r}")
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

    def get(self, run_id: int) -> CrawlRun | None:
        with Session(self._engine) as session:
            row = session.get(CrawlRunRow, run_id)
            return _read(row) if row is not None else None

    def runs(self, *, site: str | None = None, limit: int = 50) -> list[CrawlRun]:
        """Newest first."""
        query = select(CrawlRunRow)
        if site is not None:
            query = query.where(col(CrawlRunRow.site) == site)
        query = query.order_by(col(CrawlRunRow.id).desc()).limit(limit)
        with Session(self._engine) as session:
            return [_read(row) for row in session.exec(query)]
