"""The review app in real headless Chromium (Debian's): log in, open the queue, open a flagged
ad, see its highlighted reasons, record a decision, open its network graph. Screenshots go to
test-artifacts/web/."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, expect, sync_playwright

from crawlers.settings import CHROMIUM_ARGS as ARGS
from storage.repository import Store
from storage.reviews import reviews_of
from vigie.web import WebConfig, create_app
from vigie.web.render import ad_path

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def base_url(store: Store) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(store, WebConfig(secret_key="b" * 40))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the review app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page() -> Iterator[Page]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            yield context.new_page()
        finally:
            browser.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_investigator_reviews_a_flagged_ad_in_chromium(
    base_url: str, page: Page, store: Store
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: errors.append(f"dialog: {d.message}"))  # an injected alert()

    page.goto(f"{base_url}/queue")
    expect(page).to_have_url(f"{base_url}/login?next=%2Fqueue")
    page.fill("input[name=username]", "investigator")
    page.fill("input[name=password]", PASSWORD)
    shot(page, "01-login")
    page.click("button[type=submit]")

    expect(page).to_have_url(f"{base_url}/queue")
    expect(page.locator("a.ad-link")).to_have_count(3)
    shot(page, "02-queue")

    page.locator("a.ad-link").first.click()
    expect(page).to_have_url(f"{base_url}{ad_path('demo-static', 'ad1')}")
    expect(page.locator(".field-text mark.ev-age")).to_have_text("17 ans")
    expect(page.locator(".field-text mark.ev-phone")).to_have_text("0470 12 34 56")
    expect(page.locator("ul.reasons")).to_contain_text("age_under_18")
    shot(page, "03-ad")

    page.fill("textarea[name=note]", "PV 2026/17")
    page.click("button.decision-confirm")
    expect(page.locator("p.ok")).to_be_visible()
    expect(page.locator("section.decisions")).to_contain_text("PV 2026/17")
    assert reviews_of(store.engine, site="demo-static", ad_id="ad1")[0].decision == "confirm"

    page.click("a.network-link")
    expect(page).to_have_url(f"{base_url}/networks/net-1")
    graph = page.locator("svg#network-graph")
    expect(graph).to_be_visible()
    expect(graph.locator("circle.node-ad")).to_have_count(2)
    shot(page, "04-network")

    page.goto(f"{base_url}{ad_path('demo-static', 'ad3')}")  # the attacker-written ad
    expect(page.locator(".field-text")).to_contain_text('<script>alert("x")</script>')
    shot(page, "05-inert-ad")
    page.select_option("#lang-select", "nl")  # our script submits the form on change
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    shot(page, "06-ad-nl")
    assert errors == []
