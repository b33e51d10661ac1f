"""Read a listing or an ad page with a site spec's CSS selectors.

Works on a parsel `Selector` of the HTML — Scrapy's response or a browser's rendered page alike —
so static and browser sites share every selector and every rule. An element's text is read as a
reader sees it: block elements (`p`, `div`, `br`, `li`…) start a new line, inline ones do not, so
"Tél : <b>0470</b> 12 34 56" stays one phone number while two paragraphs stay two lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawlers.dates import parse_posted
from crawlers.images import image_urls
from crawlers.sitespec import SiteSpec
from pipeline.types import ImageRef, RawAd

_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("tbody", "thead", "tfoot", "tr", "td", "th", "ul"),
    }
)
_SKIP = frozenset({"script", "style", "template", "noscript"})
_SPACES = re.compile(r"\s+")  # as in a browser, a newline in the HTML source is just a space

Note = Callable[[str], None]
"""Receives the name of a problem met while reading a page (counted in the crawl's stats)."""


class NoAdId(ValueError):
    """The page has no identifier where the spec says: it is not read as an ad."""


def element_text(root: Any) -> str:
    """The visible text of an lxml element: one line per block, whitespace collapsed, no empty
    line."""
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:  # iterative: a hostile page may nest deeper than Python's recursion limit
        node, closing = stack.pop()
        tag = node.tag.lower() if isinstance(node.tag, str) else None
        if closing or tag is None or tag in _SKIP:
            if closing and tag in _BLOCK:
                parts.append("\n")
            if node is not root and node.tail:
                parts.append(_SPACES.sub(" ", node.tail))
            continue
        if tag in _BLOCK:
            parts.append("\n")
        if node.text:
            parts.append(_SPACES.sub(" ", node.text))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return _clean("".join(parts))


def _clean(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def values(selector: Selector, css: str) -> list[str]:
    """Each match of `css`: an attribute or text node as is, an element as its visible text."""
    out = []
    for match in selector.css(css):
        root = match.root
        value = " ".join(root.split()) if isinstance(root, str) else element_text(root)
        if value:
            out.append(value)
    return out


def first(selector: Selector, css: str | None) -> str | None:
    if css is None:
        return None
    found = values(selector, css)
    return found[0] if found else None


def text(selector: Selector, css: str | None) -> str:
    return "\n".join(values(selector, css)) if css is not None else ""


def links(selector: Selector, css: str, *, base_url: str, attr: str = "href") -> list[str]:
    """Absolute http(s) URLs from `css` (attribute values, or the `attr` of matched elements),
    in page order, without duplicates."""
    found: dict[str, None] = {}
    for match in selector.css(css):
        root = match.root
        raw = root if isinstance(root, str) else root.get(attr)
        if not raw or not raw.strip():
            continue
        url = urljoin(base_url, raw.strip()).split("#")[0]
        if urlsplit(url).scheme in ("http", "https"):
            found.setdefault(url, None)
    return list(found)


def ad_id(spec: SiteSpec, selector: Selector, url: str) -> str:
    """The ad's identifier, from the page or the URL as the spec says; raises NoAdId."""
    found: str | None = None
    if spec.ad.id.css is not None:
        found = first(selector, spec.ad.id.css)
    elif spec.ad.id.url_regex is not None:
        match = re.search(spec.ad.id.url_regex, url)
        found = (match.group(1) if match.re.groups else match.group(0)) if match else None
    if not found:
        raise NoAdId(url)
    return found


def read_ad(
    spec: SiteSpec,
    selector: Selector,
    *,
    url: str,
    page_sha256: str,
    fetched_at: datetime,
    note: Note,
) -> RawAd:
    """The RawAd on an ad page. Raises NoAdId when the page has no identifier."""
    fields = spec.ad
    posted_raw = first(selector, fields.posted_at)
    posted_at = parse_posted(posted_raw, fetched_at=fetched_at)
    if posted_raw and posted_at is None:
        note("posted_at_unreadable")
    images: list[str] = []
    if fields.images is not None:
        images = image_urls(selector, fields.images, base_url=url)
        if len(images) > spec.limits.max_images_per_ad:
            note("images_over_limit")
            images = images[: spec.limits.max_images_per_ad]
    return RawAd(
        site=spec.name,
        ad_id=ad_id(spec, selector, url),
        url=url,
        title=text(selector, fields.title),
        text=text(selector, fields.text),
        location_text=text(selector, fields.location),
        lang=first(selector, fields.lang),
        contact_text=text(selector, fields.contact),
        posted_at=posted_at,
        fetched_at=fetched_at,
        page_sha256=page_sha256,
        images=tuple(ImageRef(url=u) for u in images),
    )
