"""Incremental linking: the networks kept up to date as ads arrive, change and go — equal, edges
and evidence included, to linking every current ad again (`relink`: `pipeline.link` over the ads
in key order).

Why it is exact. Every edge stands for something two ads alone show (a value both hold, two
pHashes or two texts alike), so the groups that *all* the edges make, hubs' included
("components", `Linker.components`), are closed: no edge runs from one to another. Which value is
a hub, which edges join, a network's id, risk and dates are all decided inside one component, and
linking a component's ads alone gives its networks exactly. A change therefore only links again
the components it touches: those of the changed or erased ads (one may split: an erased ad held
it together, or new ads made a value a hub) and those the new ads' edges reach (they may merge).

Which components new ads reach is asked of one `EdgeFinder` (a black box) that has seen every
version of every ad, each under its own "slot" key, and forgets none: a changed or erased ad
leaves a stale slot. An edge to a stale slot (it was the first to show a phone, the owner of a
pHash) stands for the ads that slot stood for: the members of its component when it went stale
and every slot that found an edge to it since. Stale slots stay in the finder (its memory grows
with the changes, not only the ads) until a new state is built.

An ad seen again or scored again that links as before (same text, pictures, phones, handles,
aliases, place) only has its networks redrawn — dates, zones, movement, risk — with their edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from pipeline.edges import EdgeFinder, LinkAd, LinkConfig
from pipeline.link import Hub, Linker, _collector_paused, build_network
from pipeline.types import AdKey, Analysis, Network, RawAd

__all__ = ["Delta", "NetworkState", "relink"]

_VERSION = "\x00"  # slot of a later version: (site, ad_id + _VERSION + n)


@dataclass(frozen=True, slots=True)
class Delta:
    """What a step changed: networks gone (ids), networks new or changed, ads linked again."""

    removed: tuple[str, ...] = ()
    upserted: tuple[Network, ...] = ()
    relinked_ads: int = 0

    def __bool__(self) -> bool:
        return bool(self.removed or self.upserted)


def relink(items: Iterable[tuple[RawAd, Analysis]], config: LinkConfig | None = None
           ) -> list[Network]:
    """The full relink every incremental step must equal: every ad linked at once, in key order
    (the last of several versions of an ad wins)."""
    ads = {ad.key: ad for ad in (LinkAd.of(raw, an) for raw, an in items)}
    linker = Linker(config)
    linker.add_ads(sorted(ads.values(), key=lambda ad: ad.key))
    return linker.networks()


def _links_differ(old: LinkAd, new: LinkAd) -> bool:
    """Whether two versions of an ad may link differently: anything edges are found from differs
    (text, pictures, phones, handles, aliases — masked in texts — and, to be safe, the place).
    Fetch dates and scores only change the networks' dates and risk."""
    a, b = old.analysis, new.analysis
    return (
        old.text != new.text
        or old.images != new.images
        or a.phones != b.phones
        or a.contacts != b.contacts
        or a.aliases != b.aliases
        or a.place != b.place
        or a.images != b.images
    )


def _merged(first: Delta, then: Delta) -> Delta:
    """`first` (networks redrawn, none gone) followed by `then`."""
    later = {n.network_id for n in then.upserted} | set(then.removed)
    kept = tuple(n for n in first.upserted if n.network_id not in later)
    return Delta(then.removed, kept + then.upserted, first.relinked_ads + then.relinked_ads)


def _key(slot: AdKey) -> AdKey:
    return (slot[0], slot[1].split(_VERSION, 1)[0])


