"""One ad, one URL (issue 13.7): tracking parameters dropped, rel=canonical followed on the site."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest
from parsel import Selector

from crawlers.specrequests import DEFAULT_TRACKING
from crawlers.urls import canonical, clean_url
from tests.crawlers.runsite import run_site


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://s.example/ad/1?ref=premium", "https://s.example/ad/1"),
        (
            "https://s.example/ad/1?utm_source=x&UTM_Medium=y&id=4#top",
            "https://s.example/ad/1?id=4",
        ),
        ("https://s.example/ad?fbclid=a&page=2&gclid=b&q=x", "https://s.example/ad?page=2&q=x"),
        ("https://s.example/ad/1?reference=kept", "https://s.example/ad/1?reference=kept"),
        ("https://s.example/ad/1?a=&b=2", "https://s.example/ad/1?a=&b=2"),
    ],
)
def test_tracking_parameters_are_dropped_and_the_rest_kept_in_order(url: str, clean: str) -> None:
    assert clean_url(url, DEFAULT_TRACKING) == clean


def test_canonical_is_trusted_on_the_site_only() -> None:
    page = Selector(text='<link rel="canonical" href="/ad/7?utm_campaign=z">')
    url = "https://s.example/ad/7-nice-title?ref=x"
    assert canonical(page, url, hosts=["s.example"], tracking=DEFAULT_TRACKING) == (
        "https://s.example/ad/7"
    )
    elsewhere = Selector(text='<link rel="canonical" href="https://other.example/ad/7">')
    assert canonical(elsewhere, url, hosts=["s.example"], tracking=DEFAULT_TRACKING) == (
        "https://s.example/ad/7-nice-title"
    )


LISTING = (
    "<html><body><ul class=ads>"
    '<li><a href="/ad/1?ref=premium">1</a></li><li><a href="/ad/1?utm_source=home">1</a></li>'
    '<li><a href="/ad/1">1</a></li><li><a href="/ad/2-title?sid=9">2</a></li>'
    "</ul></body></html>"
)


class _Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 — http.server's name
        path = self.path.split("?")[0]
        if path == "/ads":
            html = LISTING
        elif path == "/ad/1":
            html = "<html><body><h1>One</h1><p class=body>Texte 1</p></body></html>"
        elif path == "/ad/2-title":
            html = (
                '<html><head><link rel="canonical" href="/ad/2"></head>'
                "<body><h1>Two</h1><p class=body>Texte 2</p></body></html>"
            )
        else:
            self.send_error(404)
            return
        body = html.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


SPEC = """\
name: probe
base_url: http://127.0.0.1:9/
start_urls: ["/ads"]
request: {{tracking_params: [{tracking}]}}
listing: {{ad_links: "ul.ads a::attr(href)"}}
ad:
  id: {{url_regex: "/ad/(.+)$"}}
  title: h1
  text: p.body
limits: {{retries: 0, download_delay: 0}}
"""


@pytest.mark.slow
def test_one_ad_is_stored_once_under_one_url(site: str, tmp_path: Path) -> None:
    run = run_site(SPEC.format(tracking='"utm_*", ref, sid'), site, tmp_path)
    assert run.code == 0, run.stderr[-3000:]
    assert {ad_id: ad.url for ad_id, ad in run.ads.items()} == {
        "1": f"{site}ad/1",
        "2": f"{site}ad/2",  # the canonical URL, not the one linked
    }
    assert run.stats["vigie/pages/ad"] == 2  # three links to ad 1, fetched once
