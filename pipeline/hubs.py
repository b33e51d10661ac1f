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

from collections.abc import Callable
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


def find_hubs(
    by_value: dict[tuple[str, str], list[Edge]],
    others: list[Edge],
    candidates: set[tuple[str, str]],
    *,
    min_groups: int,
    union_find: Callable[[], _UnionFind],
) -> list[Hub]:
    """The hubs among `candidates` (values shown by enough ads): `by_value` holds every shared
    value's edges, `others` the edges of no value (text likeness). Candidates are tried most
    shared first; one that is not a hub links its ads for the next."""
    uf = union_find()
    for value, edges in by_value.items():
        if value not in candidates:
            for edge in edges:
                uf.union(edge.a, edge.b)
    for edge in others:
        uf.union(edge.a, edge.b)
    hubs: list[Hub] = []
    sizes = {v: {k for e in by_value[v] for k in (e.a, e.b)} for v in candidates}
    for value in sorted(candidates, key=lambda v: (-len(sizes[v]), v)):
        members = sizes[value]
        for key in members:
            uf.add(key)
        groups = len({uf.find(key) for key in members})
        if groups >= min_groups:
            hubs.append(Hub(value[0], value[1], len(members), groups))
            continue
        for edge in by_value[value]:
            uf.union(edge.a, edge.b)
    return hubs
