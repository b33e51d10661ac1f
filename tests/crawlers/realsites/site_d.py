# ruff: noqa: E501 - the sites' HTML and JavaScript templates keep their natural lines
"""Site D — « Brussels Personals Board »: a hostile front, English and Dutch ads.

Patterns: a Cloudflare-style interstitial ("Just a moment…", HTTP 503) on every request without
the clearance cookie — its script computes the cookie and reloads after 1.2 s; a static client
that sends ``vg_clearance=1a9-9c1e`` in advance passes (images included; only /robots.txt is
open).  Listing in server-rendered HTML with "Older posts" links (no rel=next).  The phone is
either in a same-origin ``<iframe>`` (``itemprop="telephone"`` inside the frame) or in an open
shadow DOM root built by a custom element from a base64 data attribute; photos drawn by a script
from a JSON data attribute with ``<noscript><img itemprop="image">`` fallbacks; microdata
(Person, ``itemprop`` name/homeLocation/image/telephone); English dates ("Posted 5 hours ago",
"2 weeks ago"); "Age: 31" or "Leeftijd: 31".  Noise: nav, banner, footer support line, a no-photo
placeholder, ads without phone, one ad page answering 500 once, a removed ad (404) in the listing.
"""

from __future__ import annotations

import base64
import json
import random
import re
import threading
from typing import Any

from tests.crawlers.realsites._common import (
    COMMUNES,
    EN_TEXTS,
    EN_TITLES,
    NL_TEXTS,
    NL_TITLES,
    NOW,
    Request,
    Response,
    banner,
    esc,
    fill,
    fmt_phone,
    new_mobile,
    picture,
    placeholder,
    posted_en,
    robots,
    slugify,
    token_for,
)

NAME = "site_d"
SEED = 4804
PER_PAGE = 10
CLEARANCE = ("vg_clearance", "1a9-9c1e")  # (17*25 in hex)-"9c1e", as the challenge computes
SWITCHBOARD = "+32 2 275 19 00"
REMOVED_ID = "bx7001"
FLAKY_INDEX = 12
GALLERY_W, FULL_W = 800, 1200

CHALLENGE = """<!DOCTYPE html>
<html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow">
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,sans-serif;background:#fff;color:#313131}
.main{max-width:60rem;margin:8rem auto;padding:0 1.5rem}.spin{width:30px;height:30px;border:3px solid #ddd;
border-top-color:#f48120;border-radius:50%;animation:s 1s linear infinite}@keyframes s{to{transform:rotate(360deg)}}
</style></head><body>
<div class="main"><h1>HOST</h1><h2 id="challenge-running">Checking if the site connection is secure</h2>
<div class="spin"></div>
<p>HOST needs to review the security of your connection before proceeding.</p>
<noscript><p id="challenge-error-text">Enable JavaScript and cookies to continue</p></noscript>
<p class="ray">Ray ID: <code>8e3f1a2b4c5d6e7f</code> · Performance &amp; security by Shield</p></div>
<script>
(function () {
  var a = 17, b = 25, t = (a * b).toString(16);
  var k = ['9c', '1e'].join('');
  setTimeout(function () {
    document.cookie = 'vg_clearance=' + t + '-' + k + '; path=/; max-age=1800; SameSite=Lax';
    location.reload();
  }, 1200);
})();
</script></body></html>"""


