"""Perform a site spec's browser steps (age gate, "load more", "show number") on a page.

A step clicks a CSS selector, waits for one, or both. After a click, `wait_for` waits until more
elements match it than before the click, which is how "the new cards arrived" and "the phone
number was filled in" are told apart from "nothing happened yet". Problems are reported through
`note` (counted in the crawl's stats), never raised: the page is read as it stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from crawlers.sitespec import ClickSpec
from crawlers.specrequests import FormSpec

logger = logging.getLogger(__name__)

Note = Callable[[str], None]

# What the browser need not load: images are fetched (once, politely) by ImageHashPipeline.
_NOT_LOADED = frozenset({"image", "media", "font"})

_GREW = "([css, before]) => document.querySelectorAll(css).length > before"


def abort_request(request: Request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: skip images, media and fonts in the browser."""
    return request.resource_type in _NOT_LOADED


async def process_headers(
    *, browser_type_name: str, playwright_request: Request, scrapy_request_data: dict[str, Any]
) -> dict[str, str]:
    """PLAYWRIGHT_PROCESS_REQUEST_HEADERS: Scrapy's headers only where Scrapy asked for the page.

    The navigation that loads the Scrapy request's own URL carries the Scrapy request's headers
    (the spec's `request.headers`, the user agent, Scrapy's cookies merged with the browser's).
    Every other request — above all a navigation the page makes itself, such as a form posted by
    an age gate — keeps the browser's own headers (its Content-Type, Origin, cookies), with only
    the user agent replaced. scrapy-playwright's default replaced them all, so a POST form
    reached the server without its Content-Type and was refused.
    """
    browser = await playwright_request.all_headers()
    scrapy = scrapy_request_data["headers"].to_unicode_dict()
    agent = scrapy.get("user-agent") or browser.get("user-agent")
    own = (
        playwright_request.is_navigation_request()
        and playwright_request.method.upper() == str(scrapy_request_data["method"]).upper()
        and playwright_request.url.rstrip("/") == str(scrapy_request_data["url"]).rstrip("/")
    )
    if not own:
        return {**browser, "user-agent": agent} if agent else browser
    headers = {k.lower(): v for k, v in scrapy.items()}
    if agent:
        headers["user-agent"] = agent
    if referer := browser.get("referer"):
        headers.setdefault("referer", referer)
    if cookie := _merge_cookies(browser.get("cookie"), headers.get("cookie")):
        headers["cookie"] = cookie
    return headers


def _merge_cookies(browser: str | None, scrapy: str | None) -> str:
    """The browser's cookies and Scrapy's, by name (Scrapy's value wins)."""
    jar: dict[str, str] = {}
    for header in (browser, scrapy):
        for part in (header or "").split(";"):
            name, sep, value = part.strip().partition("=")
            if name and sep:
                jar[name] = value
    return "; ".join(f"{name}={value}" for name, value in jar.items())


async def submit_form(page: Page, form: FormSpec, *, timeout_s: float, note: Note) -> bool:
    """Submit `form` in the page when it shows it (the browser's own submission: its headers,
    its cookies); returns whether it was there. Waits for the page the form leads to."""
    handle = await page.query_selector(form.selector)
    if handle is None:
        return False
    try:
        async with page.expect_navigation(timeout=timeout_s * 1000):
            await handle.evaluate(_SUBMIT, [dict(form.fields), form.submit])
        await page.wait_for_load_state(timeout=timeout_s * 1000)
    except PlaywrightError as exc:  # TimeoutError included
        note("form_failed")
        logger.info("%s: form %r not submitted: %s", page.url, form.selector, exc)
        return True
    note("form_submitted")
    return True


# Set the spec's fields (ticking a checkbox or radio named by one), then submit as a user would.
_SUBMIT = """(form, [fields, submit]) => {
  for (const [name, value] of Object.entries(fields)) {
    let el = form.elements.namedItem(name);
    if (el && el.length !== undefined && el.tagName === undefined) {
      el = Array.from(el).find((e) => e.value === value) || el[0];
    }
    if (!el) {
      el = document.createElement("input");
      el.type = "hidden";
      el.name = name;
      form.appendChild(el);
    }
    if (el.type === "checkbox" || el.type === "radio") {
      el.checked = true;
      if (value) el.value = value;
    } else {
      el.value = value;
    }
  }
  const button = submit ? form.querySelector(submit) : null;
  if (form.requestSubmit) { form.requestSubmit(button || undefined); } else { form.submit(); }
}"""


async def run_steps(
    page: Page, steps: Sequence[ClickSpec], *, timeout_s: float, note: Note
) -> None:
    """Run `steps` in order on `page`; `timeout_s` is the default wait of a step."""
    for step in steps:
        timeout_ms = (step.timeout_s or timeout_s) * 1000
        if step.click is None:
            await _wait_for(page, step, timeout_ms, note)
        else:
            await _click(page, step, step.click, timeout_ms, note)


async def _wait_for(page: Page, step: ClickSpec, timeout_ms: float, note: Note) -> None:
    if step.wait_for is None:
        return
    try:
        await page.wait_for_selector(step.wait_for, state="attached", timeout=timeout_ms)
    except PlaywrightTimeoutError:
        if not step.optional:
            note("wait_timeout")
            logger.info("%s: nothing matched %r", page.url, step.wait_for, extra={"url": page.url})


async def _present(page: Page, css: str) -> bool:
    return await page.locator(css).count() > 0


async def _click(page: Page, step: ClickSpec, target: str, timeout_ms: float, note: Note) -> None:
    clicks = 0
    while clicks < step.times:
        if not await _present(page, target):
            if clicks == 0 and not step.optional:
                note("click_target_missing")
                logger.info("%s: nothing to click at %r", page.url, target, extra={"url": page.url})
            return
        before = await page.locator(step.wait_for).count() if step.wait_for else 0
        try:
            await page.locator(target).first.click(timeout=timeout_ms)
        except PlaywrightError as exc:  # TimeoutError included: covered, hidden, detached
            if step.repeat and clicks and not await _present(page, target):
                return  # removed while we were about to click: there is no more
            note("click_failed")
            logger.info(
                "%s: click on %r failed: %s", page.url, target, exc, extra={"url": page.url}
            )
            return
        clicks += 1
        note("clicks")
        if step.wait_for is None:
            continue
        try:
            await page.wait_for_function(_GREW, arg=[step.wait_for, before], timeout=timeout_ms)
        except PlaywrightTimeoutError:
            if step.repeat and not await _present(page, target):
                return  # the last click removed the button and brought nothing new
            note("wait_timeout")
            logger.info(
                "%s: no new %r after clicking %r",
                page.url,
                step.wait_for,
                target,
                extra={"url": page.url},
            )
            return
    if step.repeat and await _present(page, target):
        note("max_clicks_reached")
