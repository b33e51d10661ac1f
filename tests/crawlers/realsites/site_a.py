# ruff: noqa: E501 - the sites' HTML and JavaScript templates keep their natural lines
"""Site A — « Annonces Bruxelles Plus »: server-rendered, French.

Patterns: age check as a POST form (urlencoded only, hidden token, sets a cookie); listing with
numbered pagination and tracking parameters on ad links (premium ads twice: "À la une" block and
their normal place, with different ``ref``/``utm_*``); ``<link rel=canonical>``; phone behind an
"Afficher le numéro" button fetching ``/api/phone/<id>?token=…`` (masked number in the HTML);
images in ``<picture><source srcset>`` and ``<img srcset>`` with several widths, relative and
protocol-relative URLs, the largest one under ``/media/resize/w=1280;q=85/…``; French dates
("il y a 2 heures", "hier à 14:30", "12 nov."); profile block "Âge : 24 ans | Ville : Ixelles".
Noise: nav, banner ad with an advertiser's phone, footer switchboard, "similar ads", a no-photo
placeholder, ads without phone, one ad page answering 500 once, a removed ad (404) in the listing.
"""

from __future__ import annotations

import random
import re
import threading
from typing import Any
from urllib.parse import quote

from tests.crawlers.realsites._common import (
    COMMUNES,
    FR_TEXTS,
    FR_TITLES,
    NOW,
    SHARED_PHONE,
    Request,
    Response,
    banner,
    esc,
    fill,
    fmt_phone,
    masked,
    new_mobile,
    picture,
    placeholder,
    posted_fr,
    robots,
    slugify,
    token_for,
)

NAME = "site_a"
SEED = 1301
PER_PAGE = 12
AGE_COOKIE = "age_ok"
FORM_TOKEN = "f3c9a1d07e"
SWITCHBOARD = "02 512 44 10"  # the site's own customer service: not an ad phone
BANNER_PHONE = "02 345 67 89"  # an advertiser in the banner: not an ad phone
REMOVED_ID = "40017"
FLAKY_INDEX = 6  # this ad's page answers 500 the first time
WIDTHS_JPG = (320, 640)
WIDTHS_WEBP = (480, 960)
LARGEST = 1280

PAGE_CSS = """body{font-family:Arial,sans-serif;margin:0;background:#f4f4f6}
header{background:#5a1a3a;color:#fff;padding:8px 16px}header a{color:#fff;margin-right:12px}
main{max-width:980px;margin:0 auto;padding:12px}.card{background:#fff;margin:8px 0;padding:8px;
display:flex;gap:10px}.premium{border-left:4px solid #d4a017}.pub{text-align:center;margin:10px 0}
footer{background:#333;color:#ccc;padding:16px;font-size:13px}"""


