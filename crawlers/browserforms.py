"""The browser's own requests: navigation headers (Scrapy's only for the page Scrapy asked for)
and a page's forms submitted inside the page (an age gate), so that Chromium sends its own
Content-Type, Origin and cookies."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request

from crawlers.specrequests import FormSpec

logger = logging.getLogger(__name__)

Note = Callable[[str], None]


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
