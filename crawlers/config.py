"""Vigie's own Scrapy settings (`VIGIE_*`), parsed once into a typed `CrawlConfig`.

Components read `CrawlConfig.from_settings(crawler.settings)`, never the raw settings. A value or a
combination that cannot work raises `ConfigError` at start-up with an exact message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from scrapy.settings import BaseSettings

from crawlers.errors import ConfigError

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
DEFAULT_CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    """The `VIGIE_*` Scrapy settings.

    - `VIGIE_DATABASE_URL`: where `StorePipeline` saves ads (none: the pipeline is off).
    - `VIGIE_REGION`: default country of phone numbers written in national format ("BE").
    - `VIGIE_SITES_DIR`: the directory of site specs the spider loader lists (default: shipped).
    - `VIGIE_CHROMIUM_PATH`: the Chromium that `render: browser` sites run in.
    - `VIGIE_HASH_IMAGES`: download and hash ads' images (default true).
    - `VIGIE_RETRY_AFTER_MAX_S`: the longest wait a `Retry-After` header obtains (default 60).
    - `VIGIE_RETRY_BACKOFF_S`: the wait before a first retry, doubled at each retry (default 1).
    - `VIGIE_RETRY_BACKOFF_MAX_S`: the longest back-off wait (default 30).
    """

    database_url: str | None
    region: str
    sites_dir: Path | None
    chromium_path: str
    hash_images: bool
    retry_after_max_s: float = 60.0
    retry_backoff_s: float = 1.0
    retry_backoff_max_s: float = 30.0

    @classmethod
    def from_settings(cls, settings: BaseSettings, *, browser: bool = False) -> CrawlConfig:
        """Parse and check the settings; `browser=True` when a `render: browser` site will run."""
        region = str(settings.get("VIGIE_REGION") or "BE").upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ConfigError(
                f"VIGIE_REGION: expected a country code known to phonenumbers (e.g. BE), "
                f"got {region!r}"
            )
        database_url = settings.get("VIGIE_DATABASE_URL") or None
        if database_url is not None and "://" not in str(database_url):
            raise ConfigError(
                "VIGIE_DATABASE_URL: expected a URL such as sqlite:///vigie.db or "
                f"postgresql+psycopg://host/db, got {database_url!r}"
            )
        sites_dir = settings.get("VIGIE_SITES_DIR") or None
        config = cls(
            database_url=str(database_url) if database_url else None,
            region=region,
            sites_dir=Path(sites_dir) if sites_dir else None,
            chromium_path=str(settings.get("VIGIE_CHROMIUM_PATH") or DEFAULT_CHROMIUM),
            hash_images=settings.getbool("VIGIE_HASH_IMAGES", True),
            retry_after_max_s=_seconds(settings, "VIGIE_RETRY_AFTER_MAX_S", 60.0),
            retry_backoff_s=_seconds(settings, "VIGIE_RETRY_BACKOFF_S", 1.0),
            retry_backoff_max_s=_seconds(settings, "VIGIE_RETRY_BACKOFF_MAX_S", 30.0),
        )
        if browser:
            config._check_browser(settings)
        return config

    def _check_browser(self, settings: BaseSettings) -> None:
        """A `render: browser` site needs Chromium, scrapy-playwright and the asyncio reactor."""
        path = Path(self.chromium_path)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise ConfigError(
                f"VIGIE_CHROMIUM_PATH: render: browser sites need an executable Chromium, "
                f"and {self.chromium_path!r} is not one (install Debian's chromium)"
            )
        reactor = settings.get("TWISTED_REACTOR")
        if not settings.getbool("TWISTED_REACTOR_ENABLED", True) or reactor != ASYNCIO_REACTOR:
            raise ConfigError(
                f"TWISTED_REACTOR: render: browser sites (scrapy-playwright) need "
                f"{ASYNCIO_REACTOR!r}, got {reactor!r}"
            )
        handlers = settings.getdict("DOWNLOAD_HANDLERS")
        for scheme in ("http", "https"):
            if handlers.get(scheme) != PLAYWRIGHT_HANDLER:
                raise ConfigError(
                    f"DOWNLOAD_HANDLERS: render: browser sites need {scheme!r} handled by "
                    f"{PLAYWRIGHT_HANDLER!r}, got {handlers.get(scheme)!r}"
                )


def _seconds(settings: BaseSettings, name: str, default: float) -> float:
    """A duration setting: a number of seconds ≥ 0."""
    raw = settings.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise ConfigError(f"{name}: expected a number of seconds ≥ 0, got {raw!r}")
    return value
