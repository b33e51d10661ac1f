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
from pipeline.link import LinkConfig
from pipeline.types import Network
from storage.repository import Store
from vigie import incremental
from vigie.config import Settings
from vigie.crosslink import has_imports, link_with_imports, shared_pseudonym_key
from vigie.rescoring import rescoring
from vigie.storedlinks import StoredLinks

log = logging.getLogger(__name__)


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
    store: Store,
    settings: Settings,
    config: LinkConfig | None = None,
    *,
    links: StoredLinks | None = None,
) -> list[Network]:
    """Link the stored ads into networks (phones, handles, images, texts) — all of them, or
    with `links` kept between calls only the new, changed and erased ads and the networks they
    touch (`vigie.storedlinks`) —, join the indicators imported from other zones (clear, or
    under the zones' shared pseudonymisation key), store the networks and raise the alerts of
    new cross-zone matches; then rescore the ads whose network size differs from the one their
    stored analysis was scored with."""
    report = link_with_imports(
        store,
        config,
        own_zone=settings.zone,
        pseudonym_key=shared_pseudonym_key(settings),
        before_store=rescoring(store, region=settings.region),
        links=links,
    )
    log.info("linked %d networks", len(report.networks))
    return report.networks


def link_changes(store: Store, settings: Settings, config: LinkConfig | None = None) -> int:
    """After a crawl, an analysis or a purge: add the ads saved and erased since the last link to
    the stored networks (`vigie.incremental`: only the networks they touch are relinked,
    rescored and written) — or, when the stored marks cannot serve (first link, another link
    configuration, other zones' indicators imported), `link_stored` everything. Returns the
    number of stored networks."""
    config = config or LinkConfig()
    if incremental.ready(store, config) and not has_imports(store, settings.zone):
        incremental.link_queued(store, config, region=settings.region)
        return store.count_networks()
    return len(link_stored(store, settings, config))
