"""The networks of one store kept in memory between two links (`pipeline.relink.NetworkState`).

The first link of a process reads every stored ad and links them all. Each later one reads the
ads' stamps (`storage.queries.ad_stamps`: content, fetch time, scores — one narrow query),
reads again only the ads whose stamp moved, links them into the networks kept in memory, drops the
erased ones (their networks are linked again without them) and writes only the networks that
changed. The result is the full relink's. A process that links once (`vigie crawl`, `vigie purge`)
pays the full link; the scheduler (`vigie schedule`) keeps one `StoredLinks` for all its runs.

If the stored networks are not among those this object wrote last (another process replaced
them), every network is written again; networks dropped meanwhile (a purge drops those of the ads
it erases) are written again if they are still networks.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pipeline.edges import LinkConfig
from pipeline.relink import NetworkState
from pipeline.types import AdKey, Network
from storage.queries import Stamp
from storage.repository import Store
from storage.webqueries import ads_by_keys

log = logging.getLogger(__name__)


class StoredLinks:
    """One store's networks, linked incrementally from one call of `refresh` to the next."""

    def __init__(self, config: LinkConfig | None = None) -> None:
        self.config = config or LinkConfig()
        self._state: NetworkState | None = None
        self._stamps: dict[AdKey, Stamp] = {}
        self._written: dict[str, Network] | None = None

    @property
    def linked(self) -> bool:
        """Whether a first (full) link was made."""
        return self._state is not None

    def refresh(self, store: Store) -> NetworkState:
        """The networks of the ads stored now: linked anew the first time, else only what
        changed since the last call."""
        stamps = store.ad_stamps()  # first: an ad written meanwhile is read again next time
        state = self._state
        if state is None:
            state = NetworkState(self.config)
            state.update(store.analyses())
            log.info("linked all %d stored ads", len(state))
        else:
            gone = [key for key in self._stamps if key not in stamps]
            moved = sorted(key for key, stamp in stamps.items() if self._stamps.get(key) != stamp)
            removal = state.remove(gone)
            fetched = ads_by_keys(store.engine, keys=moved)
            update = state.update((ad.raw, ad.analysis) for ad in fetched.values())
            log.info(
                "linked %d new or changed ads and %d erased: %d ads relinked, %d networks gone,"
                " %d new or changed",
                len(moved), len(gone), removal.relinked_ads + update.relinked_ads,
                len(removal.removed) + len(update.removed),
                len(removal.upserted) + len(update.upserted),
            )
        self._state, self._stamps = state, stamps
        return state

    def write(self, store: Store, networks: Sequence[Network]) -> None:
        """Store `networks` (every network): only those that differ from what this object wrote
        last, if the store holds nothing else; else all of them."""
        written = self._written
        stored = store.network_ids() if written is not None else set()
        if written is not None and stored <= written.keys():
            # A purge drops the networks of the ads it erases: those are written again if need be.
            written = {nid: n for nid, n in written.items() if nid in stored}
            new = {n.network_id for n in networks}
            removed = [nid for nid in written if nid not in new]
            upserted = [n for n in networks if written.get(n.network_id) != n]
            if removed or upserted:
                store.update_networks(removed=removed, upserted=upserted)
        else:
            store.replace_networks(networks)
        self._written = {n.network_id: n for n in networks}

    def forget_written(self) -> None:
        """The next `write` stores every network (e.g. after a write failed)."""
        self._written = None
