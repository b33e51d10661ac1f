"""Perform a site spec's browser steps (age gate, "load more", "show number") on a page.

A step clicks a Playwright selector, waits for one, or both, or scrolls until no new item
comes. After a click, `wait_for` waits until more
elements match it than before the click, which is how "the new cards arrived" and "the phone
number was filled in" are told apart from "nothing happened yet". Problems are reported through
`note` (counted in the crawl's stats), never raised: the page is read as it stands.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from parsel import Selector
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from crawlers.browserforms import submit_form
from crawlers.sitespec import SiteSpec
from crawlers.specsteps import ClickSpec, OverlaySpec

logger = logging.getLogger(__name__)

Note = Callable[[str], None]

# What the browser need not load: images are fetched (once, politely) by ImageHashPipeline.
_NOT_LOADED = frozenset({"image", "media", "font"})

_GREW = "([css, before]) => document.querySelectorAll(css).length > before"


def abort_request(request: Request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: skip images, media and fonts in the browser."""
    return request.resource_type in _NOT_LOADED


async def run_steps(
    page: Page,
    steps: Sequence[ClickSpec],
    *,
    timeout_s: float,
    note: Note,
    done: set[ClickSpec] | None = None,
    after_step: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Run `steps` in order on `page`; `timeout_s` is the default wait of a step.

    `done` holds the `once` steps already run in this browser (they are skipped, and added when
    run); `after_step` is awaited after each click or scroll (to read cards a page replaces in
    place)."""
    for step in steps:
        if step.once and done is not None:
            if step in done:
                continue
            done.add(step)
        timeout_ms = (step.timeout_s or timeout_s) * 1000
        if step.scroll:
            await _scroll(
                page,
                step,
                (step.timeout_s or min(timeout_s, SCROLL_WAIT_S)) * 1000,
                note,
                after_step,
            )
        elif step.click is None:
            await _wait_for(page, step, timeout_ms, note)
        else:
            await _click(page, step, step.click, timeout_ms, note, after_step)


SCROLL_WAIT_S = 5.0
"""How long a scroll waits for new items by default before it decides there are no more."""

_TO_BOTTOM = """(css) => {
  const items = document.querySelectorAll(css);
  if (items.length) items[items.length - 1].scrollIntoView({block: "end"});
  window.scrollTo(0, document.documentElement.scrollHeight);
}"""


async def _scroll(
    page: Page,
    step: ClickSpec,
    timeout_ms: float,
    note: Note,
    after_step: Callable[[], Awaitable[None]] | None,
) -> None:
    """Scroll to the bottom until no new `wait_for` item appears (or `step.times` scrolls)."""
    assert step.wait_for is not None  # noqa: S101 — the spec requires it
    for _ in range(step.times):
        before = await page.locator(step.wait_for).count()
        await page.evaluate(_TO_BOTTOM, step.wait_for)
        note("scrolls")
        try:
            await page.wait_for_function(_GREW, arg=[step.wait_for, before], timeout=timeout_ms)
        except PlaywrightTimeoutError:
            return  # nothing new came: the end of the list
        if after_step is not None:
            await after_step()
    note("max_scrolls_reached")


async def install_overlays(page: Page, overlays: Sequence[OverlaySpec], *, note: Note) -> None:
    """Dismiss each overlay whenever it shows and would block a step (Playwright's locator
    handlers), however late it appears."""
    for overlay in overlays:

        async def dismiss(_locator: Any = None, overlay: OverlaySpec = overlay) -> None:
            try:
                await page.locator(overlay.click or overlay.selector).first.click(timeout=5000)
                note("overlay_dismissed")
            except PlaywrightError as exc:
                note("overlay_failed")
                logger.info("%s: overlay %r not dismissed: %s", page.url, overlay.selector, exc)

        await page.add_locator_handler(page.locator(overlay.selector), dismiss, no_wait_after=True)


async def clear_overlays(page: Page, overlays: Sequence[OverlaySpec], *, note: Note) -> None:
    """Dismiss the overlays still showing once the steps are done."""
    for overlay in overlays:
        if await page.locator(overlay.selector).first.is_visible():
            try:
                await page.locator(overlay.click or overlay.selector).first.click(timeout=5000)
                note("overlay_dismissed")
            except PlaywrightError:
                note("overlay_failed")


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


async def _click(
    page: Page,
    step: ClickSpec,
    target: str,
    timeout_ms: float,
    note: Note,
    after_step: Callable[[], Awaitable[None]] | None = None,
) -> None:
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
            if after_step is not None:
                await after_step()
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
        if after_step is not None:
            await after_step()
    if step.repeat and await _present(page, target):
        note("max_clicks_reached")


async def browse(
    page: Page,
    spec: SiteSpec,
    steps: Sequence[ClickSpec],
    *,
    note: Note,
    done: set[ClickSpec],
    keep_states: bool = False,
) -> tuple[str, str, list[Selector]]:
    """Everything a spec does on a live page: submit its form if the page shows it, dismiss its
    overlays whenever they appear, run `steps`; returns the rendered HTML, the page's URL and,
    with `keep_states`, the page as it stood after each step."""
    snapshots: list[Selector] = []

    async def snapshot() -> None:  # cards a page replaces in place: read each state
        snapshots.append(Selector(text=await page.content(), base_url=page.url))

    timeout_s = spec.limits.page_timeout_s
    if spec.form is not None:
        await submit_form(page, spec.form, timeout_s=timeout_s, note=note)
    await install_overlays(page, spec.overlays, note=note)
    if keep_states and steps:
        await snapshot()  # the cards before the first step
    await run_steps(
        page,
        steps,
        timeout_s=timeout_s,
        note=note,
        done=done,
        after_step=snapshot if keep_states else None,
    )
    await clear_overlays(page, spec.overlays, note=note)
    if await page.evaluate(_FLATTEN):
        note("flattened")
    return await page.content(), page.url, snapshots


# Open shadow roots and same-origin frames copied into the light DOM (a `data-vigie-shadow` box in
# the host, a `data-vigie-frame` box after the iframe), so that the spec's selectors read them in
# the page's HTML like anything else; innermost first, so nested ones come along; their <style>
# and <script> elements left out (a `::text` selector across a host must not read CSS as text).
_FLATTEN = """() => {
  let count = 0;
  // a copied root's <style>/<script> would otherwise read as the ad's text
  const strip = (box) => { box.querySelectorAll('style, script').forEach((n) => n.remove()); };
  const inline = (root) => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (el.shadowRoot) {
        inline(el.shadowRoot);
        const box = document.createElement('div');
        box.setAttribute('data-vigie-shadow', '');
        box.innerHTML = el.shadowRoot.innerHTML;
        strip(box);
        el.appendChild(box);
        count++;
      }
      if (el.tagName === 'IFRAME') {
        let doc = null;
        try { doc = el.contentDocument; } catch (e) { doc = null; }
        if (doc && doc.body) {
          inline(doc);
          const box = document.createElement('div');
          box.setAttribute('data-vigie-frame', el.getAttribute('src') || '');
          box.innerHTML = doc.body.innerHTML;
          strip(box);
          el.after(box);
          count++;
        }
      }
    }
  };
  inline(document);
  return count;
}"""
