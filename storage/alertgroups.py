"""Watchlist alerts in groups: per watch entry (one watched phone found in 35 ads is one group
of 35 alerts) and per network (the alerts of a network's ads, whichever entries raised them).

Grouped and counted by the database (GROUP BY, a page at a time); a group's alerts are read a
page at a time too. A group is closed at once, up to the newest alert the investigator saw
(`up_to`: an alert raised since then stays open), within the zone boundary: an entry of another
zone is refused (OtherZone), and closing a network's alerts leaves other zones' alerts open and
says how many. The caller records the closing, with its reason, in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, true, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.errors import StorageError
from storage.tables import Ad, NetworkMember
from storage.tables import Network as NetworkRow
from storage.users import check_zone
from storage.watchlists import Alert, AlertRow, WatchEntry, WatchRow, watch_entry

IDS_PER_STATEMENT = 500


@dataclass(frozen=True, slots=True)
class EntryGroup:
    """The open alerts one watch entry raised."""

    entry: WatchEntry
    alerts: int
    first: datetime
    last: datetime
    newest_id: int  # closing the group closes up to this alert


@dataclass(frozen=True, slots=True)
class NetworkGroup:
    """The open alerts of one network's ads."""

    network_id: str
    size: int
    risk: float
    alerts: int
    entries: int  # distinct watch entries that raised them
    ads: int  # distinct ads alerted
    first: datetime
    last: datetime
    newest_id: int


@dataclass(frozen=True, slots=True)
class Closed:
    ids: tuple[int, ...]  # the alerts closed, ascending
    left_open: int = 0  # alerts of the group another zone owns, left open

    @property
    def ranges(self) -> str:
        """The closed ids as ranges ("3-40,52"): the whole list, compact, for the audit trail."""
        return id_ranges(self.ids)


def id_ranges(ids: Iterable[int]) -> str:
    parts: list[str] = []
    start = prev = None
    for i in sorted(set(ids)):
        if prev is not None and i == prev + 1:
            prev = i
            continue
        if start is not None:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = i
    if start is not None:
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ",".join(parts)


def _check_page(limit: int, offset: int) -> None:
    if limit < 0 or offset < 0:
        raise ValueError(f"limit and offset must be >= 0, not {limit} and {offset}")


def count_entry_groups(engine: Engine) -> int:
    query = select(func.count(func.distinct(AlertRow.watch_id))).where(col(AlertRow.open))
    with Session(engine) as session:
        return int(session.exec(query).one())


def entry_groups(
    engine: Engine, *, limit: int = 50, offset: int = 0, entry_id: int | None = None
) -> list[EntryGroup]:
    """A page of the entries with open alerts, the most recently alerted first (only
    `entry_id`'s group, if given)."""
    _check_page(limit, offset)
    newest = func.max(AlertRow.id).label("newest")
    query = (
        select(  # type: ignore[call-overload]
            AlertRow.watch_id,
            func.count().label("n"),
            func.min(AlertRow.created_at),
            func.max(AlertRow.created_at),
            newest,
        )
        .where(col(AlertRow.open))
        .where(col(AlertRow.watch_id) == entry_id if entry_id is not None else true())
        .group_by(col(AlertRow.watch_id))
        .order_by(newest.desc())
        .limit(limit)
        .offset(offset)
    )
    with Session(engine) as session:
        rows = session.exec(query).all()
        ids = [r[0] for r in rows]
        entries = {
            e.id: watch_entry(e)
            for e in session.exec(select(WatchRow).where(col(WatchRow.id).in_(ids))).all()
        }
    return [
        EntryGroup(entries[w], int(n), first, last, int(top))
        for w, n, first, last, top in rows
        if w in entries
    ]


def _network_alerts() -> Any:
    """Open alerts joined to the networks their ads belong to (one row per alert and network)."""
    return (
        select(AlertRow.id)
        .join(Ad, and_(col(Ad.site) == col(AlertRow.site), col(Ad.ad_id) == col(AlertRow.ad_id)))
        .join(NetworkMember, col(NetworkMember.ad_pk) == col(Ad.id))
        .where(col(AlertRow.open))
    )


def count_network_groups(engine: Engine) -> int:
    inner = _network_alerts().with_only_columns(col(NetworkMember.network_id)).distinct()
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(inner.subquery())).one())


