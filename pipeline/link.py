"""Analyses → networks: ads joined by what they share, across sites and zones.

Edges come from shared values (a phone number, a messaging handle); each edge keeps its kind and
the value as evidence. Connected components (union-find) with two or more ads are networks.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from pipeline.types import AdKey, Analysis, Edge, Network, RawAd

# Contact kinds that identify a person's channel (a URL or an email of a site does not).
LINKING_CONTACTS = frozenset(
    {"whatsapp", "telegram", "signal", "snapchat", "instagram", "onlyfans"}
)


class UnionFind:
    """Disjoint sets over hashable keys, with path halving and union by size."""

    def __init__(self) -> None:
        self._parent: dict[AdKey, AdKey] = {}
        self._size: dict[AdKey, int] = {}

    def add(self, x: AdKey) -> None:
        if x not in self._parent:
            self._parent[x] = x
            self._size[x] = 1

    def find(self, x: AdKey) -> AdKey:
        parent = self._parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: AdKey, b: AdKey) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]

    def groups(self) -> dict[AdKey, list[AdKey]]:
        out: dict[AdKey, list[AdKey]] = defaultdict(list)
        for x in self._parent:
            out[self.find(x)].append(x)
        return out


@dataclass(frozen=True, slots=True)
class _Ad:
    key: AdKey
    analysis: Analysis
    seen: datetime | None


def _shared_values(ad: Analysis) -> Iterable[tuple[str, str]]:
    for p in ad.phones:
        yield "phone", p.e164
    for c in ad.contacts:
        if c.kind in LINKING_CONTACTS:
            yield "contact", f"{c.kind}:{c.value}"


def network_id(members: Iterable[AdKey]) -> str:
    """A stable id: derived from the earliest-sorting member, so it survives new arrivals."""
    first = min(members)
    return "N" + hashlib.sha256(f"{first[0]}\x1f{first[1]}".encode()).hexdigest()[:10]


def _movement(ads: list[_Ad]) -> tuple[str, ...]:
    floor = datetime.min.replace(tzinfo=UTC)
    moves: list[str] = []
    for ad in sorted(ads, key=lambda a: (a.seen or floor, a.key)):
        zone = ad.analysis.zone
        if zone and (not moves or moves[-1] != zone):
            moves.append(zone)
    return tuple(moves)


def _risk(ads: list[_Ad], n_zones: int, n_aliases: int, n_sites: int) -> float:
    """Network risk: the worst ad's score, raised by the network's shape (spread, many names)."""
    worst = max(max(a.analysis.minor_score, a.analysis.trafficking_score) for a in ads)
    shape = 0.1 * (n_zones - 1) + 0.08 * max(0, n_aliases - 1) + 0.05 * (n_sites - 1)
    return round(min(1.0, worst + (1.0 - worst) * min(shape, 0.6)), 4)


def _network(ads: list[_Ad], edges: list[Edge]) -> Network:
    keys = tuple(sorted(a.key for a in ads))
    analyses = [a.analysis for a in ads]
    phones = tuple(sorted({p.e164 for an in analyses for p in an.phones}))
    aliases = tuple(sorted({al.name for an in analyses for al in an.aliases}))
    sites = tuple(sorted({k[0] for k in keys}))
    zones = tuple(sorted({an.zone for an in analyses if an.zone}))
    seen = [a.seen for a in ads if a.seen is not None]
    return Network(
        network_id=network_id(keys),
        members=keys,
        edges=tuple(edges),
        phones=phones,
        aliases=aliases,
        sites=sites,
        zones=zones,
        movement=_movement(ads),
        first_seen=min(seen) if seen else None,
        last_seen=max(seen) if seen else None,
        risk=_risk(ads, len(zones), len(aliases), len(sites)),
    )


def link(items: Iterable[tuple[RawAd, Analysis]]) -> list[Network]:
    """Group ads into networks; ads linked to nothing are left out. Sorted by risk, then size."""
    ads: dict[AdKey, _Ad] = {}
    by_value: dict[tuple[str, str], list[AdKey]] = defaultdict(list)
    for raw, analysis in items:
        key = (raw.site, raw.ad_id)
        ads[key] = _Ad(key, analysis, raw.posted_at or raw.fetched_at)
        for shared in dict.fromkeys(_shared_values(analysis)):
            by_value[shared].append(key)

    uf = UnionFind()
    edges: dict[AdKey, list[Edge]] = defaultdict(list)
    pending: list[Edge] = []
    for (kind, value), keys in by_value.items():
        for other in keys[1:]:
            uf.add(keys[0])
            uf.add(other)
            uf.union(keys[0], other)
            pending.append(Edge(keys[0], other, kind, value))
    for edge in pending:
        edges[uf.find(edge.a)].append(edge)

    networks = [
        _network([ads[k] for k in members], edges[root])
        for root, members in uf.groups().items()
        if len(members) > 1
    ]
    networks.sort(key=lambda n: (-n.risk, -len(n.members), n.network_id))
    return networks
