"""After linking: rescore the ads whose network changed (the network size is a feature of the
risk model, known only once the ads are linked), then refresh those networks' risk from the new
scores, before the networks are stored."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from pipeline.analyze import rescore
from pipeline.link import network_risk
from pipeline.types import AdKey, Analysis, Network
from storage.repository import Store
from storage.webqueries import ads_by_keys

log = logging.getLogger(__name__)



def network_sizes(networks: Sequence[Network]) -> dict[AdKey, tuple[int, str]]:
    """Each member's network size (its largest network's member count) and that network's id."""
    sizes: dict[AdKey, tuple[int, str]] = {}
    for n in networks:
        for key in n.members:
            if key not in sizes or len(n.members) > sizes[key][0]:
                sizes[key] = (len(n.members), n.network_id)
    return sizes


def rescore_networked(store: Store, networks: Sequence[Network], *, region: str) -> set[AdKey]:
    """Rescore, with their network's size, the stored ads whose size changed since their analysis
    was scored (an ad alone counts as 1, as does one scored before any link). Only the model
    runs again; an unchanged network costs one query. Returns the keys of the ads rescored."""
    sizes = network_sizes(networks)
    scored = store.networked_sizes()
    changed = sorted(
        key
        for key in sizes.keys() | scored.keys()
        if max(sizes.get(key, (1, ""))[0], 1) != scored.get(key, 1)
    )
    updates: list[tuple[str, Analysis, int]] = []
    for key, ad in ads_by_keys(store.engine, keys=changed).items():
        size, nid = sizes.get(key, (1, ""))
        analysis = rescore(
            ad.raw, ad.analysis, network_size=size, network_id=nid or None, region=region
        )
        updates.append((ad.content_sha256, analysis, size))
    written = store.rescore(updates) if updates else 0
    log.info("rescored %d ads whose network changed", written)
    return {(u[1].site, u[1].ad_id) for u in updates}


def refresh_risk(
    store: Store, networks: Sequence[Network], rescored: set[AdKey]
) -> list[Network]:
    """`networks`, where a member was rescored, with their risk computed again from the stored
    scores (never below another zone's score of an indicator they share)."""
    touched = [n for n in networks if rescored.intersection(n.members)]
    if not touched:
        return list(networks)
    stored = ads_by_keys(store.engine, keys=sorted({k for n in touched for k in n.members}))
    fresh: dict[str, Network] = {}
    for n in touched:
        analyses = [stored[k].analysis for k in n.members if k in stored]
        if analyses:
            floor = max((link.score for link in n.foreign), default=0.0)
            fresh[n.network_id] = replace(n, risk=max(network_risk(n, analyses), floor))
    out = [fresh.get(n.network_id, n) for n in networks]
    out.sort(key=lambda n: (-n.risk, -len(n.members), n.network_id))
    return out


def rescoring(store: Store, *, region: str) -> Callable[[list[Network]], list[Network]]:
    """The step between linking and storing the networks: rescore, then refresh the risk."""

    def step(networks: list[Network]) -> list[Network]:
        return refresh_risk(store, networks, rescore_networked(store, networks, region=region))

    return step
