# ruff: noqa: E501 - the sites' HTML and JavaScript templates keep their natural lines
"""Site B — « Lokaalgids »: a JavaScript single-page app, Dutch and English ads.

Patterns: an HTML shell with an empty ``<div id="app">``; cards fetched from a JSON API with
cursor pagination (``/api/v2/ads?limit=12&region=…&cursor=…``) and rendered client-side;
infinite scroll whose sentinel is an EMPTY ``<div id="feed-end">`` watched by an
IntersectionObserver (no "load more" button); a consent dialog injected 0.4–1.5 s after load
(delay from a seeded sequence) covering the page and blocking clicks until "Alles accepteren";
region filters that replace the cards in place; client-side routing (pushState) to
``/advertentie/<ID>-<slug>``, whose detail comes from ``/api/v2/ads/<ID>``; photos only as CSS
``background-image: url(…)`` in style attributes; dates "gisteren", "3 dagen geleden",
"3 days ago"; profile "Leeftijd: 27".  Noise: header, a promo banner (CSS background) with an
advertiser's phone, footer switchboard, a no-photo placeholder, ads without phone, one detail
API call answering 500 once, a removed ad listed in the feed whose page and API answer 404.
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
    fill,
    fmt_phone,
    new_mobile,
    picture,
    placeholder,
    posted_en,
    posted_nl,
    robots,
    slugify,
)

NAME = "site_b"
SEED = 2602
PAGE = 12
SWITCHBOARD = "03 201 45 67"
PROMO_PHONE = "09 234 56 78"
REMOVED_ID = "9D0E11"
FLAKY_INDEX = 4
WIDTHS = (200, 400, 1200)
LARGEST = 1200
REGIONS = {"alle": "Alle", "centrum": "Brussel-Centrum", "noord": "Noord", "zuid": "Zuid"}
APP_JS_PATH = "/assets/app.3f9c2e.js"


def region_of(commune_index: int) -> str:
    return ("centrum", "noord", "zuid")[commune_index % 3]


class Site:
    name = NAME
    server_header = "envoy"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flaky_done = False
        self._delays = random.Random(SEED + 1)
        rng = random.Random(SEED)
        taken: set[str] = set()
        aliases = rng.sample(
            [
                "Noor",
                "Lotte",
                "Fleur",
                "Sanne",
                "Emma",
                "Kira",
                "Tessa",
                "Roos",
                "Luna",
                "Vera",
                "Dana",
                "Iris",
                "Alina",
                "Mira",
                "Ilse",
                "Daphne",
                "Jasmijn",
                "Elif",
                "Fenna",
                "Liv",
                "Sofia",
                "Nadia",
                "Eva",
                "Bella",
                "Talia",
                "Nina",
                "Maya",
                "Julie",
                "Sara",
                "Elena",
                "Carmen",
                "Rita",
                "Livia",
                "Paloma",
                "Amira",
                "Lina",
            ],
            36,
        )
        kinds = ["hours"] * 10 + ["yesterday"] * 9 + ["days"] * 17
        rng.shuffle(kinds)
        self.ads: list[dict[str, Any]] = []
        used_ids: set[str] = {REMOVED_ID}
        for i in range(36):
            ci = rng.randrange(len(COMMUNES))
            fr, nl, _pc = COMMUNES[ci]
            lang = "en" if i % 3 == 2 else "nl"
            alias = aliases[i]
            n = rng.randrange(2, 10) if kinds[i] == "days" else rng.randrange(1, 12)
            if i == 4 and kinds[i] == "days":  # at least one "3 dagen geleden"
                n = 3
            if lang == "nl":
                city = nl if i % 4 else f"Brussel - {nl}"
                posted = posted_nl(kinds[i], n)
                title = fill(rng.choice(NL_TITLES), rng, alias=alias, loc=nl)
                text = fill(rng.choice(NL_TEXTS), rng, alias=alias, loc=nl)
            else:
                city = f"{fr} (Brussels)"
                posted = posted_en(kinds[i], n)
                title = fill(rng.choice(EN_TITLES), rng, alias=alias, loc=fr)
                text = fill(rng.choice(EN_TEXTS), rng, alias=alias, loc=fr)
            phones: list[str] = []
            if i not in (7, 30):
                phones.append(new_mobile(rng, taken))
            if i in (3, 20):  # a second number in the text
                extra = new_mobile(rng, taken)
                phones.append(extra)
                word = "Of sms naar" if lang == "nl" else "Or text"
                text += f" {word} {fmt_phone(extra, rng.choice(['nat_slash', 'nat_3']))}."
            while True:
                ad_id = f"{rng.randrange(16**6):06X}"
                if ad_id not in used_ids and not ad_id.isdigit():
                    used_ids.add(ad_id)
                    break
            self.ads.append(
                {
                    "id": ad_id,
                    "alias": alias,
                    "age": rng.randrange(21, 44),
                    "city": city,
                    "title": title,
                    "text": text,
                    "phones": phones,
                    "lang": lang,
                    "n_photos": 0 if i in (11, 25) else rng.randrange(1, 4),
                    "posted": posted,
                    "region": region_of(ci),
                    "slug": slugify(title),
                    "promoted": i in (0, 13),
                }
            )
        self.ads.sort(key=lambda a: (not a["promoted"], -a["posted"].at.timestamp()))
        self.by_id = {a["id"]: a for a in self.ads}
        self.flaky_id = self.ads[FLAKY_INDEX]["id"]
        # the removed ad is still in the feed (position 15), in every region
        self.removed = {
            "id": REMOVED_ID,
            "slug": "nieuw-in-brussel",
            "title": "Nieuw in Brussel",
            "city": "Brussel",
            "posted_label": "2 weken geleden",
            "thumb": None,
            "promoted": False,
        }

    # ---------------------------------------------------------------- URLs / truth
    @staticmethod
    def photo(ad_id: str, n: int, w: int) -> str:
        return f"/img/b/{ad_id}/{n}.jpg?w={w}"

    def ad_path(self, ad: dict[str, Any]) -> str:
        return f"/advertentie/{ad['id']}-{ad['slug']}"

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
                        "{base}" + self.photo(a["id"], n, LARGEST) for n in range(a["n_photos"])
                    ],
                    "image_variants": [
                        ["{base}" + self.photo(a["id"], n, w) for w in WIDTHS]
                        for n in range(a["n_photos"])
                    ],
                    "no_photo_placeholder": a["n_photos"] == 0,
                    "alias": a["alias"],
                    "age": a["age"],
                    "location": a["city"],
                    **a["posted"].truth(),
                    "language": a["lang"],
                    "api_url": f"{{base}}/api/v2/ads/{a['id']}",
                }
            )
        return {
            "site": NAME,
            "now": NOW.isoformat(),
            "language": "nl/en",
            "start_url": "{base}/",
            "render": "browser (the HTML holds no ad; the JSON API does)",
            "api_listing": "{base}/api/v2/ads?limit=12&region=alle",
            "not_ad_phones": ["+3232014567", "+3292345678"],
            "placeholder_image": "{base}/assets/img/geen-foto.png",
            "removed_ad_url": f"{{base}}/advertentie/{REMOVED_ID}-nieuw-in-brussel",
            "flaky_ad_url": "{base}" + self.ad_path(self.by_id[self.flaky_id]),
            "flaky_note": "the detail API call /api/v2/ads/<id> of this ad answers 500 once",
            "consent": {
                "button_text": "Alles accepteren",
                "cookie": {"gids_consent": "all"},
                "delay_ms": [400, 1500],
            },
            "ads": ads,
        }

    # ---------------------------------------------------------------- routing
    def handle(self, req: Request) -> Response:
        p = req.path
        if p == "/robots.txt":
            return robots()
        if p == APP_JS_PATH:
            return Response(
                200, APP_JS.encode(), [("Content-Type", "text/javascript; charset=utf-8")]
            )
        if p == "/assets/app.css":
            return Response.text(APP_CSS, ctype="text/css")
        if p == "/assets/img/geen-foto.png":
            return Response.image(placeholder("geen foto"), "image/png")
        if p == "/assets/promo-autoverhuur.png":
            return Response.image(
                banner(f"Autoverhuur Peeters  {PROMO_PHONE}", 970, 120), "image/png"
            )
        m = re.fullmatch(r"/img/b/([0-9A-F]{6})/(\d)\.jpg", p)
        if m:
            return self.image(m.group(1), int(m.group(2)), req.q("w", "400"))
        if p == "/api/v2/ads":
            return self.api_list(req)
        m = re.fullmatch(r"/api/v2/ads/([0-9A-Za-z]+)", p)
        if m:
            return self.api_detail(m.group(1))
        if p in ("/", "/advertenties"):
            return self.shell(req)
        m = re.fullmatch(r"/advertentie/([0-9A-F]{6})(?:-[a-z0-9-]*)?", p)
        if m:
            return self.shell(req, 200 if m.group(1) in self.by_id else 404)
        return self.shell(req, 404)

    def shell(self, req: Request, status: int = 200) -> Response:
        with self._lock:
            delay = self._delays.randint(400, 1500)
        return Response.html(
            f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lokaalgids — advertenties in Brussel</title>
<link rel="stylesheet" href="/assets/app.css">
<script>window.__APP_CONFIG__ = {{"api": "/api/v2", "cmpDelay": {delay}, "pageSize": {PAGE}}};</script>
<script src="{APP_JS_PATH}" defer></script>
</head><body>
<header class="topbar"><a href="/" data-nav class="brand">Lokaalgids</a>
<nav><a href="/" data-nav>Advertenties</a><a href="/plaatsen">Plaats een advertentie</a>
<a href="/inloggen">Inloggen</a></nav></header>
<div id="app"></div>
<noscript><p class="nojs">Schakel JavaScript in om Lokaalgids te gebruiken.</p></noscript>
<footer class="footer"><p>© 2026 Lokaalgids · Klantendienst {SWITCHBOARD} (werkdagen 9–17 u) ·
<a href="/voorwaarden">Voorwaarden</a> · <a href="/privacy">Privacy</a> ·
<a href="/melden">Misbruik melden</a></p></footer>
</body></html>""",
            status,
        )

    # ---------------------------------------------------------------- API
    def _card(self, a: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": a["id"],
            "slug": a["slug"],
            "title": a["title"],
            "city": a["city"],
            "posted_label": a["posted"].text,
            "promoted": a["promoted"],
            "thumb": self.photo(a["id"], 0, 400) if a["n_photos"] else None,
        }

    def api_list(self, req: Request) -> Response:
        region = req.q("region", "alle")
        if region not in REGIONS:
            return Response.json({"error": "unknown region"}, 400)
        try:
            limit = min(max(int(req.q("limit", str(PAGE))), 1), 50)
        except ValueError:
            limit = PAGE
        offset = 0
        cur = req.q("cursor")
        if cur:
            try:
                dec = json.loads(base64.urlsafe_b64decode(cur + "=" * (-len(cur) % 4)))
                offset = int(dec["o"])
                if dec["r"] != region:
                    raise ValueError("cursor of another filter")
            except Exception:  # noqa: BLE001
                return Response.json({"error": "invalid cursor"}, 400)
        items: list[dict[str, Any]] = [
            self._card(a) for a in self.ads if region in ("alle", a["region"])
        ]
        items.insert(min(15, len(items)), self.removed)
        chunk = items[offset : offset + limit]
        nxt = None
        if offset + limit < len(items):
            raw = json.dumps({"o": offset + limit, "r": region, "v": 2}).encode()
            nxt = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return Response.json(
            {"data": chunk, "paging": {"next_cursor": nxt, "has_more": nxt is not None}}
        )

    def api_detail(self, ad_id: str) -> Response:
        a = self.by_id.get(ad_id)
        if a is None:
            return Response.json(
                {"error": "not_found", "message": "Advertentie niet gevonden"}, 404
            )
        if ad_id == self.flaky_id:
            with self._lock:
                first, self._flaky_done = not self._flaky_done, True
            if first:
                return Response.json({"error": "internal"}, 500)
        return Response.json(
            {
                "id": a["id"],
                "slug": a["slug"],
                "title": a["title"],
                "description": a["text"],
                "alias": a["alias"],
                "age": a["age"],
                "city": a["city"],
                "lang": a["lang"],
                "posted_label": a["posted"].text,
                "phone": (
                    {"display": fmt_phone(a["phones"][0], "nat"), "tel": a["phones"][0]}
                    if a["phones"]
                    else None
                ),
                "photos": [
                    {"thumb": self.photo(a["id"], n, 200), "large": self.photo(a["id"], n, LARGEST)}
                    for n in range(a["n_photos"])
                ],
            }
        )

    def image(self, ad_id: str, n: int, w: str) -> Response:
        a = self.by_id.get(ad_id)
        if a is None or not 0 <= n < a["n_photos"] or not w.isdigit() or int(w) not in WIDTHS:
            return Response.text("Not Found", 404)
        return Response.image(picture(f"B:{ad_id}:{n}", int(w)), "image/jpeg")


