"""Retention: erase the ads that nothing justifies keeping any more, completely, in one transaction.

The policy: an ad whose last sighting is older than the cut-off (now minus `months`) is erased
unless something keeps it —

- `flagged`: the ad, or an ad of a network it belongs to, carries a flag (minor, trafficking);
- `reviewed`: an investigator recorded a decision on it (case material, and a training label);
- `open_alert`: an open watchlist alert names it.

Erasing an ad removes every row that holds its data: the ad, its versions (raw ad, analysis and
evidence), phones, contacts, images (URLs and hashes), aliases, flags, closed alerts naming it,
and every network it belonged to (a network row aggregates its members' phones and aliases, and
networks are derived data: `vigie purge` relinks the ads that remain right after). Which
tables those are is read from the database's own schema (foreign keys to the ad and network
tables, tables naming ads by site and ad_id), so a table added later is erased too. Each
erased ad gets a `purge` entry in the audit trail naming it only by a non-reversible reference
(its internal id, and an HMAC of its key when a key is given), never its text, phone or URL; one
more entry sums the batch up. The entries commit in the same transaction as the erasure.

A dry run does exactly the same work and rolls it back, so its counts are the real run's.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import logging
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Engine,
    MetaData,
    Table,
    exists,
    false,
    func,
    or_,
    tuple_,
)
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from storage.audit import AuditEntry, new_entry
from storage.columns import as_utc
from storage.engine import write_engine
from storage.errors import StorageError
from storage.linkindex import queue_erased
from storage.reviews import Decision
from storage.tables import Ad, AdFlag, NetworkMember

log = logging.getLogger(__name__)

KEEP_REASONS = ("flagged", "reviewed", "open_alert")
_CHUNK = 400  # keeps IN (...) lists under SQLite's parameter limit


def months_before(moment: datetime, months: int) -> datetime:
    """`moment` moved back by calendar months (the day clamped to the target month's length)."""
    if months < 0:
        raise ValueError(f"months must be 0 or more, got {months}")
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True, slots=True)
class Schema:
    """Where an ad's data lives, read from the database itself (not from the imported models),
    so that a table added later that references ads is erased too.

    `ad_refs`: columns with a foreign key to ad.id; `network_refs`: columns with a foreign key
    to network.network_id; `keyed`: tables naming ads by (site, ad_id); `alerts`: those of them
    with an `open` column (an open alert keeps its ad)."""

    ad: Table
    ad_refs: tuple[Column[Any], ...]
    network: Table | None
    network_refs: tuple[Column[Any], ...]
    keyed: tuple[Table, ...]
    alerts: tuple[Table, ...]
    link_queue: bool = False

    @classmethod
    def read(cls, conn: Connection) -> Schema:
        meta = MetaData()
        meta.reflect(bind=conn)
        if "ad" not in meta.tables:
            raise StorageError("no ad table: is this a Vigie database?")

        def refs(target: str) -> tuple[Column[Any], ...]:
            return tuple(
                c for t in meta.sorted_tables for c in t.columns
                if any(fk.target_fullname == target for fk in c.foreign_keys)
            )

        keyed = tuple(t for t in meta.sorted_tables
                      if t.name != "ad" and {"site", "ad_id"} <= set(t.columns.keys()))
        return cls(
            ad=meta.tables["ad"], ad_refs=refs("ad.id"), network=meta.tables.get("network"),
            network_refs=refs("network.network_id"), keyed=keyed,
            alerts=tuple(t for t in keyed if "open" in t.columns),
            link_queue="link_queue" in meta.tables and "link_mark" in meta.tables,
        )


def flagged_clause() -> ColumnElement[bool]:
    """The ad carries a flag, or belongs to a network one of whose ads does."""
    flagged = select(AdFlag.ad_pk)
    flagged_networks = select(NetworkMember.network_id).where(col(NetworkMember.ad_pk).in_(flagged))
    partners = select(NetworkMember.ad_pk).where(
        col(NetworkMember.network_id).in_(flagged_networks)
    )
    return col(Ad.id).in_(flagged) | col(Ad.id).in_(partners)


def reviewed_clause() -> ColumnElement[bool]:
    return exists().where(col(Decision.site) == col(Ad.site), col(Decision.ad_id) == col(Ad.ad_id))


def open_alert_clause(schema: Schema) -> ColumnElement[bool]:
    """An open alert (a watchlist's, another zone's indicator's…) names the ad."""
    clauses = [
        exists().where(t.c.site == col(Ad.site), t.c.ad_id == col(Ad.ad_id), t.c.open.is_(True))
        for t in schema.alerts
    ]
    return or_(false(), *clauses)


