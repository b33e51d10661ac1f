"""Run site crawls in one Scrapy process and return each site's stats.

    stats = crawl([load_spec("demo-static")], database_url="sqlite:///vigie.db",
                  base_url="http://127.0.0.1:8123/")

Twisted's reactor runs once per process: call `crawl` once per process (the CLI does), or run
`python -m crawlers.runner --site NAME --base-url URL --db URL [--set NAME=VALUE]`, which prints
the stats as JSON on its last line of output (a dict setting such as FEEDS takes JSON). Its exit
code is 0 when every site's outcome (`crawlers.outcome`: stats `vigie/outcome`) is ok, 1 when one
was `failed` or `empty` (its reason on standard error), 2 when the crawl could not run at all.

With `redis_url` (`--redis URL`) the process is one worker of a shared Redis frontier
(`crawlers.distributed`): start the same command on several machines, each writing to the shared
PostgreSQL; a killed worker's requests are taken over, a crawl started again resumes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings

from crawlers.distributed import (
    DEFAULT_PREFIX,
    DEFAULT_WORKER_TTL,
    REDIS_UNAVAILABLE,
    check_redis,
    redis_settings,
)
from crawlers.errors import CrawlerError
from crawlers.outcome import OK, OUTCOME, REASON
from crawlers.pipelines import ad_stored
from crawlers.sitespec import SiteSpec, load_spec
from crawlers.spiders.generic import spider_for

FAILED_FINISH = frozenset({"never opened", REDIS_UNAVAILABLE})
"""Finish reasons of a crawl that failed (Scrapy's own — finished, shutdown… — are not)."""


def crawl_settings(
    *, database_url: str | None, settings_overrides: Mapping[str, Any] | None = None
) -> Settings:
    """The project settings (`crawlers.settings`) with the database URL and the overrides.

    Without a database URL nothing is stored (StorePipeline is off): a dry run."""
    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    settings.set("VIGIE_DATABASE_URL", database_url or None, priority="cmdline")
    if settings_overrides:
        settings.setdict(dict(settings_overrides), priority="cmdline")
    return settings


def crawl(
    specs: Sequence[SiteSpec],
    *,
    database_url: str | None,
    base_url: str | None = None,
    settings_overrides: Mapping[str, Any] | None = None,
    on_item: Callable[[str, str], None] | None = None,
    redis_url: str | None = None,
    redis_prefix: str = DEFAULT_PREFIX,
    redis_worker_ttl: float = DEFAULT_WORKER_TTL,
) -> dict[str, dict[str, Any]]:
    """Crawl every site of `specs` concurrently; return `{site name: Scrapy stats}`.

    `base_url` replaces every spec's base URL (the demo server's ephemeral port). `on_item(site,
    outcome)` is called for each ad: outcome "new", "changed", "unchanged" or "dropped" (or
    "scraped" when there is no database). Bad settings or spider arguments raise (`ConfigError`,
    `ValueError`) before anything is fetched; a crawl that could not start raises `CrawlerError`.

    `redis_url`: be one worker of the shared frontier there (keys under `redis_prefix`; a worker
    silent for `redis_worker_ttl` seconds is presumed dead). An unreachable Redis raises
    `CrawlerError` before anything is fetched.
    """
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"each site can be crawled once per run, got {names}")
    overrides: dict[str, Any] = {}
    if redis_url:
        overrides = redis_settings(redis_url, prefix=redis_prefix, worker_ttl=redis_worker_ttl)
        check_redis(redis_url)
    overrides.update(settings_overrides or {})
    process = AsyncCrawlerProcess(
        crawl_settings(database_url=database_url, settings_overrides=overrides)
    )
    crawlers: dict[str, Crawler] = {}
    errors: dict[str, str] = {}
    handlers: list[Callable[..., None]] = []  # kept alive for the whole run
    kwargs = {"base_url": base_url} if base_url else {}
    for spec in specs:
        crawler = process.create_crawler(spider_for(spec))
        crawlers[spec.name] = crawler
        if on_item is not None:
            handlers += _report_items(crawler, on_item, stored=bool(database_url))
        task = process.crawl(crawler, **kwargs)
        task.add_done_callback(_note_failure(spec.name, errors))
    process.start()
    # A crawl that never opened (database or Redis gone, a component failing at open) has no
    # finish_reason: it must not pass for a finished, empty one; nor one stopped for lack of
    # its Redis frontier.
    failed = [
        name
        for name, crawler in crawlers.items()
        if crawler.spider is None
        or crawler.stats.get_value("finish_reason", "never opened") in FAILED_FINISH
    ]
    if failed or errors:
        why = "; ".join(f"{name}: {error}" for name, error in errors.items())
        sites = ", ".join(sorted(set(failed) | set(errors)))
        raise CrawlerError(f"crawl failed for: {sites} ({why or 'see the log'})")
    return {name: dict(crawler.stats.get_stats()) for name, crawler in crawlers.items()}


