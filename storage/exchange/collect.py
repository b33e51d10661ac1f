"""Gathering what a zone exports: the indicators of its stored ads, filtered, and its networks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from pipeline.types import AdKey, Analysis, RawAd
from storage.exchange.errors import ExchangeError
from storage.exchange.model import (
    ExchangeBundle,
    ExchangeIndicator,
    ExchangeNetwork,
)
from storage.exchange.pseudonym import key_id, pseudonymise
from storage.records import StoredAd
from storage.repository import Store

HANDLE_PLATFORMS = frozenset(
    {"whatsapp", "telegram", "signal", "snapchat", "instagram", "onlyfans", "twitter", "tiktok"}
)


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """Which ads' indicators leave the zone (every filter given must hold)."""

    since: datetime | None = None
    min_score: float | None = None
    flags: tuple[str, ...] = ()
    network_id: str | None = None
    ad_zones: tuple[str, ...] = ()
    """Only ads located in one of these police zones (all ads when empty)."""

    def describe(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.since is not None:
            out["since"] = self.since.isoformat()
        if self.min_score is not None:
            out["min_score"] = f"{self.min_score:g}"
        if self.flags:
            out["flag"] = ",".join(self.flags)
        if self.network_id is not None:
            out["network"] = self.network_id
        if self.ad_zones:
            out["ad_zones"] = ",".join(self.ad_zones)
        return out


def ad_values(raw: RawAd, analysis: Analysis) -> Iterable[tuple[str, str, str]]:
    """(kind, platform, value) of every shareable value of one ad."""
    for phone in analysis.phones:
        yield "phone", "", phone.e164
    for contact in analysis.contacts:
        if contact.kind in ("email", "url"):
            yield contact.kind, "", contact.value
        elif contact.kind in HANDLE_PLATFORMS:
            yield "handle", contact.kind, contact.value.lstrip("@")
    for alias in analysis.aliases:
        yield "alias", "", alias.name
    for image in (*raw.images, *analysis.images):
        for algorithm, value in (("phash", image.phash), ("dhash", image.dhash)):
            if value:
                yield "image", algorithm, value.lower()


def _selected(store: Store, filters: ExportFilters) -> list[StoredAd]:
    flags: Sequence[str | None] = filters.flags or (None,)
    ads: dict[AdKey, StoredAd] = {}
    for flag in flags:
        total = store.count_ads(flag=flag)
        for ad in store.list_ads(flag=flag, limit=total):
            ads.setdefault(ad.key, ad)
    members: set[AdKey] | None = None
    if filters.network_id is not None:
        found = [n for n in store.list_networks() if n.network_id == filters.network_id]
        if not found:
            raise ExchangeError(f"--network: no stored network {filters.network_id!r}")
        members = set(found[0].members)
    return [
        ad
        for key, ad in sorted(ads.items())
        if (filters.since is None or ad.last_seen >= filters.since)
        and (filters.min_score is None or ad.max_score >= filters.min_score)
        and (members is None or key in members)
        and (not filters.ad_zones or ad.zone in filters.ad_zones)
    ]


def _merge(ads: list[StoredAd]) -> tuple[list[ExchangeIndicator], dict[AdKey, set[str]]]:
    seen: dict[tuple[str, str, str], list[StoredAd]] = defaultdict(list)
    for ad in ads:
        for key in dict.fromkeys(ad_values(ad.raw, ad.analysis)):
            seen[key].append(ad)
    indicators: list[ExchangeIndicator] = []
    of_ad: dict[AdKey, set[str]] = defaultdict(set)
    for (kind, platform, value), where in sorted(seen.items()):
        indicator = ExchangeIndicator(
            kind=kind,
            value=value,
            platform=platform,
            score=round(max(ad.max_score for ad in where), 4),
            flags=tuple(sorted({f for ad in where for f in ad.flags})),
            first_seen=min(ad.first_seen for ad in where).replace(microsecond=0),
            last_seen=max(ad.last_seen for ad in where).replace(microsecond=0),
            sightings=len(where),
            zones=tuple(sorted({ad.zone for ad in where if ad.zone})),
        )
        indicators.append(indicator)
        for ad in where:
            of_ad[ad.key].add(indicator.id)
    return indicators, of_ad


def collect(
    store: Store,
    *,
    zone: str,
    tlp: str,
    filters: ExportFilters,
    pseudonym_key: bytes | None = None,
    now: datetime | None = None,
) -> ExchangeBundle:
    """The bundle a zone exports: indicators of the selected ads and the networks joining them.

    With `pseudonym_key`, phones, emails, handles, URLs and aliases are replaced by their HMAC.
    """
    indicators, of_ad = _merge(_selected(store, filters))
    networks: list[ExchangeNetwork] = []
    for network in store.list_networks():
        ids = sorted({i for key in network.members for i in of_ad.get(key, ())})
        if ids and (filters.network_id is None or network.network_id == filters.network_id):
            networks.append(
                ExchangeNetwork(network.network_id, tuple(ids), network.zones, network.risk)
            )
    if pseudonym_key is not None:
        renamed = {i.id: pseudonymise(i, pseudonym_key) for i in indicators}
        indicators = list(renamed.values())
        networks = [
            replace(n, indicator_ids=tuple(sorted(renamed[i].id for i in n.indicator_ids)))
            for n in networks
        ]
    return ExchangeBundle(
        zone=zone,
        exported_at=(now or datetime.now(UTC)).replace(microsecond=0),
        tlp=tlp,
        indicators=tuple(indicators),
        networks=tuple(networks),
        pseudonymised=pseudonym_key is not None,
        pseudonym_key_id=key_id(pseudonym_key) if pseudonym_key is not None else None,
        filters=filters.describe(),
    )