class Site:
    name = NAME
    server_header = "nginx"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flaky_done = False
        rng = random.Random(SEED)
        taken: set[str] = set()
        aliases = rng.sample(
            [
                "Léa",
                "Nina",
                "Jade",
                "Mila",
                "Lina",
                "Zoé",
                "Inès",
                "Maya",
                "Anaïs",
                "Clara",
                "Elena",
                "Yasmine",
                "Julie",
                "Amira",
                "Luna",
                "Bella",
                "Iris",
                "Nora",
                "Sara",
                "Oriane",
                "Paloma",
                "Célia",
                "Margaux",
                "Solène",
                "Ambre",
                "Nadia",
                "Talia",
                "Eva",
                "Carmen",
                "Livia",
                "Rita",
                "Sofia",
            ],
            30,
        )
        kinds = (
            ["minutes"] * 3 + ["hours"] * 8 + ["today_at"] * 3 + ["yesterday_at"] * 7 + ["date"] * 9
        )
        rng.shuffle(kinds)
        ids = rng.sample(range(41000, 49999), 30)
        self.ads: list[dict[str, Any]] = []
        for i in range(30):
            commune = COMMUNES[rng.randrange(len(COMMUNES))]
            loc = commune[0]
            if i % 7 == 3:
                loc = f"{commune[0]} ({commune[2]})"
            alias = aliases[i]
            age = rng.randrange(21, 46)
            kind = kinds[i]
            n = {
                "minutes": rng.randrange(5, 55),
                "hours": rng.randrange(1, 12),
                "date": rng.randrange(2, 25),
            }.get(kind, 0)
            posted = posted_fr(kind, n, rng)
            phones: list[str] = []
            if i not in (4, 19):  # two ads have no phone
                phones.append(SHARED_PHONE if i == 2 else new_mobile(rng, taken))
            text = fill(rng.choice(FR_TEXTS), rng, alias=alias, loc=commune[0])
            if i in (8, 15, 23):  # a second number, written in the text
                wa = new_mobile(rng, taken)
                phones.append(wa)
                text += f" WhatsApp : {fmt_phone(wa, rng.choice(['intl', 'nat_slash', 'intl_00']))}"
            n_photos = 0 if i in (5, 17, 27) else rng.randrange(1, 5)
            ad_id = str(ids[i])
            title = fill(rng.choice(FR_TITLES), rng, alias=alias, loc=commune[0])
            self.ads.append(
                {
                    "id": ad_id,
                    "alias": alias,
                    "age": age,
                    "location": loc,
                    "title": title,
                    "text": text,
                    "phones": phones,
                    "n_photos": n_photos,
                    "posted": posted,
                    "premium": i in (1, 9, 14, 22),
                    "slug": slugify(f"{alias} {commune[0]}"),
                }
            )
        self.ads.sort(key=lambda a: a["posted"].at, reverse=True)
        self.by_id = {a["id"]: a for a in self.ads}
        self.flaky_id = self.ads[FLAKY_INDEX]["id"]

    # ---------------------------------------------------------------- URLs
    @staticmethod
    def ad_path(ad: dict[str, Any]) -> str:
        return f"/annonce/{ad['slug']}-{ad['id']}.html"

    @staticmethod
    def largest(ad_id: str, n: int) -> str:
        return f"/media/resize/w={LARGEST};q=85/{ad_id}/{n}.jpg"

    # ---------------------------------------------------------------- truth
    def truth(self) -> dict[str, Any]:
        ads = []
        for a in self.ads:
            variants = []
            for n in range(1, a["n_photos"] + 1):
                v = [f"{{base}}/media/{a['id']}/{n}-{w}.jpg" for w in WIDTHS_JPG]
                v += [f"{{base}}/media/{a['id']}/{n}-{w}.webp" for w in WIDTHS_WEBP]
                v.append("{base}" + self.largest(a["id"], n))
                variants.append(v)
            ads.append(
                {
                    "id": a["id"],
                    "url": "{base}" + self.ad_path(a),
                    "title": a["title"],
                    "phones": a["phones"],
                    "images": [
                        "{base}" + self.largest(a["id"], n) for n in range(1, a["n_photos"] + 1)
                    ],
                    "image_variants": variants,
                    "no_photo_placeholder": a["n_photos"] == 0,
                    "alias": a["alias"],
                    "age": a["age"],
                    "location": a["location"],
                    **a["posted"].truth(),
                    "premium": a["premium"],
                }
            )
        return {
            "site": NAME,
            "now": NOW.isoformat(),
            "language": "fr",
            "start_url": "{base}/annonces",
            "not_ad_phones": ["+3225124410", "+3223456789"],
            "placeholder_image": "{base}/static/img/pas-de-photo.png",
            "removed_ad_url": f"{{base}}/annonce/annonce-retiree-{REMOVED_ID}.html",
            "flaky_ad_url": "{base}" + self.ad_path(self.by_id[self.flaky_id]),
            "age_gate": {
                "form": "{base}/verification-age",
                "method": "POST",
                "content_type": "application/x-www-form-urlencoded",
                "fields": {"_token": FORM_TOKEN, "majeur": "oui", "next": "/annonces"},
                "cookie": {AGE_COOKIE: "1"},
            },
            "ads": ads,
        }

    # ---------------------------------------------------------------- routing
    def handle(self, req: Request) -> Response:
        p = req.path
        if p == "/robots.txt":
            return robots()
        if p.startswith("/media/") or p.startswith("/static/") or p.startswith("/pub/"):
            return self.asset(p)
        if p == "/verification-age":
            return self.age_gate(req)
        if req.cookies.get(AGE_COOKIE) != "1":
            if p.startswith("/api/"):
                return Response.json({"error": "age_verification_required"}, 403)
            nxt = p + (
                "?" + "&".join(f"{k}={quote(v[0])}" for k, v in req.query.items())
                if req.query
                else ""
            )
            return Response.redirect("/verification-age?next=" + quote(nxt, safe=""))
        if p in ("/", "/index.html"):
            return Response.redirect("/annonces", 301)
        if p == "/annonces":
            return self.listing(req)
        m = re.fullmatch(r"/annonce/([a-z0-9-]+)-(\d+)\.html", p)
        if m:
            return self.ad_page(req, m.group(2), m.group(1))
        m = re.fullmatch(r"/api/phone/(\d+)", p)
        if m:
            return self.phone_api(req, m.group(1))
        if p.startswith("/annonce/"):
            return self.not_found()
        return Response.html(
            "<!DOCTYPE html><html lang=fr><title>Page introuvable</title>"
            "<h1>Page introuvable</h1></html>",
            404,
        )

    # ---------------------------------------------------------------- pages
    def layout(self, req: Request, title: str, body: str, head: str = "") -> str:
        return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} | Annonces Bruxelles Plus</title>
