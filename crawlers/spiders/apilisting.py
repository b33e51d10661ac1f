"""The generic spider's JSON listing endpoint (`listing.api`, see `crawlers.api`): each page's ad
links, then its next page. A mixin of `GenericSpider`, which provides the rest."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

from parsel import Selector
from scrapy import Request
from scrapy.http import Response, TextResponse

from crawlers.api import read_page
from crawlers.fields import Page as FieldPage
from crawlers.outcome import AD_LINKS
from crawlers.shaping import site_request
from crawlers.sitespec import SiteSpec

EMPTY = Selector(text="<html></html>")


class ApiListing:
    spec: ClassVar[SiteSpec]
    crawler: Any
    _listings: set[str]
    _too_deep: Callable[[int], bool]
    _count: Callable[[str], None]
    _clean: Callable[[list[str]], list[str]]
    _ad_request: Callable[..., Request | None]
    on_error: Callable[..., Any]

    def _api_request(self, url: str, *, number: int, seen: int, depth: int) -> Request | None:
        """A page of the JSON listing API: never through the browser."""
        if url in self._listings or self._too_deep(depth):
            return None
        if len(self._listings) >= self.spec.limits.max_pages:
            self._count("capped/pages")
            return None
        self._listings.add(url)
        request = site_request(self.spec, url, self.parse_api, errback=self.on_error, meta={})
        request.meta.update({"vigie_api_page": number, "vigie_api_seen": seen})
        return request

    async def parse_api(self, response: Response) -> AsyncIterator[Request]:
        """One page of the JSON listing API: its ad links, then its next page."""
        api = self.spec.listing.api
        assert api is not None  # noqa: S101 — only API requests come here
        text = response.text if isinstance(response, TextResponse) else ""
        doc = FieldPage(EMPTY, url=response.url, text=text).document
        if doc is None:
            self._count("errors/not_json")
            return
        self._count("pages/listing")
        number = int(response.meta.get("vigie_api_page", 0))
        seen = int(response.meta.get("vigie_api_seen", 0))
        found, next_url = read_page(api, doc, url=response.url, number=number, seen=seen)
        ad_urls = self._clean(found)
        self.crawler.stats.inc_value(f"vigie/{AD_LINKS}", len(ad_urls))
        depth = int(response.meta.get("depth", 0)) + 1
        for ad_url in ad_urls:
            request = self._ad_request(ad_url, depth=depth)
            if request is not None:
                yield request
        if next_url is not None:
            request = self._api_request(
                next_url, number=number + 1, seen=seen + len(found), depth=depth
            )
            if request is not None:
                yield request


def is_json(response: TextResponse) -> bool:
    """Whether a response is a JSON document (by its type, or by its first character)."""
    kind = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    return "json" in kind or ("html" not in kind and response.body.lstrip()[:1] in (b"{", b"["))
