"""Read an ad page with a site spec's fields (`crawlers.fields`).

Works on a parsel `Selector` of the HTML — Scrapy's response or a browser's rendered page alike —
so static and browser sites share every selector and every rule; a JSON ad page is read with the
spec's `json` sources. Text is read as a reader sees it (`crawlers.textread`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urljoin

from parsel import Selector

from crawlers import fields
from crawlers.dates import parse_posted
from crawlers.fields import Page
from crawlers.sitespec import SiteSpec
from crawlers.specfields import IdSource
from crawlers.textread import element_text, first, links, text, values
from crawlers.urls import clean_url
from pipeline.types import ImageRef, RawAd

Note = Callable[[str], None]
"""Receives the name of a problem met while reading a page (counted in the crawl's stats)."""


class NoAdId(ValueError):
    """The page has no identifier where the spec says: it is not read as an ad."""


def id_source(source: IdSource, page: Page) -> str | None:
    """What one id source gives on `page` (its URL for `url_regex`)."""
    if source.url_regex is not None:
        match = re.search(source.url_regex, page.url)
        return (match.group(1) if match.re.groups else match.group(0)) if match else None
    return fields.first(page, (source,))


def ad_id(spec: SiteSpec, page: Page) -> str:
    """The ad's identifier: the first of the spec's id sources that gives one; raises NoAdId."""
    for source in spec.ad.id:
        found = id_source(source, page)
        if found:
            return found
    raise NoAdId(page.url)


def _profile(page: Page, spec: SiteSpec) -> list[str]:
    """A profile block's age and name as lines of the ad's text ("Age: 27", "Name: Lina"), for
    the same extraction (and evidence spans) as the rest of the text."""
    lines = [f"Age: {v}" for v in fields.read(page, spec.ad.age)]
    return lines + [f"Name: {v}" for v in fields.read(page, spec.ad.alias)]


def read_ad(
    spec: SiteSpec,
    selector: Selector | Page,
    *,
    url: str,
    page_sha256: str,
    fetched_at: datetime,
    note: Note,
) -> RawAd:
    """The RawAd on an ad page (an HTML `Selector`, or a `Page` that also knows the page's text:
    a JSON ad page). Raises NoAdId when the page has no identifier."""
    page = selector if isinstance(selector, Page) else Page(selector, url=url)
    ad = spec.ad
    posted_raw = fields.first(page, ad.posted_at)
    posted_at = parse_posted(posted_raw, fetched_at=fetched_at)
    if posted_raw and posted_at is None:
        note("posted_at_unreadable")
    images = fields.read(page, ad.images, images=True)
    images = [urljoin(url, u) for u in images]
    if len(images) > spec.limits.max_images_per_ad:
        note("images_over_limit")
        images = images[: spec.limits.max_images_per_ad]
    body = "\n".join(filter(None, [fields.text(page, ad.text), *_profile(page, spec)]))
    contact = "\n".join(filter(None, [fields.text(page, ad.contact), *fields.read(page, ad.phone)]))
    shown = fields.first(page, ad.url)
    if shown:
        url = clean_url(urljoin(url, shown), spec.request.tracking_params)
    return RawAd(
        site=spec.name,
        ad_id=ad_id(spec, page),
        url=url,
        title=fields.text(page, ad.title),
        text=body,
        location_text=fields.text(page, ad.location),
        lang=fields.first(page, ad.lang),
        contact_text=contact,
        posted_at=posted_at,
        fetched_at=fetched_at,
        page_sha256=page_sha256,
        images=tuple(ImageRef(url=u) for u in images),
    )


__all__ = ["NoAdId", "ad_id", "element_text", "first", "links", "read_ad", "text", "values"]
