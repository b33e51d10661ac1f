"""Watchlists and their alerts: phones, aliases and image hashes to look out for.

An entry is never deleted, only deactivated (the audit trail says who did it). `scan_alerts`
matches the current ads against the active entries and opens one alert per new (entry, ad)
pair: a phone by E.164, an alias case-insensitively, a photo as linking matches one
(`pipeline.photomatch`, through `storage.photos`): each of the entry's hashes only with stored
hashes of its own kind — pHash with pHash, dHash with dHash, DCT region hashes in their 8
orientations. An image entry is 16 hex digits (a pHash, as entries were kept before) or a
photo's hashes as `pipeline.photomatch.encode_photo` writes them (an uploaded picture).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, Text, UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, col, select

from pipeline.photomatch import decode_photo
from storage.columns import UTCDateTime
from storage.errors import StorageError
from storage.hashes import IMAGE_HASH
from storage.photos import photo_index
from storage.tables import Ad, AdAlias, AdPhone
from storage.users import check_zone

log = logging.getLogger(__name__)

KINDS = ("phone", "alias", "image")
MAX_VALUE = 200
E164 = re.compile(r"\+[1-9][0-9]{6,14}")


class InvalidEntry(StorageError):
    """A watchlist value that is not what its kind needs (the message says which)."""


def check_value(kind: str, value: str) -> None:
    """Raise InvalidEntry unless `value` is a normalised value of `kind`: E.164 for a phone,
    16 lowercase hex digits (a pHash) or a photo's hashes for an image, a non-blank alias of at
    most MAX_VALUE."""
    if kind not in KINDS:
        raise InvalidEntry(f"unknown watchlist kind {kind!r}; expected one of {KINDS}")
    if kind == "phone" and not E164.fullmatch(value):
        raise InvalidEntry(f"a watched phone is an E.164 number (+32470123456), not {value[:40]!r}")
    if kind == "image" and not (IMAGE_HASH.fullmatch(value) or _is_photo(value)):
        raise InvalidEntry(f"a watched image hash is 16 lowercase hex digits, not {value[:40]!r}")
    if kind == "alias" and (not value.strip() or len(value) > MAX_VALUE):
        raise InvalidEntry(f"a watched alias has 1 to {MAX_VALUE} characters")


def _is_photo(value: str) -> bool:
    try:
        decode_photo(value)
    except ValueError:
        return False
    return value == value.strip().lower()


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


def watch_entry(row: WatchRow) -> WatchEntry:
    """A watch entry's read model (also for storage.alertgroups)."""
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
    """Add an entry; `value` is already normalised (E.164, alias, 16 hex digits), else
    InvalidEntry: a malformed value never reaches the database."""
    check_value(kind, value)
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
        return watch_entry(row)


def deactivate_entry(
    engine: Engine, *, entry_id: int, for_zone: str | None = None
) -> WatchEntry:
    """Deactivate an entry. With `for_zone`, only an entry of that zone (or of none), else
    OtherZone; None: any zone (an administrator, the CLI)."""
    with Session(engine) as session:
        row = session.get(WatchRow, entry_id)
        if row is None:
            raise StorageError(f"no watchlist entry {entry_id}")
        check_zone(f"watchlist entry {entry_id}", owner=row.zone, acting_zone=for_zone)
        row.active = False
        session.add(row)
        session.commit()
        session.refresh(row)
        return watch_entry(row)


def list_entries(engine: Engine, *, active_only: bool = True) -> list[WatchEntry]:
    query = select(WatchRow).order_by(col(WatchRow.id).desc())
    if active_only:
        query = query.where(col(WatchRow.active))
    with Session(engine) as session:
        return [watch_entry(row) for row in session.exec(query).all()]


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
    raise ValueError(f"not matched here: {entry.kind}")


def _image_matches(session: Session, entries: list[WatchRow]) -> dict[int, set[tuple[str, str]]]:
    """The ads whose photos match each image entry, through one index of the stored photos."""
    found: dict[int, set[tuple[str, str]]] = {}
    photos = []
    for entry in entries:
        try:
            photos.append((entry, decode_photo(entry.value)))
        except ValueError:
            log.warning("watchlist entry %s skipped: malformed image hash %r", entry.id,
                        entry.value[:80])
    if not photos:
        return found
    index = photo_index(session)
    for (entry, _), hits in zip(photos, index.match_ids([p for _, p in photos]), strict=True):
        found[entry.id or 0] = {index.key(pid) for pid in hits}
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
        images = _image_matches(session, [e for e in entries if e.kind == "image"])
        for entry in entries:
            assert entry.id is not None  # noqa: S101 — read from the database
            matched = images.get(entry.id, set()) if entry.kind == "image" else _matches(
                session, entry)
            for site, ad_id in sorted(matched):
                if (entry.id, site, ad_id) not in known:
                    session.add(AlertRow(watch_id=entry.id, site=site, ad_id=ad_id, created_at=now))
                    opened += 1
        session.commit()
    return opened


def list_alerts(
    engine: Engine, *, open_only: bool = True, limit: int = 100, offset: int = 0
) -> list[Alert]:
    query = select(AlertRow, WatchRow).join(WatchRow, col(WatchRow.id) == col(AlertRow.watch_id))
    if open_only:
        query = query.where(col(AlertRow.open))
    query = query.order_by(col(AlertRow.id).desc()).limit(limit).offset(offset)
    with Session(engine) as session:
        return [
            Alert(
                id=alert.id or 0,
                entry=watch_entry(entry),
                site=alert.site,
                ad_id=alert.ad_id,
                created_at=alert.created_at,
                open=alert.open,
            )
            for alert, entry in session.exec(query).all()
        ]


def close_alert(engine: Engine, *, alert_id: int, for_zone: str | None = None) -> None:
    """Close an alert. It belongs to its watchlist entry's zone: with `for_zone`, another
    zone's alert raises OtherZone; None: any zone (an administrator, the CLI)."""
    with Session(engine) as session:
        row = session.get(AlertRow, alert_id)
        if row is None:
            raise StorageError(f"no alert {alert_id}")
        entry = session.get(WatchRow, row.watch_id)
        owner = entry.zone if entry is not None else None
        check_zone(f"alert {alert_id}", owner=owner, acting_zone=for_zone)
        row.open = False
        session.add(row)
        session.commit()