def network_groups(
    engine: Engine, *, limit: int = 50, offset: int = 0, network_id: str | None = None
) -> list[NetworkGroup]:
    """A page of the networks whose ads have open alerts, the most recently alerted first (only
    `network_id`'s group, if given)."""
    _check_page(limit, offset)
    newest = func.max(col(AlertRow.id)).label("newest")
    query = (
        sa_select(
            col(NetworkRow.network_id),
            col(NetworkRow.size),
            col(NetworkRow.risk),
            func.count(func.distinct(col(AlertRow.id))).label("alerts"),
            func.count(func.distinct(col(AlertRow.watch_id))).label("entries"),
            func.count(func.distinct(col(Ad.id))).label("ads"),
            func.min(col(AlertRow.created_at)).label("first"),
            func.max(col(AlertRow.created_at)).label("last"),
            newest,
        )
        .select_from(AlertRow)
        .join(Ad, and_(col(Ad.site) == col(AlertRow.site), col(Ad.ad_id) == col(AlertRow.ad_id)))
        .join(NetworkMember, col(NetworkMember.ad_pk) == col(Ad.id))
        .join(NetworkRow, col(NetworkRow.network_id) == col(NetworkMember.network_id))
        .where(col(AlertRow.open))
        .where(col(NetworkRow.network_id) == network_id if network_id is not None else true())
        .group_by(col(NetworkRow.network_id), col(NetworkRow.size), col(NetworkRow.risk))
        .order_by(newest.desc(), col(NetworkRow.network_id))
        .limit(limit)
        .offset(offset)
    )
    with engine.connect() as connection:
        return [
            NetworkGroup(nid, int(size), float(risk), int(n), int(e), int(a), first, last,
                         int(t or 0))
            for nid, size, risk, n, e, a, first, last, t in connection.execute(query).all()
        ]


def _alerts(session: Session, condition: Any, limit: int, offset: int) -> list[Alert]:
    query = (
        select(AlertRow, WatchRow)
        .join(WatchRow, col(WatchRow.id) == col(AlertRow.watch_id))
        .where(col(AlertRow.open), condition)
        .order_by(col(AlertRow.id).desc())
        .limit(limit)
        .offset(offset)
    )
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


def entry_alerts(
    engine: Engine, *, entry_id: int, limit: int = 50, offset: int = 0
) -> list[Alert]:
    """A page of the open alerts of one entry, newest first."""
    _check_page(limit, offset)
    with Session(engine) as session:
        return _alerts(session, col(AlertRow.watch_id) == entry_id, limit, offset)


def _member_alert_ids(network_id: str) -> Any:
    return _network_alerts().where(col(NetworkMember.network_id) == network_id)


def network_alerts(
    engine: Engine, *, network_id: str, limit: int = 50, offset: int = 0
) -> list[Alert]:
    """A page of the open alerts of one network's ads, newest first."""
    _check_page(limit, offset)
    with Session(engine) as session:
        return _alerts(session, col(AlertRow.id).in_(_member_alert_ids(network_id)), limit, offset)


def _close(session: Session, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        chunk = ids[start : start + IDS_PER_STATEMENT]
        session.exec(
            update(AlertRow).where(col(AlertRow.id).in_(chunk)).values(open=False)
        )


def close_entry_alerts(
    engine: Engine, *, entry_id: int, up_to: int, for_zone: str | None = None
) -> Closed:
    """Close the entry's open alerts up to id `up_to`. The alerts belong to the entry's zone:
    with `for_zone`, another zone's entry raises OtherZone; None: any zone (an administrator)."""
    with Session(engine) as session:
        entry = session.get(WatchRow, entry_id)
        if entry is None:
            raise StorageError(f"no watchlist entry {entry_id}")
        check_zone(f"the alerts of watchlist entry {entry_id}", owner=entry.zone,
                   acting_zone=for_zone)
        ids = session.exec(
            select(AlertRow.id).where(
                col(AlertRow.watch_id) == entry_id, col(AlertRow.open), col(AlertRow.id) <= up_to
            ).order_by(col(AlertRow.id))
        ).all()
        closed = [int(i) for i in ids if i is not None]
        _close(session, closed)
        session.commit()
    return Closed(tuple(closed))


def close_network_alerts(
    engine: Engine, *, network_id: str, up_to: int, for_zone: str | None = None
) -> Closed:
    """Close the open alerts of the network's ads up to id `up_to` — those of `for_zone`'s
    entries (and of entries of no zone); every zone's with `for_zone` None (an administrator).
    Other zones' alerts stay open and are counted (`left_open`)."""
    with Session(engine) as session:
        if session.get(NetworkRow, network_id) is None:
            raise StorageError(f"no network {network_id}")
        query = (
            select(AlertRow.id, WatchRow.zone)
            .join(WatchRow, col(WatchRow.id) == col(AlertRow.watch_id))
            .where(col(AlertRow.id).in_(_member_alert_ids(network_id)), col(AlertRow.id) <= up_to)
            .order_by(col(AlertRow.id))
        )
        rows = session.exec(query).all()
        mine = [int(i) for i, zone in rows if i is not None and _may(zone, for_zone)]
        _close(session, mine)
        session.commit()
    return Closed(tuple(mine), left_open=len(rows) - len(mine))


def _may(owner: str | None, acting: str | None) -> bool:
    return acting is None or owner is None or owner == acting