APP_CSS = """*{box-sizing:border-box}body{margin:0;font-family:system-ui,sans-serif;background:#fafafa}
.topbar{display:flex;gap:16px;align-items:center;padding:10px 16px;background:#0b4f6c;color:#fff}
.topbar a{color:#fff;margin-right:12px;text-decoration:none}#app{max-width:1100px;margin:0 auto;
padding:12px;min-height:60vh}.filters button{margin:0 6px 10px 0;padding:6px 12px;border-radius:16px;
border:1px solid #0b4f6c;background:#fff}.filters button.active{background:#0b4f6c;color:#fff}
.feed{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 3px #0002}
.card a{color:inherit;text-decoration:none}.card__photo{height:280px;background-size:cover;
background-position:center}.card__body{padding:8px}.card--promoted{outline:2px solid #f2a900}
#feed-end{height:1px}.promo{height:120px;margin:10px 0;background-size:cover;display:flex;
align-items:flex-end;color:#fff;padding:6px}.ad__gallery{display:flex;gap:8px;flex-wrap:wrap}
.ad__photo{width:300px;height:400px;background-size:cover;background-position:center}
.cmp-overlay{position:fixed;inset:0;z-index:9999;background:rgba(0,0,0,.65);display:flex;
align-items:center;justify-content:center}.cmp-dialog{background:#fff;max-width:520px;padding:24px;
border-radius:10px}.cmp-btn{padding:10px 16px;margin:8px 8px 0 0}
.footer{padding:20px;background:#222;color:#bbb;font-size:13px}.footer a{color:#ddd}"""

