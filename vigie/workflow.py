"""The steps the CLI chains: crawl sites into the store, then link the stored ads into networks
and rescore the ads whose network changed (the network size is a feature of the risk model,
known only after linking)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crawlers.distributed import DEFAULT_PREFIX
from crawlers.runner import crawl
from crawlers.sitespec import SiteSpec
from pipeline.analyze import rescore
from pipeline.link import LinkConfig
from pipeline.types import AdKey, Analysis, Network
from storage.repository import Store
from storage.webqueries import ads_by_keys
from vigie.config import Settings
from vigie.crosslink import link_with_imports, shared_pseudonym_key

log = logging.getLogger(__name__)

_KEYS_PER_READ = 400


@dataclass
class CrawlReport:
    """What one run did, per site: the Scrapy stats Vigie cares about."""

    stats: dict[str, dict[str, Any]] = field(default_factory=dict)

    def count(self, site: str, key: str) -> int:
        value = self.stats.get(site, {}).get(key, 0)
        return int(value) if isinstance(value, int | float) else 0


def crawl_sites(
    specs: Sequence[SiteSpec],
    *,
    database_url: str,
    base_url: str | None = None,
    chromium_path: str | None = None,
    region: str = "BE",
    log_level: str = "WARNING",
    on_item: Callable[[str, str], None] | None = None,
    redis_url: str | None = None,
    redis_prefix: str = DEFAULT_PREFIX,
) -> CrawlReport:
    """Crawl `specs` into the database at `database_url`; with `redis_url`, as one worker of the
    shared Redis frontier (`crawlers.distributed`), which also makes a killed crawl resumable."""
    # The CLI configured logging already (VIGIE_LOG_LEVEL): Scrapy must not add its own handler.
    overrides: dict[str, Any] = {
        "VIGIE_REGION": region,
        "LOG_LEVEL": log_level,
        "LOG_INSTALL_ROOT_HANDLER": False,
    }
    if chromium_path:
        overrides["VIGIE_CHROMIUM_PATH"] = chromium_path
    stats = crawl(
        specs,
        database_url=database_url,
        base_url=base_url,
        settings_overrides=overrides,
        on_item=on_item,
        redis_url=redis_url,
        redis_prefix=redis_prefix,
    )
    return CrawlReport(stats)


def link_stored(
    store: Store, settings: Settings, config: LinkConfig | None = None
) -> list[Network]:
    """Recompute the networks from every stored ad (phones, handles, images, texts), join the
    indicators imported from other zones (clear, or under the zones' shared pseudonymisation key),
    store the networks and raise the alerts of new cross-zone matches; then rescore the ads whose
    network size differs from the one their stored analysis was scored with."""
    report = link_with_imports(
        store, config, own_zone=settings.zone, pseudonym_key=shared_pseudonym_key(settings)
    )
    log.info("linked %d networks", len(report.networks))
    rescore_networked(store, report.networks, region=settings.region)
    return report.networks


def network_sizes(networks: Sequence[Network]) -> dict[AdKey, tuple[int, str]]:
    """Each member's network size (its largest network's member count) and that network's id."""
    sizes: dict[AdKey, tuple[int, str]] = {}
    for n in networks:
        for key in n.members:
            if key not in sizes or len(n.members) > sizes[key][0]:
                sizes[key] = (len(n.members), n.network_id)
    return sizes


def rescore_networked(store: Store, networks: Sequence[Network], *, region: str) -> int:
    """Rescore, with their network's size, the stored ads whose size changed since their analysis
    was scored (an ad alone counts as 1, as does one scored before any link). Only the model
    runs again; an unchanged network costs one query. Returns the number of ads rescored."""
    sizes = network_sizes(networks)
    scored = store.networked_sizes()
    changed = sorted(
        key
        for key in sizes.keys() | scored.keys()
        if max(sizes.get(key, (1, ""))[0], 1) != scored.get(key, 1)
    )
    updates: list[tuple[str, Analysis, int]] = []
    for start in range(0, len(changed), _KEYS_PER_READ):
        chunk = changed[start : start + _KEYS_PER_READ]
        for key, ad in ads_by_keys(store.engine, keys=chunk).items():
            size, nid = sizes.get(key, (1, ""))
            analysis = rescore(
                ad.raw, ad.analysis, network_size=size, network_id=nid or None, region=region
            )
            updates.append((ad.content_sha256, analysis, size))
    written = store.rescore(updates) if updates else 0
    log.info("rescored %d ads whose network changed", written)
    return written
