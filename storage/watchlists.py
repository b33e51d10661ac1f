"""Watchlists and their alerts: phones, aliases and image hashes to look out for.

An entry is never deleted, only deactivated (the audit trail says who did it). `scan_alerts`
matches the current ads against the active entries and opens one alert per new (entry, ad)
pair: a phone by E.164, an alias case-insensitively, an image hash within `IMAGE_RADIUS` bits
(Hamming distance on the 64-bit pHash or dHash).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, Text, UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, col, select

from pipeline.images import hamming
from storage.columns import UTCDateTime
from storage.errors import StorageError
from storage.tables import Ad, AdAlias, AdImage, AdPhone

KINDS = ("phone", "alias", "image")
IMAGE_RADIUS = 10


class WatchRow(SQLModel, table=True):
    __tablename__ = "watch_entry"

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    value: str = Field(index=True)
    label: str = Field(default="", sa_type=Text)
    created_by: str
    zone: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    active: bool = True


class AlertRow(SQLModel, table=True):
    __tablename__ = "watch_alert"
    __table_args__ = (UniqueConstraint("watch_id", "site", "ad_id", name="uq_watch_alert"),)

    id: int | None = Field(default=None, primary_key=True)
    watch_id: int = Field(foreign_key="watch_entry.id", index=True)
    site: str
    ad_id: str
    created_at: datetime = Field(sa_type=UTCDateTime)
    open: bool = Field(default=True, index=True)


@dataclass(frozen=True, slots=True)
class WatchEntry:
    id: int
    kind: str
    value: str
    label: str
    created_by: str
    zone: str | None
    created_at: datetime
    active: bool


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    entry: WatchEntry
    site: str
    ad_id: str
    created_at: datetime
    open: bool


def _entry(row: WatchRow) -> WatchEntry:
    return WatchEntry(
        id=row.id or 0,
        kind=row.kind,
        value=row.value,
        label=row.label,
        created_by=row.created_by,
        zone=row.zone,
        created_at=row.created_at,
        active=row.active,
    )


def add_entry(
    engine: Engine, *, kind: str, value: str, label: str, created_by: str, zone: str | None
) -> WatchEntry:
    """Add an entry; `value` is already normalised (E.164, alias, 16 hex digits)."""
    if kind not in KINDS:
        raise StorageError(f"unknown watchlist kind {kind!r}; expected one of {KINDS}")
    if not value:
        raise StorageError("a watchlist entry needs a value")
    row = WatchRow(
        kind=kind,
        value=value,
        label=label,
        created_by=created_by,
        zone=zone,
        created_at=datetime.now(UTC),
    )
    with Session(engine) as session:
        session.add(row)
        session.commit()
        session.refresh(row)
        return _entry(row)


def deactivate_entry(engine: Engine, *, entry_id: int) -> WatchEntry:
    with Session(engine) as session:
        row = session.get(WatchRow, entry_id)
        if row is None:
            raise StorageError(f"no watchlist entry {entry_id}")
        row.active = False
        session.add(row)
        session.commit()
        session.refresh(row)
        return _entry(row)


def list_entries(engine: Engine, *, active_only: bool = True) -> list[WatchEntry]:
    query = select(WatchRow).order_by(col(WatchRow.id).desc())
    if active_only:
        query = query.where(col(WatchRow.active))
    with Session(engine) as session:
        return [_entry(row) for row in session.exec(query).all()]


def _matches(session: Session, entry: WatchRow) -> set[tuple[str, str]]:
    if entry.kind == "phone":
        query = select(Ad.site, Ad.ad_id).join(AdPhone, col(AdPhone.ad_pk) == col(Ad.id))
        rows = session.exec(query.where(col(AdPhone.e164) == entry.value)).all()
        return {(s, a) for s, a in rows}
    if entry.kind == "alias":
        query = select(Ad.site, Ad.ad_id).join(AdAlias, col(AdAlias.ad_pk) == col(Ad.id))
        wanted = entry.value.lower()
        rows = session.exec(query.where(func.lower(col(AdAlias.name)) == wanted)).all()
        return {(s, a) for s, a in rows}
    query_images = select(Ad.site, Ad.ad_id, AdImage.phash, AdImage.dhash).join(
        AdImage, col(AdImage.ad_pk) == col(Ad.id)
    )
    found: set[tuple[str, str]] = set()
    for site, ad_id, phash, dhash in session.exec(query_images).all():
        for h in (phash, dhash):
            if h and hamming(h, entry.value) <= IMAGE_RADIUS:
                found.add((site, ad_id))
    return found


def scan_alerts(engine: Engine) -> int:
    """Open an alert for every (active entry, current ad) match not alerted yet; return how
    many were opened."""
    opened = 0
    now = datetime.now(UTC)
    with Session(engine) as session:
        entries = session.exec(select(WatchRow).where(col(WatchRow.active))).all()
        known = {
            (w, s, a)
            for w, s, a in session.exec(
                select(AlertRow.watch_id, AlertRow.site, AlertRow.ad_id)
            ).all()
        }
        for entry in entries:
            assert entry.id is not None  # noqa: S101 — read from the database
            for site, ad_id in sorted(_matches(session, entry)):
                if (entry.id, site, ad_id) not in known:
                    session.add(AlertRow(watch_id=entry.id, site=site, ad_id=ad_id, created_at=now))
                    opened += 1
        session.commit()
    return opened


def list_alerts(engine: Engine, *, open_only: bool = True, limit: int = 100) -> list[Alert]:
    query = select(AlertRow, WatchRow).join(WatchRow, col(WatchRow.id) == col(AlertRow.watch_id))
    if open_only:
        query = query.where(col(AlertRow.open))
    query = query.order_by(col(AlertRow.id).desc()).limit(limit)
    with Session(engine) as session:
        return [
            Alert(
                id=alert.id or 0,
                entry=_entry(entry),
                site=alert.site,
                ad_id=alert.ad_id,
                created_at=alert.created_at,
                open=alert.open,
            )
            for alert, entry in session.exec(query).all()
        ]


def close_alert(engine: Engine, *, alert_id: int) -> None:
    with Session(engine) as session:
        row = session.get(AlertRow, alert_id)
        if row is None:
            raise StorageError(f"no alert {alert_id}")
        row.open = False
        session.add(row)
        session.commit()
