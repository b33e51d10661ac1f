"""Alerts from other zones' indicators: a local ad sharing a phone, handle, email or photo with
an indicator another zone exported and this zone imported.

One alert per (ad, indicator): the indicator is its source zone, kind, platform and value as
sent (the HMAC when pseudonymised), so rescans and the same indicator in a later file of that
zone raise nothing new, and a closed alert stays closed. The reason kept is the source zone and
the file the indicator first came in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, Connection, Engine, Text, UniqueConstraint, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Session, SQLModel, col, select

from pipeline.types import AdKey
from storage.columns import JSONDocument, UTCDateTime
from storage.engine import write_engine
from storage.errors import StorageError
from storage.exchange.matching import DEFAULT_MAX_DISTANCE, Match, matches
from storage.repository import Store
from storage.tables import Ad
from storage.users import check_zone


class ExchangeAlertRow(SQLModel, table=True):
    __tablename__ = "exchange_alert"
    __table_args__ = (
        UniqueConstraint(
            "site", "ad_id", "source_zone", "kind", "platform", "value", name="uq_exchange_alert"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    site: str
    ad_id: str
    source_zone: str = Field(index=True)
    file_name: str = Field(sa_type=Text)
    file_sha256: str
    kind: str
    platform: str
    value: str = Field(sa_type=Text)  # as the other zone sent it
    pseudonymised: bool
    local_value: str = Field(sa_type=Text)  # the ad's own value (this zone's data)
    distance: int
    score: float
    flags: list[str] = Field(sa_column=Column(JSONDocument, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)
    open: bool = Field(default=True, index=True)


_KEYS_PER_QUERY = 400  # (site, ad_id) pairs: two parameters each

@dataclass(frozen=True, slots=True)
class ImportedAlert:
    """An open or closed alert: which local ad matched which of another zone's indicators."""

    id: int
    site: str
    ad_id: str
    source_zone: str
    file_name: str
    kind: str
    platform: str
    value: str
    pseudonymised: bool
    local_value: str
    distance: int
    score: float
    flags: tuple[str, ...]
    created_at: datetime
    open: bool

    @property
    def ad(self) -> AdKey:
        return (self.site, self.ad_id)


def _alert(row: ExchangeAlertRow) -> ImportedAlert:
    return ImportedAlert(
        id=row.id or 0, site=row.site, ad_id=row.ad_id, source_zone=row.source_zone,
        file_name=row.file_name, kind=row.kind, platform=row.platform, value=row.value,
        pseudonymised=row.pseudonymised, local_value=row.local_value, distance=row.distance,
        score=row.score, flags=tuple(row.flags), created_at=row.created_at, open=row.open,
    )


def raise_alerts(engine: Engine, found: Sequence[Match], *, now: datetime | None = None) -> int:
    """Open an alert for every match not alerted before; return how many were opened."""
    if not found:
        return 0
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    created = now or datetime.now(UTC)
    opened = 0
    with write_engine(engine).begin() as conn:
        # Only ads still stored, and kept so until this commits (FOR SHARE on PostgreSQL; the
        # write transaction on SQLite): a purge in between must not leave an alert behind that
        # names an erased ad and holds its value.
        present = _present(conn, sorted({m.ad for m in found}))
        for m in found:
            if m.ad not in present:
                continue
            record = m.indicator
            statement = insert(ExchangeAlertRow).values(
                site=m.ad[0], ad_id=m.ad[1], source_zone=record.source_zone,
                file_name=record.file_name, file_sha256=record.file_sha256, kind=m.kind,
                platform=m.platform, value=record.value, pseudonymised=record.pseudonymised,
                local_value=m.local_value, distance=m.distance, score=record.score,
                flags=list(record.flags), created_at=created, open=True,
            ).on_conflict_do_nothing().returning(col(ExchangeAlertRow.id))
            opened += conn.execute(statement).first() is not None
    return opened


def _present(conn: Connection, keys: Sequence[AdKey]) -> set[AdKey]:
    present: set[AdKey] = set()
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[start : start + _KEYS_PER_QUERY]
        query = (
            select(Ad.site, Ad.ad_id)
            .where(tuple_(col(Ad.site), col(Ad.ad_id)).in_(chunk))
            .with_for_update(read=True)
        )
        present.update((site, ad_id) for site, ad_id in conn.execute(query).all())
    return present


def scan_imported_alerts(
    store: Store,
    *,
    own_zone: str | None,
    pseudonym_key: bytes | None,
    max_distance: int = DEFAULT_MAX_DISTANCE,
) -> int:
    """Match the stored ads against the imported indicators and open the new alerts."""
    found = matches(store, own_zone=own_zone, pseudonym_key=pseudonym_key,
                    max_distance=max_distance)
    return raise_alerts(store.engine, found)


def list_imported_alerts(
    engine: Engine, *, open_only: bool = True, limit: int = 100, offset: int = 0
) -> list[ImportedAlert]:
    """Newest first."""
    query = select(ExchangeAlertRow)
    if open_only:
        query = query.where(col(ExchangeAlertRow.open))
    query = query.order_by(col(ExchangeAlertRow.id).desc()).limit(limit).offset(offset)
    with Session(engine) as session:
        return [_alert(row) for row in session.exec(query).all()]


def close_imported_alert(
    engine: Engine, *, alert_id: int, for_zone: str | None = None
) -> ImportedAlert:
    """Close an alert. It belongs to the zone of its local ad: with `for_zone`, an alert on
    another zone's ad raises OtherZone; None: any zone (an administrator, the CLI)."""
    with Session(write_engine(engine)) as session:
        row = session.get(ExchangeAlertRow, alert_id)
        if row is None:
            raise StorageError(f"no imported-indicator alert {alert_id}")
        owner = session.exec(
            select(Ad.zone).where(col(Ad.site) == row.site, col(Ad.ad_id) == row.ad_id)
        ).first()
        check_zone(f"alert {alert_id}", owner=owner, acting_zone=for_zone)
        row.open = False
        session.add(row)
        session.commit()
        session.refresh(row)
        return _alert(row)
