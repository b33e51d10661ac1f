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
from vigie.demo.faults import STATIC_KINDS, Fault


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


# -- fault modes (vigie.demo.faults) ------------------------------------------------------------


def _ad_path(corpus: DemoCorpus, index: int) -> str:
    return f"/static/ad/{corpus.listing('demo-static')[index].ad_id}"


def test_throttle_sends_429_with_retry_after_for_the_first_hits_then_the_page(
    server: DemoServer, corpus: DemoCorpus
) -> None:
    path = _ad_path(corpus, 0) + "?fault=throttle&times=2&delay=7"
    answers = [fetch(server, path) for _ in range(3)]
    assert [status for status, _, _ in answers] == [429, 429, 200]
    assert [headers.get("retry-after") for _, headers, _ in answers] == ["7", "7", None]
    assert b"ad-title" in answers[2][2]
    hits = [h for h in server.hits if h.target == path]
    assert [h.status for h in hits] == [429, 429, 200]
    assert hits[0].at <= hits[1].at <= hits[2].at


def test_a_5xx_burst_has_no_retry_after_and_takes_its_status(
    server: DemoServer, corpus: DemoCorpus
) -> None:
    path = _ad_path(corpus, 1) + "?fault=burst&times=1&status=502"
    (status, headers, _), (again, _, _) = fetch(server, path), fetch(server, path)
    assert (status, again) == (502, 200)
    assert "retry-after" not in headers


def test_a_truncated_body_is_shorter_than_announced(server: DemoServer, corpus: DemoCorpus) -> None:
    url = urlsplit(server.base_url)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    try:
        conn.request("GET", _ad_path(corpus, 2) + "?fault=truncate")
        response = conn.getresponse()
        announced = int(response.getheader("Content-Length") or 0)
        with pytest.raises(http.client.IncompleteRead) as cut:
            response.read()
    finally:
        conn.close()
    assert 0 < len(cut.value.partial) < announced


def test_a_redirect_loop_goes_there_and_back(server: DemoServer, corpus: DemoCorpus) -> None:
    a = _ad_path(corpus, 3) + "?fault=loop"
    status, headers, _ = fetch(server, a)
    b = headers["location"]
    assert (status, b) == (302, a + "&hop=1")
    assert fetch(server, b)[1]["location"] == a


def test_huge_malformed_and_neverload_pages_still_hold_the_ad(
    server: DemoServer, corpus: DemoCorpus
) -> None:
    path = _ad_path(corpus, 4)
    huge = fetch(server, path + "?fault=huge&size=300000")[2]
    assert len(huge) >= 300_000
    assert b'class="ad-title"' in huge
    malformed = fetch(server, path + "?fault=malformed")[2]
    with pytest.raises(UnicodeDecodeError):
        malformed.decode("utf-8")
    assert b"</p>" not in malformed
    assert b"</html>" not in malformed
    assert b'class="ad-title"' in malformed
    assert fetch(server, path + "?fault=malformed")[2] == malformed  # seeded: same bytes
    neverload = fetch(server, path + "?fault=neverload&delay=5")[2]
    assert b'<script src="/hostile/never.js?fault=hang&delay=5"></script>' in neverload


def test_a_hanging_request_gets_no_answer_and_does_not_hold_the_server(
    corpus: DemoCorpus,
) -> None:
    with DemoServer(corpus, faults={"/slowpoke": Fault("hang", delay_s=60)}) as srv:
        url = urlsplit(srv.base_url)
        conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=0.3)
        conn.request("GET", "/slowpoke")
        with pytest.raises(TimeoutError):
            conn.getresponse()
        assert fetch(srv, "/")[0] == 200  # served while the other one hangs
        with pytest.raises(http.client.RemoteDisconnected):  # a short hang ends, unanswered
            fetch(srv, "/x?fault=hang&delay=0.1")
        conn.close()
        assert [h.kind for h in srv.hits] == ["hang", "hang"]
    # Leaving the block stopped the server although /slowpoke still had 59 s to hang.


def test_the_hostile_listing_never_ends_and_lists_one_ad_per_fault(
    server: DemoServer, corpus: DemoCorpus
) -> None:
    ids = [ad.ad_id for ad in corpus.listing("demo-static")]
    first = page(server, "/hostile/ads?page=1")
    links = first.css("ul.ads a.ad-link::attr(href)").getall()
    assert links[:3] == [f"/static/ad/{i}" for i in ids[:3]]
    assert [link.split("fault=")[1] for link in links[3:]] == list(STATIC_KINDS)
    assert first.css("nav.pager a[rel=next]::attr(href)").get() == "/hostile/ads?page=2"
    far = page(server, "/hostile/ads?page=999&only=neverload&good=1")
    assert far.css("ul.ads a.ad-link::attr(href)").getall() == [
        f"/static/ad/{ids[0]}",
        f"/static/ad/{ids[1]}?fault=neverload",
    ]
    assert far.css("nav.pager a[rel=next]::attr(href)").get() == (
        "/hostile/ads?page=1000&only=neverload&good=1"
    )


def test_faults_are_checked() -> None:
    with pytest.raises(ValueError, match="fault: expected one of slow, throttle"):
        Fault("explode")
    assert Fault.from_query({"fault": ["explode"]}) is None
    assert Fault.from_query({"fault": ["slow"], "delay": ["x"]}) == Fault("slow")
    assert Fault("throttle").delay == 1.0
    # a query cannot make the server allocate or sleep without bound
    for query in ({"size": ["1e12"]}, {"delay": ["inf"]}, {"delay": ["nan"]}, {"times": ["inf"]}):
        assert Fault.from_query({"fault": ["huge"], **query}) is None, query
