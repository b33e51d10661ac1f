"""A Scrapy spider loader that makes one spider per site spec (`scrapy list`, `scrapy crawl NAME`).

There is one spider class, `GenericSpider`; each spec in `VIGIE_SITES_DIR` (default: the shipped
`crawlers/sites/`) becomes a subclass of it named after the spec.
"""

from __future__ import annotations

import builtins
import logging
from typing import TYPE_CHECKING

from scrapy import Request, Spider
from scrapy.settings import BaseSettings

from crawlers.config import CrawlConfig
from crawlers.sitespec import load_specs
from crawlers.spiders.generic import GenericSpider, spider_for

if TYPE_CHECKING:
    from typing import Self

logger = logging.getLogger(__name__)


class SiteSpecSpiderLoader:
    """Implements Scrapy's `SpiderLoaderProtocol` over the site specs."""

    def __init__(self, spiders: dict[str, type[GenericSpider]]) -> None:
        self._spiders = spiders

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        config = CrawlConfig.from_settings(settings)
        return cls({spec.name: spider_for(spec) for spec in load_specs(config.sites_dir)})

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return sorted(self._spiders)

    def find_by_request(self, request: Request) -> builtins.list[str]:
        return [name for name, cls in self._spiders.items() if cls.handles_request(request)]
