"""Storing the networks that pipeline.link computes: replaced wholesale or only those that changed
(`pipeline.relink`), read back a page at a time or one by its id.

A network's `zone_count` counts its own ads' zones and the other zones whose imported indicators
a member matches (`Network.foreign_zones`): such a network spans those zones too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Engine, func, tuple_
from sqlmodel import Session, col, delete, select

from pipeline.types import AdKey, Edge, Network
from storage.errors import StorageError, UnknownAd
from storage.foreignlinks import NetworkForeignLink, add_links, read_links
from storage.tables import Ad, NetworkEdge, NetworkMember
from storage.tables import Network as NetworkRow

_KEYS_PER_QUERY = 400  # keeps (site, ad_id) IN (...) under SQLite's parameter limit


def _ad_pks(session: Session, keys: Iterable[AdKey]) -> dict[AdKey, int]:
    wanted = list(dict.fromkeys(keys))
    found: dict[AdKey, int] = {}
    for start in range(0, len(wanted), _KEYS_PER_QUERY):
        chunk = wanted[start : start + _KEYS_PER_QUERY]
        query = select(Ad.site, Ad.ad_id, Ad.id).where(
            tuple_(col(Ad.site), col(Ad.ad_id)).in_(chunk)
        )
        for site, ad_id, pk in session.exec(query).all():
            if pk is not None:
                found[(site, ad_id)] = pk
    missing = [key for key in wanted if key not in found]
    if missing:
        raise UnknownAd(missing)
    return found


def _check(networks: Sequence[Network]) -> None:
    duplicates = sorted(i for i, n in Counter(n.network_id for n in networks).items() if n > 1)
    if duplicates:
        raise StorageError(f"duplicate network ids: {', '.join(duplicates)}")
    for n in networks:
        members = set(n.members)
        for e in n.edges:
            if e.a not in members or e.b not in members:
                raise StorageError(
                    f"network {n.network_id}: edge {e.kind} {e.a} - {e.b} joins a non-member"
                )
        for f in n.foreign:
            if f.ad not in members:
                raise StorageError(
                    f"network {n.network_id}: {f.source_zone} link of {f.ad}, not a member"
                )


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Two concurrent replacements queue instead of colliding; readers still see the old set.
        session.connection().exec_driver_sql("LOCK TABLE network IN SHARE ROW EXCLUSIVE MODE")


def replace_networks(session: Session, networks: Sequence[Network]) -> None:
    """Delete every stored network and store `networks`; the caller commits."""
    _check(networks)
    _lock(session)
    pks = _ad_pks(session, (key for n in networks for key in n.members))
    for table in (NetworkForeignLink, NetworkEdge, NetworkMember, NetworkRow):
        session.exec(delete(table))
    _insert(session, networks, pks)


def update_networks(
    session: Session, *, removed: Sequence[str], upserted: Sequence[Network]
) -> None:
    """Delete the networks `removed` and store `upserted` (in place of any stored under the same
    ids); every other stored network stays. The caller commits."""
    _check(upserted)
    _lock(session)
    pks = _ad_pks(session, (key for n in upserted for key in n.members))
    ids = list(dict.fromkeys([*removed, *(n.network_id for n in upserted)]))
    for start in range(0, len(ids), _KEYS_PER_QUERY):
        chunk = ids[start : start + _KEYS_PER_QUERY]
        for table in (NetworkForeignLink, NetworkEdge, NetworkMember):
            session.exec(delete(table).where(col(table.network_id).in_(chunk)))
        session.exec(delete(NetworkRow).where(col(NetworkRow.network_id).in_(chunk)))
    _insert(session, upserted, pks)


def networks_of_ads(engine: Engine, pks: Sequence[int]) -> set[str]:
    """The ids of the networks one of the ads (primary keys) is a member of."""
    out: set[str] = set()
    with Session(engine) as session:
        for start in range(0, len(pks), _KEYS_PER_QUERY):
            chunk = list(pks[start : start + _KEYS_PER_QUERY])
            query = select(NetworkMember.network_id).where(col(NetworkMember.ad_pk).in_(chunk))
            out.update(session.exec(query.distinct()).all())
    return out


def network_ids(engine: Engine) -> set[str]:
    """The ids of every stored network."""
    with Session(engine) as session:
        return set(session.exec(select(NetworkRow.network_id)).all())


def _insert(session: Session, networks: Sequence[Network], pks: dict[AdKey, int]) -> None:
    for n in networks:
        session.add(
            NetworkRow(
                network_id=n.network_id,
                size=len(n.members),
                risk=n.risk,
                zone_count=len(set(n.zones) | set(n.foreign_zones)),
                phones=list(n.phones),
                aliases=list(n.aliases),
                sites=list(n.sites),
                zones=list(n.zones),
                movement=list(n.movement),
                first_seen=n.first_seen,
                last_seen=n.last_seen,
            )
        )
    session.flush()
    session.add_all(
        NetworkMember(network_id=n.network_id, ad_pk=pks[key], position=i)
        for n in networks
        for i, key in enumerate(n.members)
    )
    session.add_all(
        NetworkEdge(
            network_id=n.network_id,
            a_pk=pks[e.a],
            b_pk=pks[e.b],
            kind=e.kind,
            evidence=e.evidence,
            position=i,
        )
        for n in networks
        for i, e in enumerate(n.edges)
    )
    add_links(session, networks, pks)


def _ordered(min_zones: int) -> Any:
    return (
        select(NetworkRow)
        .where(col(NetworkRow.zone_count) >= min_zones)
        .order_by(
            col(NetworkRow.risk).desc(), col(NetworkRow.size).desc(), col(NetworkRow.network_id)
        )
    )


def list_networks(
    engine: Engine, *, min_zones: int, limit: int | None = None, offset: int = 0
) -> list[Network]:
    """Networks spanning at least `min_zones` distinct zones, riskiest and largest first
    (a page of them: `limit` from `offset`)."""
    if (limit is not None and limit < 0) or offset < 0:
        raise ValueError(f"limit and offset must be >= 0, not {limit} and {offset}")
    query = _ordered(min_zones)
    if limit is not None or offset:
        query = query.limit(limit).offset(offset)
    with Session(engine) as session:
        return _networks(session, list(session.exec(query).all()))


def count_networks(engine: Engine, *, min_zones: int) -> int:
    query = select(func.count()).select_from(NetworkRow).where(
        col(NetworkRow.zone_count) >= min_zones
    )
    with Session(engine) as session:
        return int(session.exec(query).one())


def get_network(engine: Engine, *, network_id: str) -> Network | None:
    """One network, read by its id (with its members, edges and foreign links)."""
    with Session(engine) as session:
        row = session.get(NetworkRow, network_id)
        return _networks(session, [row])[0] if row is not None else None


def _networks(session: Session, rows: list[NetworkRow]) -> list[Network]:
    """The networks of `rows`, with their members, edges and foreign links."""
    ids = [row.network_id for row in rows]
    members: dict[str, list[AdKey]] = defaultdict(list)
    keys: dict[int, AdKey] = {}
    member_query = (
        select(NetworkMember.network_id, Ad.id, Ad.site, Ad.ad_id)
        .join(Ad, col(Ad.id) == col(NetworkMember.ad_pk))
        .where(col(NetworkMember.network_id).in_(ids))
        .order_by(col(NetworkMember.network_id), col(NetworkMember.position))
    )
    for network_id, pk, site, ad_id in session.exec(member_query).all():
        members[network_id].append((site, ad_id))
        keys[int(pk or 0)] = (site, ad_id)
    edges: dict[str, list[Edge]] = defaultdict(list)
    edge_query = (
        select(NetworkEdge)
        .where(col(NetworkEdge.network_id).in_(ids))
        .order_by(col(NetworkEdge.network_id), col(NetworkEdge.position))
    )
    for edge in session.exec(edge_query).all():
        # replace_networks only stores edges between members of the same network
        edges[edge.network_id].append(
            Edge(a=keys[edge.a_pk], b=keys[edge.b_pk], kind=edge.kind, evidence=edge.evidence)
        )
    foreign = read_links(session, ids, keys)
    return [
        Network(
            network_id=row.network_id,
            members=tuple(members[row.network_id]),
            edges=tuple(edges[row.network_id]),
            phones=tuple(row.phones),
            aliases=tuple(row.aliases),
            sites=tuple(row.sites),
            zones=tuple(row.zones),
            movement=tuple(row.movement),
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            risk=row.risk,
            foreign=tuple(foreign[row.network_id]),
        )
        for row in rows
    ]


def network_of(engine: Engine, *, site: str, ad_id: str) -> str | None:
    """The id of the (riskiest) network the ad belongs to, if any."""
    query = (
        select(NetworkMember.network_id)
        .join(Ad, col(Ad.id) == col(NetworkMember.ad_pk))
        .join(NetworkRow, col(NetworkRow.network_id) == col(NetworkMember.network_id))
        .where(col(Ad.site) == site, col(Ad.ad_id) == ad_id)
        .order_by(col(NetworkRow.risk).desc(), col(NetworkRow.network_id))
    )
    with Session(engine) as session:
        return session.exec(query).first()


def memberships(engine: Engine, *, site: str | None = None) -> dict[AdKey, tuple[int, str]]:
    """Every networked ad's (of `site`, if given) network size and id (its largest network's),
    from the stored networks: what an ad crawled again is scored with, before the next link."""
    query = select(Ad.site, Ad.ad_id, NetworkRow.size, NetworkRow.network_id).join(
        NetworkMember, col(NetworkMember.ad_pk) == col(Ad.id)
    ).join(NetworkRow, col(NetworkRow.network_id) == col(NetworkMember.network_id))
    if site is not None:
        query = query.where(col(Ad.site) == site)
    out: dict[AdKey, tuple[int, str]] = {}
    with Session(engine) as session:
        for site, ad_id, size, nid in session.exec(query):
            key = (site, ad_id)
            if key not in out or size > out[key][0]:
                out[key] = (size, nid)
    return out
