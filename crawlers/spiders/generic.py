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
from typing import Any, ClassVar, cast
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from scrapy import Request, Spider
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TCPTimedOutError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

from crawlers.browser import run_steps
from crawlers.config import CrawlConfig
from crawlers.extract import NoAdId, links, read_ad
from crawlers.middlewares.redirectloop import RedirectLoop
from crawlers.outcome import (
    AD_FAILED,
    AD_LINKS,
    GATE_URL,
    LISTING_FAILED,
    OUTCOME,
    REASON,
    classify,
)
from crawlers.sitespec import ClickSpec, SiteSpec, check_base_url
from pipeline.types import RawAd

logger = logging.getLogger(__name__)

_TIMEOUTS = (TwistedTimeoutError, TCPTimedOutError, DownloadTimeoutError, TimeoutError)


class GenericSpider(Spider):
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

    # -- requests -------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            request = self._listing_request(url, depth=0)
            if request is not None:
                yield request

    def _meta(self) -> dict[str, Any]:
        if not self.spec.browser:
            return {}
        return {"playwright": True, "playwright_include_page": True}

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
        return Request(url, self.parse_listing, errback=self.on_error, meta=self._meta())

    def _ad_request(self, url: str, *, depth: int) -> Request | None:
        if url in self._ads or self._too_deep(depth):
            return None
        if len(self._ads) >= self.spec.limits.max_ads:
            self._count("capped/ads")
            return None
        self._ads.add(url)
        return Request(url, self.parse_ad, errback=self.on_error, meta=self._meta())

    # -- callbacks ------------------------------------------------------------------------

    async def parse_listing(self, response: Response) -> AsyncIterator[Request]:
        page = await self._read(response, self.spec.listing.clicks)
        if page is None:
            return
        selector, url, _ = page
        self._count("pages/listing")
        listing = self.spec.listing
        depth = int(response.meta.get("depth", 0)) + 1  # DepthMiddleware's count of the links
        ad_urls = links(selector, listing.ad_links, base_url=url)
        self.crawler.stats.inc_value(f"vigie/{AD_LINKS}", len(ad_urls))
        if not ad_urls and _redirected(response, url):
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
            for next_url in links(selector, listing.next_page, base_url=url)[:1]:
                request = self._listing_request(next_url, depth=depth)
                if request is not None:
                    yield request

    async def parse_ad(self, response: Response) -> AsyncIterator[RawAd]:
        page = await self._read(response, self.spec.ad.clicks)
        if page is None:
            return
        selector, url, body = page
        self._count("pages/ad")
        try:
            ad = read_ad(
                self.spec,
                selector,
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
        self, response: Response, steps: Sequence[ClickSpec]
    ) -> tuple[Selector, str, bytes] | None:
        """The page's HTML as a selector, its URL and the body that was hashed.

        For a browser site, run the spec's steps on the live page, read the rendered HTML and
        close the page, whatever happens.
        """
        page: Page | None = response.meta.get("playwright_page")
        if page is None:
            if not isinstance(response, TextResponse):
                self._count("errors/not_html")
                return None
            for problem in malformed(response):
                self._count(f"malformed/{problem}")
                logger.info(
                    "%s: malformed page (%s)",
                    response.url,
                    problem,
                    extra=self._extra(response.url),
                )
            return response.selector, response.url, response.body
        try:
            await run_steps(
                page,
                steps,
                timeout_s=self.spec.limits.page_timeout_s,
                note=lambda event: self._count(f"browser/{event}"),
            )
            html = await page.content()
            url = page.url
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
        return Selector(text=html, base_url=url), url, body

    async def on_error(self, failure: Failure) -> None:
        """Count a failed request by kind (see `failure_kind`); close its page."""
        request = cast(Request | None, getattr(failure, "request", None))
        page = request.meta.get("playwright_page") if request is not None else None
        if page is not None:
            await page.close()
        kind = failure_kind(failure.value) if failure.value is not None else "errors/unknown"
        self._count(kind)
        if request is not None and request.callback == self.parse_listing:
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


def failure_kind(error: BaseException) -> str:
    """The stats key (under `vigie/`) of a request that failed with `error`."""
    if isinstance(error, HttpError):
        return f"errors/http_{error.response.status}"
    if isinstance(error, RedirectLoop):
        return "redirect_loop"
    if isinstance(error, IgnoreRequest):
        # RedirectMiddleware's only message when a chain is longer than REDIRECT_MAX_TIMES.
        return "capped/redirects" if "max redirections" in str(error) else "refused"
    if isinstance(error, DownloadCancelledError):  # over DOWNLOAD_MAXSIZE (max_page_bytes)
        return "capped/size"
    if isinstance(error, ResponseDataLossError):
        return "truncated"
    if isinstance(error, PlaywrightTimeoutError):
        return "timeout/render"
    if isinstance(error, PlaywrightError) and (net := _NET_ERROR.search(str(error))):
        return f"errors/{net.group(0)}"  # Chromium's own name: net::ERR_CONNECTION_REFUSED…
    if isinstance(error, _TIMEOUTS):
        return "timeout/download"
    return f"errors/{type(error).__name__}"


_NET_ERROR = re.compile(r"net::ERR_[A-Z_]+")


def _redirected(response: Response, url: str) -> bool:
    """Whether the page read at `url` is not the one requested (an HTTP or a browser redirect)."""
    if response.meta.get("redirect_urls"):
        return True
    return (
        url.split("#", 1)[0] != response.request.url.split("#", 1)[0] if response.request else False
    )


def malformed(response: TextResponse) -> list[str]:
    """What is wrong with a page that is read all the same: "encoding" when its bytes are not
    valid in its charset, "unclosed" when its document is never closed (no </html>)."""
    problems = []
    try:
        response.body.decode(response.encoding)
    except (UnicodeDecodeError, LookupError):
        problems.append("encoding")
    if isinstance(response, HtmlResponse) and b"</html" not in response.body[-4096:].lower():
        problems.append("unclosed")
    return problems


def spider_for(spec: SiteSpec) -> type[GenericSpider]:
    """The spider class of one site: a `GenericSpider` named after the spec."""
    words = re.split(r"[^a-zA-Z0-9]+", spec.name)
    class_name = "".join(w.capitalize() for w in words if w) + "Spider"
    attrs = {"name": spec.name, "spec": spec, "__module__": __name__}
    return cast(type[GenericSpider], type(class_name, (GenericSpider,), attrs))
