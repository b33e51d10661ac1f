"""The members of stored networks that match another zone's imported indicator: one row per
(network, ad, indicator), stored and read with the networks (storage/networks.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from sqlalchemy import Column, Text
from sqlmodel import Field, Session, SQLModel, col, select

from pipeline.types import AdKey, ForeignLink, Network
from storage.columns import JSONDocument


class NetworkForeignLink(SQLModel, table=True):
    __tablename__ = "network_foreign_link"

    id: int | None = Field(default=None, primary_key=True)
    network_id: str = Field(foreign_key="network.network_id", ondelete="CASCADE", index=True)
    ad_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    source_zone: str = Field(index=True)
    file_name: str = Field(sa_type=Text)
    file_sha256: str
    kind: str
    platform: str
    value: str = Field(sa_type=Text)  # as the other zone sent it: the HMAC when pseudonymised
    pseudonymised: bool
    distance: int
    score: float
    flags: list[str] = Field(sa_column=Column(JSONDocument, nullable=False))
    position: int


def add_links(session: Session, networks: Sequence[Network], pks: Mapping[AdKey, int]) -> None:
    """Stage the foreign links of `networks` (their rows exist); the caller commits."""
    session.add_all(
        NetworkForeignLink(
            network_id=n.network_id, ad_pk=pks[f.ad], source_zone=f.source_zone,
            file_name=f.file_name, file_sha256=f.file_sha256, kind=f.kind, platform=f.platform,
            value=f.value, pseudonymised=f.pseudonymised, distance=f.distance, score=f.score,
            flags=list(f.flags), position=i,
        )
        for n in networks
        for i, f in enumerate(n.foreign)
    )


def read_links(
    session: Session, network_ids: Sequence[str], keys: Mapping[int, AdKey]
) -> dict[str, list[ForeignLink]]:
    """network id → its foreign links, in stored order; `keys` maps the members' ad pks."""
    found: dict[str, list[ForeignLink]] = defaultdict(list)
    query = (
        select(NetworkForeignLink)
        .where(col(NetworkForeignLink.network_id).in_(network_ids))
        .order_by(col(NetworkForeignLink.network_id), col(NetworkForeignLink.position))
    )
    for row in session.exec(query).all():
        found[row.network_id].append(
            ForeignLink(
                ad=keys[row.ad_pk], source_zone=row.source_zone, file_name=row.file_name,
                file_sha256=row.file_sha256, kind=row.kind, platform=row.platform,
                value=row.value, pseudonymised=row.pseudonymised, distance=row.distance,
                score=row.score, flags=tuple(row.flags),
            )
        )
    return found
