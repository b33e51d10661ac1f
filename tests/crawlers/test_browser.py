"""crawlers.browser: a spec's browser steps on a real page in headless Chromium (Debian's)."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from playwright.async_api import async_playwright

from crawlers.browser import run_steps
from crawlers.settings import PLAYWRIGHT_LAUNCH_OPTIONS
from crawlers.specsteps import ClickSpec

pytestmark = pytest.mark.browser


async def _run(url: str, steps: list[ClickSpec]) -> tuple[Counter[str], str, int, int]:
    notes: Counter[str] = Counter()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**PLAYWRIGHT_LAUNCH_OPTIONS)  # type: ignore[arg-type]
        try:
            page = await browser.new_page()
            await page.goto(url)
            await run_steps(page, steps, timeout_s=30, note=lambda k: notes.update([k]))
            phone = await page.locator("#phone").inner_text()
            items = await page.locator("#list .item").count()
            endless = await page.locator("#endless-list .e").count()
        finally:
            await browser.close()
    return notes, phone, items, endless


def test_steps_click_gate_repeat_until_gone_cap_and_wait(fixture_site: object) -> None:
    steps = [
        ClickSpec(click="#gate-ok", optional=True),
        ClickSpec(click="#gate-ok", optional=True),  # gone now: skipped silently
        ClickSpec(click="#no-such-button"),  # required and absent: noted
        ClickSpec(click="#more", repeat=True, wait_for="#list .item"),  # 3 clicks, then removed
        ClickSpec(click="#endless", repeat=True, max_times=2, wait_for="#endless-list .e"),
        ClickSpec(click="#show", wait_for="#phone:not(:empty)"),
        ClickSpec(click="#broken", wait_for=".never", timeout_s=0.3),
        ClickSpec(wait_for=".never-either", optional=True, timeout_s=0.2),
    ]
    notes, phone, items, endless = asyncio.run(
        _run(f"{fixture_site.base_url}/steps/", steps)  # type: ignore[attr-defined]
    )
    assert phone == "0470 99 88 77"
    assert items == 6
    assert endless == 2
    assert notes == Counter(
        {
            "clicks": 1 + 3 + 2 + 1 + 1,
            "click_target_missing": 1,
            "max_clicks_reached": 1,
            "wait_timeout": 1,
        }
    )
