"""Requests shaped per site: the spec's headers and cookies on every request, its form (an age
gate, a consent wall) submitted when a page shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright._impl._api_structures import SetCookieParam  # the type add_cookies takes
from playwright.async_api import Page
from scrapy import FormRequest, Request
from scrapy.http import Response, TextResponse

from crawlers.sitespec import SiteSpec


def site_request(
    spec: SiteSpec, url: str, callback: Any, *, errback: Callable[..., Any], meta: dict[str, Any]
) -> Request:
    """A request of the site carrying the spec's `request.headers` and `request.cookies`."""
    cookies: dict[str | bytes, Any] = dict(spec.request.cookies)
    return Request(
        url,
        callback,
        errback=errback,
        meta=meta,
        headers=dict(spec.request.headers) or None,
        cookies=cookies or None,
    )


def jar_cookies(spec: SiteSpec, url: str) -> list[SetCookieParam]:
    """The spec's cookies for a browser's jar: for the whole site of `url` (path "/"), so that
    every page, form and same-origin frame of it sends them, not only pages under `url`'s path."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}/"
    return [{"name": k, "value": v, "url": origin} for k, v in spec.request.cookies]


async def add_cookies(spec: SiteSpec, base_url: str, page: Page, _request: Request) -> None:
    """A browser page's init callback: the spec's cookies in the browser's jar, so the page's
    own navigations (a form, a link, a frame) send them too."""
    await page.context.add_cookies(jar_cookies(spec, base_url))


MAX_SUBMISSIONS = 2
"""How many times one page's form is submitted before the page is read as it stands."""


def form_request(
    spec: SiteSpec, response: Response, *, errback: Callable[..., Any]
) -> Request | None:
    """The spec's form submitted, when a static page shows it: its own fields kept (hidden
    tokens included), the spec's `fields` set on top, posted like the form says; the answer goes
    to the callback that read this page. None when there is nothing to submit (or the gate did
    not open after MAX_SUBMISSIONS tries: the page is then read, and its outcome tells)."""
    form = spec.form
    if form is None or spec.browser or not isinstance(response, TextResponse):
        return None
    tries = int(response.meta.get("vigie_form", 0))
    if tries >= MAX_SUBMISSIONS or not response.css(form.selector):
        return None
    clickdata: dict[str, str | int] | None = None
    if form.submit is not None:
        button = response.css(form.selector).css(form.submit)
        if button and (name := button.attrib.get("name")):
            clickdata = {"name": name, "value": button.attrib.get("value", "")}
    return FormRequest.from_response(
        response,
        formcss=form.selector,
        formdata=dict(form.fields),
        clickdata=clickdata,
        callback=response.request.callback if response.request else None,
        errback=errback,
        dont_filter=True,
        # At least one retry whatever the spec's `retries`: a POST sent on a kept-alive
        # connection the server has just closed fails with ConnectionDone, and Twisted's pool
        # replays only idempotent requests. An age gate answered twice is harmless.
        meta={"vigie_form": tries + 1, "max_retry_times": max(1, spec.limits.retries)},
    )
