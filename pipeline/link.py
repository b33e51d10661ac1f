"""Analyses → networks: ads joined by what they share, across sites and zones.

`pipeline.edges` finds the edges (shared phone, shared messaging handle, near-duplicate image,
near-duplicate text), each with its kind and evidence; a union-find joins them. Connected groups
of two or more ads are networks. `Linker` is incremental: `add` batches as they arrive, read
`networks()` at any time; the result does not depend on how the ads were batched. A network keeps
the edges that joined it (a spanning forest: one fewer than its ads), phones, aliases, sites,
zones, first/last seen, its movement between zones over time and a risk.
"""

from __future__ import annotations

import gc
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from pipeline.edges import EdgeFinder, LinkAd, LinkConfig
from pipeline.hubs import Hub, find_hubs, value_of
from pipeline.linkkinds import KINDS
from pipeline.types import AdKey, Analysis, Edge, Network, RawAd

__all__ = ["Hub", "LinkConfig", "Linker", "UnionFind", "link", "network_id"]

_RANK = {kind: i for i, kind in enumerate(KINDS)}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a bulk step: linking a million ads makes
    millions of small acyclic objects (keys, edges) that its full passes walk again and again
    for nothing (a fifth of the time). Restored on the way out."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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

    def union(self, a: AdKey, b: AdKey) -> bool:
        """Join the sets of a and b (added if new); False when they were already one."""
        self.add(a)
        self.add(b)
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]
        return True

    def groups(self) -> dict[AdKey, list[AdKey]]:
        out: dict[AdKey, list[AdKey]] = defaultdict(list)
        for x in self._parent:
            out[self.find(x)].append(x)
        return out


def network_id(members: Iterable[AdKey]) -> str:
    """A stable id: derived from the earliest-sorting member, so it survives new arrivals."""
    first = min(members)
    return "N" + hashlib.sha256(f"{first[0]}\x1f{first[1]}".encode()).hexdigest()[:10]


def _movement(ads: list[LinkAd]) -> tuple[str, ...]:
    """Zones in the order the ads were posted. Only posting dates order them: fetch times say when
    Vigie looked, not when the ad moved (80 ads fetched in one second are no 60-hop zig-zag)."""
    moves: list[str] = []
    dated = [(ad.posted, ad.key, ad) for ad in ads if ad.posted is not None]
    for _, _, ad in sorted(dated, key=lambda t: (t[0], t[1])):
        zone = ad.analysis.zone
        if zone and (not moves or moves[-1] != zone):
            moves.append(zone)
    return tuple(moves)


def _risk(
    analyses: Sequence[Analysis], n_zones: int, n_aliases: int, n_sites: int, n_phones: int
) -> float:
    """Network risk: the worst ad's score, raised by the other flagged ads and by the network's
    shape: many zones, many aliases (more so behind one phone), many sites."""
    worst = max(max(a.minor_score, a.trafficking_score) for a in analyses)
    flagged = sum(1 for a in analyses if a.flags)
    shape = 0.1 * (n_zones - 1) + 0.08 * max(0, n_aliases - 1) + 0.05 * (n_sites - 1)
    shape += 0.05 * max(0, flagged - 1) + (0.1 if n_phones == 1 and n_aliases >= 3 else 0.0)
    return round(min(1.0, worst + (1.0 - worst) * min(shape, 0.6)), 4)


def network_risk(network: Network, analyses: Sequence[Analysis]) -> float:
    """`network`'s risk from its members' (current) analyses, e.g. once they were rescored."""
    return _risk(
        analyses,
        len(network.zones),
        len(network.aliases),
        len(network.sites),
        len(network.phones),
    )


def build_network(ads: list[LinkAd], edges: list[Edge]) -> Network:
    """The network of `ads` joined by `edges`: its phones, aliases, sites, zones, movement, dates
    and risk."""
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
        risk=_risk(analyses, len(zones), len(aliases), len(sites), len(phones)),
    )