<style>{PAGE_CSS}</style>{head}
</head><body>
<header><a href="/" class="logo"><b>Annonces Bruxelles Plus</b></a>
<nav><a href="/annonces">Toutes les annonces</a><a href="/annonces?page=1&amp;tri=recent">Récentes</a>
<a href="/publier">Publier une annonce</a><a href="/mon-compte">Mon compte</a>
<a href="/contact">Contact</a></nav></header>
<main>
<div class="pub"><a href="/pub/clic?c=demenagements-lambert&amp;utm_source=site" rel="sponsored">
<img src="/pub/banner-728x90-1.png" width="728" height="90" alt="Déménagements Lambert"></a>
<div class="pub-text">Publicité — Déménagements Lambert, devis gratuit au {BANNER_PHONE}</div></div>
{body}
</main>
<footer><p>Annonces Bruxelles Plus — petites annonces entre particuliers depuis 2011.</p>
<p>Service clients : {SWITCHBOARD} (lun.–ven., 9h–17h) · contact@annonces-bxl-plus.example</p>
<p><a href="/cgu">Conditions d'utilisation</a> · <a href="/vie-privee">Vie privée</a> ·
<a href="/signaler">Signaler un abus</a></p></footer>
</body></html>"""

    def age_gate(self, req: Request) -> Response:
        nxt = req.q("next", "/annonces")
        if req.method == "POST":
            ctype = req.headers.get("content-type", "")
            if not ctype.lower().startswith("application/x-www-form-urlencoded"):
                return Response.text(
                    "Unsupported Media Type: formulaire attendu "
                    "(application/x-www-form-urlencoded)",
                    415,
                )
            form = req.form()
            nxt = form.get("next", [nxt])[0]
            if form.get("_token", [""])[0] != FORM_TOKEN or form.get("majeur", [""])[0] != "oui":
                return self.gate_page(req, nxt, "Veuillez confirmer que vous êtes majeur.", 400)
            if not nxt.startswith("/") or nxt.startswith("//"):
                nxt = "/annonces"
            r = Response.redirect(nxt, 303)
            r.headers.append(
                ("Set-Cookie", f"{AGE_COOKIE}=1; Path=/; Max-Age=86400; SameSite=Lax; HttpOnly")
            )
            return r
        return self.gate_page(req, nxt)

    def gate_page(self, req: Request, nxt: str, error: str = "", status: int = 200) -> Response:
        err = f'<p class="error">{esc(error)}</p>' if error else ""
        body = f"""<section class="age-check"><h1>Accès réservé aux adultes</h1>
