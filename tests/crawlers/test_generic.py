"""crawlers.spiders.generic: the spec-driven spider's requests, limits, items and error counts.

These call the spider's methods directly on built responses (no reactor, no network); the real
crawls run in a subprocess in test_runner.py.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import MemoryStatsCollector
from twisted.python.failure import Failure

from crawlers.failures import failure_kind, malformed
from crawlers.middlewares.redirectloop import RedirectLoop
from crawlers.runner import crawl_settings
from crawlers.sitespec import SiteSpec, load_spec
from crawlers.spiders.generic import GenericSpider, spider_for
from pipeline.types import RawAd

BASE = "http://127.0.0.1:5555"


def _spider(spec: SiteSpec, **kwargs: Any) -> GenericSpider:
    cls = spider_for(spec)
    crawler = Crawler(cls, crawl_settings(database_url="sqlite://"))
    crawler.stats = MemoryStatsCollector(crawler)
    return cls.from_crawler(crawler, **kwargs)


def _collect(gen: AsyncIterator[Any]) -> list[Any]:
    async def run() -> list[Any]:
        return [x async for x in gen]

    return asyncio.run(run())


def _html(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))


def _listing(n_ads: int, next_page: int | None) -> str:
    links = "".join(f'<a class="ad-link" href="/static/ad/S{i:04d}">x</a>' for i in range(n_ads))
    pager = f'<a rel="next" href="/static/ads?page={next_page}">next</a>' if next_page else ""
    return f'<ul class="ads">{links}</ul><nav class="pager">{pager}</nav>'


def _stats(spider: GenericSpider) -> dict[str, Any]:
    return spider.crawler.stats.get_stats()


def _with_limits(spec: SiteSpec, **limits: int) -> SiteSpec:
    return spec.model_copy(update={"limits": spec.limits.model_copy(update=limits)})


def test_spider_is_named_after_its_spec() -> None:
    cls = spider_for(load_spec("demo-static"))
    assert cls.name == "demo-static"
    assert issubclass(cls, GenericSpider)
    assert cls.__name__ == "DemoStaticSpider"


def test_start_uses_the_base_url_argument() -> None:
    spider = _spider(load_spec("demo-static"), base_url=BASE)
    requests = _collect(spider.start())
    assert [r.url for r in requests] == [f"{BASE}/static/ads?page=1"]
    assert requests[0].meta == {}
    assert spider.allowed_domains == ["127.0.0.1"]


def test_browser_site_requests_go_through_playwright(tmp_path: Any) -> None:
    spider = _spider(load_spec("demo-js"), base_url=BASE)
    (request,) = _collect(spider.start())
    assert request.url == f"{BASE}/js/"
    assert request.meta["playwright"] is True
    assert request.meta["playwright_include_page"] is True


def test_bad_base_url_argument_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r'^base_url: expected an absolute http\(s\) URL, got "x"$'
    ):
        _spider(load_spec("demo-static"), base_url="x")


def test_listing_yields_ads_then_the_next_page() -> None:
    spider = _spider(load_spec("demo-static"), base_url=BASE)
    out = _collect(spider.parse_listing(_html(f"{BASE}/static/ads?page=1", _listing(3, 2))))
    assert [r.url for r in out] == [
        f"{BASE}/static/ad/S0000",
        f"{BASE}/static/ad/S0001",
        f"{BASE}/static/ad/S0002",
        f"{BASE}/static/ads?page=2",
    ]
    assert [r.callback for r in out] == [spider.parse_ad] * 3 + [spider.parse_listing]
    assert _stats(spider)["vigie/pages/listing"] == 1


def test_max_ads_and_max_pages_are_enforced_and_counted() -> None:
    spec = _with_limits(load_spec("demo-static"), max_ads=2, max_pages=1)
    spider = _spider(spec, base_url=BASE)
    _collect(spider.start())  # the start page is the one page allowed
    out = _collect(spider.parse_listing(_html(f"{BASE}/static/ads?page=1", _listing(5, 2))))
    assert [r.url for r in out] == [f"{BASE}/static/ad/S0000", f"{BASE}/static/ad/S0001"]
    stats = _stats(spider)
    assert stats["vigie/capped/ads"] == 3
    assert stats["vigie/capped/pages"] == 1


def test_an_ad_linked_twice_is_requested_once() -> None:
    spider = _spider(load_spec("demo-static"), base_url=BASE)
    page = _listing(2, None)
    first = _collect(spider.parse_listing(_html(f"{BASE}/static/ads?page=1", page)))
    again = _collect(spider.parse_listing(_html(f"{BASE}/static/ads?page=2", page)))
    assert len(first) == 2
    assert again == []


def test_ad_page_yields_a_raw_ad_with_the_body_hash() -> None:
    spider = _spider(load_spec("demo-static"), base_url=BASE)
    body = (
        '<article class="ad" data-ad-id="S0001" lang="fr"><h1 class="ad-title">Lina</h1>'
        '<div class="ad-body"><p>Disponible.</p></div>'
        '<p class="ad-contact">Tél : 0470 12 34 56</p>'
        '<div class="ad-photos"><img class="ad-photo" src="/img/a.png"></div></article>'
    )
    response = _html(f"{BASE}/static/ad/S0001", body)
    before = datetime.now(UTC)
    (ad,) = _collect(spider.parse_ad(response))
    assert isinstance(ad, RawAd)
    assert (ad.site, ad.ad_id, ad.title, ad.text) == ("demo-static", "S0001", "Lina", "Disponible.")
    assert ad.page_sha256 == hashlib.sha256(response.body).hexdigest()
    assert ad.fetched_at is not None
    assert before <= ad.fetched_at <= datetime.now(UTC)
    assert [i.url for i in ad.images] == [f"{BASE}/img/a.png"]
    assert ad.images[0].phash is None
    assert _stats(spider)["vigie/ads_scraped"] == 1


def test_page_without_id_and_non_html_are_counted_not_yielded() -> None:
    spider = _spider(load_spec("demo-static"), base_url=BASE)
    assert _collect(spider.parse_ad(_html(f"{BASE}/static/ad/X", "<p>nothing</p>"))) == []
    binary = Response(f"{BASE}/static/ad/Y", body=b"\x89PNG", request=Request(BASE))
    assert _collect(spider.parse_ad(binary)) == []
    stats = _stats(spider)
    assert stats["vigie/ads_skipped/no_id"] == 1
    assert stats["vigie/errors/not_html"] == 1


def _failure(exc: Exception, url: str) -> Failure:
    failure = Failure(exc)
    failure.request = Request(url)  # type: ignore[attr-defined]
    return failure


def test_failed_requests_are_counted_by_kind() -> None:
    spider = _spider(load_spec("demo-static"), base_url=BASE)
    url = f"{BASE}/static/ad/S9"
    not_found = HttpError(Response(url, status=404, request=Request(url)))
    for exc in (not_found, IgnoreRequest("Forbidden by robots.txt"), TimeoutError("slow")):
        asyncio.run(spider.on_error(_failure(exc, url)))
    asyncio.run(spider.on_error(_failure(ConnectionRefusedError("no"), url)))
    stats = _stats(spider)
    assert stats["vigie/errors/http_404"] == 1
    assert stats["vigie/refused"] == 1
    assert stats["vigie/timeout/download"] == 1
    assert stats["vigie/errors/ConnectionRefusedError"] == 1


def test_links_beyond_max_depth_are_counted_not_followed() -> None:
    spec = _with_limits(load_spec("demo-static"), max_depth=2)
    spider = _spider(spec, base_url=BASE)
    url = f"{BASE}/static/ads?page=2"
    shallow = _html(url, _listing(1, 3))
    shallow.meta["depth"] = 1  # links from here are at depth 2: followed
    assert len(_collect(spider.parse_listing(shallow))) == 2
    deep = _html(f"{BASE}/static/ads?page=3", _listing(2, 4).replace("S000", "S100"))
    deep.meta["depth"] = 2  # links from here would be at depth 3
    assert _collect(spider.parse_listing(deep)) == []
    assert _stats(spider)["vigie/capped/depth"] == 3


def test_the_specs_caps_become_scrapy_settings() -> None:
    spec = _with_limits(load_spec("demo-static"), max_depth=7, max_page_bytes=4096, retries=1)
    crawler = Crawler(spider_for(spec), crawl_settings(database_url=None))
    settings = crawler.settings
    assert settings.getint("DEPTH_LIMIT") == 7
    assert settings.getint("DOWNLOAD_MAXSIZE") == 4096
    assert settings.getint("DOWNLOAD_WARNSIZE") == 2048
    assert settings.getint("RETRY_TIMES") == 1
    assert settings.getint("REDIRECT_MAX_TIMES") == 5
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert "crawlers.middlewares.retryafter.RetryAfterMiddleware" in middlewares


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (RedirectLoop("redirect loop: a → b → a"), "redirect_loop"),
        (IgnoreRequest("max redirections reached"), "capped/redirects"),
        (IgnoreRequest("Forbidden by robots.txt"), "refused"),
        (DownloadCancelledError("larger than download max size"), "capped/size"),
        (ResponseDataLossError(), "truncated"),
        (PlaywrightTimeoutError("Timeout 2000ms exceeded"), "timeout/render"),
        (DownloadTimeoutError("took longer than 1.0 seconds"), "timeout/download"),
        (KeyError("x"), "errors/KeyError"),
    ],
)
def test_each_failure_has_its_own_counter(error: Exception, kind: str) -> None:
    assert failure_kind(error) == kind


def test_malformed_pages_are_read_and_counted() -> None:
    spider = _spider(load_spec("demo-static"), base_url=BASE)
    body = (
        b'<html><body><article class="ad" data-ad-id="S0001"><h1 class="ad-title">Lina'
        b'<div class="ad-body"><p>Disponible.<p class="noise">\xff\xfe\xc3</article>'
    )
    url = f"{BASE}/static/ad/S0001"
    response = HtmlResponse(url, body=body, encoding="utf-8", request=Request(url))
    (ad,) = _collect(spider.parse_ad(response))
    assert ad.ad_id == "S0001"
    stats = _stats(spider)
    assert stats["vigie/malformed/encoding"] == 1
    assert stats["vigie/malformed/unclosed"] == 1
    whole = _html(url, "<html><body><p>fine</p></body></html>")
    assert malformed(whole) == []