class Linker:
    """Incremental linking: `add` ads in batches, `networks()` whenever needed."""

    def __init__(
        self, config: LinkConfig | None = None, *, finder: EdgeFinder | None = None
    ) -> None:
        self.config = config or LinkConfig()
        self._finder = finder or EdgeFinder(self.config)
        self._ads: dict[AdKey, LinkAd] = {}
        self._uf = UnionFind()  # every edge's: the groups before hubs are set apart
        self._joins: list[Edge] = []  # the edges that joined two groups, in order
        # For hubs (`pipeline.hubs`): every edge in the order found, and by the value it stands
        # for (text: none).
        self._edges: list[Edge] = []
        self._by_value: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        self._other_edges: list[Edge] = []
        self._rebuilt: tuple[UnionFind, list[Edge], list[Hub]] | None = None

    def __len__(self) -> int:
        return len(self._ads)

    def add(self, items: Iterable[tuple[RawAd, Analysis]]) -> int:
        """Link a batch of ads; an ad already linked is skipped. Returns how many were new."""
        with _collector_paused():
            return self._add(items)

    def _add(self, items: Iterable[tuple[RawAd, Analysis]]) -> int:
        batch = [LinkAd.of(raw, analysis) for raw, analysis in items]
        return self._add_ads(batch)[0]

    def add_ads(self, ads: Iterable[LinkAd]) -> tuple[int, list[Edge]]:
        """`add` for ads already read (`LinkAd`): how many were new, and the edges they
        brought."""
        with _collector_paused():
            return self._add_ads(ads)

    def _add_ads(self, ads: Iterable[LinkAd]) -> tuple[int, list[Edge]]:
        batch: dict[AdKey, LinkAd] = {}
        for ad in ads:
            if ad.key not in self._ads:
                batch[ad.key] = ad
        self._ads.update(batch)
        edges = self._finder.add(list(batch.values()))
        for edge in sorted(edges, key=lambda e: _RANK[e.kind]):  # the strongest evidence first
            if self._uf.union(edge.a, edge.b):
                self._joins.append(edge)
        if self.config.hub_min_ads is not None:
            self._edges.extend(edges)
            for edge in edges:
                value = value_of(edge)
                if value is None:
                    self._other_edges.append(edge)
                else:
                    self._by_value[value].append(edge)
        self._rebuilt = None
        return len(batch), edges

    def _state(self) -> tuple[UnionFind, list[Edge], list[Hub]]:
        """The union-find and joining edges: the incremental ones, or — once a shared value is
        seen often enough to be a hub — rebuilt from every edge but the hubs'."""
        limit = self.config.hub_min_ads
        if limit is None:
            return self._uf, self._joins, []
        if self._rebuilt is None:
            # A value's edges join its ads in a star: n edges, n + 1 ads (at most).
            candidates = {v for v, edges in self._by_value.items() if len(edges) + 1 >= limit}
            hubs = (
                find_hubs(
                    self._by_value,
                    self._other_edges,
                    candidates,
                    min_groups=self.config.hub_min_groups,
                    union_find=UnionFind,
                )
                if candidates
                else []
            )
            if not hubs:
                self._rebuilt = (self._uf, self._joins, [])
            else:
                # In the order found, as without hubs: the networks a hub leaves alone come out
                # the same, with the same edges (`pipeline.relink` counts on it).
                skip = {(h.kind, h.value) for h in hubs}
                kept = [e for e in self._edges if value_of(e) not in skip]
                uf, joins = UnionFind(), []
                for edge in sorted(kept, key=lambda e: _RANK[e.kind]):
                    if uf.union(edge.a, edge.b):
                        joins.append(edge)
                self._rebuilt = (uf, joins, hubs)
        return self._rebuilt

    def text_bands(self) -> dict[AdKey, list[int]]:
        """Each linked ad's text LSH band codes (`EdgeFinder.text_bands`)."""
        return self._finder.text_bands(list(self._ads))

    def hubs(self) -> list[Hub]:
        """The shared values that join nothing (`pipeline.hubs`), most shared first."""
        return list(self._state()[2])

    def hub_ads(self) -> list[tuple[Hub, AdKey]]:
        """Each hub with one of the ads that show it."""
        out = []
        for hub in self._state()[2]:
            edge = self._by_value[(hub.kind, hub.value)][0]
            out.append((hub, edge.a))
        return out

    def components(self) -> list[list[AdKey]]:
        """The ads joined by every edge, hubs' included (two or more ads each): nothing links
        one of these groups to another, so each is linked on its own (`pipeline.relink`)."""
        return [g for g in self._uf.groups().values() if len(g) > 1]

    def groups(self) -> list[list[AdKey]]:
        """The ads of each network (two or more ads), each sorted."""
        return [sorted(g) for g in self._state()[0].groups().values() if len(g) > 1]

    def network_ids(self) -> dict[AdKey, str | None]:
        """Every linked ad's network id, None for an ad that links to nothing."""
        out: dict[AdKey, str | None] = dict.fromkeys(self._ads)
        for members in self.groups():
            nid = network_id(members)
            out.update(dict.fromkeys(members, nid))
        return out

    def networks(self) -> list[Network]:
        """The networks, riskiest and largest first."""
        with _collector_paused():
            return self._networks()

    def _networks(self) -> list[Network]:
        uf, joins, _ = self._state()
        edges: dict[AdKey, list[Edge]] = defaultdict(list)
        for edge in joins:
            edges[uf.find(edge.a)].append(edge)
        networks = [
            build_network([self._ads[k] for k in members], edges[root])
            for root, members in uf.groups().items()
            if len(members) > 1
        ]
        networks.sort(key=lambda n: (-n.risk, -len(n.members), n.network_id))
        return networks


def link(
    items: Iterable[tuple[RawAd, Analysis]], config: LinkConfig | None = None
) -> list[Network]:
    """Group ads into networks; ads linked to nothing are left out. Sorted by risk, then size."""
    linker = Linker(config)
    linker.add(items)
    return linker.networks()