def keep_clauses(schema: Schema) -> dict[str, ColumnElement[bool]]:
    """Each reason to keep an ad past the cut-off, as a condition on `Ad`."""
    return {
        "flagged": flagged_clause(),
        "reviewed": reviewed_clause(),
        "open_alert": open_alert_clause(schema),
    }


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What a purge erased (or, in a dry run, would erase)."""

    batch: str
    cutoff: datetime
    months: int
    dry_run: bool
    ads: int
    rows: dict[str, int]  # table → rows erased, the ads themselves included
    by_site: dict[str, int]
    kept: dict[str, int] = field(default_factory=dict)  # reason → ads past the cut-off it keeps

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def erasure_reference(pk: int, site: str, ad_id: str, key: bytes | None) -> dict[str, str]:
    """How the audit trail names an erased ad: never its content, only what cannot be reversed.

    The internal id means nothing once the ad is gone; the HMAC (under a key that stays with the
    zone) lets a data-protection officer who holds the key answer "was this ad erased?"."""
    ref = {"ad": f"ad#{pk}"}
    if key:
        ref["key_hmac"] = hmac.new(key, f"{site}/{ad_id}".encode(), hashlib.sha256).hexdigest()
    return ref


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _lock(session: Session, schema: Schema) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: the write transaction began IMMEDIATE, no other writer runs
    # No decision, alert or network replacement may slip in between choosing and erasing.
    names = [t.name for t in schema.keyed]
    if schema.network is not None:
        names.append(schema.network.name)
    quoted = ", ".join(f'"{name}"' for name in names)
    session.connection().exec_driver_sql(f"LOCK TABLE {quoted} IN SHARE ROW EXCLUSIVE MODE")


def _candidates(
    session: Session, schema: Schema, cutoff: datetime
) -> list[tuple[int, str, str]]:
    keep = or_(*keep_clauses(schema).values())
    query = (
        select(Ad.id, Ad.site, Ad.ad_id)
        .where(col(Ad.last_seen) < cutoff, ~keep)
        .order_by(col(Ad.id))
        .with_for_update(of=Ad)
    )
    return [(int(pk or 0), site, ad_id) for pk, site, ad_id in session.exec(query).all()]


def _kept(session: Session, schema: Schema, cutoff: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reason, clause in keep_clauses(schema).items():
        query = select(func.count()).select_from(Ad).where(col(Ad.last_seen) < cutoff, clause)
        counts[reason] = int(session.exec(query).one())
    return counts


def _erase(conn: Connection, schema: Schema, ads: Sequence[tuple[int, str, str]]) -> Counter[str]:
    """Delete every row naming the ads: networks they are in, rows referencing them, rows
    naming them by key, then the ads. Counts rows per table."""
    rows: Counter[str] = Counter()
    member_refs = [c for c in schema.network_refs if c.table in {r.table for r in schema.ad_refs}]
    for chunk in _chunks(ads):
        pks = [pk for pk, _, _ in chunk]
        keys = [(site, ad_id) for _, site, ad_id in chunk]
        if schema.link_queue:  # the next incremental link relinks what they were joined to
            queue_erased(conn, pks)
        network_ids: set[str] = set()
        for ref in member_refs:
            ad_cols = [c for c in schema.ad_refs if c.table is ref.table]
            found = conn.execute(select(ref).where(or_(*(c.in_(pks) for c in ad_cols))))
            network_ids.update(found.scalars())
        ids = sorted(network_ids)
        for id_chunk in _chunks(ids):
            for ref in schema.network_refs:
                done = conn.execute(ref.table.delete().where(ref.in_(id_chunk)))
                rows[ref.table.name] += done.rowcount
            if schema.network is not None:
                network = schema.network
                done = conn.execute(network.delete().where(network.c.network_id.in_(id_chunk)))
                rows[network.name] += done.rowcount
        for ref in schema.ad_refs:
            rows[ref.table.name] += conn.execute(ref.table.delete().where(ref.in_(pks))).rowcount
        for table in schema.keyed:
            by_key = tuple_(table.c.site, table.c.ad_id).in_(keys)
            rows[table.name] += conn.execute(table.delete().where(by_key)).rowcount
        rows["ad"] += conn.execute(schema.ad.delete().where(schema.ad.c.id.in_(pks))).rowcount
    return Counter({table: n for table, n in rows.items() if n})


def _audit_entries(
    result: PurgeResult,
    ads: Sequence[tuple[int, str, str]],
    *,
    policy: str,
    actor: str,
    zone: str | None,
    reason: str,
    at: datetime,
    reference_key: bytes | None,
) -> list[AuditEntry]:
    def entry(object_type: str, object_id: str, details: dict[str, Any]) -> AuditEntry:
        return new_entry(actor=actor, action="purge", zone=zone, object_type=object_type,
                         object_id=object_id, reason=reason, details=details, at=at)

    entries = []
    for pk, site, ad_id in ads:
        ref = erasure_reference(pk, site, ad_id, reference_key)
        entries.append(entry("ad", ref["ad"], {"batch": result.batch, "policy": policy, **ref}))
    entries.append(entry("purge", result.batch, {
        "policy": policy, "cutoff": result.cutoff.isoformat(), "months": result.months,
        "ads": result.ads, "rows": result.rows, "by_site": result.by_site, "kept": result.kept,
    }))
    return entries


def purge(
    engine: Engine,
    *,
    months: int,
    actor: str,
    reason: str,
    zone: str | None = None,
    dry_run: bool = False,
    reference_key: bytes | None = None,
    now: datetime | None = None,
) -> PurgeResult:
    """Erase every ad last seen more than `months` ago that nothing keeps (see the module doc).

    `reason` (why this purge: the policy, a DPO's request) goes in every audit entry."""
    if months < 1:
        raise StorageError(f"a retention period is at least 1 month, got {months}")
    if not dry_run and not reason.strip():
        raise StorageError("a purge needs a reason (it is kept in the audit trail)")
    moment = as_utc(now or datetime.now(UTC))
    cutoff = months_before(moment, months)
    batch = uuid.uuid4().hex
    policy = (
        f"last seen before {cutoff:%Y-%m-%d} (retention {months} months); not flagged nor in a "
        "flagged network, not reviewed, no open watchlist alert"
    )
    try:
        with Session(write_engine(engine)) as session:
            schema = Schema.read(session.connection())
            _lock(session, schema)
            ads = _candidates(session, schema, cutoff)
            kept = _kept(session, schema, cutoff)
            rows = _erase(session.connection(), schema, ads)
            by_site = dict(sorted(Counter(site for _, site, _ in ads).items()))
            result = PurgeResult(
                batch=batch, cutoff=cutoff, months=months, dry_run=dry_run, ads=len(ads),
                rows=dict(sorted(rows.items())), by_site=by_site, kept=kept,
            )
            if dry_run:
                session.rollback()
                return result
            session.add_all(_audit_entries(
                result, ads, policy=policy, actor=actor, zone=zone, reason=reason.strip(),
                at=moment, reference_key=reference_key,
            ))
            session.commit()
    except OperationalError as exc:
        raise StorageError(f"cannot purge: {exc.orig}") from exc
    log.info("purge %s: %d ads erased (%d rows), cut-off %s", batch, len(ads),
             result.total_rows, cutoff.date())
    return result


def erase_ads(
    engine: Engine,
    keys: Sequence[tuple[str, str]],
    *,
    actor: str,
    reason: str,
    zone: str | None = None,
    reference_key: bytes | None = None,
    now: datetime | None = None,
) -> int:
    """Erase the ads of `keys` (a data subject's request, a court order) as a purge erases: every
    row naming them and the networks they were in (relinked by the next link), each erasure
    audited by the ad's internal id. Unknown keys are ignored; returns the ads erased."""
    if not reason.strip():
        raise StorageError("an erasure needs a reason (it is kept in the audit trail)")
    moment = as_utc(now or datetime.now(UTC))
    wanted = set(keys)
    try:
        with Session(write_engine(engine)) as session:
            schema = Schema.read(session.connection())
            _lock(session, schema)
            ads: list[tuple[int, str, str]] = []
            for chunk in _chunks(sorted(wanted)):
                query = select(Ad.id, Ad.site, Ad.ad_id).where(
                    tuple_(col(Ad.site), col(Ad.ad_id)).in_(chunk)
                )
                ads.extend((int(pk or 0), site, ad_id) for pk, site, ad_id in session.exec(query))
            _erase(session.connection(), schema, ads)
            session.add_all(
                new_entry(actor=actor, action="erase", zone=zone, object_type="ad",
                          object_id=ref["ad"], reason=reason.strip(), details=ref, at=moment)
                for ref in (erasure_reference(pk, site, ad_id, reference_key)
                            for pk, site, ad_id in ads)
            )
            session.commit()
    except OperationalError as exc:
        raise StorageError(f"cannot erase: {exc.orig}") from exc
    log.info("%d ads erased on request", len(ads))
    return len(ads)
