"""Browser steps real sites need (issue 13.4), in real headless Chromium: infinite scroll with an
empty sentinel, an overlay injected late over the button to press, steps run once per browser,
cards replaced in place read after each step, and Playwright selectors validated as Chromium
runs them."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, async_playwright
from pydantic import ValidationError

from crawlers.browser import browse, run_steps
from crawlers.settings import PLAYWRIGHT_LAUNCH_OPTIONS
from crawlers.sitespec import parse_spec
from crawlers.specsteps import ClickSpec, OverlaySpec

pytestmark = pytest.mark.browser


def _in_chromium(html: str, work: Callable[[Page], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**PLAYWRIGHT_LAUNCH_OPTIONS)  # type: ignore[arg-type]
            try:
                page = await browser.new_page(viewport={"width": 800, "height": 600})
                await page.set_content(html)
                return await work(page)
            finally:
                await browser.close()

    return asyncio.run(main())


SCROLL = """<html><body><div id="list"></div><div id="sentinel"></div><script>
let n = 0;
function more(k) { for (let i = 0; i < k && n < 26; i++) {
  const d = document.createElement('div'); d.className = 'item'; d.style.height = '300px';
  d.innerHTML = '<a href="/ad/' + (++n) + '">ad</a>'; document.getElementById('list').append(d); } }
more(5);
new IntersectionObserver((e) => { if (e[0].isIntersecting) setTimeout(() => more(5), 150); })
  .observe(document.getElementById('sentinel'));
</script></body></html>"""


def test_scroll_until_no_new_item_with_an_empty_sentinel() -> None:
    notes: Counter[str] = Counter()

    async def work(page: Page) -> int:
        step = ClickSpec(scroll=True, wait_for="#list .item a", timeout_s=10)
        await run_steps(page, [step], timeout_s=10, note=lambda k: notes.update([k]))
        return await page.locator("#list .item").count()

    assert _in_chromium(SCROLL, work) == 26
    assert notes["scrolls"] >= 5
    assert notes["max_scrolls_reached"] == 0


LATE_OVERLAY = """<html><body>
<button id="show" onclick="document.getElementById('phone').textContent='0470 12 34 56'">
Show number</button><p id="phone"></p><script>
setTimeout(() => { const o = document.createElement('div'); o.id = 'consent';
  o.style.cssText = 'position:fixed;inset:0;background:#fff;z-index:99';
  o.innerHTML = '<button class="ok" onclick="this.parentNode.remove()">Tout accepter</button>';
  document.body.append(o); }, 300);
setTimeout(() => { const s = document.createElement('i'); s.className = 'ready';
  document.body.append(s); }, 800);
</script></body></html>"""

STEPS = [
    ClickSpec(wait_for="i.ready", timeout_s=30),  # by then the overlay covers the button
    ClickSpec(click="#show", wait_for="#phone:not(:empty)", timeout_s=3),
]


def _spec(**extra: Any) -> Any:
    data = {
        "name": "probe",
        "render": "browser",
        "base_url": "http://127.0.0.1:9/",
        "listing": {"ad_links": "a"},
        "ad": {"id": {"css": "p"}, "title": "h1", "text": "p"},
        **extra,
    }
    return parse_spec(data, source="test")


@pytest.mark.parametrize("with_overlay", [True, False])
def test_a_late_overlay_is_dismissed_whenever_it_appears(with_overlay: bool) -> None:
    notes: Counter[str] = Counter()
    overlays = [{"selector": "#consent", "click": "#consent button:has-text('accepter')"}]
    spec = _spec(overlays=overlays if with_overlay else [])

    async def work(page: Page) -> str:
        await browse(page, spec, STEPS, note=lambda k: notes.update([k]), done=set())
        return await page.locator("#phone").inner_text()

    phone = _in_chromium(LATE_OVERLAY, work)
    if with_overlay:
        assert phone == "0470 12 34 56"
        assert notes["overlay_dismissed"] == 1
    else:  # the control: without it the click is intercepted and the phone lost
        assert phone == ""
        assert notes["click_failed"] == 1


GATE = """<html><body><div id="gate"><button id="age-ok"
onclick="document.getElementById('gate').remove()">18+</button></div></body></html>"""


def test_a_once_step_runs_on_the_first_page_only() -> None:
    notes: Counter[str] = Counter()
    done: set[ClickSpec] = set()
    step = ClickSpec(click="#age-ok", once=True)

    async def work(page: Page) -> None:
        for _ in range(3):  # three pages of the same browser
            await page.set_content(GATE)
            await run_steps(page, [step], timeout_s=5, note=lambda k: notes.update([k]), done=done)

    _in_chromium(GATE, work)
    assert notes["clicks"] == 1
    assert done == {step}


IN_PLACE = """<html><body><ul id="cards"></ul><button id="next">next</button><script>
let page = 0;
function show() { document.getElementById('cards').innerHTML = [1, 2, 3].map(
  (i) => '<li><a class="ad" href="/ad/' + (page * 3 + i) + '">x</a></li>').join(''); }
