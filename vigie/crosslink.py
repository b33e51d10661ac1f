"""Other zones' imported indicators join the local networks, and raise alerts.

After `pipeline.link` has grouped the stored ads, every local ad matching an indicator another
zone exported (`storage.exchange.matching`: a phone, handle or email, in clear or under the
zones' shared HMAC key, or a photo hash within a few bits) is joined:

- local ads matching the same imported indicator end up in one network, joined by an edge of
  kind `imported-<kind>` whose evidence names the source zone, its file and the indicator (the
  HMAC in pseudonymised mode: never a clear value the other zone did not send);
- a network, even of a single ad, with such a match keeps it as a `ForeignLink`, so it says
  which other zones also saw it (`Network.foreign_zones`);
- its risk is at least the other zone's score of the indicator it shares;
- each (ad, indicator) raises one alert (`storage.exchange.alerts`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from pipeline.edges import LinkAd
from pipeline.link import LinkConfig, UnionFind, build_network
from pipeline.types import AdKey, Edge, ForeignLink, Network
from storage import linkindex
from storage.exchange.alerts import raise_alerts
from storage.exchange.matching import (
    DEFAULT_MAX_DISTANCE,
    MATCHED_KINDS,
    Match,
    imported_indicators,
    matches,
)
from storage.exchange.pseudonym import PSEUDONYM_FILE as PSEUDONYM_FILE
from storage.exchange.pseudonym import load_key
from storage.records import StoredAd
from storage.repository import Store
from storage.webqueries import ads_by_keys
from vigie.config import Settings
from vigie.incremental import record_full
from vigie.storedlinks import StoredLinks

log = logging.getLogger(__name__)

"""The zones' shared pseudonymisation key, in the keys directory (`vigie keys pseudonym-*`)."""

AdFetcher = Callable[[list[AdKey]], Mapping[AdKey, StoredAd]]


def shared_pseudonym_key(settings: Settings) -> bytes | None:
    """The zones' shared pseudonymisation key if installed (else pseudonymised imports only
    match by photo hash)."""
    path = settings.keys / PSEUDONYM_FILE
    return load_key(path) if path.exists() else None


@dataclass(frozen=True, slots=True)
class CrossLinkReport:
    networks: list[Network]
    matches: list[Match]
    alerts_opened: int

    @property
    def joined(self) -> list[Network]:
        """The networks also seen by another zone."""
        return [n for n in self.networks if n.foreign]


def foreign_link(m: Match) -> ForeignLink:
    record = m.indicator
    return ForeignLink(
        ad=m.ad, source_zone=record.source_zone, file_name=record.file_name,
        file_sha256=record.file_sha256, kind=m.kind, platform=m.platform, value=record.value,
        pseudonymised=record.pseudonymised, distance=m.distance, score=record.score,
        flags=record.flags,
    )


def _edge(a: ForeignLink, b: ForeignLink) -> Edge:
    evidence = f"zone {a.source_zone}, file {a.file_name}: {a.indicator}"
    if a.kind == "image":
        evidence += f" (±{a.distance} / ±{b.distance} bits)"
    return Edge(a=a.ad, b=b.ad, kind=f"imported-{a.kind}", evidence=evidence)


def _built(stored: list[StoredAd], edges: list[Edge], foreign: list[ForeignLink],
           risk: float) -> Network:
    """A network over `stored` ads (they were several units, or one ad linked to nothing)."""
    built = build_network([LinkAd.of(ad.raw, ad.analysis) for ad in stored], edges)
    return replace(built, risk=round(max(risk, built.risk), 4), foreign=tuple(foreign))


