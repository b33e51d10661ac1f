"""crawlers.config: Vigie's Scrapy settings, parsed once, impossible combinations refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from crawlers.config import CrawlConfig
from crawlers.errors import ConfigError
from crawlers.runner import crawl_settings
from crawlers.sitespec import load_spec
from crawlers.spiders.generic import spider_for


def _settings(**overrides: Any) -> Settings:
    return crawl_settings(database_url="sqlite:///:memory:", settings_overrides=overrides)


def test_defaults_from_the_project_settings() -> None:
    config = CrawlConfig.from_settings(_settings())
    assert config.database_url == "sqlite:///:memory:"
    assert config.region == "BE"
    assert config.sites_dir is None
    assert config.chromium_path == "/usr/bin/chromium"
    assert config.hash_images is True


def test_values_are_typed() -> None:
    config = CrawlConfig.from_settings(
        _settings(VIGIE_REGION="fr", VIGIE_SITES_DIR="/x/sites", VIGIE_HASH_IMAGES="0")
    )
    assert config.region == "FR"
    assert config.sites_dir == Path("/x/sites")
    assert config.hash_images is False


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"VIGIE_REGION": "ZZ"},
            "VIGIE_REGION: expected a country code known to phonenumbers (e.g. BE), got 'ZZ'",
        ),
        (
            {"VIGIE_DATABASE_URL": "vigie.db"},
            "VIGIE_DATABASE_URL: expected a URL such as sqlite:///vigie.db or "
            "postgresql+psycopg://host/db, got 'vigie.db'",
        ),
    ],
)
def test_bad_value_is_refused_with_its_name(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        CrawlConfig.from_settings(_settings(**overrides))
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"VIGIE_CHROMIUM_PATH": "/nonexistent/chromium"},
            "VIGIE_CHROMIUM_PATH: render: browser sites need an executable Chromium, and "
            "'/nonexistent/chromium' is not one (install Debian's chromium)",
        ),
        (
            {"TWISTED_REACTOR": "twisted.internet.selectreactor.SelectReactor"},
            "TWISTED_REACTOR: render: browser sites (scrapy-playwright) need "
            "'twisted.internet.asyncioreactor.AsyncioSelectorReactor', "
            "got 'twisted.internet.selectreactor.SelectReactor'",
        ),
        (
            {"DOWNLOAD_HANDLERS": {}},
            "DOWNLOAD_HANDLERS: render: browser sites need 'http' handled by "
            "'scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler', got None",
        ),
    ],
)
def test_browser_site_with_impossible_settings_fails_at_start_up(
    overrides: dict[str, Any], message: str, tmp_path: Path
) -> None:
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    settings = _settings(**({"VIGIE_CHROMIUM_PATH": str(chromium)} | overrides))
    with pytest.raises(ConfigError) as err:
        Crawler(spider_for(load_spec("demo-js")), settings)
    assert str(err.value) == message


def test_static_site_does_not_need_chromium() -> None:
    settings = _settings(VIGIE_CHROMIUM_PATH="/nonexistent/chromium")
    crawler = Crawler(spider_for(load_spec("demo-static")), settings)
    # …and does not even load the Playwright download handler.
    handlers = crawler.settings.getwithbase("DOWNLOAD_HANDLERS")
    assert "scrapy_playwright" not in str(handlers.get("http"))


def test_browser_site_gets_the_chromium_path_and_the_spec_limits(tmp_path: Path) -> None:
    chromium = tmp_path / "chrome"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    spec = load_spec("demo-js")
    crawler = Crawler(spider_for(spec), _settings(VIGIE_CHROMIUM_PATH=str(chromium)))
    launch = crawler.settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert launch["executable_path"] == str(chromium)
    assert launch["headless"] is True
    assert "--no-sandbox" in launch["args"]
    assert crawler.settings.getint("CONCURRENT_REQUESTS") == spec.limits.concurrent_requests
    assert crawler.settings.getfloat("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT") == (
        spec.limits.page_timeout_s * 1000
    )