def _note_failure(name: str, errors: dict[str, str]) -> Callable[[asyncio.Task[None]], None]:
    """A done-callback recording why site `name`'s crawl task failed, if it did."""

    def done(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and (exc := task.exception()) is not None:
            errors[name] = f"{type(exc).__name__}: {exc}".strip().splitlines()[0]

    return done


def _report_items(
    crawler: Crawler, on_item: Callable[[str, str], None], *, stored: bool
) -> list[Callable[..., None]]:
    """Connect `on_item` to the crawler's signals; returns the handlers, which the caller must
    keep alive (Scrapy's signals hold weak references)."""

    def on_stored(ad: Any, outcome: str, **_: Any) -> None:
        on_item(ad.site, outcome)

    def on_scraped(item: Any, **_: Any) -> None:
        on_item(getattr(item, "site", crawler.spidercls.name), "scraped")

    def on_dropped(item: Any, **_: Any) -> None:
        on_item(getattr(item, "site", crawler.spidercls.name), "dropped")

    handlers: list[tuple[Callable[..., None], object]] = [(on_dropped, signals.item_dropped)]
    handlers.append((on_stored, ad_stored) if stored else (on_scraped, signals.item_scraped))
    for handler, signal in handlers:
        crawler.signals.connect(handler, signal=signal)
    return [handler for handler, _ in handlers]


DB_ENV = "VIGIE_CRAWL_DATABASE_URL"
"""Environment variable holding the database URL of a crawl run as a subprocess (not in argv,
where `ps` shows it to every user of the machine)."""
REDIS_ENV = "VIGIE_CRAWL_REDIS_URL"
"""Same for the Redis URL of a shared frontier."""


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.runner", description=__doc__)
    parser.add_argument("--site", action="append", required=True, help="spec name or YAML path")
    parser.add_argument("--sites-dir", help="directory of the specs named by --site")
    parser.add_argument("--base-url", help="replaces the specs' base_url")
    parser.add_argument(
        "--db",
        default=os.environ.get(DB_ENV) or None,
        help=f"database URL, e.g. sqlite:///vigie.db (none: not stored); default ${DB_ENV}, which"
        " keeps a password off the command line",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get(REDIS_ENV) or None,
        help=f"Redis URL of the shared frontier (distributed crawl); default ${REDIS_ENV}",
    )
    parser.add_argument("--redis-prefix", default=DEFAULT_PREFIX, help="key prefix in Redis")
    parser.add_argument(
        "--redis-worker-ttl",
        type=float,
        default=DEFAULT_WORKER_TTL,
        help="seconds of silence after which a worker is presumed dead",
    )
    parser.add_argument("--set", type=_setting, action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    try:
        specs = [load_spec(site, sites_dir=args.sites_dir) for site in args.site]
        stats = crawl(
            specs,
            database_url=args.db,
            base_url=args.base_url,
            settings_overrides=dict(args.set),
            redis_url=args.redis,
            redis_prefix=args.redis_prefix,
            redis_worker_ttl=args.redis_worker_ttl,
        )
    except (CrawlerError, ValueError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(json.dumps(stats, default=str, sort_keys=True) + "\n")
    # A crawl that reached nothing (site down, gate, selectors matching nothing) is no success.
    bad = {name: s for name, s in stats.items() if s.get(OUTCOME, OK) != OK}
    for name, site_stats in sorted(bad.items()):
        sys.stderr.write(f"{name}: {site_stats[OUTCOME]}: {site_stats.get(REASON, '')}\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