<p>Ce site contient des annonces réservées aux personnes majeures. En entrant, vous confirmez
avoir 18 ans ou plus et accepter nos conditions d'utilisation.</p>{err}
<form method="post" action="/verification-age" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="_token" value="{FORM_TOKEN}">
<input type="hidden" name="next" value="{esc(nxt)}">
<button type="submit" name="majeur" value="oui" class="btn-enter">J'ai 18 ans ou plus — Entrer</button>
<a href="https://www.google.be/" class="btn-leave">Quitter</a>
</form></section>"""
        return Response.html(self.layout(req, "Vérification de l'âge", body), status)

    def not_found(self) -> Response:
        return Response.html(
            "<!DOCTYPE html><html lang=fr><head><title>Annonce introuvable"
            "</title></head><body><h1>Cette annonce n'existe plus</h1><p>Elle a "
            "été retirée par son auteur ou par la modération.</p><p><a href="
            '"/annonces">Retour aux annonces</a></p></body></html>',
            404,
        )

    def thumb(self, ad: dict[str, Any]) -> str:
        if ad["n_photos"] == 0:
            return (
                '<img class="thumb" src="/static/img/pas-de-photo.png" width="160" '
                'height="120" alt="Pas de photo">'
            )
        return (
            f'<img class="thumb" src="/media/{ad["id"]}/1-320.jpg" srcset="/media/{ad["id"]}'
            f'/1-320.jpg 1x, /media/{ad["id"]}/1-640.jpg 2x" width="160" height="213" '
            f'alt="{esc(ad["alias"])}" loading="lazy">'
        )

    def card(self, ad: dict[str, Any], query: str, premium: bool = False) -> str:
        href = self.ad_path(ad) + "?" + query
        cls = "card premium" if premium else "card"
        badge = '<span class="badge">À la une</span>' if premium else ""
        return f"""<article class="{cls}" data-ref="{ad["id"]}">
<a href="{esc(href)}" class="card-img">{self.thumb(ad)}</a>
<div class="card-body">{badge}<h2><a href="{esc(href)}" class="card-title">{esc(ad["title"])}</a></h2>
<p class="card-meta">{esc(ad["location"])} · <span class="date">{esc(ad["posted"].text)}</span></p>
<p class="card-excerpt">{esc(ad["text"][:90])}…</p></div></article>"""

    def listing(self, req: Request) -> Response:
        try:
            page = max(1, int(req.q("page", "1")))
        except ValueError:
            page = 1
        entries: list[dict[str, Any] | None] = list(self.ads)
        entries.insert(16, None)  # the removed ad, still linked from page 2
        pages = (len(entries) + PER_PAGE - 1) // PER_PAGE
        if page > pages:
            return Response.html(self.layout(req, "Annonces", "<p>Aucune annonce.</p>"), 404)
        chunk = entries[(page - 1) * PER_PAGE : page * PER_PAGE]
        top = "".join(
            self.card(
                a,
                f"ref=une&utm_source=annonces&utm_medium=premium&utm_content=p{page}",
                premium=True,
            )
            for a in self.ads
            if a["premium"]
        )
        cards = []
        for pos, a in enumerate(chunk):
            if a is None:
                href = f"/annonce/annonce-retiree-{REMOVED_ID}.html?ref=liste&utm_source=annonces"
                cards.append(f"""<article class="card" data-ref="{REMOVED_ID}">
