"""The demo HTTP server: both sites per SITES.md, images, 404s, loopback only, quiet logs."""

from __future__ import annotations

import dataclasses
import http.client
import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from parsel import Selector
from PIL import Image

from vigie.demo import DemoCorpus, DemoServer, generate
from vigie.demo.corpus import DemoAd


@pytest.fixture(scope="module")
def corpus() -> DemoCorpus:
    return generate()


@pytest.fixture(scope="module")
def server(corpus: DemoCorpus) -> Iterator[DemoServer]:
    with DemoServer(corpus) as running:
        yield running


def fetch(server: DemoServer, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One request, no redirect following: status, headers (lower-case names), body."""
    url = urlsplit(server.base_url)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read()
    finally:
        conn.close()


def page(server: DemoServer, path: str) -> Selector:
    status, headers, body = fetch(server, path)
    assert status == 200, path
    assert headers["content-type"].startswith("text/html")
    return Selector(text=body.decode("utf-8"))


def api(server: DemoServer, path: str) -> dict[str, object]:
    status, headers, body = fetch(server, path)
    assert status == 200, path
    assert headers["content-type"].startswith("application/json")
    data: dict[str, object] = json.loads(body)
    return data


def test_base_url_is_loopback_with_the_bound_port(server: DemoServer) -> None:
    url = urlsplit(server.base_url)
    assert url.scheme == "http"
    assert url.hostname == "127.0.0.1"
    assert url.port is not None
    assert url.port > 0


@pytest.mark.parametrize("path", ["/static/", "/static"])
def test_static_root_redirects_to_the_first_listing_page(server: DemoServer, path: str) -> None:
    status, headers, _ = fetch(server, path)
    assert status == 302
    assert headers["location"] == "/static/ads?page=1"


def test_static_listing_pages_reach_every_ad_exactly_once(
    server: DemoServer, corpus: DemoCorpus
) -> None:
    seen: list[str] = []
    path: str | None = "/static/ads?page=1"
    pages = 0
    while path is not None:
        sel = page(server, path)
        cards = sel.css("ul.ads li.ad-card")
        assert 0 < len(cards) <= 10
        for card in cards:
            href = card.css("a.ad-link::attr(href)").get()
            assert href is not None
            assert href.startswith("/static/ad/")
            ad = corpus.get("demo-static", href.rsplit("/", 1)[1])
            assert ad is not None
            assert card.css("a.ad-link::text").get() == ad.title
            assert card.css("span.ad-where::text").get() == ad.location_text
            seen.append(ad.ad_id)
        path = sel.css("nav.pager a[rel=next]::attr(href)").get()
        pages += 1
        assert pages <= 10
    expected = [ad.ad_id for ad in corpus.listing("demo-static")]
    assert seen == expected  # every ad once, newest first
    assert sorted(seen) == sorted(ad.ad_id for ad in corpus.ads if ad.site == "demo-static")
    dates = [ad.posted_at for ad in corpus.listing("demo-static")]
    assert dates == sorted(dates, reverse=True)


def test_static_ad_page_has_every_field(server: DemoServer, corpus: DemoCorpus) -> None:
    for ad in corpus.listing("demo-static"):
        sel = page(server, ad.url_path)
        article = sel.css("article.ad")
        assert article.attrib["data-ad-id"] == ad.ad_id
        assert article.attrib["lang"] == ad.lang
        assert article.css("h1.ad-title::text").get() == ad.title
        assert article.css("p.ad-location::text").get() == ad.location_text
        when = article.css("time.ad-date::attr(datetime)").get()
        assert when is not None
        assert datetime.fromisoformat(when) == ad.posted_at
        assert article.css("div.ad-body p::text").getall() == list(ad.body)
        contact = article.css("p.ad-contact::text").get()
        assert contact is not None
        assert contact.endswith(ad.phone_rendered)
        srcs = article.css("div.ad-photos img.ad-photo::attr(src)").getall()
        assert srcs == [f"/img/{name}" for name in ad.images]


def test_ad_text_is_html_escaped() -> None:
    base = generate(seed=2, n_static=1, n_js=1)
    tricky = dataclasses.replace(
        base.ads[0], title='<script>alert("x")</script> & co', body=("<b>bold</b> & \"q\"",),
        location_text="<i>Ixelles</i>",
    )
    corpus = DemoCorpus(seed=2, ads=(tricky, base.ads[1]), image_specs=base.image_specs)
    with DemoServer(corpus) as srv:
        _, _, body = fetch(srv, tricky.url_path)
        _, _, listing = fetch(srv, "/static/ads?page=1")
    html = body.decode()
    assert "<script>" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;" in html
    sel = Selector(text=html)
    assert sel.css("h1.ad-title::text").get() == tricky.title
    assert sel.css("div.ad-body p::text").get() == tricky.body[0]
    assert "<i>Ixelles</i>" not in listing.decode()


def _sample_images(corpus: DemoCorpus) -> list[str]:
    names = [name for ad in corpus.ads[:12] for name in ad.images]
    names += [name for ad in corpus.ads if ad.network for name in ad.images]
    return sorted(set(names))


def test_images_decode_as_bounded_png_or_jpeg(server: DemoServer, corpus: DemoCorpus) -> None:
    names = _sample_images(corpus)
    assert any(n.endswith(".png") for n in names)
    assert any(n.endswith(".jpg") for n in names)
    for name in names:
        status, headers, body = fetch(server, f"/img/{name}")
        assert status == 200
        assert len(body) < 512 * 1024
        expected = "PNG" if name.endswith(".png") else "JPEG"
        assert headers["content-type"] == f"image/{expected.lower()}"
        with Image.open(io.BytesIO(body)) as img:
            assert img.format == expected
            assert max(img.size) <= 480
            assert min(img.size) >= 100
            img.verify()


def test_js_pages_carry_the_gate_the_containers_and_the_script(server: DemoServer) -> None:
    listing = page(server, "/js/")
    assert listing.css("div#age-gate button#age-ok")
    assert listing.css("div#ads")
    assert listing.css("button#load-more")
    assert not listing.css("#ads .card")  # nothing useful in the HTML itself
    assert listing.css("script::attr(src)").get() == "/js/app.js"
    ad_page = page(server, "/js/ad.html?id=J0001")
    assert ad_page.css("div#age-gate button#age-ok")
    assert not ad_page.css("#ad")
    status, headers, script = fetch(server, "/js/app.js")
    assert status == 200
    assert headers["content-type"].startswith("text/javascript")
    for needle in (b"/js/api/ads?page=", b"/phone", b"age_ok=1", b"load-more", b"show-number"):
        assert needle in script
    status, _, _ = fetch(server, "/js")
    assert status == 302


def test_js_api_lists_every_ad_across_pages(server: DemoServer, corpus: DemoCorpus) -> None:
    seen: list[str] = []
    number: object = 1
    while number is not None:
        data = api(server, f"/js/api/ads?page={number}")
        assert data["page"] == number
        cards = data["ads"]
        assert isinstance(cards, list)
        assert 0 < len(cards) <= 10
        for card in cards:
            ad = corpus.get("demo-js", card["id"])
            assert ad is not None
            assert card["title"] == ad.title
            seen.append(ad.ad_id)
        number = data["next"]
    assert seen == [ad.ad_id for ad in corpus.listing("demo-js")]
    assert len(seen) == 30


def test_js_api_ad_record_hides_the_phone_until_asked(
    server: DemoServer, corpus: DemoCorpus
) -> None:
    for ad in corpus.listing("demo-js"):
        record = api(server, f"/js/api/ad/{ad.ad_id}")
        assert record["id"] == ad.ad_id
        assert record["lang"] == ad.lang
        assert record["title"] == ad.title
        assert record["where"] == ad.location_text
        assert record["description"] == list(ad.body)
        assert record["images"] == [f"/img/{n}" for n in ad.images]
        assert datetime.fromisoformat(str(record["posted_at"])).tzinfo == UTC
        assert ad.phone_rendered not in json.dumps(record, ensure_ascii=False)
        assert api(server, f"/js/api/ad/{ad.ad_id}/phone") == {"phone": ad.phone_rendered}


@pytest.mark.parametrize(
    "path",
    [
        "/static/ad/S9999",
        "/static/ad/J0001",  # a demo-js id on the static site
        "/static/ads?page=99",
        "/static/ads?page=0",
        "/static/ads?page=x",
        "/js/api/ad/S0001",
        "/js/api/ad/J9999",
        "/js/api/ad/J9999/phone",
        "/js/api/ads?page=4",
        "/img/0000000000000000.png",
        "/img/../../etc/passwd",
        "/nowhere",
    ],
)
def test_unknown_paths_and_ids_are_404(server: DemoServer, path: str) -> None:
    status, headers, _ = fetch(server, path)
    assert status == 404
    if path.startswith("/js/api/"):
        assert headers["content-type"].startswith("application/json")


def test_head_sends_headers_without_a_body(server: DemoServer, corpus: DemoCorpus) -> None:
    ad: DemoAd = corpus.listing("demo-static")[0]
    status, headers, body = fetch(server, ad.url_path, method="HEAD")
    assert status == 200
    assert int(headers["content-length"]) > 0
    assert body == b""


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "192.168.1.10", "::", "example.org", ""]  # noqa: S104 - refused
)
def test_non_loopback_hosts_are_refused(corpus: DemoCorpus, host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        DemoServer(corpus, host=host)


def test_stop_closes_the_port(corpus: DemoCorpus) -> None:
    srv = DemoServer(corpus, host="localhost")
    with pytest.raises(RuntimeError):
        _ = srv.base_url
    with srv:
        url = urlsplit(srv.base_url)
        assert fetch(srv, "/static/ads?page=1")[0] == 200
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=2)
    with pytest.raises(ConnectionError):
        conn.request("GET", "/")
    conn.close()


def test_requests_are_not_logged_above_debug(
    server: DemoServer, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="vigie.demo"):
        fetch(server, "/static/ads?page=1")
        fetch(server, "/nowhere")
    assert capfd.readouterr().err == ""
    assert not [r for r in caplog.records if r.name.startswith("vigie.demo.server")]
