"""A small loopback site for the crawler tests, following vigie/demo/SITES.md's static markup.

Three listing pages of ads with edge cases on purpose: a robots.txt-forbidden link, a 404 ad, a
page without an ad id, and images that are good, shared, re-encoded, missing, a bomb header, too
big, or not an image. Everything is synthetic: invented names, fictitious phone numbers,
generated shapes and noise.
"""

from __future__ import annotations

import io
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[2]


def _shapes() -> Image.Image:
    im = Image.linear_gradient("L").resize((240, 180)).convert("RGB")
    draw = ImageDraw.Draw(im)
    draw.ellipse((20, 20, 120, 140), fill=(200, 40, 40))
    draw.rectangle((140, 30, 220, 160), fill=(30, 60, 200))
    return im


def _encode(im: Image.Image, fmt: str, **params: Any) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def _bomb_png(width: int, height: int) -> bytes:
    data = bytearray(_encode(Image.new("L", (4, 4)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


IMAGES: dict[str, tuple[bytes, str]] = {
    "a.png": (_encode(_shapes(), "PNG"), "image/png"),
    "a-small.jpg": (_encode(_shapes().resize((160, 120)), "JPEG", quality=70), "image/jpeg"),
    "bomb.png": (_bomb_png(9000, 9000), "image/png"),
    "big.png": (_encode(Image.effect_noise((400, 400), 80).convert("RGB"), "PNG"), "image/png"),
    "fake.png": (b"<html>this is not an image</html>", "image/png"),
}

# ad id -> (title, body paragraphs, location, images); texts are non-explicit advertising copy.
ADS: dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...]]] = {
    "S0001": (
        "Lina, nouvelle à Bruxelles",
        ("Disponible en semaine.", "Sur rendez-vous."),
        "Ixelles",
        ("a.png", "missing.png"),
    ),
    "S0002": (
        "Mara, de passage",
        ("Quelques jours seulement.",),
        "Saint-Gilles",
        ("a.png", "a-small.jpg"),
    ),
    "S0003": ("Nora", ("Agenda ouvert.",), "Etterbeek", ("bomb.png",)),
    "S0004": ("Iris", ("Réservation la veille.",), "Uccle", ("big.png",)),
    "S0005": ("Vera", ("Nouvelle adresse.",), "Schaerbeek", ("fake.png",)),
    "S0006": ("Alma", ("Disponible le soir.",), "Anderlecht", ()),
    "S0007": ("Tessa", ("Week-end uniquement.",), "Molenbeek", ()),
    "S0008": ("Yuna", ("Premier jour.",), "Forest", ()),
    "S0009": ("Elsa", ("Appelez avant 20 h.",), "Evere", ()),
    "S0010": ("Zoé", ("Messages seulement.",), "Jette", ()),
}
PAGES: dict[int, tuple[str, ...]] = {
    1: (
        "/static/ad/S0001",
        "/static/ad/S0002",
        "/static/ad/S0003",
        "/static/ad/S0004",
        "/static/private/ad/P0001",
    ),
    2: (
        "/static/ad/S0005",
        "/static/ad/S0006",
        "/static/ad/S0007",
        "/static/ad/S0008",
        "/static/ad/S9999",
    ),
    3: ("/static/ad/S0009", "/static/ad/S0010", "/static/ad/NOID", "/static/ad/S0001"),
}
GOOD_ADS = tuple(ADS)
PHONE_HTML = "Tél : <b>0470</b> 12 34 {n:02d}"
PHONE_TEXT = "Tél : 0470 12 34 {n:02d}"


def listing_html(number: int) -> str:
    cards = "".join(
        f'<li class="ad-card"><a class="ad-link" href="{href}">Annonce</a>'
        '<span class="ad-where">Bruxelles</span></li>\n'
        for href in PAGES[number]
    )
    pager = f'<a rel="next" class="next" href="/static/ads?page={number + 1}">Suivant</a>'
    return (
        f'<html><body><ul class="ads">\n{cards}</ul>'
        f'<nav class="pager">{pager if number + 1 in PAGES else ""}</nav></body></html>'
    )


