# ruff: noqa: E501 - the sites' HTML and JavaScript templates keep their natural lines
"""Site C — « Zoekertjes & Annonces »: embedded state + JSON API + structured data (FR/NL/EN).

Patterns: the listing exists only in ``<script>window.__INITIAL_STATE__ = {…};</script>`` — a
JavaScript object literal, not JSON (unquoted keys, single-quoted strings with ``\\'`` escapes,
``\\x3C`` for ``<``, trailing commas, one quoted key) — rendered by a small bundle; the rest of the
listing through ``/api/ads?offset=20&limit=20`` (strict JSON, offset pagination, "Afficher plus"
button).  Ad pages are server-rendered with JSON-LD (``@type`` Product with ``datePublished``, or
an ``@graph`` of Person + Offer with ``datePosted`` and ``telephone``), OpenGraph ``og:image``,
``<time datetime="…">`` and lazy images (``data-src`` or ``data-lazy``, a 1×1 placeholder in
``src``).  Noise: header, banner, footer switchboard, a site logo as ``og:image`` of the listing,
a no-photo placeholder, ads without phone, one ad page answering 500 once, a removed ad (in the
state) whose page answers 404.
"""

from __future__ import annotations

import io
import json
import random
import re
import threading
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

from PIL import Image

from tests.crawlers.realsites._common import (
    CET,
    COMMUNES,
    EN_TEXTS,
    EN_TITLES,
    FR_TEXTS,
    FR_TITLES,
    NL_TEXTS,
    NL_TITLES,
    NOW,
    SHARED_PHONE,
    Request,
    Response,
    banner,
    esc,
    fill,
    fmt_phone,
    new_mobile,
    picture,
    placeholder,
    posted_exact,
    robots,
    slugify,
)

NAME = "site_c"
SEED = 3903
STATE_SIZE = 20
SWITCHBOARD = "+32 2 318 40 00"
REMOVED_ID = "100999"
FLAKY_INDEX = 9
THUMB_W, LARGE_W = 240, 1024
BUNDLE = "/static/js/main.8c1d.js"

FR_DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@lru_cache(maxsize=1)
def spacer_gif() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (1, 1), 255).save(buf, "GIF")
    return buf.getvalue()


def _js_str(s: str) -> str:
    out = s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("<", "\\x3C")
    return "'" + out + "'"