def join_imports(
    networks: Sequence[Network], links: Sequence[ForeignLink], fetch: AdFetcher
) -> list[Network]:
    """The local `networks` joined through `links`; `fetch` reads the ads of the networks that
    change shape (merged, or made of one ad). Riskiest and largest first."""
    if not links:
        return list(networks)
    of_ad = {key: n for n in networks for key in n.members}

    def unit(key: AdKey) -> AdKey:  # a network is represented by its first member
        found = of_ad.get(key)
        return found.members[0] if found else key

    uf = UnionFind()
    by_indicator: dict[tuple[str, str, str, str], list[ForeignLink]] = defaultdict(list)
    for fl in links:
        uf.add(unit(fl.ad))
        by_indicator[(fl.source_zone, fl.kind, fl.platform, fl.value)].append(fl)
    joins: list[Edge] = []
    for _, group in sorted(by_indicator.items()):
        hub, *others = sorted(group, key=lambda fl: (fl.ad, fl.distance))
        joins.extend(_edge(hub, o) for o in others if uf.union(unit(hub.ad), unit(o.ad)))
    link_groups: dict[AdKey, list[ForeignLink]] = defaultdict(list)
    for fl in sorted(links, key=lambda fl: (fl.ad, fl.source_zone, fl.kind, fl.platform,
                                           fl.value, fl.file_sha256)):
        link_groups[uf.find(unit(fl.ad))].append(fl)
    edge_groups: dict[AdKey, list[Edge]] = defaultdict(list)
    for edge in joins:
        edge_groups[uf.find(unit(edge.a))].append(edge)
    by_unit = {n.members[0]: n for n in networks}
    touched = {unit(fl.ad) for fl in links}
    out = [n for n in networks if n.members[0] not in touched]
    rebuild: list[tuple[list[AdKey], list[Edge], list[ForeignLink], float]] = []
    for root, units in uf.groups().items():
        parts = [by_unit[u] for u in units if u in by_unit]
        foreign = link_groups[root]
        risk = max([p.risk for p in parts] + [fl.score for fl in foreign])
        if len(units) == 1 and parts:  # one local network, joined to nothing new
            out.append(replace(parts[0], foreign=tuple(foreign), risk=round(risk, 4)))
            continue
        keys = [u for u in units if u not in by_unit] + [m for p in parts for m in p.members]
        rebuild.append((keys, [e for p in parts for e in p.edges] + edge_groups[root], foreign,
                        risk))
    stored = fetch([k for keys, *_ in rebuild for k in keys]) if rebuild else {}
    for keys, edges, foreign, risk in rebuild:
        missing = [k for k in keys if k not in stored]
        if missing:
            log.warning("%d ads vanished while linking: their network is left out", len(missing))
            continue
        out.append(_built([stored[k] for k in keys], edges, foreign, risk))
    out.sort(key=lambda n: (-n.risk, -len(n.members), n.network_id))
    return out


def has_imports(store: Store, own_zone: str | None) -> bool:
    """Whether another zone's indicators that linking matches are imported."""
    return any(r.kind in MATCHED_KINDS and r.source_zone != own_zone
               for r in imported_indicators(store.engine))


def link_with_imports(
    store: Store,
    config: LinkConfig | None = None,
    *,
    own_zone: str | None,
    pseudonym_key: bytes | None,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    before_store: Callable[[list[Network]], list[Network]] | None = None,
    links: StoredLinks | None = None,
) -> CrossLinkReport:
    """Link the stored ads into networks — every ad, or with `links` (kept between calls) only
    the ads that changed since its last call —, join other zones' imported indicators, pass
    them through `before_store` (e.g. rescoring), store them (with `links`, only those that
    changed) and open the alerts of new (ad, indicator) matches."""
    if links is None:
        links = StoredLinks(config)
    elif config is not None and config != links.config:
        raise ValueError("link_with_imports: config differs from the StoredLinks' config")
    full = not links.linked
    queued = linkindex.read_queue(store.engine)[0] if full else []
    state = links.refresh(store)
    networks = state.networks()
    for hub in state.hubs():  # evidence, not a link: said where the operator reads the log
        log.warning(
            "hub: %s %s is shown by %d ads that nothing else ties (%d groups): it joins nothing",
            hub.kind, hub.value, hub.ads, hub.groups,
        )
    found = matches(store, own_zone=own_zone, pseudonym_key=pseudonym_key,
                    max_distance=max_distance)
    joined = join_imports(networks, [foreign_link(m) for m in found],
                          lambda keys: ads_by_keys(store.engine, keys=keys))
    if before_store is not None:
        joined = before_store(joined)
    try:
        links.write(store, joined)
    except Exception:
        links.forget_written()
        raise
    if full:  # the marks of incremental links (`vigie.incremental`)
        record_full(store, links.config, state.components(), state.text_bands(), done=queued)
    else:  # linked in memory from a first link: the stored marks are those of an older link
        linkindex.forget(store.engine)
    opened = raise_alerts(store.engine, found)
    log.info("linked %d networks; %d ads match other zones' indicators (%d new alerts)",
             len(joined), len({m.ad for m in found}), opened)
    return CrossLinkReport(joined, found, opened)