def ad_html(ad_id: str) -> str:
    if ad_id == "NOID":
        return '<html><body><article class="ad"><h1 class="ad-title">Sans id</h1></article>'
    title, body, where, images = ADS[ad_id]
    n = int(ad_id[1:])
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    photos = "".join(f'<img class="ad-photo" src="/img/{name}" alt="">' for name in images)
    return (
        f'<html><body><article class="ad" data-ad-id="{ad_id}" lang="fr">'
        f'<h1 class="ad-title">{title}</h1>'
        f'<p class="ad-location">{where}, près de la gare</p>'
        f'<time class="ad-date" datetime="2026-10-{n:02d}T14:00:00+02:00">{n} octobre</time>'
        f'<div class="ad-body">{paragraphs}<script>var x = "not text";</script></div>'
        f'<p class="ad-contact">{PHONE_HTML.format(n=n)}</p>'
        f'<div class="ad-photos">{photos}</div></article></body></html>'
    )


STEPS_PAGE = """<!doctype html><html><body>
<div id="gate"><button id="gate-ok">18+</button></div>
<ul id="list"></ul><button id="more">more</button>
<ul id="endless-list"></ul><button id="endless">endless</button>
<button id="show">show</button><span id="phone"></span>
<button id="broken">broken</button>
<script>
function add(list, cls, n) {
  for (let i = 0; i < n; i++) {
    const li = document.createElement("li"); li.className = cls; li.textContent = cls;
    document.getElementById(list).appendChild(li);
  }
}
document.getElementById("gate-ok").onclick = () => document.getElementById("gate").remove();
let clicks = 0;
document.getElementById("more").onclick = () => setTimeout(() => {
  add("list", "item", 2);
  if (++clicks === 3) document.getElementById("more").remove();
}, 50);
document.getElementById("endless").onclick = () =>
  setTimeout(() => add("endless-list", "e", 1), 20);
document.getElementById("show").onclick = () => setTimeout(() => {
  document.getElementById("phone").textContent = "0470 99 88 77";
}, 100);
</script></body></html>"""


FIXTURE_SPEC = """\
name: fixture
render: static
base_url: http://127.0.0.1:9/
start_urls: ["/static/ads?page=1"]
listing:
  ad_links: ul.ads a.ad-link::attr(href)
  next_page: nav.pager a[rel=next]::attr(href)
ad:
  id: {css: "article.ad::attr(data-ad-id)"}
  title: article.ad h1.ad-title
  text: article.ad div.ad-body
  location: article.ad p.ad-location
  contact: article.ad p.ad-contact
  posted_at: article.ad time.ad-date::attr(datetime)
  images: article.ad img.ad-photo::attr(src)
  lang: article.ad::attr(lang)
limits:
  max_pages: %(max_pages)d
  max_ads: %(max_ads)d
  concurrent_requests: 4
  download_delay: 0
  page_timeout_s: 10
  max_image_bytes: 200000
"""


@dataclass
class FixtureSite:
    """The running fixture site: its URL, the paths requested so far, and its content."""

    base_url: str
    requested: list[str] = field(default_factory=list)
    ads: dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...]]] = field(
        default_factory=lambda: ADS
    )
    images: dict[str, tuple[bytes, str]] = field(default_factory=lambda: IMAGES)
    phone_text: str = PHONE_TEXT

    def write_spec(self, directory: Path, *, max_pages: int = 10, max_ads: int = 100) -> Path:
        """A spec of this site, `fixture.yaml`, in `directory` (crawls pass the real base_url)."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "fixture.yaml"
        path.write_text(FIXTURE_SPEC % {"max_pages": max_pages, "max_ads": max_ads}, "utf-8")
        return path


class _Handler(BaseHTTPRequestHandler):
    site: FixtureSite

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.site.requested.append(self.path)
        body: bytes | None = None
        kind = "text/html; charset=utf-8"
        if url.path == "/robots.txt":
            body, kind = b"User-agent: *\nDisallow: /static/private/\n", "text/plain"
        elif url.path == "/static/ads":
            number = int(parse_qs(url.query).get("page", ["1"])[0])
            body = listing_html(number).encode() if number in PAGES else None
        elif url.path.startswith("/static/ad/"):
            ad_id = url.path.rsplit("/", 1)[1]
            body = ad_html(ad_id).encode() if ad_id in ADS or ad_id == "NOID" else None
        elif url.path.startswith("/img/") and url.path[5:] in IMAGES:
            body, kind = IMAGES[url.path[5:]]
        elif url.path == "/steps/":
            body = STEPS_PAGE.encode()
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", kind)
        payload = body if body is not None else b"not found"
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture(scope="session")
def fixture_site() -> Iterator[FixtureSite]:
    """The loopback fixture site, one per test session."""
    site = FixtureSite(base_url="")
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
