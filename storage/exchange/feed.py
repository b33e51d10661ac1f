"""Reading what an export needs from the database, a page at a time: the selected ads (keyset
paging on the primary key) with their shareable values (from the indexed child tables, not the
JSON documents), and the networks with their members.

Memory stays bounded by the page size whatever the number of ads: nothing here lists a table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy import select as columns_of
from sqlmodel import Session, col, select

from storage.exchange.errors import ExchangeError
from storage.tables import Ad, AdAlias, AdContact, AdFlag, AdImage, AdPhone, NetworkMember
from storage.tables import Network as NetworkRow

PAGE = 1000
"""Ads read per query (and child rows per `IN` list): the bound on what is held at once."""
HANDLE_PLATFORMS = frozenset(
    {"whatsapp", "telegram", "signal", "snapchat", "instagram", "onlyfans", "twitter", "tiktok"}
)
Value = tuple[str, str, str]
"""(kind, platform, value) of one shareable value."""


@dataclass(frozen=True, slots=True)
class AdFacts:
    """What an indicator takes from one ad that shows it."""

    pk: int
    score: float
    first_seen: datetime
    last_seen: datetime
    flags: tuple[str, ...]
    zone: str | None


@dataclass(frozen=True, slots=True)
class Selection:
    """Which ads an export reads (`collect.ExportFilters`, in the database's terms)."""

    since: datetime | None = None
    min_score: float | None = None
    flags: tuple[str, ...] = ()
    network_id: str | None = None
    ad_zones: tuple[str, ...] = ()


def _where(query: Any, selection: Selection) -> Any:
    if selection.flags:
        flagged = select(AdFlag.ad_pk).where(col(AdFlag.flag).in_(selection.flags))
        query = query.where(col(Ad.id).in_(flagged))
    if selection.since is not None:
        query = query.where(col(Ad.last_seen) >= selection.since)
    if selection.min_score is not None:
        query = query.where(col(Ad.max_score) >= selection.min_score)
    if selection.network_id is not None:
        members = select(NetworkMember.ad_pk).where(
            col(NetworkMember.network_id) == selection.network_id)
        query = query.where(col(Ad.id).in_(members))
    if selection.ad_zones:
        query = query.where(col(Ad.zone).in_(selection.ad_zones))
    return query


def check_network(engine: Engine, network_id: str) -> None:
    """ExchangeError unless the network is stored (and spans a zone, as the listing shows)."""
    with Session(engine) as session:
        row = session.get(NetworkRow, network_id)
    if row is None or row.zone_count < 1:
        raise ExchangeError(f"--network: no stored network {network_id!r}")


def count_ads(engine: Engine, selection: Selection) -> int:
    with Session(engine) as session:
        query = _where(select(func.count()).select_from(Ad), selection)
        return int(session.exec(query).one())


def _values(session: Session, pks: Sequence[int]) -> dict[int, list[Value]]:
    """The shareable values of each ad, as `collect.ad_values` gives them from its analysis."""
    out: dict[int, list[Value]] = defaultdict(list)
    phones = select(AdPhone.ad_pk, AdPhone.e164).where(col(AdPhone.ad_pk).in_(pks))
    for pk, e164 in session.exec(phones):
        out[pk].append(("phone", "", e164))
    contacts = select(AdContact.ad_pk, AdContact.kind, AdContact.value).where(
        col(AdContact.ad_pk).in_(pks))
    for pk, kind, value in session.exec(contacts):
        if kind in ("email", "url"):
            out[pk].append((kind, "", value))
        elif kind in HANDLE_PLATFORMS:
            out[pk].append(("handle", kind, value.lstrip("@")))
    aliases = select(AdAlias.ad_pk, AdAlias.name).where(col(AdAlias.ad_pk).in_(pks))
    for pk, name in session.exec(aliases):
        out[pk].append(("alias", "", name))
    images = select(AdImage.ad_pk, AdImage.phash, AdImage.dhash).where(
        col(AdImage.ad_pk).in_(pks))
    for pk, phash, dhash in session.exec(images):
        if phash:
            out[pk].append(("image", "phash", phash.lower()))
        if dhash:
            out[pk].append(("image", "dhash", dhash.lower()))
    return out


def ads(engine: Engine, selection: Selection,
        page: int | None = None) -> Iterator[list[tuple[AdFacts, list[Value]]]]:
    """The selected ads, a page at a time (ordered by primary key), each with its values."""
    page = page or PAGE
    last = 0
    columns = columns_of(col(Ad.id), col(Ad.max_score), col(Ad.first_seen), col(Ad.last_seen),
                         col(Ad.flags), col(Ad.zone))
    while True:
        query = _where(columns, selection).where(col(Ad.id) > last).order_by(col(Ad.id))
        with Session(engine) as session:
            rows = session.execute(query.limit(page)).all()
            if not rows:
                return
            facts = [
                AdFacts(pk, score, first, seen, tuple(f for f in flags.split(",") if f), zone)
                for pk, score, first, seen, flags, zone in rows
            ]
            values = _values(session, [f.pk for f in facts])
        yield [(f, values.get(f.pk, [])) for f in facts]
        last = facts[-1].pk


def networks(engine: Engine, network_id: str | None,
             page: int | None = None) -> Iterator[tuple[str, list[str], float]]:
    """(id, zones, risk) of the networks an export names, riskiest and largest first."""
    query = (
        select(NetworkRow.network_id, NetworkRow.zones, NetworkRow.risk)
        .where(col(NetworkRow.zone_count) >= 1)
        .order_by(col(NetworkRow.risk).desc(), col(NetworkRow.size).desc(),
                  col(NetworkRow.network_id))
    )
    if network_id is not None:
        query = query.where(col(NetworkRow.network_id) == network_id)
    with Session(engine) as session:
        streamed = query.execution_options(stream_results=True, yield_per=page or PAGE)
        result = session.exec(streamed)
        for found, zones, risk in result:
            yield found, list(zones), float(risk)


def members(engine: Engine, network_id: str | None,
            page: int | None = None) -> Iterator[tuple[str, int]]:
    """(network id, ad primary key) of every member (server-side cursor on PostgreSQL)."""
    query = select(NetworkMember.network_id, NetworkMember.ad_pk)
    if network_id is not None:
        query = query.where(col(NetworkMember.network_id) == network_id)
    with Session(engine) as session:
        streamed = query.execution_options(stream_results=True, yield_per=page or PAGE)
        result = session.exec(streamed)
        yield from result
