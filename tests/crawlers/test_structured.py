"""Data beyond CSS text (issue 13.2) and profile fields (13.6): JSON-LD, microdata, OpenGraph,
JavaScript state in a script, JSON listing APIs with offset, page or cursor pagination, JSON ad
pages, a regex after a selector and fallbacks — real crawls of a loopback site."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.crawlers.runsite import run_site

ADS = {f"A{i}": {"city": ["Ixelles", "Etterbeek", "Schaerbeek"][i % 3]} for i in range(1, 8)}

AD_HTML = """<html><head>
<meta property="og:title" content="Lina — nouvelle à Bruxelles">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@graph": [
  {{"@type": "WebPage", "name": "Annonces"}},
  {{"@type": "Person", "name": "Lina", "telephone": "+32 470 11 22 {n:02d}"}}]}}
</script></head><body>
<div itemscope itemtype="https://schema.org/Person"><span itemprop="age">2{n}</span></div>
<p class="contact">Contact — WhatsApp: +32470990{n:03d} (pas de SMS)</p>
<script id="state">window.__STATE__ = {{ad: {{id: 'H{n}', body: "Texte synthétique {n}",
  tags: ['a', 'b']}}, ready: true}};</script>
</body></html>"""


class _Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 — http.server's name
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        ids = sorted(ADS)
        if parts.path == "/html/ads":
            links = "".join(f'<a class="ad" href="/html/ad/{n}">{n}</a>' for n in (1, 2))
            self._send("text/html", f"<html><body>{links}</body></html>")
        elif parts.path.startswith("/html/ad/"):
            self._send("text/html", AD_HTML.format(n=int(parts.path.rsplit("/", 1)[1])))
        elif parts.path == "/api/offset":
            start, size = int(query.get("offset", 0)), 3
            items = [{"id": i} for i in ids[start : start + size]]
            self._send("application/json", json.dumps({"items": items, "total": len(ids)}))
        elif parts.path == "/api/page":
            page, size = int(query.get("page", 1)), 3
            chunk = ids[(page - 1) * size : page * size]
            self._send("application/json", json.dumps({"data": {"ads": chunk}}))
        elif parts.path == "/api/cursor":
            start = int(query.get("cursor") or 0)
            chunk = ids[start : start + 2]
            nxt = str(start + 2) if start + 2 < len(ids) else None
            payload = {"results": [{"links": {"self": f"/api/ad/{i}"}} for i in chunk]}
            self._send("application/json", json.dumps({**payload, "next": nxt}))
        elif parts.path.startswith("/api/ad/"):
            ad_id = parts.path.rsplit("/", 1)[1]
            ad = {
                "id": ad_id,
                "title": f"Annonce {ad_id}",
                "description": f"Texte synthétique {ad_id}",
                "city": ADS[ad_id]["city"],
                "photos": [f"/img/{ad_id}.jpg"],
                "contact": {"phone": f"0470 55 66 {int(ad_id[1:]):02d}"},
                "profile": {"age": 30 + int(ad_id[1:])},
                "page": f"/annonce/{ad_id}?utm_source=api",
            }
            self._send("application/json", json.dumps(ad))
        else:
            self.send_error(404)

    def _send(self, kind: str, text: str) -> None:
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


HTML_SPEC = """\
name: probe
base_url: http://127.0.0.1:9/
start_urls: ["/html/ads"]
listing: {ad_links: "a.ad::attr(href)"}
ad:
  id: {script: "script#state", json: "ad.id"}
  title: {opengraph: "og:title", regex: "^(\\\\w+)"}
  text: [{css: "div.body-that-is-not-there"}, {script: "script#state", json: "ad.body"}]
  contact: {css: "p.contact", regex: "WhatsApp: (\\\\S+)"}
  phone: {jsonld: "telephone"}
  alias: {jsonld: "[?\\"@type\\"=='Person'].name | [0]"}
  age: {microdata: "age"}
  location: [{css: ".where"}, {default: "Ixelles"}]
limits: {retries: 0, download_delay: 0}
"""


@pytest.mark.slow
def test_structured_data_embedded_state_regex_and_fallbacks(site: str, tmp_path: Path) -> None:
    run = run_site(HTML_SPEC, site, tmp_path)
    assert run.code == 0, run.stderr[-3000:]
    assert sorted(run.ads) == ["H1", "H2"]
    ad = run.ads["H1"]
    assert ad.raw.title == "Lina"
    assert ad.raw.text.splitlines() == ["Texte synthétique 1", "Age: 21", "Name: Lina"]
    assert ad.raw.contact_text.splitlines() == ["+32470990001", "+32 470 11 22 01"]
    assert ad.raw.location_text == "Ixelles"
    # The profile fields went through the same extraction as the text.
    phones = {p.e164 for p in ad.analysis.phones}
    assert {"+32470990001", "+32470112201"} <= phones


def _api_spec(api: str) -> str:
    return f"""\
name: probe
base_url: http://127.0.0.1:9/
listing:
  api: {api}
ad:
  id: {{json: "id"}}
  title: {{json: "title"}}
  text: {{json: "description"}}
  location: {{json: "city"}}
  phone: {{json: "contact.phone"}}
  age: {{json: "profile.age"}}
  images: {{json: "photos"}}
  url: {{json: "page", regex: "^(/annonce/.+)$"}}
limits: {{retries: 0, download_delay: 0, max_pages: 10}}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "api",
    [
        '{url: "/api/offset?offset={offset}&limit=3", ad_links: "items[].id",'
        ' ad_url: "/api/ad/{}"}',
        '{url: "/api/page?page={page}", ad_links: "data.ads", ad_url: "/api/ad/{}"}',
        '{url: "/api/cursor?cursor={cursor}", ad_links: "results[].links.self", cursor: "next"}',
    ],
    ids=["offset", "page", "cursor"],
)
def test_json_listing_apis_with_each_pagination(site: str, tmp_path: Path, api: str) -> None:
    run = run_site(_api_spec(api), site, tmp_path)
    assert run.code == 0, run.stderr[-3000:]
    assert sorted(run.ads) == sorted(ADS)
    ad = run.ads["A2"]
    assert (ad.raw.title, ad.raw.location_text) == ("Annonce A2", ADS["A2"]["city"])
    assert "Age: 32" in ad.raw.text
    assert [im.url for im in ad.raw.images] == [f"{site}img/A2.jpg"]
    assert ad.raw.url == f"{site}annonce/A2"  # the page people see, tracking dropped
    assert "+32470556602" in {p.e164 for p in ad.analysis.phones}
