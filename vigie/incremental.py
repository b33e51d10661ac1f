"""Incremental linking of the stored ads (issue 16.8): the ads saved and erased since the last link
(`storage.linkindex`'s queue) are added to the stored networks, without reading the other ads.

Why it is exact (`pipeline.relink`): the groups that every edge makes, hubs' included
(components), are closed, and linking a component's ads alone gives its networks, ids, edges and
risk exactly. A step relinks the union of:
- the queued ads (new or saved again) and the components they were in (marks);
- the components an erasure touched (queued by the erasure itself);
- every stored ad that one of the queued ads may have an edge to — the same phone or handle
  (indexed), a text sharing an LSH band code (indexed), a pHash within the radius or matching
  region hashes (the stored hashes in memory) — and the components those were in.
A component of the current ads that meets this union lies within it: a path between unchanged
ads is an edge the last link saw (one component), a path through a queued ad is found from it.
Everything else keeps its networks and marks; the step writes only the networks, marks and bands
of what it relinked, and rescores only those ads.

It runs when the stored marks were made with the same link configuration (a full link writes
them) and no other zone's indicators are imported (those join networks across components: a full
link joins them). Otherwise `vigie.workflow.link_stored` links everything.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.analyze import rescore
from pipeline.edges import LinkAd, LinkConfig
from pipeline.hashindex import HashIndex
from pipeline.link import Linker
from pipeline.linkkinds import LINKING_CONTACTS
from pipeline.photomatch import MatchRule, Photo, PhotoIndex, decode_dct
from pipeline.textsim import TextIndex
from pipeline.types import AdKey, Analysis, Network
from storage import linkindex
from storage.records import StoredAd
from storage.repository import Store
from storage.webqueries import ads_by_keys
from vigie.rescoring import network_sizes, refresh_risk

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Step:
    """What an incremental link did: queue items taken, ads relinked, networks gone and new or
    changed (after rescoring), ads rescored, seconds per phase."""

    queued: int = 0
    relinked_ads: int = 0
    removed: tuple[str, ...] = ()
    upserted: tuple[Network, ...] = ()
    rescored: int = 0
    timings: tuple[tuple[str, float], ...] = ()


def config_key(config: LinkConfig) -> str:
    return repr(config)


def component_id(members: Sequence[AdKey]) -> int:
    """A component's id: from its first member, signed 64 bits."""
    site, ad_id = min(members)
    digest = hashlib.sha256(f"{site}\x1f{ad_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def ready(store: Store, config: LinkConfig) -> bool:
    """Whether the stored marks allow an incremental link with `config`."""
    return linkindex.config_of(store.engine) == config_key(config)


def record_full(
    store: Store,
    config: LinkConfig,
    components: Sequence[Sequence[AdKey]],
    bands: dict[AdKey, list[int]],
    *,
    done: Sequence[str],
) -> None:
    """After a full link: its components and text bands become the marks; the queue items `done`
    (read before the link read the ads) go."""
    pks = linkindex.all_pks(store.engine)
    marks = {pks[k]: component_id(group) for group in components for k in group if k in pks}
    linkindex.replace_all(
        store.engine,
        config_key(config),
        marks,
        {pks[k]: codes for k, codes in bands.items() if k in pks},
        done=done,
    )


def _exact_values(seeds: Sequence[LinkAd]) -> tuple[set[str], set[tuple[str, str]]]:
    phones = {p.e164 for ad in seeds for p in ad.analysis.phones}
    contacts = {
        (c.kind, c.value)
        for ad in seeds
        for c in ad.analysis.contacts
        if c.kind in LINKING_CONTACTS
    }
    return phones, contacts


def _text_codes(seeds: Sequence[LinkAd], config: LinkConfig) -> set[int]:
    if config.text_threshold is None:
        return set()
    index: TextIndex[AdKey] = TextIndex(
        threshold=config.text_threshold, min_words=config.text_min_words
    )
    index.add_many(
        (ad.key, ad.text, [al.name for al in ad.analysis.aliases]) for ad in seeds if ad.text
    )
    return {c for codes in index.band_codes([ad.key for ad in seeds]).values() for c in codes}


def _hex_hashes(values: list[str]) -> np.ndarray:
    """16-hex-digit hashes as uint64 (the stored shape; `storage.hashes`)."""
    if not values:
        return np.zeros(0, dtype=np.uint64)
    return np.frombuffer(bytes.fromhex("".join(values)), dtype=">u8").astype(np.uint64)


def _near_images(
    store: Store, seeds: Sequence[LinkAd], seed_pks: set[int], config: LinkConfig
) -> set[int]:
    """Stored ads (not among the seeds) with a pHash within the radius of a seed's, or region
    hashes a seed's match: what `pipeline.edges.EdgeFinder` would join them by."""
    radius = config.image_radius
    if radius is None:
        return set()
    found: set[int] = set()
    wanted = [
        im.phash for ad in seeds for im in ad.images if im.phash and linkindex.is_hash(im.phash)
    ]
    if wanted:
        pks, texts = linkindex.stored_phashes(store.engine)
        keep = ~np.isin(pks, np.fromiter(seed_pks, dtype=np.int64))
        pks, hashes = pks[keep], _hex_hashes(texts)[keep]
        if len(pks):
            index: HashIndex[int] = HashIndex.build(range(len(pks)), hashes, radius=radius)
            for hits in index.query_many(_hex_hashes(wanted), radius):
                found.update(int(pks[i]) for i, _ in hits)
    dcts = [(ad.key, im.dct) for ad in seeds for im in ad.images if im.dct]
    if dcts and config.dct_radius is not None:
        photos: PhotoIndex[int] = PhotoIndex(
            MatchRule(phash=None, dhash=None, dct=config.dct_radius)
        )
        stored = []
        for pk, dct in linkindex.stored_dcts(store.engine):
            if pk not in seed_pks:
                try:
                    stored.append((-1 - pk, Photo(dct=decode_dct(dct))))
                except ValueError:
                    continue
        photos.add(stored)
        first = len(photos)
        new = []
        for i, (_, dct) in enumerate(dcts):
            try:
                new.append((i, Photo(dct=decode_dct(dct))))
            except ValueError:
                continue
        for a, b, *_ in photos.add(new):
            for x, y in ((a, b), (b, a)):
                if x < first <= y:
                    found.add(-1 - photos.key(x))
    return found


def _scored_size(ad: StoredAd) -> int:
    return max(ad.network_size, 1)


def link_queued(store: Store, config: LinkConfig, *, region: str, rescore_ads: bool = True) -> Step:
    """Add what the queue names to the stored networks (see the module doc); rescore the ads whose
    network size changed (with `rescore_ads`) and refresh those networks' risk; write the
    networks, marks and bands of what was relinked and take the queue items, in one
    transaction. One step at a time per database (`storage.linkindex.link_lock`)."""
    with linkindex.link_lock(store.engine):
        return _link_queued(store, config, region=region, rescore_ads=rescore_ads)


def _link_queued(store: Store, config: LinkConfig, *, region: str, rescore_ads: bool) -> Step:
    clock = [("start", time.perf_counter())]

    def tick(name: str) -> None:
        clock.append((name, time.perf_counter()))

    engine = store.engine
    items, queued_pks, queued_comps = linkindex.read_queue(engine)
    if not items:
        return Step()
    keys_by_pk = linkindex.keys_of(engine, queued_pks)
    seed_ads = ads_by_keys(engine, keys=sorted(keys_by_pk.values()))
    seeds = [LinkAd.of(ad.raw, ad.analysis) for ad in seed_ads.values()]
    seed_pks = {pk for pk, key in keys_by_pk.items() if key in seed_ads}
    tick("queue")
    phones, contacts = _exact_values(seeds)
    reached = linkindex.ads_with_values(engine, phones, contacts)
    tick("phones")
    reached |= linkindex.ads_with_bands(engine, _text_codes(seeds, config))
    tick("texts")
    reached |= _near_images(store, seeds, seed_pks, config)
    tick("images")
    components = set(queued_comps) | linkindex.components_of(engine, seed_pks | reached)
    scope = seed_pks | reached | linkindex.component_members(engine, components)
    scope_keys = linkindex.keys_of(engine, scope)
    stored = dict(seed_ads)
    stored.update(
        ads_by_keys(engine, keys=sorted(k for k in scope_keys.values() if k not in stored))
    )
    pk_of = {key: pk for pk, key in scope_keys.items() if key in stored}
    tick("read")
    linker = Linker(config)
    linker.add_ads(
        sorted((LinkAd.of(ad.raw, ad.analysis) for ad in stored.values()), key=lambda ad: ad.key)
    )
    networks = linker.networks()
    for hub in linker.hubs():
        log.warning(
            "hub: %s %s is shown by %d ads that nothing else ties (%d groups): it joins nothing",
            hub.kind,
            hub.value,
            hub.ads,
            hub.groups,
        )
    marks = {pk_of[k]: component_id(group) for group in linker.components() for k in group}
    bands = {pk_of[k]: codes for k, codes in linker.text_bands().items() if pk_of[k] in seed_pks}
    tick("link")
    rescored = 0
    if rescore_ads:
        networks, rescored = _rescore(store, networks, stored, region=region)
    tick("rescore")
    removed = store.networks_of_ads(sorted(pk_of.values()))
    store.apply_link_step(
        removed=sorted(removed),
        upserted=networks,
        relinked=sorted(pk_of.values()),
        marks=marks,
        banded=sorted(seed_pks),
        bands=bands,
        done=items,
    )
    tick("write")
    timings = tuple((name, round(t - clock[i][1], 3)) for i, (name, t) in enumerate(clock[1:]))
    log.info(
        "incremental link: %d queued, %d ads relinked, %d networks gone, %d written, %d"
        " rescored (%s)",
        len(items),
        len(stored),
        len(removed),
        len(networks),
        rescored,
        ", ".join(f"{n} {s:.2f} s" for n, s in timings),
    )
    new_ids = {n.network_id for n in networks}
    return Step(
        len(items),
        len(stored),
        tuple(sorted(removed - new_ids)),
        tuple(networks),
        rescored,
        timings,
    )


def _rescore(
    store: Store, networks: list[Network], stored: dict[AdKey, StoredAd], *, region: str
) -> tuple[list[Network], int]:
    """`vigie.rescoring` over the relinked ads alone: the others' networks did not change."""
    sizes = network_sizes(networks)
    updates: list[tuple[str, Analysis, int]] = []
    for key, ad in sorted(stored.items()):
        size, nid = sizes.get(key, (1, ""))
        if max(size, 1) != _scored_size(ad):
            analysis = rescore(
                ad.raw, ad.analysis, network_size=size, network_id=nid or None, region=region
            )
            updates.append((ad.content_sha256, analysis, size))
    if updates:
        store.rescore(updates)
    rescored = {(u[1].site, u[1].ad_id) for u in updates}
    return refresh_risk(store, networks, rescored), len(updates)