class Site:
    name = NAME
    server_header = "shield"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flaky_done = False
        rng = random.Random(SEED)
        taken: set[str] = set()
        aliases = rng.sample(
            [
                "Tessa",
                "Roos",
                "Vera",
                "Dana",
                "Iris",
                "Nora",
                "Alina",
                "Sara",
                "Mira",
                "Livia",
                "Carmen",
                "Rita",
                "Ilse",
                "Daphne",
                "Jasmijn",
                "Elif",
                "Fenna",
                "Liv",
                "Nadia",
                "Bella",
                "Kira",
                "Luna",
                "Amira",
                "Emma",
                "Julie",
                "Lotte",
                "Sanne",
                "Fleur",
                "Elena",
                "Maya",
            ],
            30,
        )
        kinds = ["minutes"] * 3 + ["hours"] * 9 + ["yesterday"] * 3 + ["days"] * 8 + ["weeks"] * 7
        rng.shuffle(kinds)
        nums = rng.sample(range(7100, 7999), 30)
        self.ads: list[dict[str, Any]] = []
        for i in range(30):
            fr, nl, _pc = COMMUNES[rng.randrange(len(COMMUNES))]
            lang = "nl" if i % 3 == 1 else "en"
            alias = aliases[i]
            kind = kinds[i]
            n = {
                "minutes": rng.randrange(3, 58),
                "hours": rng.randrange(1, 23),
                "days": rng.randrange(2, 7),
                "weeks": rng.randrange(1, 4),
            }.get(kind, 0)
            posted = posted_en(kind, n, prefix="Posted ")
            if lang == "nl":
                loc = nl
                title = fill(rng.choice(NL_TITLES), rng, alias=alias, loc=nl)
                text = fill(rng.choice(NL_TEXTS), rng, alias=alias, loc=nl)
            else:
                loc = f"{fr}, Brussels"
                title = fill(rng.choice(EN_TITLES), rng, alias=alias, loc=fr)
                text = fill(rng.choice(EN_TEXTS), rng, alias=alias, loc=fr)
            phones = [] if i in (6, 21) else [new_mobile(rng, taken)]
            self.ads.append(
                {
                    "num": nums[i],
                    "key": f"bx{nums[i]}",
                    "id": f"BX-{nums[i]}",
                    "alias": alias,
                    "age": rng.randrange(22, 46),
                    "location": loc,
                    "title": title,
                    "text": text,
                    "phones": phones,
                    "lang": lang,
                    "posted": posted,
                    "n_photos": 0 if i in (2, 16, 25) else rng.randrange(1, 4),
                    "contact": "iframe" if i % 2 == 0 else "shadow",
                    "slug": slugify(title),
                }
            )
        self.ads.sort(key=lambda a: a["posted"].at, reverse=True)
        self.by_key = {a["key"]: a for a in self.ads}
        self.flaky_key = self.ads[FLAKY_INDEX]["key"]

    # ---------------------------------------------------------------- URLs / truth
    @staticmethod
    def ad_path(a: dict[str, Any]) -> str:
        return f"/profile/{a['key']}/{a['slug']}/"

    @staticmethod
    def img(key: str, n: int, size: str) -> str:
        return f"/cdn/p/{key}/{n}/{size}.jpg"

    def truth(self) -> dict[str, Any]:
        ads = []
        for a in self.ads:
            ads.append(
                {
                    "id": a["id"],
                    "url": "{base}" + self.ad_path(a),
                    "title": a["title"],
                    "phones": a["phones"],
                    "images": [
                        "{base}" + self.img(a["key"], n, "full")
                        for n in range(1, a["n_photos"] + 1)
                    ],
                    "image_variants": [
                        ["{base}" + self.img(a["key"], n, s) for s in (str(GALLERY_W), "full")]
                        for n in range(1, a["n_photos"] + 1)
                    ],
                    "no_photo_placeholder": a["n_photos"] == 0,
                    "alias": a["alias"],
                    "age": a["age"],
                    "location": a["location"],
                    **a["posted"].truth(),
                    "language": a["lang"],
                    "phone_in": a["contact"] if a["phones"] else None,
                }
            )
        return {
            "site": NAME,
            "now": NOW.isoformat(),
            "language": "en/nl",
            "start_url": "{base}/listings",
            "clearance_cookie": {CLEARANCE[0]: CLEARANCE[1]},
            "not_ad_phones": ["+3222751900"],
            "placeholder_image": "{base}/cdn/static/nophoto.png",
            "removed_ad_url": f"{{base}}/profile/{REMOVED_ID}/new-in-town/",
            "flaky_ad_url": "{base}" + self.ad_path(self.by_key[self.flaky_key]),
            "ads": ads,
        }

    # ---------------------------------------------------------------- routing
    def handle(self, req: Request) -> Response:
        p = req.path
        if p == "/robots.txt":
            return robots()
        if req.cookies.get(CLEARANCE[0]) != CLEARANCE[1]:
            host = esc(req.host)
            r = Response.html(CHALLENGE.replace("HOST", host), 503)
            r.headers += [
                ("Cache-Control", "private, max-age=0, no-store, no-cache"),
                ("X-Frame-Options", "SAMEORIGIN"),
                ("Shield-Mitigated", "challenge"),
            ]
            return r
        if p.startswith("/cdn/"):
            return self.asset(p)
        if p in ("/", "/listings"):
            return self.listing(req)
        m = re.fullmatch(r"/profile/(bx\d+)/(?:[a-z0-9-]+/?)?", p)
        if m:
            return self.ad_page(req, m.group(1))
        m = re.fullmatch(r"/contact/(bx\d+)/frame", p)
        if m:
            return self.contact_frame(req, m.group(1))
        return self.page("Not found", "<h1>Page not found</h1>", 404)

    def page(
        self, title: str, body: str, status: int = 200, head: str = "", lang: str = "en"
    ) -> Response:
        return Response.html(
            f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)} · Brussels Personals Board</title>