def js_literal(v: Any, ind: int = 0) -> str:
    """A JavaScript object literal as a bundler would print it (not JSON)."""
    pad, pad2 = "  " * ind, "  " * (ind + 1)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return _js_str(v)
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[\n" + "".join(f"{pad2}{js_literal(x, ind + 1)},\n" for x in v) + pad + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        lines = []
        for k, x in v.items():
            key = k if re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", k) else _js_str(k)
            lines.append(f"{pad2}{key}: {js_literal(x, ind + 1)},\n")
        return "{\n" + "".join(lines) + pad + "}"
    raise TypeError(type(v))


class Site:
    name = NAME
    server_header = "Apache"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flaky_done = False
        rng = random.Random(SEED)
        taken: set[str] = set()
        aliases = rng.sample(
            [
                "Jade",
                "Anaïs",
                "Clara",
                "Inès",
                "Noor",
                "Lotte",
                "Emma",
                "Yasmine",
                "Célia",
                "Margaux",
                "Fleur",
                "Daphne",
                "Elif",
                "Mira",
                "Sofia",
                "Léa",
                "Tessa",
                "Vera",
                "Amira",
                "Paloma",
                "Oriane",
                "Liv",
                "Ambre",
                "Solène",
                "Kira",
                "Luna",
                "Dana",
                "Jasmijn",
                "Nadia",
                "Zoé",
                "Elena",
                "Julie",
            ],
            32,
        )
        ids = rng.sample(range(100100, 100990), 32)
        self.ads: list[dict[str, Any]] = []
        for i in range(32):
            ci = rng.randrange(len(COMMUNES))
            fr, nl, pc = COMMUNES[ci]
            lang = ("fr", "nl", "en", "fr")[i % 4]
            alias = aliases[i]
            loc_word = {"fr": fr, "nl": nl, "en": fr}[lang]
            titles, texts = {
                "fr": (FR_TITLES, FR_TEXTS),
                "nl": (NL_TITLES, NL_TEXTS),
                "en": (EN_TITLES, EN_TEXTS),
            }[lang]
            title = fill(rng.choice(titles), rng, alias=alias, loc=loc_word)
            if i == 5:
                title = f'{alias} — "VIP" accueil à l\'Avenue Louise'
            text = fill(rng.choice(texts), rng, alias=alias, loc=loc_word)
            location = f"{pc} {loc_word}" if i % 3 == 0 else loc_word
            hours_back = rng.randrange(1, 24 * 20)
            at = (NOW - timedelta(hours=hours_back)).replace(minute=rng.choice([0, 12, 25, 40, 53]))
            at = at.replace(second=0, microsecond=0)
            shown = f"{at.day:02d}/{at.month:02d}/{at.year} {at:%H:%M}"
            days = (NOW - at).days
            if i % 5 == 1 and 1 <= days <= 6:  # relative text, exact <time datetime>
                shown = (
                    {
                        "fr": f"il y a {days} jours",
                        "nl": f"{days} dagen geleden",
                        "en": f"{days} days ago",
                    }[lang]
                    if days > 1
                    else {"fr": "hier", "nl": "gisteren", "en": "yesterday"}[lang]
                )
            posted = posted_exact(at, shown)
            phones: list[str] = []
            ld = "person" if i % 2 else "product"
            if i not in (12, 26):
                phones.append(SHARED_PHONE if i == 17 else new_mobile(rng, taken))
            if ld == "product" and phones:  # the number is only in the description
                style = rng.choice(["nat_slash", "intl_0", "nat_3", "intl_00", "nat"])
                word = {"fr": "Tél.", "nl": "Tel.", "en": "Phone:"}[lang]
                text += f" {word} {fmt_phone(phones[0], style)}"
            self.ads.append(
                {
                    "id": str(ids[i]),
                    "alias": alias,
                    "age": rng.randrange(20, 45),
                    "location": location,
                    "title": title,
                    "text": text,
                    "phones": phones,
                    "lang": lang,
                    "n_photos": 0 if i in (3, 21, 29) else rng.randrange(1, 5),
                    "posted": posted,
                    "ld": ld,
                    "lazy_attr": "data-src" if i % 3 else "data-lazy",
                    "slug": slugify(title),
                }
            )
        self.ads.sort(key=lambda a: a["posted"].at, reverse=True)
        self.by_id = {a["id"]: a for a in self.ads}
        self.flaky_id = self.ads[FLAKY_INDEX]["id"]
        removed_at = datetime.combine(NOW.date() - timedelta(days=6), time(10, 0), CET)
        self.removed = {
            "id": int(REMOVED_ID),
            "title": "Annonce expirée",
            "slug": "annonce-expiree",
            "url": f"/ad/{REMOVED_ID}/annonce-expiree",
            "location": "Bruxelles",
            "thumb": None,
            "isPremium": False,
            "publishedAt": removed_at.isoformat(),
        }

    # ---------------------------------------------------------------- URLs / truth
    @staticmethod
    def ad_path(a: dict[str, Any]) -> str:
        return f"/ad/{a['id']}/{a['slug']}"

    @staticmethod
    def img(ad_id: str, n: int, size: str) -> str:
        return f"/photos/{ad_id}/{n}_{size}.jpg"

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
                        "{base}" + self.img(a["id"], n, "large")
                        for n in range(1, a["n_photos"] + 1)
                    ],
                    "image_variants": [
                        ["{base}" + self.img(a["id"], n, s) for s in ("thumb", "large")]
                        for n in range(1, a["n_photos"] + 1)
                    ],
                    "no_photo_placeholder": a["n_photos"] == 0,
                    "alias": a["alias"],
                    "age": a["age"],
                    "location": a["location"],
                    **a["posted"].truth(),
                    "language": a["lang"],
                    "json_ld": a["ld"],
                }
            )
        return {
            "site": NAME,
            "now": NOW.isoformat(),
            "language": "fr/nl/en",
            "start_url": "{base}/",
            "api_listing": "{base}/api/ads?offset=0&limit=20",
            "not_ad_phones": ["+3223184000"],
            "placeholder_image": "{base}/static/img/no-photo.jpg",
            "not_ad_images": [
                "{base}/static/img/spacer.gif",
                "{base}/static/img/logo-og.png",
                "{base}/static/ads/banner-2.png",
            ],
            "removed_ad_url": f"{{base}}/ad/{REMOVED_ID}/annonce-expiree",
            "flaky_ad_url": "{base}" + self.ad_path(self.by_id[self.flaky_id]),
            "ads": ads,
        }

    # ---------------------------------------------------------------- routing
    def handle(self, req: Request) -> Response:
        p = req.path
        if p == "/robots.txt":
            return robots()
        if p.startswith("/static/") or p.startswith("/photos/"):
            return self.asset(p)
        if p in ("/", "/annonces", "/zoekertjes"):
            return self.listing(req)
        if p == "/api/ads":
            return self.api(req)
        m = re.fullmatch(r"/ad/(\d+)(?:/([a-z0-9-]*))?", p)
        if m:
            return self.ad_page(req, m.group(1))
        return Response.html("<!DOCTYPE html><title>404</title><h1>Page introuvable</h1>", 404)

    def _item(self, a: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": int(a["id"]),
            "title": a["title"],
            "slug": a["slug"],
            "url": self.ad_path(a),
            "location": a["location"],
            "thumb": self.img(a["id"], 1, "thumb") if a["n_photos"] else None,
            "isPremium": a["id"] in (self.ads[0]["id"], self.ads[7]["id"]),
            "publishedAt": a["posted"].at.isoformat(),
        }

    def items(self) -> list[dict[str, Any]]:
        items = [self._item(a) for a in self.ads]
        items.insert(13, self.removed)
        return items

    def layout(self, title: str, body: str, head: str = "", lang: str = "fr") -> str:
        return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/static/img/favicon.png">{head}
