"""Hubs: a photo or a contact shared by many ads that have nothing else in common — a site's "no
photo" placeholder, its logo, an agency switchboard, a hotel's number. Left to join, one would
chain hundreds of unrelated ads into one network.

A shared value (a phone, a handle, a photo's hash) is a hub when at least `min_ads` ads show it
and, linked by everything else they share, those ads still fall into at least `min_groups`
separate groups: nothing but that value ties them. A hub joins nothing; it stays evidence (the
`Hub` records it, with how many ads and groups). A value shared by a real network's ads — which
share photos, texts or other numbers too — stays a link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from pipeline.types import AdKey, Edge

DEFAULT_HUB_MIN_ADS = 40
DEFAULT_HUB_MIN_GROUPS = 20


class _UnionFind(Protocol):
    def add(self, x: AdKey) -> None: ...
    def find(self, x: AdKey) -> AdKey: ...
    def union(self, a: AdKey, b: AdKey) -> bool: ...


@dataclass(frozen=True, slots=True)
class Hub:
    kind: str  # phone, contact or image
    value: str  # the phone, "platform:handle", or the photo's pHash
    ads: int
    groups: int  # separate groups its ads form without it


def value_of(edge: Edge) -> tuple[str, str] | None:
    """The shared value an edge stands for (None for a text likeness, never a hub)."""
    if edge.kind in ("phone", "contact"):
        return edge.kind, edge.evidence
    if edge.kind == "image":  # "phash <first> ~ <second>: N bits": the hash joined to
        parts = edge.evidence.split()
        return ("image", parts[1]) if len(parts) > 1 else None
    return None


def split_hubs(
    edges: Iterable[Edge],
    *,
    min_ads: int,
    min_groups: int,
    union_find: Callable[[], _UnionFind],
) -> tuple[list[Edge], list[Hub]]:
    """(`edges` without the hubs' edges, the hubs). `union_find` makes an empty union-find
    (`pipeline.link.UnionFind`)."""
    edges = list(edges)
    ads: dict[tuple[str, str], set[AdKey]] = defaultdict(set)
    for edge in edges:
        value = value_of(edge)
        if value is not None:
            ads[value].update((edge.a, edge.b))
    candidates = {v for v, members in ads.items() if len(members) >= min_ads}
    if not candidates:
        return edges, []
    uf = union_find()
    for edge in edges:
        if value_of(edge) not in candidates:
            uf.union(edge.a, edge.b)
    by_value: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for edge in edges:
        value = value_of(edge)
        if value is not None and value in candidates:
            by_value[value].append(edge)
    hubs: list[Hub] = []
    for value in sorted(candidates, key=lambda v: (-len(ads[v]), v)):
        members = ads[value]
        for key in members:
            uf.add(key)
        groups = len({uf.find(key) for key in members})
        if groups >= min_groups:
            hubs.append(Hub(value[0], value[1], len(members), groups))
            continue
        for edge in by_value[value]:
            uf.union(edge.a, edge.b)
    hub_values = {(h.kind, h.value) for h in hubs}
    return [e for e in edges if value_of(e) not in hub_values], hubs
