"""The one spider: driven by a `SiteSpec`, static or browser-rendered.

`spider_for(spec)` makes the spider class of a site (the spider loader does it for every spec).
Listing pages yield ad pages (and the next listing page); ad pages yield one `RawAd`. A browser
site's pages are opened in headless Chromium through scrapy-playwright; the spec's clicks run on
the live page, then the rendered HTML is read with the same selectors as a static page.

Stats (all under `vigie/`): `pages/listing`, `pages/ad`, `ads_scraped`, `ads_skipped/no_id`,
the caps of the spec's limits `capped/pages`, `capped/ads`, `capped/depth`, `capped/size` (a page
over max_page_bytes) and `capped/redirects` (too long a chain), `redirect_loop`, `truncated` (the
connection dropped mid-body), `timeout/download`, `timeout/render` (a browser page that never
finished loading), `malformed/encoding` (bytes invalid in the page's charset),
`malformed/unclosed` (no closing </html>), `refused` (robots.txt, offsite),
`errors/http_<status>`, `errors/<ExceptionName>`, `errors/not_html`, `browser/<event>` (clicks,
click_failed, wait_timeout…) and `ad_problems/<problem>`; retries are counted by
`crawlers.middlewares.retryafter` under `vigie/retry/`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any, ClassVar, cast
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from scrapy import Request, Spider
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from crawlers.api import first_url
from crawlers.browser import browse
from crawlers.config import CrawlConfig
from crawlers.extract import NoAdId, links, read_ad
from crawlers.failures import failure_kind, malformed, redirected
from crawlers.fields import Page as FieldPage
from crawlers.offline import use_bundled_suffixes
from crawlers.outcome import (
    AD_FAILED,
    AD_LINKS,
    GATE_URL,
    LISTING_FAILED,
    OUTCOME,
    REASON,
    classify,
)
from crawlers.shaping import add_cookies, form_request, site_request
from crawlers.sitespec import SiteSpec, check_base_url
from crawlers.specsteps import ClickSpec
from crawlers.spiders.apilisting import EMPTY, ApiListing, is_json
from crawlers.urls import canonical, clean_url

logger = logging.getLogger(__name__)

use_bundled_suffixes()  # every crawl loads this module: no public suffix list from the internet


class GenericSpider(ApiListing, Spider):
    """Crawls the site described by the class attribute `spec` (see `spider_for`).

    Spider argument `base_url` replaces the spec's `base_url` for this run (the demo server's
    port is chosen by the OS).
    """

    name = "generic"
    spec: ClassVar[SiteSpec]

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Apply the spec's limits at spider priority and check the settings it needs."""
        super().update_settings(settings)
        spec = getattr(cls, "spec", None)
        if spec is None:
            raise TypeError("GenericSpider needs a site spec: crawl spider_for(spec)")
        limits = spec.limits
        per_site = {
            "CONCURRENT_REQUESTS": limits.concurrent_requests,
            "CONCURRENT_REQUESTS_PER_DOMAIN": limits.concurrent_requests,
            "AUTOTHROTTLE_TARGET_CONCURRENCY": float(limits.concurrent_requests),
            "DOWNLOAD_DELAY": limits.download_delay,
            "AUTOTHROTTLE_START_DELAY": limits.download_delay,
            "DOWNLOAD_TIMEOUT": limits.page_timeout_s,
            "DOWNLOAD_MAXSIZE": limits.max_page_bytes,
            "DOWNLOAD_WARNSIZE": limits.max_page_bytes // 2,
            "DEPTH_LIMIT": limits.max_depth,
            "RETRY_TIMES": limits.retries,
        }
        if spec.browser:
            config = CrawlConfig.from_settings(settings, browser=True)
            launch = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
            launch["executable_path"] = config.chromium_path
            per_site |= {
                "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
                "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": limits.page_timeout_s * 1000,
                "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": limits.concurrent_requests,
            }
        else:
            CrawlConfig.from_settings(settings)
            # A static site never needs the browser: Scrapy's own handlers, Playwright not started.
            per_site["DOWNLOAD_HANDLERS"] = {}
        settings.setdict(per_site, priority="spider")

    @classmethod
    def handles_request(cls, request: Request) -> bool:
        """Whether `request` is on the spec's site (`scrapy fetch`/`parse` pick spiders by it)."""
        return urlsplit(request.url).hostname == urlsplit(cls.spec.base_url).hostname

    def __init__(self, *args: Any, base_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.base_url = check_base_url(base_url) if base_url else self.spec.base_url
        except ValueError as exc:
            raise ValueError(f"base_url: {exc}") from None
        self.start_urls = [urljoin(self.base_url, u) for u in self.spec.start_urls]
        hosts = {urlsplit(u).hostname for u in (self.base_url, *self.start_urls)}
        self.allowed_domains = sorted(h for h in hosts if h)
        self._listings: set[str] = set()
        self._ads: set[str] = set()
        self._once: set[ClickSpec] = set()  # `once` steps already run in this browser

    # -- requests -------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        api = self.spec.listing.api
        if api is not None:  # a JSON listing endpoint instead of listing pages
            request = self._api_request(first_url(api, self.base_url), number=0, seen=0, depth=0)
            if request is not None:
                yield request
            return
        for url in self.start_urls:
            request = self._listing_request(url, depth=0)
            if request is not None:
                yield request

    def _meta(self) -> dict[str, Any]:
        if not self.spec.browser:
            return {}
        meta: dict[str, Any] = {"playwright": True, "playwright_include_page": True}
        if self.spec.request.cookies:
            meta["playwright_page_init_callback"] = partial(add_cookies, self.spec, self.base_url)
        return meta

    def _request(self, url: str, callback: Any) -> Request:
        return site_request(self.spec, url, callback, errback=self.on_error, meta=self._meta())

    def _clean(self, urls: list[str]) -> list[str]:
        """`urls` without tracking parameters (`crawlers.urls`), duplicates dropped."""
        tracking = self.spec.request.tracking_params
        return list(dict.fromkeys(clean_url(u, tracking) for u in urls))

    def _form_request(self, response: Response) -> Request | None:
        request = form_request(self.spec, response, errback=self.on_error)
        if request is not None:
            self._count("form/submitted")
        return request

    def _too_deep(self, depth: int) -> bool:
        if depth <= self.spec.limits.max_depth:
            return False
        self._count("capped/depth")
        return True

    def _listing_request(self, url: str, *, depth: int) -> Request | None:
        if url in self._listings or self._too_deep(depth):
            return None
        if len(self._listings) >= self.spec.limits.max_pages:
            self._count("capped/pages")
            return None
        self._listings.add(url)
        return self._request(url, self.parse_listing)

    def _ad_request(self, url: str, *, depth: int) -> Request | None:
        if url in self._ads or self._too_deep(depth):
            return None
        if len(self._ads) >= self.spec.limits.max_ads:
            self._count("capped/ads")
            return None
        self._ads.add(url)
        return self._request(url, self.parse_ad)

    # -- callbacks ------------------------------------------------------------------------

    async def parse_listing(self, response: Response) -> AsyncIterator[Request]:
        if (gate := self._form_request(response)) is not None:
            yield gate
            return
        page = await self._read(response, self.spec.listing.clicks, keep_states=True)
        if page is None:
            return
        selector, url, _, states = page
        self._count("pages/listing")
        listing = self.spec.listing
        depth = int(response.meta.get("depth", 0)) + 1  # DepthMiddleware's count of the links
        found = [
            u for s in (*states, selector) for u in links(s, listing.ad_links or "a", base_url=url)
        ]
        ad_urls = self._clean(found)
        self.crawler.stats.inc_value(f"vigie/{AD_LINKS}", len(ad_urls))
        if not ad_urls and redirected(response, url):
            self.crawler.stats.set_value(f"vigie/{GATE_URL}", url)
            logger.warning(
                "%s: redirected to %s, no ad listed there",
                response.meta.get("redirect_urls", [response.url])[0],
                url,
                extra=self._extra(url),
            )
        for ad_url in ad_urls:
            request = self._ad_request(ad_url, depth=depth)
            if request is not None:
                yield request
        if listing.next_page is not None:
            for next_url in self._clean(links(selector, listing.next_page, base_url=url))[:1]:
                request = self._listing_request(next_url, depth=depth)
                if request is not None:
                    yield request

    async def parse_ad(self, response: Response) -> AsyncIterator[Any]:
        if (gate := self._form_request(response)) is not None:
            yield gate
            return
        page = await self._read(response, self.spec.ad.clicks)
        if page is None:
            return
        selector, url, body, _ = page
        self._count("pages/ad")
        tracking = self.spec.request.tracking_params
        url = canonical(selector, url, hosts=self.allowed_domains, tracking=tracking)
        text = body.decode("utf-8", "replace") if selector is EMPTY else None
        try:
            ad = read_ad(
                self.spec,
                FieldPage(selector, url=url, text=text),
                url=url,
                page_sha256=hashlib.sha256(body).hexdigest(),
                fetched_at=datetime.now(UTC),
                note=lambda problem: self._count(f"ad_problems/{problem}"),
            )
        except NoAdId:
            self._count("ads_skipped/no_id")
            logger.warning("%s: no ad id on the page", url, extra=self._extra(url))
            return
        self._count("ads_scraped")
        yield ad

    async def _read(
        self, response: Response, steps: Sequence[ClickSpec], *, keep_states: bool = False
    ) -> tuple[Selector, str, bytes, list[Selector]] | None:
        """The page's HTML as a selector, its URL, the body that was hashed, and (with
        `keep_states`) the page as it stood after each step.

        For a browser site, run the spec's steps on the live page, read the rendered HTML and
        close the page, whatever happens.
        """
        page: Page | None = response.meta.get("playwright_page")
        if page is None:
            if not isinstance(response, TextResponse):
                self._count("errors/not_html")
                return None
            if is_json(response):  # an ad page that is a JSON document: read with json sources
                return EMPTY, response.url, response.body, []
            for problem in malformed(response):
                self._count(f"malformed/{problem}")
                logger.info(
                    "%s: malformed page (%s)",
                    response.url,
                    problem,
                    extra=self._extra(response.url),
                )
            return response.selector, response.url, response.body, []
        try:
            html, url, snapshots = await browse(
                page,
                self.spec,
                steps,
                note=lambda event: self._count(f"browser/{event}"),
                done=self._once,
                keep_states=keep_states,
            )
        except PlaywrightError as exc:
            self._count("errors/browser")
            extra = self._extra(response.url)
            logger.warning("%s: browser error: %s", response.url, exc, extra=extra)
            return None
        finally:
            await page.close()
        body = html.encode("utf-8")
        if len(body) > self.spec.limits.max_page_bytes:  # DOWNLOAD_MAXSIZE cannot see the DOM
            self._count("capped/size")
            logger.warning("%s: rendered page over max_page_bytes", url, extra=self._extra(url))
            return None
        return Selector(text=html, base_url=url), url, body, snapshots

    async def on_error(self, failure: Failure) -> None:
        """Count a failed request by kind (see `failure_kind`); close its page."""
        request = cast(Request | None, getattr(failure, "request", None))
        page = request.meta.get("playwright_page") if request is not None else None
        if page is not None:
            await page.close()
        kind = failure_kind(failure.value) if failure.value is not None else "errors/unknown"
        self._count(kind)
        if request is not None and request.callback in (self.parse_listing, self.parse_api):
            self._count(LISTING_FAILED + kind)
        elif request is not None and request.callback == self.parse_ad:
            self._count(AD_FAILED + kind)
        url = request.url if request is not None else ""
        logger.warning("%s: %s (%s)", url, kind, failure.getErrorMessage(), extra=self._extra(url))

    def closed(self, reason: str) -> None:
        """Record the crawl's outcome (`crawlers.outcome`) in its stats; warn when it is not ok."""
        stats = self.crawler.stats
        distributed = self.crawler.settings.get("SCHEDULER", "").startswith("crawlers.distributed")
        outcome = classify(stats.get_stats(), distributed=distributed)
        stats.set_value(OUTCOME, outcome.status)
        if outcome.reason:
            stats.set_value(REASON, outcome.reason)
            logger.warning(
                "%s: crawl %s: %s",
                self.spec.name,
                outcome.status,
                outcome.reason,
                extra=self._extra(self.base_url),
            )

    # -- helpers --------------------------------------------------------------------------

    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"vigie/{key}")

    def _extra(self, url: str) -> dict[str, str]:
        return {"site": self.spec.name, "url": url}


def spider_for(spec: SiteSpec) -> type[GenericSpider]:
    """The spider class of one site: a `GenericSpider` named after the spec."""
    words = re.split(r"[^a-zA-Z0-9]+", spec.name)
    class_name = "".join(w.capitalize() for w in words if w) + "Spider"
    attrs = {"name": spec.name, "spec": spec, "__module__": __name__}
    return cast(type[GenericSpider], type(class_name, (GenericSpider,), attrs))
