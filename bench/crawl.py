"""Benchmark: the generic spider against hand-written crawlers of the same demo pages, same run.

- static: Vigie's generic spider on `demo-static` (spec-driven, images not hashed, nothing stored)
  against a bare Scrapy spider fetching the same listing and ad pages with the same concurrency.
  Target: throughput ratio (generic / bare) >= 0.85.
- rendered: the generic spider on `demo-js` (scrapy-playwright, Debian's Chromium, age gate,
  load-more and show-number clicks) against a plain async Playwright script doing the same clicks
  with the same concurrency. Target: ratio >= 0.7.

Each crawler runs in its own process (Twisted's reactor runs once per process) against one demo
server on loopback; each is timed inside its process, browser launch included on both rendered
sides. Prints the figures as one JSON object on its last line.

    .venv/bin/python bench/crawl.py [--static-ads 400] [--js-ads 40] [--repeat 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from crawlers.settings import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent


def _last_json(output: str) -> dict[str, Any]:
    line = [ln for ln in output.strip().splitlines() if ln.startswith("{")][-1]
    return dict(json.loads(line))


def _run(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run(  # noqa: S603 — our own interpreter and scripts
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, timeout=900, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{args[:3]} failed:\n{proc.stderr[-2000:]}")
    return _last_json(proc.stdout)


def generic(site: str, base_url: str) -> tuple[float, int]:
    stats = _run(
        [
            "-m",
            "crawlers.runner",
            "--site",
            site,
            "--base-url",
            base_url,
            "--set",
            "VIGIE_HASH_IMAGES=False",
            "--set",
            "LOG_LEVEL=WARNING",
            # Like for like: AutoThrottle (politeness towards real sites) off, as in the bare
            # spider; what is measured is the cost of the spec-driven machinery.
            "--set",
            "AUTOTHROTTLE_ENABLED=False",
        ]
    )[site]
    return float(stats["elapsed_time_seconds"]), int(stats.get("item_scraped_count", 0))


# --- the bare Scrapy spider (runs in its own process: `bench/crawl.py --bare-static URL`) ---


def bare_static(base_url: str) -> None:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class Bare(scrapy.Spider):
        name = "bare"

        async def start(self) -> Any:  # type: ignore[override]
            yield scrapy.Request(base_url.rstrip("/") + "/static/ads?page=1")

        def parse(self, response: Any) -> Any:
            for href in response.css("ul.ads a.ad-link::attr(href)").getall():
                yield response.follow(href, self.parse_ad)
            nxt = response.css("nav.pager a[rel=next]::attr(href)").get()
            if nxt:
                yield response.follow(nxt, self.parse)

        def parse_ad(self, response: Any) -> Any:
            yield {
                "id": response.css("article.ad::attr(data-ad-id)").get(),
                "title": " ".join(response.css("article.ad h1.ad-title ::text").getall()),
                "text": " ".join(response.css("article.ad div.ad-body ::text").getall()),
            }

    process = CrawlerProcess(
        {
            "LOG_LEVEL": "WARNING",
            "CONCURRENT_REQUESTS": 8,
            "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": False,
            "TELNETCONSOLE_ENABLED": False,
        }
    )
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    print(
        json.dumps({"elapsed": stats["elapsed_time_seconds"], "items": stats["item_scraped_count"]})
    )


# --- the plain Playwright script (`bench/crawl.py --plain-js URL`) ---


async def _plain_js(base_url: str, concurrency: int) -> tuple[float, int]:
    from playwright.async_api import async_playwright

    base = base_url.rstrip("/")
    t0 = time.perf_counter()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        context = await browser.new_context()
        page = await context.new_page()
        await page.goto(f"{base}/js/")
        await page.click("#age-ok")
        await page.wait_for_selector("#ads .card a.card-link")
        while await page.query_selector("#load-more"):
            before = await page.locator("#ads .card").count()
            await page.click("#load-more")
            await page.wait_for_function(
                f"document.querySelectorAll('#ads .card').length > {before}"
                " || !document.querySelector('#load-more')"
            )
        links = await page.eval_on_selector_all(
            "#ads .card a.card-link", "els => els.map(e => e.getAttribute('href'))"
        )
        await page.close()
        queue: asyncio.Queue[str] = asyncio.Queue()
        for href in links:
            queue.put_nowait(href)
        phones: list[str] = []

        async def worker() -> None:
            while not queue.empty():
                href = queue.get_nowait()
                p = await context.new_page()
                await p.goto(base + href)
                if await p.query_selector("#age-ok"):
                    await p.click("#age-ok")
                await p.wait_for_selector("#ad .title")
                await p.click("#ad button.show-number")
                await p.wait_for_selector("#ad .phone:not(:empty)")
                phones.append(await p.inner_text("#ad .phone"))
                await p.close()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        await browser.close()
    return time.perf_counter() - t0, len(phones)


def plain_js(base_url: str) -> None:
    elapsed, items = asyncio.run(_plain_js(base_url, concurrency=4))
    print(json.dumps({"elapsed": elapsed, "items": items}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--static-ads", type=int, default=400)
    parser.add_argument("--js-ads", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=2, help="best of N for each side")
    parser.add_argument("--bare-static", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--plain-js", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_static:
        bare_static(args.bare_static)
        return
    if args.plain_js:
        plain_js(args.plain_js)
        return

    from vigie.demo import DemoServer, generate

    corpus = generate(seed=3, n_static=args.static_ads, n_js=args.js_ads)
    script = str(Path(__file__).resolve())
    with DemoServer(corpus) as server:
        url = server.base_url

        def best(fn: Any) -> tuple[float, int]:
            runs = [fn() for _ in range(args.repeat)]
            return min(runs)

        g_static = best(lambda: generic("demo-static", url))
        b_static = best(
            lambda: (lambda r: (float(r["elapsed"]), int(r["items"])))(
                _run([script, "--bare-static", url])
            )
        )
        g_js = best(lambda: generic("demo-js", url))
        p_js = best(
            lambda: (lambda r: (float(r["elapsed"]), int(r["items"])))(
                _run([script, "--plain-js", url])
            )
        )

    for name, (_, items), expected in (
        ("generic static", g_static, args.static_ads),
        ("bare static", b_static, args.static_ads),
        ("generic rendered", g_js, args.js_ads),
        ("plain playwright", p_js, args.js_ads),
    ):
        if items != expected:
            raise SystemExit(f"{name}: {items} ads, expected {expected}: not comparable")
    result = {
        "static_ads": args.static_ads,
        "static_generic_s": round(g_static[0], 3),
        "static_bare_s": round(b_static[0], 3),
        "static_ratio": round(b_static[0] / g_static[0], 3),
        "static_target": 0.85,
        "js_ads": args.js_ads,
        "js_generic_s": round(g_js[0], 3),
        "js_plain_playwright_s": round(p_js[0], 3),
        "js_ratio": round(p_js[0] / g_js[0], 3),
        "js_target": 0.7,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
