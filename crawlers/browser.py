"""Perform a site spec's browser steps (age gate, "load more", "show number") on a page.

A step clicks a CSS selector, waits for one, or both. After a click, `wait_for` waits until more
elements match it than before the click, which is how "the new cards arrived" and "the phone
number was filled in" are told apart from "nothing happened yet". Problems are reported through
`note` (counted in the crawl's stats), never raised: the page is read as it stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from crawlers.sitespec import ClickSpec

logger = logging.getLogger(__name__)

Note = Callable[[str], None]

# What the browser need not load: images are fetched (once, politely) by ImageHashPipeline.
_NOT_LOADED = frozenset({"image", "media", "font"})

_GREW = "([css, before]) => document.querySelectorAll(css).length > before"


def abort_request(request: Request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: skip images, media and fonts in the browser."""
    return request.resource_type in _NOT_LOADED


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