<style>body{{font-family:Helvetica,Arial,sans-serif;margin:0}}.top{{background:#1f6f50;color:#fff;padding:10px}}
.top a{{color:#fff;margin-right:10px}}.wrap{{max-width:960px;margin:auto;padding:10px}}
.grid{{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px}}
.tile{{border:1px solid #ddd;padding:6px}}.tile img{{width:100%}}.skeleton{{height:260px;background:#eee}}
footer{{background:#eee;padding:14px;font-size:12px}}</style>
</head><body>
<div class="top"><a href="/">Zoekertjes &amp; Annonces</a> <a href="/annonces">Annonces</a>
<a href="/deposer">Déposer</a> <a href="/aide">Aide</a> <a href="/login">Connexion</a></div>
<div class="wrap">
<div class="banner"><a href="/out?to=immo-duchene" rel="nofollow sponsored"><img src="/static/ads/banner-2.png" alt="Immo Duchêne" width="728" height="90"></a></div>
{body}
</div>
<footer>Zoekertjes &amp; Annonces SRL · Standard : {SWITCHBOARD} · BE 0712.345.678 ·
<a href="/cgv">CGV</a> · <a href="/privacy">Privacy</a></footer>
</body></html>"""

    def listing(self, req: Request) -> Response:
        items = self.items()
        state = {
            "app": {"locale": "fr-BE", "build": "8c1d", "env": "production"},
            "listing": {
                "items": items[:STATE_SIZE],
                "pagination": {
                    "offset": 0,
                    "limit": STATE_SIZE,
                    "total": len(items),
                    "next": f"/api/ads?offset={STATE_SIZE}&limit={STATE_SIZE}",
                },
                "filters": {"category": "escort", "region": None, "sort": "recent"},
            },
            "user": None,
            "meta": {"x-cache": "HIT", "generatedAt": NOW.isoformat()},
        }
        skeleton = "".join('<div class="tile skeleton"></div>' for _ in range(8))
        body = f"""<h1>Dernières annonces</h1>
<div id="root"><div class="grid">{skeleton}</div></div>
<script>window.__INITIAL_STATE__ = {js_literal(state)};</script>
<script src="{BUNDLE}" defer></script>"""
        head = (
            f'\n<meta property="og:title" content="Zoekertjes &amp; Annonces">\n'
            f'<meta property="og:image" content="{req.base_url}/static/img/logo-og.png">\n'
            f'<link rel="canonical" href="{req.base_url}/">'
        )
        return Response.html(self.layout("Zoekertjes & Annonces — dernières annonces", body, head))

    def api(self, req: Request) -> Response:
        try:
            offset = max(0, int(req.q("offset", "0")))
            limit = min(50, max(1, int(req.q("limit", "20"))))
        except ValueError:
            return Response.json({"error": "offset and limit must be integers"}, 400)
        items = self.items()
        return Response.json(
            {
                "items": items[offset : offset + limit],
                "offset": offset,
                "limit": limit,
                "total": len(items),
            }
        )

    def ad_page(self, req: Request, ad_id: str) -> Response:
        a = self.by_id.get(ad_id)
        if a is None:
            return Response.html(
                self.layout(
                    "Annonce introuvable",
                    "<h1>Cette annonce a expiré</h1><p>Elle n'est plus en ligne.</p>",
                ),
                404,
            )
        if ad_id == self.flaky_id:
            with self._lock:
                first, self._flaky_done = not self._flaky_done, True
            if first:
                return Response.text("<h1>500 Internal Server Error</h1>", 500, "text/html")
        base = req.base_url
        canonical = base + self.ad_path(a)
        larges = [base + self.img(a["id"], n, "large") for n in range(1, a["n_photos"] + 1)]
        iso = a["posted"].at.isoformat()
        if a["ld"] == "product":
            ld: dict[str, Any] = {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": a["title"],
                "description": a["text"],
                "sku": a["id"],
                "datePublished": iso,
                "image": larges or [base + "/static/img/no-photo.jpg"],
                "offers": {
                    "@type": "Offer",
                    "url": canonical,
                    "availability": "https://schema.org/InStock",
                    "areaServed": a["location"],
                },
            }
        else:
            person: dict[str, Any] = {
                "@type": "Person",
                "@id": canonical + "#person",
                "name": a["alias"],
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": a["location"],
                    "addressCountry": "BE",
                },
            }
            if a["phones"]:
                person["telephone"] = a["phones"][0]
            if larges:
                person["image"] = larges[0] if len(larges) == 1 else larges
            ld = {
                "@context": "https://schema.org",
                "@graph": [
                    person,
                    {
                        "@type": "Offer",
                        "@id": canonical + "#offer",
                        "url": canonical,
                        "name": a["title"],
                        "datePosted": iso,
                        "offeredBy": {"@id": person["@id"]},
                    },
                ],
            }
        og = larges[0] if larges else base + "/static/img/no-photo.jpg"
        if a["n_photos"]:
            imgs = "\n".join(
                f'<a href="{self.img(a["id"], n, "large")}" class="zoom"><img class="lazy" '
                f'src="/static/img/spacer.gif" {a["lazy_attr"]}="{self.img(a["id"], n, "large")}" '
                f'width="{LARGE_W}" height="{LARGE_W * 4 // 3}" alt="{esc(a["alias"])} {n}"></a>'
                if n == 1
                else f'<img class="lazy" src="/static/img/spacer.gif" {a["lazy_attr"]}="'
                f'{self.img(a["id"], n, "large")}" data-thumb="{self.img(a["id"], n, "thumb")}" '
                f'alt="{esc(a["alias"])} {n}">'
                for n in range(1, a["n_photos"] + 1)
            )
        else:
            imgs = '<img src="/static/img/no-photo.jpg" class="no-photo" alt="Pas de photo">'
        labels = {
            "fr": ("Pseudo", "Âge", "Localité", "ans", "Publié le"),
            "nl": ("Naam", "Leeftijd", "Plaats", "jaar", "Geplaatst op"),
            "en": ("Name", "Age", "Location", "years", "Posted on"),
        }[a["lang"]]
        contact = ""
        if a["ld"] == "person" and a["phones"]:
            contact = (
                f'<p class="contact"><a href="tel:{a["phones"][0]}">'
                f"{fmt_phone(a['phones'][0], 'intl')}</a></p>"
            )
        elif not a["phones"]:
            contact = '<p class="contact">Contact via le formulaire uniquement.</p>'
        body = f"""<article class="ad" id="ad-{a["id"]}">
<h1>{esc(a["title"])}</h1>
<p class="meta">Annonce n° {a["id"]} · {labels[4]} <time datetime="{iso}">{esc(a["posted"].text)}</time></p>
<div class="photos">{imgs}</div>
<dl class="profile"><dt>{labels[0]}</dt><dd>{esc(a["alias"])}</dd>
<dt>{labels[1]}</dt><dd>{a["age"]} {labels[3]}</dd>
<dt>{labels[2]}</dt><dd>{esc(a["location"])}</dd></dl>
<div class="text" lang="{a["lang"]}">{esc(a["text"])}</div>
{contact}
</article>
<script>
(function () {{
  var imgs = [].slice.call(document.querySelectorAll('img.lazy'));
  var io = new IntersectionObserver(function (es) {{
    es.forEach(function (e) {{
      if (!e.isIntersecting) return;
      var im = e.target, u = im.getAttribute('data-src') || im.getAttribute('data-lazy');
      if (u) {{ im.src = u; im.classList.remove('lazy'); }}
      io.unobserve(im);
    }});
  }});
  imgs.forEach(function (im) {{ io.observe(im); }});
}})();
</script>"""
        head = f"""
<link rel="canonical" href="{canonical}">
<meta property="og:type" content="website">
<meta property="og:title" content="{esc(a["title"])}">
<meta property="og:url" content="{canonical}">
<meta property="og:image" content="{og}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False, indent=1)}</script>"""
        return Response.html(self.layout(a["title"], body, head, a["lang"]))

    def asset(self, p: str) -> Response:
        if p == BUNDLE:
            return Response(200, BUNDLE_JS.encode(), [("Content-Type", "application/javascript")])
        if p == "/static/img/spacer.gif":
            return Response.image(spacer_gif(), "image/gif")
        if p == "/static/img/no-photo.jpg":
            return Response.image(placeholder("no photo", "jpg"), "image/jpeg")
        if p == "/static/img/logo-og.png":
            return Response.image(banner("Zoekertjes & Annonces", 600, 315), "image/png")
        if p == "/static/ads/banner-2.png":
            return Response.image(banner("Immo Duchene - 02 318 40 00"), "image/png")
        m = re.fullmatch(r"/photos/(\d+)/(\d)_(thumb|large)\.jpg", p)
        if m:
            a = self.by_id.get(m.group(1))
            n = int(m.group(2))
            if a is not None and 1 <= n <= a["n_photos"]:
                w = THUMB_W if m.group(3) == "thumb" else LARGE_W
                return Response.image(picture(f"C:{a['id']}:{n}", w), "image/jpeg")
        return Response.text("Not Found", 404)


BUNDLE_JS = r"""(function () {
  var S = window.__INITIAL_STATE__, root = document.getElementById('root');
  if (!S || !root) return;
  var L = S.listing, grid = document.createElement('div');
  grid.className = 'grid';
  function esc(s) { var d = document.createElement('div'); d.textContent = s == null ? '' : String(s); return d.innerHTML; }
  function tile(it) {
    var img = it.thumb ? '<img src="' + it.thumb + '" alt="">' : '<img src="/static/img/no-photo.jpg" alt="Pas de photo">';
    var d = new Date(it.publishedAt);
    return '<div class="tile' + (it.isPremium ? ' premium' : '') + '"><a href="' + it.url + '">' + img +
      '<h3>' + esc(it.title) + '</h3></a><p>' + esc(it.location) + ' · ' + d.toLocaleDateString('fr-BE') + '</p></div>';
  }
  function add(items) { grid.insertAdjacentHTML('beforeend', items.map(tile).join('')); }
  root.innerHTML = '';
  root.appendChild(grid);
  add(L.items);
  var next = L.pagination.next, more = document.createElement('button');
  more.type = 'button'; more.className = 'more'; more.textContent = 'Afficher plus d\'annonces';
  if (next) root.appendChild(more);
  more.addEventListener('click', function () {
    more.disabled = true;
    fetch(next).then(function (r) { return r.json(); }).then(function (res) {
      add(res.items);
      var o = res.offset + res.limit;
      next = o < res.total ? '/api/ads?offset=' + o + '&limit=' + res.limit : null;
      more.disabled = false;
      if (!next) more.remove();
    });
  });
})();
"""
