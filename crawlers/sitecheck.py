"""`vigie sites check`: fetch (or render) one page as a crawl would and say what every field of
the spec extracts from it, with the source that matched — a technician's `scrapy shell`.

Static pages are fetched with httpx, with the spec's headers and cookies; a page showing the
spec's form gets it submitted first (fields kept, the spec's set on top), then the page again.
Browser pages are rendered in headless Chromium with the spec's form, overlays and the steps of
the page kind (`listing` or `ad`). Nothing is stored.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from parsel import Selector

from crawlers import fields
from crawlers.extract import id_source, links
from crawlers.fields import Page
from crawlers.settings import PLAYWRIGHT_LAUNCH_OPTIONS, USER_AGENT
from crawlers.shaping import jar_cookies
from crawlers.sitespec import SiteSpec
from crawlers.urls import canonical

AD_FIELDS = (
    "id",
    "title",
    "text",
    "location",
    "contact",
    "posted_at",
    "images",
    "lang",
    "age",
    "alias",
    "phone",
    "url",
)


@dataclass
class FieldResult:
    name: str
    source: str | None  # the source that matched, as the spec writes it
    values: list[str]
    tried: int  # how many sources the spec gives


@dataclass
class CheckReport:
    url: str  # the page read (after redirects, a form, the canonical link)
    status: int | None
    kind: str  # listing or ad
    fields: list[FieldResult] = field(default_factory=list)
    ad_links: list[str] = field(default_factory=list)
    next_page: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _fetch_static(spec: SiteSpec, url: str, timeout_s: float) -> tuple[str, str, int]:
    headers = {"User-Agent": USER_AGENT, **dict(spec.request.headers)}
    with httpx.Client(
        headers=headers,
        cookies=dict(spec.request.cookies),
        follow_redirects=True,
        timeout=timeout_s,
    ) as client:
        response = client.get(url)
        form = spec.form
        if form is not None and Selector(text=response.text).css(form.selector):
            node = Selector(text=response.text).css(form.selector)[0]
            data = {
                i.attrib["name"]: i.attrib.get("value", "")
                for i in node.css("input[name], select[name], textarea[name]")
                if i.attrib.get("type", "").lower() not in ("checkbox", "radio", "submit")
                or "checked" in i.attrib
            }
            data.update(dict(form.fields))
            action = urljoin(str(response.url), node.attrib.get("action", ""))
            if node.attrib.get("method", "get").lower() == "post":
                client.post(action, data=data)
            else:
                client.get(action, params=data)
            response = client.get(url)
        return response.text, str(response.url), response.status_code


async def _render(
    spec: SiteSpec, url: str, kind: str, chromium: str | None
) -> tuple[str, str, int | None, list[Selector], dict[str, int]]:
    from playwright.async_api import async_playwright  # noqa: PLC0415 — browser sites only

    from crawlers.browser import browse  # noqa: PLC0415

    notes: dict[str, int] = {}
    launch = dict(PLAYWRIGHT_LAUNCH_OPTIONS)
    if chromium:
        launch["executable_path"] = chromium
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch)  # type: ignore[arg-type]
        try:
            context = await browser.new_context(
                user_agent=USER_AGENT, extra_http_headers=dict(spec.request.headers)
            )
            if spec.request.cookies:
                await context.add_cookies(jar_cookies(spec, url))
            page = await context.new_page()
            response = await page.goto(url, timeout=spec.limits.page_timeout_s * 1000)
            steps = spec.listing.clicks if kind == "listing" else spec.ad.clicks
            html, final, states = await browse(
                page,
                spec,
                steps,
                note=lambda k: notes.__setitem__(k, notes.get(k, 0) + 1),
                done=set(),
                keep_states=kind == "listing",
            )
            return html, final, response.status if response else None, states, notes
        finally:
            await browser.close()


def check(
    spec: SiteSpec, url: str, *, kind: str = "ad", chromium: str | None = None
) -> CheckReport:
    """Read `url` with `spec` as a `kind` page ("listing" or "ad")."""
    states: list[Selector] = []
    if spec.browser:
        html, final, status, states, events = asyncio.run(_render(spec, url, kind, chromium))
        notes = [f"browser/{k}={v}" for k, v in sorted(events.items())]
    else:
        html, final, status = _fetch_static(spec, url, spec.limits.page_timeout_s)
        notes = []
    page = Page(Selector(text=html, base_url=final), url=final, text=html)
    report = CheckReport(url=final, status=status, kind=kind, notes=notes)
    if kind == "listing":
        listing = spec.listing
        if listing.ad_links is not None:
            found = [
                u
                for s in (*states, page.selector)
                for u in links(s, listing.ad_links, base_url=final)
            ]
            report.ad_links = list(dict.fromkeys(found))
        if listing.next_page is not None:
            report.next_page = links(page.selector, listing.next_page, base_url=final)[:1]
        return report
    hosts = [h for h in (httpx.URL(final).host,) if h]
    report.url = canonical(page.selector, final, hosts=hosts, tracking=spec.request.tracking_params)
    page.url = report.url
    for name in AD_FIELDS:
        sources = getattr(spec.ad, name)
        if name == "id":
            matched = next(((s, v) for s in sources if (v := id_source(s, page))), (None, None))
            source, value = matched
            report.fields.append(
                FieldResult(
                    name,
                    fields.describe(source) if source is not None else None,
                    [value] if value else [],
                    len(sources),
                )
            )
            continue
        if sources is None:
            continue
        index, values = fields.traced(page, sources, images=name == "images")
        source = fields.describe(sources[index]) if index is not None else None
        report.fields.append(FieldResult(name, source, values, len(sources)))
    return report