show();
document.getElementById('next').onclick = () => { page++; show();
  if (page == 2) document.getElementById('next').remove(); };
</script></body></html>"""


def test_cards_replaced_in_place_are_read_after_each_step() -> None:
    spec = _spec()
    steps = [ClickSpec(click="#next", repeat=True)]

    async def work(page: Page) -> list[str]:
        html, _, states = await browse(
            page, spec, steps, note=lambda k: None, done=set(), keep_states=True
        )
        from parsel import Selector

        seen = [*states, Selector(text=html)]
        return sorted({h for s in seen for h in s.css("a.ad::attr(href)").getall()})

    assert _in_chromium(IN_PLACE, work) == [f"/ad/{i}" for i in range(1, 10)]


ACCEPTED = [
    "button:has-text('OK')",
    "text=Tout accepter",
    "#consent >> text=OK",
    "button:text-is('OK')",
    "li:nth-match(:text('OK'), 1)",
    "button:visible",
    "div:has(> button)",
    "xpath=//button",
    "css=div#consent button",
]


@pytest.mark.parametrize("selector", ACCEPTED)
def test_what_the_spec_accepts_runs_in_chromium(selector: str) -> None:
    ClickSpec(click=selector)  # accepted by the spec

    async def work(page: Page) -> int:
        return await page.locator(selector).count()

    html = "<ul><li><div id='consent'><button>OK</button></div></li></ul>"
    assert _in_chromium(html, work) >= 0  # ran without a selector error


@pytest.mark.parametrize("selector", ["button:contains('OK')", "button[", "nope=x"])
def test_what_chromium_refuses_the_spec_refuses(selector: str) -> None:
    with pytest.raises(ValidationError, match="expected a Playwright selector"):
        ClickSpec(click=selector)

    async def work(page: Page) -> int:
        return await page.locator(selector).count()

    with pytest.raises(PlaywrightError):
        _in_chromium("<button>OK</button>", work)


def test_overlays_need_the_browser() -> None:
    with pytest.raises(Exception, match="overlays need render: browser"):
        _spec(render="static", overlays=[{"selector": "#x"}])
    assert _spec(overlays=[OverlaySpec(selector="#x").model_dump()]).overlays


SHADOW_AND_FRAME = """<html><body>
<contact-card></contact-card>
<iframe id="f" srcdoc="<p class='tel'><a href='tel:+32479665629'>0479/66.56.29</a></p>"></iframe>
<script>
customElements.define('contact-card', class extends HTMLElement {
  connectedCallback() { const root = this.attachShadow({mode: 'open'});
    root.innerHTML = '<style>span{font:bold 18px serif}</style>'
      + '<span class="phone">0470 11 22 33</span><inner-card></inner-card>'; } });
customElements.define('inner-card', class extends HTMLElement {
  connectedCallback() { this.attachShadow({mode: 'open'}).innerHTML = '<b class="deep">Lina</b>'; }
});
</script></body></html>"""


def test_shadow_roots_and_frames_are_read_like_the_page() -> None:
    spec = _spec()
    steps = [ClickSpec(wait_for="iframe#f")]

    async def work(page: Page) -> str:
        await page.wait_for_function(
            "() => document.getElementById('f').contentDocument.querySelector('.tel')"
        )
        html, _, _ = await browse(page, spec, steps, note=lambda k: None, done=set())
        return html

    from parsel import Selector

    page = Selector(text=_in_chromium(SHADOW_AND_FRAME, work))
    assert page.css("contact-card span.phone::text").get() == "0470 11 22 33"
    assert page.css("contact-card b.deep::text").get() == "Lina"
    assert page.css("[data-vigie-frame] a::attr(href)").get() == "tel:+32479665629"
    # the shadow root's <style> is not copied: text read across the host is the visible text
    assert "font" not in "".join(page.css("contact-card ::text").getall())