<meta name="viewport" content="width=device-width, initial-scale=1">{head}
<style>body{{margin:0;font-family:Georgia,serif;background:#fbf8f3}}nav{{background:#222;padding:8px}}
nav a{{color:#eee;margin-right:14px}}.container{{max-width:900px;margin:auto;padding:12px}}
.post{{border-bottom:1px solid #ddd;padding:8px 0}}.gallery img{{max-width:280px;margin:4px}}
.contact-frame{{border:0;width:320px;height:60px}}footer{{padding:14px;background:#eee;font-size:12px}}</style>
</head><body>
<nav><a href="/listings">Board</a><a href="/listings?sort=new">Newest</a><a href="/post">Post an ad</a>
<a href="/safety">Safety tips</a><a href="/account">Account</a></nav>
<div class="container">
<aside class="sponsor"><a href="/go/sponsor-17" rel="sponsored nofollow"><img src="/cdn/ads/sponsor-17.png" width="728" height="90" alt="Sponsored"></a></aside>
{body}
</div>
<footer>Brussels Personals Board · Support line {SWITCHBOARD} (Mon–Fri) ·
<a href="/terms">Terms</a> · <a href="/report">Report abuse</a></footer>
</body></html>""",
            status,
        )

    def listing(self, req: Request) -> Response:
        try:
            page = max(1, int(req.q("page", "1")))
        except ValueError:
            page = 1
        entries: list[dict[str, Any] | None] = list(self.ads)
        entries.insert(7, None)  # the removed ad
        pages = (len(entries) + PER_PAGE - 1) // PER_PAGE
        if page > pages:
            return self.page("Board", "<p>No more posts.</p>", 404)
        rows = []
        for a in entries[(page - 1) * PER_PAGE : page * PER_PAGE]:
            if a is None:
                rows.append(f"""<li class="post" itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
<a itemprop="url" href="/profile/{REMOVED_ID}/new-in-town/"><span itemprop="name">New in town</span></a>
<span class="when">Posted 2 weeks ago</span></li>""")
                continue
            rows.append(f"""<li class="post" itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
<a itemprop="url" href="{self.ad_path(a)}"><span itemprop="name">{esc(a["title"])}</span></a>
<span class="where">{esc(a["location"])}</span> · <span class="when">{esc(a["posted"].text)}</span></li>""")
        pager = []
        if page > 1:
            pager.append(f'<a class="newer" href="/listings?page={page - 1}">← Newer posts</a>')
        if page < pages:
            pager.append(f'<a class="older" href="/listings?page={page + 1}">Older posts →</a>')
        body = (
            f'<h1>Personals — Brussels</h1><ol class="board" itemscope '
            f'itemtype="https://schema.org/ItemList">{"".join(rows)}</ol>'
            f'<div class="pager">{" ".join(pager)}</div>'
        )
        return self.page(f"Board, page {page}", body)

    def ad_page(self, req: Request, key: str) -> Response:
        a = self.by_key.get(key)
        if a is None:
            return self.page(
                "Not found",
                "<h1>This post has been removed</h1>"
                "<p>The advertiser deleted it or it expired.</p>",
                404,
            )
        if key == self.flaky_key:
            with self._lock:
                first, self._flaky_done = not self._flaky_done, True
            if first:
                return Response.html(
                    "<html><body><h1>500 Internal Server Error</h1>"
                    "<p>upstream error</p></body></html>",
                    500,
                )
        gallery = [
            {"src": self.img(key, n, str(GALLERY_W)), "w": GALLERY_W}
            for n in range(1, a["n_photos"] + 1)
        ]
        if a["n_photos"]:
            nos = "".join(
                f'<img itemprop="image" src="{self.img(key, n, "full")}" alt="{esc(a["alias"])}">'
                for n in range(1, a["n_photos"] + 1)
            )
        else:
            nos = '<img src="/cdn/static/nophoto.png" alt="No photo">'
        age_label = "Leeftijd" if a["lang"] == "nl" else "Age"
        if not a["phones"]:
            contact = '<p class="no-phone">This advertiser only accepts messages.</p>'
        elif a["contact"] == "iframe":
            contact = (
                f'<iframe class="contact-frame" title="Contact" loading="lazy" '
                f'src="/contact/{key}/frame?sig={token_for(NAME, key)[:12]}"></iframe>'
            )
        else:
            k = base64.b64encode(fmt_phone(a["phones"][0], "intl").encode()).decode()
            contact = f'<contact-card data-k="{k}" data-kind="phone"></contact-card>'
        body = f"""<article class="profile" itemscope itemtype="https://schema.org/Person">
<h1 class="post-title">{esc(a["title"])}</h1>
<p class="byline">Listing ID: <b>{a["id"]}</b> · <span class="when">{esc(a["posted"].text)}</span></p>
<div class="gallery" data-gallery='{json.dumps(gallery)}'></div>
<noscript>{nos}</noscript>
<ul class="facts"><li>Name: <span itemprop="name">{esc(a["alias"])}</span></li>
<li>{age_label}: {a["age"]}</li>
<li>Area: <span itemprop="homeLocation">{esc(a["location"])}</span></li></ul>
<div class="body" itemprop="description" lang="{a["lang"]}">{esc(a["text"])}</div>
<div class="contact">{contact}</div>
</article>
<script>
(function () {{
  var g = document.querySelector('.gallery'), items = JSON.parse(g.dataset.gallery || '[]');
  if (!items.length) {{ g.innerHTML = '<img src="/cdn/static/nophoto.png" alt="No photo">'; }}
  items.forEach(function (it) {{ var im = new Image(); im.src = it.src; im.width = 280; g.appendChild(im); }});
  customElements.define('contact-card', class extends HTMLElement {{
    connectedCallback() {{
      var root = this.attachShadow({{mode: 'open'}});
      var txt = atob(this.dataset.k), tel = txt.replace(/[^+0-9]/g, '');
      root.innerHTML = '<style>a{{font:bold 18px sans-serif;color:#0a5}}</style>' +
        '<a part="phone" href="tel:' + tel + '">' + txt + '</a>';
    }}
  }});
}})();
</script>"""
        return self.page(a["title"], body, lang=a["lang"])

    def contact_frame(self, req: Request, key: str) -> Response:
        a = self.by_key.get(key)
        if a is None or not a["phones"] or req.q("sig") != token_for(NAME, key)[:12]:
            return Response.html("<p>Contact unavailable.</p>", 403)
        e164 = a["phones"][0]
        return Response.html(f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<style>body{{margin:0;font:16px sans-serif}}</style></head><body>
<div itemscope itemtype="https://schema.org/Person"><span>Call or text: </span>
<a itemprop="telephone" href="tel:{e164}">{fmt_phone(e164, "nat_slash")}</a></div>
</body></html>""")

    def asset(self, p: str) -> Response:
        if p == "/cdn/static/nophoto.png":
            return Response.image(placeholder("no photo"), "image/png")
        if p == "/cdn/ads/sponsor-17.png":
            return Response.image(banner("Sponsored - Brussels Parking 24/7"), "image/png")
        m = re.fullmatch(r"/cdn/p/(bx\d+)/(\d)/(\d+|full)\.jpg", p)
        if m:
            a = self.by_key.get(m.group(1))
            n, size = int(m.group(2)), m.group(3)
            if a is not None and 1 <= n <= a["n_photos"] and size in (str(GALLERY_W), "full"):
                w = FULL_W if size == "full" else GALLERY_W
                return Response.image(picture(f"D:{a['key']}:{n}", w), "image/jpeg")
        return Response.text("Not Found", 404)
