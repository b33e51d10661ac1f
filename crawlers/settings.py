"""Scrapy settings of the Vigie crawlers (scrapy.cfg → crawlers.settings).

Vigie's own settings are prefixed `VIGIE_` and parsed once by `crawlers.config.CrawlConfig`.
Per-site limits (concurrency, delay, timeouts) come from each site's spec and are applied by the
spider at spider priority.

`scrapy crawl SITE` run from the repository root reads the same `VIGIE_` environment as
`vigie crawl` (database, data directory, region, sites directory, Chromium, log level), with the
same defaults (vigie/config.py) — read here from `os.environ`, since crawlers never import
`vigie`. `vigie crawl` sets them again at command-line priority (crawlers/runner.py).
"""

from __future__ import annotations

import os
from pathlib import Path


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


BOT_NAME = "vigie"

# Spiders are not modules: one generic spider, one subclass per site spec.
SPIDER_LOADER_CLASS = "crawlers.spiderloader.SiteSpecSpiderLoader"
SPIDER_MODULES: list[str] = []
NEWSPIDER_MODULE = ""

# scrapy-playwright needs the asyncio reactor; its handler serves only requests whose meta has
# playwright=True and passes every other request to Scrapy's plain HTTP handler.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
DOWNLOAD_HANDLERS = {
    "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_ABORT_REQUEST = "crawlers.browser.abort_request"
# Scrapy's headers for the pages Scrapy asks for; the browser's own for the rest (a posted form).
PLAYWRIGHT_PROCESS_REQUEST_HEADERS = "crawlers.browserforms.process_headers"
# Debian's Chromium on machines with no network but loopback: without the background-networking
# flags it keeps trying (and failing) to reach Google's services. Other code imports this list.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "headless": True,
    "executable_path": _env("VIGIE_CHROMIUM_PATH", "/usr/bin/chromium"),
    "args": CHROMIUM_ARGS,
}

# Politeness: identify, obey robots.txt, one host at a time, back off when the site slows down.
USER_AGENT = "Vigie/0.1 (OSINT crawler of the Brussels police zones)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Items (and requests) one response's callback yields that are processed at once. Scrapy's 100
# start 100 asyncio workers for every response whose callback is a coroutine — ours yield one
# ad, or the ~10 links of a listing page: that overhead alone cost the generic spider about a
# third of its throughput (bench/crawl.py, static ratio 0.68 → see BENCHMARKS.md).
CONCURRENT_ITEMS = 16
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 30
# Hostile sites: retries wait (Retry-After on 429/503, exponential back-off otherwise), redirect
# loops end at once and long chains after 5 hops; per-site caps (pages, depth, bytes, timeouts)
# come from the spec's limits. Every cause is counted under vigie/ in the crawl's stats.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.retryafter.RetryAfterMiddleware": 550,
    "crawlers.middlewares.redirectloop.RedirectLoopMiddleware": 610,
}
REDIRECT_MAX_TIMES = 5
DOWNLOAD_MAXSIZE = 5_000_000
DOWNLOAD_WARNSIZE = 2_500_000
COOKIES_ENABLED = True
# No remote control of a crawl: neither the telnet console nor Scrapy's remote-control extension
# (which also writes a job file per crawl under ~/.local/state/scrapy).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Nothing is written to disk by a crawl: no HTTP cache, no job directory, no media store.
HTTPCACHE_ENABLED = False

ITEM_PIPELINES = {
    "crawlers.pipelines.ImageHashPipeline": 100,
    "crawlers.pipelines.StorePipeline": 300,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = (_env("VIGIE_LOG_LEVEL") or "INFO").upper()

# Vigie's own settings (crawlers.config.CrawlConfig), from the environment as vigie/config.py
# reads it: the database defaults to sqlite:///<VIGIE_DATA_DIR>/vigie.db, as for `vigie crawl`.
VIGIE_DATABASE_URL = _env(
    "VIGIE_DATABASE_URL", f"sqlite:///{Path(_env('VIGIE_DATA_DIR', 'data') or 'data') / 'vigie.db'}"
)
VIGIE_REGION = _env("VIGIE_REGION", "BE")
VIGIE_SITES_DIR = _env("VIGIE_SITES_DIR")  # default: the shipped crawlers/sites/
VIGIE_CHROMIUM_PATH = _env("VIGIE_CHROMIUM_PATH", "/usr/bin/chromium")
VIGIE_HASH_IMAGES = True
VIGIE_RETRY_AFTER_MAX_S = 60.0
VIGIE_RETRY_BACKOFF_S = 1.0
VIGIE_RETRY_BACKOFF_MAX_S = 30.0