class NetworkState:
    """The networks of a changing set of ads. `update` adds new ads and new versions of known
    ones, `remove` erases ads; each returns the `Delta`. `networks()` is always what `relink`
    of the current ads gives."""

    def __init__(self, config: LinkConfig | None = None) -> None:
        self.config = config or LinkConfig()
        self._finder = EdgeFinder(self.config)  # over slots; append-only
        self._ads: dict[AdKey, LinkAd] = {}  # current version of every ad
        self._slot: dict[AdKey, AdKey] = {}  # an ad's current slot, where not its key
        self._version: dict[AdKey, int] = {}
        self._forward: dict[AdKey, list[AdKey]] = {}  # stale slot -> slots it stands for
        self._comp: dict[AdKey, int] = {}  # ad -> its component (ads linked to nothing: none)
        self._members: dict[int, list[AdKey]] = {}
        self._nets: dict[int, list[str]] = {}  # component -> its network ids
        self._hubs: dict[int, list[Hub]] = {}
        self._networks: dict[str, Network] = {}
        self._next = 0
        self._used = False  # the finder has seen ads: stale slots may be in it

    def __len__(self) -> int:
        return len(self._ads)

    def __contains__(self, key: object) -> bool:
        return key in self._ads

    def networks(self) -> list[Network]:
        """Every network, riskiest and largest first."""
        return sorted(self._networks.values(),
                      key=lambda n: (-n.risk, -len(n.members), n.network_id))

    def network(self, network_id: str) -> Network | None:
        return self._networks.get(network_id)

    def hubs(self) -> list[Hub]:
        """The shared values that join nothing (`pipeline.hubs`), most shared first."""
        return sorted((h for hs in self._hubs.values() for h in hs),
                      key=lambda h: (-h.ads, h.kind, h.value))

    def network_ids(self) -> dict[AdKey, str | None]:
        """Every ad's network id, None for an ad linked to nothing."""
        out: dict[AdKey, str | None] = dict.fromkeys(self._ads)
        for n in self._networks.values():
            out.update(dict.fromkeys(n.members, n.network_id))
        return out

    def components(self) -> list[list[AdKey]]:
        """The ads joined by every edge, hubs' included (two or more ads each)."""
        return [list(members) for members in self._members.values()]

    def text_bands(self) -> dict[AdKey, list[int]]:
        """Each current ad's text LSH band codes (`pipeline.textsim.TextIndex.band_codes`)."""
        slots = {self._current(key): key for key in self._ads}
        return {slots[s]: codes for s, codes in self._finder.text_bands(list(slots)).items()}

    def update(self, items: Iterable[tuple[RawAd, Analysis]]) -> Delta:
        """Link new ads and new versions of known ones (an unchanged ad costs a comparison)."""
        with _collector_paused():
            return self.update_ads(LinkAd.of(raw, an) for raw, an in items)

    def update_ads(self, ads: Iterable[LinkAd]) -> Delta:
        """`update` for ads already read (`LinkAd`); of several versions of an ad, the last."""
        batch: dict[AdKey, LinkAd] = {}
        light: dict[AdKey, LinkAd] = {}
        for ad in ads:
            old = self._ads.get(ad.key)
            if old is None or ad.key in batch or _links_differ(old, ad):
                batch[ad.key] = ad
                light.pop(ad.key, None)
            elif old != ad:
                light[ad.key] = ad
        delta = self._touch(light) if light else Delta()
        if not batch:
            return delta
        if not self._used:  # the first batch: linked at once, components and networks together
            return self._first(sorted(batch.values(), key=lambda ad: ad.key))
        touched: set[int] = set()
        loose: set[AdKey] = set()
        slots: list[LinkAd] = []
        for key, ad in batch.items():
            if key in self._ads:
                self._retire(key, touched)
            self._ads[key] = ad
            slots.append(ad if key not in self._version else replace(ad, key=self._slot[key]))
        self._used = True
        new = {ad.key for ad in slots}
        seen: set[AdKey] = set()
        for edge in self._finder.add(slots):
            if edge.a in new and edge.b in new:
                continue
            known, fresh = (edge.a, edge.b) if edge.b in new else (edge.b, edge.a)
            if known in self._forward:
                self._forward[known].append(fresh)
            self._reach(known, touched, loose, seen)
        return _merged(delta, self._relink(touched, loose | set(batch)))

    def _touch(self, ads: dict[AdKey, LinkAd]) -> Delta:
        """Ads seen again, or scored again, that link as before: their networks keep their
        members and edges; dates, zones, movement and risk are drawn again."""
        self._ads.update(ads)
        touched = {self._comp[key] for key in ads if key in self._comp}
        changed = []
        for cid in touched:
            for nid in self._nets[cid]:
                old = self._networks[nid]
                new = build_network([self._ads[k] for k in old.members], list(old.edges))
                if new != old:
                    self._networks[nid] = new
                    changed.append(new)
        return Delta((), tuple(changed), 0)

    def remove(self, keys: Iterable[AdKey]) -> Delta:
        """Erase ads (unknown keys are ignored): their networks are linked again without them."""
        touched: set[int] = set()
        gone = False
        for key in keys:
            if key in self._ads:
                self._retire(key, touched)
                del self._ads[key]
                gone = True
        return self._relink(touched, set()) if gone else Delta()

    def _first(self, ads: Sequence[LinkAd]) -> Delta:
        self._used = True
        self._ads.update((ad.key, ad) for ad in ads)
        linker = Linker(self.config, finder=self._finder)
        linker.add_ads(ads)
        added = self._absorb(linker)
        return Delta((), tuple(added), len(ads))

    def _current(self, key: AdKey) -> AdKey:
        return self._slot.get(key, key)

    def _retire(self, key: AdKey, touched: set[int]) -> None:
        """The ad's current slot goes stale; the next one is ready."""
        slot = self._current(key)
        cid = self._comp.get(key)
        others = [] if cid is None else [self._current(k) for k in self._members[cid] if k != key]
        self._forward[slot] = others
        if cid is not None:
            touched.add(cid)
        n = self._version[key] = self._version.get(key, 0) + 1
        self._slot[key] = (key[0], f"{key[1]}{_VERSION}{n}")

    def _reach(self, slot: AdKey, touched: set[int], loose: set[AdKey], seen: set[AdKey]) -> None:
        """Mark what an edge to `slot` reaches: its ad, or what a stale slot stands for."""
        todo = [slot]
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen.add(s)
            forward = self._forward.get(s)
            if forward is not None:
                todo.extend(forward)
                continue
            key = _key(s)
            cid = self._comp.get(key)
            if cid is not None:
                touched.add(cid)
            elif key in self._ads:
                loose.add(key)

    def _relink(self, touched: set[int], loose: set[AdKey]) -> Delta:
        keys = set(loose)
        before: dict[str, Network] = {}
        for cid in touched:
            members = self._members.pop(cid)
            keys.update(members)
            for k in members:
                if self._comp.get(k) == cid:
                    del self._comp[k]
            for nid in self._nets.pop(cid):
                before[nid] = self._networks.pop(nid)
            self._hubs.pop(cid, None)
        ads = sorted((self._ads[k] for k in keys if k in self._ads), key=lambda ad: ad.key)
        linker = Linker(self.config)
        linker.add_ads(ads)
        added = [n for n in self._absorb(linker) if before.get(n.network_id) != n]
        removed = sorted(nid for nid in before if nid not in self._networks)
        return Delta(tuple(removed), tuple(added), len(ads))

    def _absorb(self, linker: Linker) -> list[Network]:
        """Take the components, networks and hubs of a linker over whole components."""
        for group in linker.components():
            cid = self._next
            self._next += 1
            self._members[cid] = group
            self._nets[cid] = []
            for key in group:
                self._comp[key] = cid
        networks = linker.networks()
        for n in networks:
            self._nets[self._comp[n.members[0]]].append(n.network_id)
            self._networks[n.network_id] = n
        for hub, key in linker.hub_ads():
            self._hubs.setdefault(self._comp[_key(key)], []).append(hub)
        return networks
