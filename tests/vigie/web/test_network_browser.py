"""A 150-ad network in real headless Chromium (issue #16.6): every link kind is in the drawing,
no two labels overlap, everything lies within the viewport once fitted, zoom and fit work; a
screenshot is kept."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright

from crawlers.settings import CHROMIUM_ARGS
from storage.repository import Store
from vigie.web import WebConfig, create_app

from .bignetwork import seed
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"

BOXES = """() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {x: r.left, y: r.top, r: r.right, b: r.bottom}; };
  const svg = document.getElementById("network-graph");
  return {
    svg: box(svg),
    labels: [...svg.querySelectorAll("text.node-label")].map(box),
    marks: [...svg.querySelectorAll(".node")].map(box),
    kinds: [...new Set([...svg.querySelectorAll("line.link")].map(
      (l) => [...l.classList].find((c) => c.startsWith("link-"))))],
    view: svg.getAttribute("viewBox"),
    window: {w: window.innerWidth, h: window.innerHeight},
  };
}"""


FREE_POINT = """() => {
  const r = document.getElementById("network-graph").getBoundingClientRect();
  for (let y = r.top + 5; y < Math.min(r.bottom, window.innerHeight) - 5; y += 7) {
    for (let x = r.left + 5; x < r.right - 5; x += 7) {
      const hit = document.elementFromPoint(x, y);
      if (hit && hit.closest("svg") && !hit.closest("a")) return {x, y};
    }
  }
  return null;
}"""


@pytest.fixture
def served(store: Store) -> Iterator[str]:
    seed(store, 150)
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


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x"] < b["r"] and b["x"] < a["r"] and a["y"] < b["b"] and b["y"] < a["b"]


def test_a_150_ad_network_is_legible_in_chromium(served: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{served}/networks/big-1")
            page.fill("input[name=username]", "viewer")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(f"{served}/networks/big-1")
            graph = page.locator("svg#network-graph")
            expect(graph.locator("circle.node-ad")).to_have_count(150)
            expect(page.locator(".graph-tools")).to_be_visible()  # our script ran
            graph.scroll_into_view_if_needed()
            found = page.evaluate(BOXES)
            fitted = found["view"]

            assert {"link-phone", "link-handle", "link-photo", "link-text"} <= set(found["kinds"])
            labels, svg, window = found["labels"], found["svg"], found["window"]
            assert len(labels) == 150 + 15 + 10  # ads, phones, handles
            clashes = [
                (i, j)
                for i in range(len(labels))
                for j in range(i + 1, len(labels))
                if _overlap(labels[i], labels[j])
            ]
            assert clashes == []
            for item in labels + found["marks"]:
                assert svg["x"] <= item["x"] <= item["r"] <= svg["r"], item
                assert svg["y"] <= item["y"] <= item["b"] <= svg["b"], item
            assert 0 <= svg["x"] <= svg["r"] <= window["w"]
            assert 0 <= svg["y"] <= svg["b"] <= window["h"]
            shot = tmp_path / "network-150.png"
            graph.screenshot(path=str(shot))
            assert shot.stat().st_size > 30_000  # 175 marks, labels and lines, not a blank box

            page.click("button[data-zoom=in]")
            page.click("button[data-zoom=in]")
            zoomed = graph.get_attribute("viewBox")
            assert zoomed is not None
            assert zoomed != fitted
            assert float(zoomed.split()[2]) < float(fitted.split()[2]) / 2
            start = page.evaluate(FREE_POINT)  # on the background, not on an ad's link
            page.mouse.move(start["x"], start["y"])
            page.mouse.down()
            page.mouse.move(start["x"] + 200, start["y"] + 100, steps=5)
            page.mouse.up()
            dragged = graph.get_attribute("viewBox")
            assert dragged is not None
            assert float(dragged.split()[0]) < float(zoomed.split()[0])  # moved right: x less
            page.click("button[data-zoom=fit]")
            assert graph.get_attribute("viewBox") == fitted
        finally:
            browser.close()
    assert errors == []