APP_JS = r"""(function () {
  'use strict';
  var CFG = window.__APP_CONFIG__ || {api: '/api/v2', cmpDelay: 800, pageSize: 12};
  var REGIONS = [['alle', 'Alle'], ['centrum', 'Brussel-Centrum'], ['noord', 'Noord'], ['zuid', 'Zuid']];
  var app = document.getElementById('app');
  var state = {region: 'alle', cursor: null, loading: false, done: false, gen: 0};
  var io = null;

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  function cardHtml(ad) {
    var bg = ad.thumb || '/assets/img/geen-foto.png';
    return '<article class="card' + (ad.promoted ? ' card--promoted' : '') + '" data-id="' + esc(ad.id) + '">' +
      '<a class="card__link" data-nav href="/advertentie/' + esc(ad.id) + '-' + esc(ad.slug) + '">' +
      '<div class="card__photo" style="background-image: url(\'' + bg + '\')"></div>' +
      '<div class="card__body"><h3 class="card__title">' + esc(ad.title) + '</h3>' +
      '<p class="card__meta"><span class="card__city">' + esc(ad.city) + '</span> · ' +
      '<span class="card__date">' + esc(ad.posted_label) + '</span></p></div></a></article>';
  }

  function loadMore(replace) {
    if (state.loading || state.done) return;
    state.loading = true;
    var gen = state.gen;
    var url = CFG.api + '/ads?limit=' + CFG.pageSize + '&region=' + state.region +
      (state.cursor ? '&cursor=' + encodeURIComponent(state.cursor) : '');
    fetch(url, {headers: {'Accept': 'application/json'}})
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (res) {
        if (gen !== state.gen) return;
        var feed = document.getElementById('feed');
        if (!feed) return;
        var html = res.data.map(cardHtml).join('');
        if (replace) feed.innerHTML = html; else feed.insertAdjacentHTML('beforeend', html);
        state.cursor = res.paging.next_cursor;
        state.done = !state.cursor;
        state.loading = false;
        if (state.done) document.getElementById('feed-status').textContent = 'Je hebt alle advertenties gezien.';
        var s = document.getElementById('feed-end');
        if (io && s) { io.unobserve(s); io.observe(s); }
      })
      .catch(function () {
        if (gen !== state.gen) return;
        state.loading = false;
        setTimeout(function () { loadMore(false); }, 1500);
      });
  }

  function setRegion(region) {
    if (region === state.region) return;
    state.region = region; state.cursor = null; state.done = false; state.loading = false;
    state.gen += 1;
    document.querySelectorAll('.filters button').forEach(function (b) {
      b.classList.toggle('active', b.dataset.region === region);
    });
    document.getElementById('feed-status').textContent = '';
    loadMore(true);
  }

  function renderListing() {
    document.title = 'Lokaalgids — advertenties in Brussel';
    state = {region: 'alle', cursor: null, loading: false, done: false, gen: state.gen + 1};
    app.innerHTML = '<h1>Advertenties in Brussel</h1><div class="filters" role="toolbar">' +
      REGIONS.map(function (r) {
        return '<button type="button" data-region="' + r[0] + '" class="' + (r[0] === 'alle' ? 'active' : '') + '">' + r[1] + '</button>';
      }).join('') + '</div>' +
      '<div class="promo" style="background-image:url(/assets/promo-autoverhuur.png)"><span>Gesponsord · Autoverhuur Peeters — bel 09 234 56 78</span></div>' +
      '<div id="feed" class="feed"></div><div id="feed-end"></div><p id="feed-status" class="status"></p>';
    app.querySelector('.filters').addEventListener('click', function (e) {
      var b = e.target.closest('button[data-region]');
      if (b) setRegion(b.dataset.region);
    });
    if (io) io.disconnect();
    io = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) loadMore(false);
    }, {rootMargin: '0px 0px 200px 0px'});
    io.observe(document.getElementById('feed-end'));
    loadMore(true);
  }

  function renderDetail(id) {
    if (io) { io.disconnect(); io = null; }
    app.innerHTML = '<p class="loading">Laden…</p>';
    fetch(CFG.api + '/ads/' + encodeURIComponent(id), {headers: {'Accept': 'application/json'}})
      .then(function (r) {
        if (r.status === 404) {
          app.innerHTML = '<h1>Advertentie niet gevonden</h1><p>Deze advertentie is verwijderd.</p><a href="/" data-nav>Terug naar het overzicht</a>';
          return null;
        }
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (ad) {
        if (!ad) return;
        document.title = ad.title + ' — Lokaalgids';
        var photos = ad.photos.length ? ad.photos.map(function (p, i) {
          return '<div class="ad__photo" role="img" aria-label="Foto ' + (i + 1) + '" style="background-image: url(\'' + p.large + '\')"></div>';
        }).join('') : '<div class="ad__photo ad__photo--none" style="background-image: url(\'/assets/img/geen-foto.png\')"></div>';
        var thumbs = ad.photos.map(function (p) {
          return '<span class="ad__thumb" style="background-image:url(' + p.thumb + ')"></span>';
        }).join('');
        var contact = ad.phone
          ? '<a class="ad__phone" href="tel:' + esc(ad.phone.tel) + '">' + esc(ad.phone.display) + '</a>'
          : '<p class="ad__nophone">' + (ad.lang === 'en' ? 'Messages through the site only.' : 'Alleen berichten via de site.') + '</p>';
        app.innerHTML = '<article class="ad" data-id="' + esc(ad.id) + '">' +
          '<a href="/" data-nav class="back">← Terug</a>' +
          '<h1 class="ad__title">' + esc(ad.title) + '</h1>' +
          '<p class="ad__meta">Advertentie-ID: <span class="ad__id">' + esc(ad.id) + '</span> · <span class="ad__date">' + esc(ad.posted_label) + '</span></p>' +
          '<div class="ad__gallery">' + photos + '</div><div class="ad__thumbs">' + thumbs + '</div>' +
          '<ul class="ad__profile"><li>Naam: <span class="ad__alias">' + esc(ad.alias) + '</span></li>' +
          '<li>Leeftijd: ' + esc(ad.age) + '</li><li>Locatie: <span class="ad__city">' + esc(ad.city) + '</span></li></ul>' +
          '<div class="ad__text" lang="' + esc(ad.lang) + '">' + esc(ad.description) + '</div>' +
          '<div class="ad__contact">' + contact + '</div></article>';
      })
      .catch(function () {
        app.innerHTML = '<div class="error"><p>Er ging iets mis bij het laden van deze advertentie.</p><button type="button" onclick="location.reload()">Opnieuw proberen</button></div>';
      });
  }

  function route() {
    var m = location.pathname.match(/^\/advertentie\/([0-9A-F]{6})(?:-[^\/]*)?$/);
    if (m) renderDetail(m[1]); else renderListing();
  }

  document.addEventListener('click', function (e) {
    var a = e.target.closest('a[data-nav]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    history.pushState({}, '', a.getAttribute('href'));
    window.scrollTo(0, 0);
    route();
  });
  window.addEventListener('popstate', route);

  function consent() {
    if (/(?:^|; )gids_consent=/.test(document.cookie)) return;
    setTimeout(function () {
      var ov = document.createElement('div');
      ov.className = 'cmp-overlay';
      ov.id = 'cmp-root';
      ov.innerHTML = '<div class="cmp-dialog" role="dialog" aria-modal="true" aria-labelledby="cmp-title">' +
        '<h2 id="cmp-title">Jouw privacy</h2><p>Wij en onze partners gebruiken cookies om de site te laten werken, ' +
        'het gebruik te meten en advertenties te tonen. Je kunt je keuze altijd wijzigen.</p>' +
        '<div class="cmp-actions"><button type="button" class="cmp-btn cmp-btn--secondary" data-cmp="settings">Instellingen</button>' +
        '<button type="button" class="cmp-btn cmp-btn--primary" data-cmp="all">Alles accepteren</button></div></div>';
      ov.addEventListener('click', function (e) {
        e.stopPropagation();
        e.preventDefault();
        var b = e.target.closest('[data-cmp]');
        if (b && b.dataset.cmp === 'all') {
          document.cookie = 'gids_consent=all; path=/; max-age=31536000; SameSite=Lax';
          ov.remove();
          document.documentElement.style.overflow = '';
        }
      }, true);
      document.body.appendChild(ov);
      document.documentElement.style.overflow = 'hidden';
    }, CFG.cmpDelay);
  }

  route();
  consent();
})();
"""