<a href="{href}" class="card-img"><img class="thumb" src="/static/img/pas-de-photo.png" alt=""></a>
<div class="card-body"><h2><a href="{href}" class="card-title">Annonce retirée</a></h2>
<p class="card-meta">Bruxelles · <span class="date">3 nov.</span></p></div></article>""")
                continue
            q = f"ref=liste&utm_source=annonces&utm_campaign=p{page}&pos={pos + 1}"
            cards.append(self.card(a, q, premium=False))
        nav = ['<nav class="pagination" aria-label="Pages">']
        if page > 1:
            prev = "/annonces" if page == 2 else f"/annonces?page={page - 1}"
            nav.append(f'<a href="{prev}" rel="prev" class="prev">‹ Précédente</a>')
        for n in range(1, pages + 1):
            if n == page:
                nav.append(f'<span class="current" aria-current="page">{n}</span>')
            else:
                nav.append(
                    f'<a href="{"/annonces" if n == 1 else f"/annonces?page={n}"}" '
                    f'class="page">{n}</a>'
                )
        if page < pages:
            nav.append(
                f'<a href="/annonces?page={page + 1}" rel="next" class="next">Suivante ›</a>'
            )
        nav.append("</nav>")
        body = (
            f'<h1>Annonces — Bruxelles</h1><section class="a-la-une"><h2>À la une</h2>{top}'
            f'</section><section class="liste"><h2>Toutes les annonces (page {page})</h2>'
            + "".join(cards)
            + "</section>"
            + "\n".join(nav)
        )
        canon = f'<link rel="canonical" href="{req.base_url}/annonces' + (
            f'?page={page}">' if page > 1 else '">'
        )
        return Response.html(self.layout(req, f"Annonces — page {page}", body, canon))

    def gallery(self, req: Request, ad: dict[str, Any]) -> str:
        if ad["n_photos"] == 0:
            return (
                '<div class="galerie"><img src="/static/img/pas-de-photo.png" class="photo '
                'no-photo" width="400" height="300" alt="Pas de photo"></div>'
            )
        i, host = ad["id"], req.host
        out = ['<div class="galerie">']
        for n in range(1, ad["n_photos"] + 1):
            out.append(f"""<picture>
<source type="image/webp" srcset="../media/{i}/{n}-480.webp 480w, //{host}/media/{i}/{n}-960.webp 960w" sizes="(max-width: 600px) 100vw, 480px">
<img class="photo" src="../media/{i}/{n}-320.jpg" srcset="../media/{i}/{n}-320.jpg 320w, /media/{i}/{n}-640.jpg 640w, //{host}{self.largest(i, n)} {LARGEST}w" sizes="(max-width: 600px) 100vw, 480px" width="480" height="640" alt="Photo {n} — {esc(ad["alias"])}" loading="{"eager" if n == 1 else "lazy"}">
</picture>""")
        out.append("</div>")
        return "\n".join(out)

    def ad_page(self, req: Request, ad_id: str, slug: str) -> Response:
        ad = self.by_id.get(ad_id)
        if ad is None:
            return self.not_found()
        if slug != ad["slug"]:
            return Response.redirect(self.ad_path(ad), 301)
        if ad_id == self.flaky_id:
            with self._lock:
                first, self._flaky_done = not self._flaky_done, True
            if first:
                return Response.html(
                    "<!DOCTYPE html><html><head><title>Erreur 500</title></head>"
                    "<body><h1>Oups, une erreur est survenue.</h1><p>Réessayez "
                    "dans quelques instants.</p></body></html>",
                    500,
                )
        canonical = req.base_url + self.ad_path(ad)
        if ad["phones"]:
            contact = f"""<div class="contact"><span class="phone-masked">{masked(ad["phones"][0])}</span>
<button type="button" class="btn-show-phone" data-id="{ad["id"]}" data-token="{token_for(NAME, ad["id"])}">Afficher le numéro</button></div>"""
        else:
            contact = (
                '<div class="contact"><p>Cette personne préfère être contactée via la '
                'messagerie du site.</p><a class="btn" href="/messagerie/nouveau?annonce='
                f'{ad["id"]}">Envoyer un message</a></div>'
            )
        similar = [a for a in self.ads if a["id"] != ad_id][self.ads.index(ad) % 5 :][:3]
        sim = "".join(
            f'<li><a href="{self.ad_path(a)}?ref=similaires&amp;utm_source=annonce">'
            f"{esc(a['title'])}</a></li>"
            for a in similar
        )
        body = f"""<nav class="breadcrumb"><a href="/">Accueil</a> › <a href="/annonces">Annonces</a> › {esc(ad["location"])}</nav>
<article class="annonce">
<h1 class="titre">{esc(ad["title"])}</h1>
<p class="meta">Réf. annonce : <span class="ref">{ad["id"]}</span> · Publiée <time class="date">{esc(ad["posted"].text)}</time></p>
{self.gallery(req, ad)}
<div class="annonceur">Pseudo : <strong class="pseudo">{esc(ad["alias"])}</strong></div>
<p class="profil">Âge : {ad["age"]} ans | Ville : {esc(ad["location"])}</p>
<div class="description">{esc(ad["text"])}</div>
{contact}
<p class="securite">Conseil : ne payez jamais à l'avance. <a href="/signaler?annonce={ad["id"]}">Signaler cette annonce</a></p>
</article>
<aside class="similaires"><h2>Annonces similaires</h2><ul>{sim}</ul></aside>
<script>
document.querySelectorAll('.btn-show-phone').forEach(function (b) {{
  b.addEventListener('click', function () {{
    b.disabled = true;
    fetch('/api/phone/' + b.dataset.id + '?token=' + encodeURIComponent(b.dataset.token),
          {{credentials: 'same-origin', headers: {{'X-Requested-With': 'XMLHttpRequest'}}}})
      .then(function (r) {{ return r.json(); }})
      .then(function (d) {{
        var a = document.createElement('a');
        a.href = 'tel:' + d.tel; a.className = 'phone'; a.textContent = d.display;
        var m = document.querySelector('.phone-masked'); if (m) m.remove();
        b.parentNode.replaceChild(a, b);
      }});
  }});
}});
</script>"""
        head = (
            f'<link rel="canonical" href="{canonical}">\n<meta name="description" '
            f'content="{esc(ad["text"][:150])}">'
        )
        return Response.html(self.layout(req, ad["title"], body, head))

    def phone_api(self, req: Request, ad_id: str) -> Response:
        ad = self.by_id.get(ad_id)
        if ad is None or not ad["phones"]:
            return Response.json({"error": "not_found"}, 404)
        if req.q("token") != token_for(NAME, ad_id):
            return Response.json({"error": "invalid_token"}, 403)
        e164 = ad["phones"][0]
        return Response.json({"id": ad_id, "display": fmt_phone(e164, "nat"), "tel": e164})

    # ---------------------------------------------------------------- images
    def asset(self, p: str) -> Response:
        if p == "/static/img/pas-de-photo.png":
            return Response.image(placeholder("pas de photo"), "image/png")
        m = re.fullmatch(r"/pub/banner-728x90-(\d)\.png", p)
        if m:
            return Response.image(banner(f"Déménagements Lambert — {BANNER_PHONE}"), "image/png")
        m = re.fullmatch(r"/media/(\d+)/(\d)-(\d+)\.(jpg|webp)", p)
        if m:
            i, n, w, ext = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
            ok = WIDTHS_JPG if ext == "jpg" else WIDTHS_WEBP
            if w in ok and self._has_photo(i, n):
                return Response.image(
                    picture(f"A:{i}:{n}", w, ext), f"image/{ext}".replace("jpg", "jpeg")
                )
        m = re.fullmatch(r"/media/resize/w=(\d+);q=85/(\d+)/(\d)\.jpg", p)
        if m and int(m.group(1)) == LARGEST and self._has_photo(m.group(2), int(m.group(3))):
            return Response.image(picture(f"A:{m.group(2)}:{m.group(3)}", LARGEST), "image/jpeg")
        return Response.text("Not Found", 404)

    def _has_photo(self, ad_id: str, n: int) -> bool:
        ad = self.by_id.get(ad_id)
        return ad is not None and 1 <= n <= ad["n_photos"]
