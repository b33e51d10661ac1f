"""Shared pieces of the synthetic sites: fixed now, seeded data, Pillow images, request/response.

Everything is deterministic: a site built twice from the same seed serves the same bytes and
has the same truth.  All content is invented and non-explicit.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

import phonenumbers
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# --------------------------------------------------------------------------------------------
# Fixed "now": Friday 20 November 2026, 15:00 in Brussels (CET, UTC+1; no DST in November).
# --------------------------------------------------------------------------------------------
CET = timezone(timedelta(hours=1), "CET")
NOW = datetime(2026, 11, 20, 15, 0, 0, tzinfo=CET)

# A phone deliberately shared by one ad of site_a and one ad of site_c (a cross-site network).
SHARED_PHONE = "+32470318842"


# --------------------------------------------------------------------------------------------
# Requests and responses (independent of the HTTP server used)
# --------------------------------------------------------------------------------------------
@dataclass
class Request:
    method: str
    path: str  # raw path without query, percent-encoding kept
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    base_url: str  # e.g. http://127.0.0.1:41234 (no trailing slash)

    @property
    def cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(self.headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is just no cookie
            return {}
        return {k: m.value for k, m in jar.items()}

    def q(self, name: str, default: str = "") -> str:
        return self.query.get(name, [default])[0]

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    @property
    def host(self) -> str:
        """host:port as the client sees it (for protocol-relative URLs)."""
        return self.base_url.split("://", 1)[1]


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def html(cls, text: str, status: int = 200, **kw: Any) -> Response:
        r = cls(status, text.encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")])
        r.headers.extend(kw.get("headers", []))
        return r

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return cls(status, body, [("Content-Type", "application/json; charset=utf-8")])

    @classmethod
    def text(cls, text: str, status: int = 200, ctype: str = "text/plain") -> Response:
        return cls(status, text.encode("utf-8"), [("Content-Type", f"{ctype}; charset=utf-8")])

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Response:
        return cls(status, b"", [("Location", location)])

    @classmethod
    def image(cls, data: bytes, ctype: str) -> Response:
        return cls(200, data, [("Content-Type", ctype), ("Cache-Control", "public, max-age=86400")])


def esc(s: object) -> str:
    return html.escape(str(s), quote=True)


# --------------------------------------------------------------------------------------------
# Seeded synthetic data
# --------------------------------------------------------------------------------------------
ALIASES = [
    "Léa",
    "Nina",
    "Sofia",
    "Jade",
    "Mila",
    "Eva",
    "Lina",
    "Zoé",
    "Inès",
    "Maya",
    "Anaïs",
    "Clara",
    "Elena",
    "Yasmine",
    "Noor",
    "Lotte",
    "Fleur",
    "Sanne",
    "Emma",
    "Julie",
    "Amira",
    "Kira",
    "Tessa",
    "Roos",
    "Luna",
    "Bella",
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
    "Oriane",
    "Paloma",
    "Célia",
    "Margaux",
    "Talia",
    "Fenna",
    "Liv",
    "Solène",
    "Ambre",
    "Nadia",
]

# (as written in French, as written in Dutch, postcode)
COMMUNES = [
    ("Ixelles", "Elsene", "1050"),
    ("Saint-Gilles", "Sint-Gillis", "1060"),
    ("Schaerbeek", "Schaarbeek", "1030"),
    ("Etterbeek", "Etterbeek", "1040"),
    ("Anderlecht", "Anderlecht", "1070"),
    ("Uccle", "Ukkel", "1180"),
    ("Bruxelles", "Brussel", "1000"),
    ("Forest", "Vorst", "1190"),
    ("Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek", "1080"),
    ("Saint-Josse-ten-Noode", "Sint-Joost-ten-Node", "1210"),
    ("Evere", "Evere", "1140"),
    ("Jette", "Jette", "1090"),
    ("Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe", "1200"),
    ("Auderghem", "Oudergem", "1160"),
    ("Koekelberg", "Koekelberg", "1081"),
    ("Laeken", "Laken", "1020"),
]

MOBILE_PREFIXES = [
    "470",
    "471",
    "472",
    "473",
    "474",
    "475",
    "476",
    "477",
    "478",
    "479",
    "484",
    "485",
    "486",
    "487",
    "488",
    "489",
    "490",
    "491",
    "492",
    "493",
    "494",
    "495",
    "496",
    "497",
    "498",
    "499",
    "465",
    "466",
    "467",
    "468",
]


def is_valid_be(e164: str) -> bool:
    try:
        n = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(n) and n.country_code == 32


def new_mobile(rng: random.Random, taken: set[str]) -> str:
    """A fictitious, valid-format Belgian mobile number in E.164, unique within ``taken``."""
    while True:
        e164 = "+32" + rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(1_000_000):06d}"
        if e164 not in taken and e164 != SHARED_PHONE and is_valid_be(e164):
            taken.add(e164)
            return e164


def fmt_phone(e164: str, style: str) -> str:
    """Write a Belgian mobile (+324XXYYYYYY) the ways people write it."""
    nsn = e164[3:]  # 9 digits, e.g. 475123456
    p, a, b, c = nsn[:3], nsn[3:5], nsn[5:7], nsn[7:9]
    return {
        "nat": f"0{p} {a} {b} {c}",
        "nat_slash": f"0{p}/{a}.{b}.{c}",
        "nat_3": f"0{p} {nsn[3:6]} {nsn[6:]}",
        "nat_plain": f"0{nsn}",
        "intl": f"+32 {p} {a} {b} {c}",
        "intl_0": f"+32 (0){p} {a} {b} {c}",
        "intl_00": f"0032 {p} {a} {b} {c}",
        "intl_plain": e164,
    }[style]


def masked(e164: str) -> str:
    return f"0{e164[3:6]} XX XX XX"


def token_for(site: str, ad_id: str) -> str:
    return hashlib.sha256(f"{site}:{ad_id}:token".encode()).hexdigest()[:20]


def slugify(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    out = []
    for ch in s:
        out.append(ch if ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)


# --------------------------------------------------------------------------------------------
# Dates: nominal value + tolerance implied by the wording
# --------------------------------------------------------------------------------------------
@dataclass
class Posted:
    text: str  # as written on the site
    at: datetime  # nominal instant (fixed NOW based)
    tolerance_s: int  # how far the real instant can be from ``at`` given the wording
    day: date | None = None  # the local date, when the wording names a day

    def truth(self) -> dict[str, Any]:
        return {
            "posted_text": self.text,
            "posted_at": self.at.isoformat(),
            "posted_at_tolerance_s": self.tolerance_s,
            "posted_date": (self.day or self.at.date()).isoformat(),
        }


def midday(d: date) -> datetime:
    return datetime.combine(d, time(12, 0), CET)


FR_MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def posted_fr(kind: str, n: int, rng: random.Random) -> Posted:
    if kind == "minutes":
        return Posted(f"il y a {n} minutes", NOW - timedelta(minutes=n), 60)
    if kind == "hours":
        txt = "il y a 1 heure" if n == 1 else f"il y a {n} heures"
        return Posted(txt, NOW - timedelta(hours=n), 3600)
    if kind == "yesterday_at":
        d = NOW.date() - timedelta(days=1)
        t = time(rng.randrange(8, 23), rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50]))
        return Posted(f"hier à {t:%H:%M}", datetime.combine(d, t, CET), 60, d)
    if kind == "today_at":
        t = time(rng.randrange(7, 14), rng.choice([0, 10, 25, 35, 55]))
        return Posted(f"aujourd'hui à {t:%H:%M}", datetime.combine(NOW.date(), t, CET), 60)
    if kind == "date":
        d = NOW.date() - timedelta(days=n)
        return Posted(f"{d.day} {FR_MONTHS[d.month - 1]}", midday(d), 43200, d)
    raise ValueError(kind)


def posted_nl(kind: str, n: int) -> Posted:
    if kind == "hours":
        txt = "1 uur geleden" if n == 1 else f"{n} uur geleden"
        return Posted(txt, NOW - timedelta(hours=n), 3600)
    if kind == "yesterday":
        d = NOW.date() - timedelta(days=1)
        return Posted("gisteren", midday(d), 43200, d)
    if kind == "days":
        d = NOW.date() - timedelta(days=n)
        return Posted(f"{n} dagen geleden", NOW - timedelta(days=n), 86400, d)
    raise ValueError(kind)


def posted_en(kind: str, n: int, prefix: str = "") -> Posted:
    if kind == "minutes":
        return Posted(f"{prefix}{n} minutes ago", NOW - timedelta(minutes=n), 60)
    if kind == "hours":
        txt = "1 hour ago" if n == 1 else f"{n} hours ago"
        return Posted(prefix + txt, NOW - timedelta(hours=n), 3600)
    if kind == "yesterday":
        d = NOW.date() - timedelta(days=1)
        return Posted(f"{prefix}yesterday", midday(d), 43200, d)
    if kind == "days":
        txt = "1 day ago" if n == 1 else f"{n} days ago"
        d = NOW.date() - timedelta(days=n)
        return Posted(prefix + txt, NOW - timedelta(days=n), 86400, d)
    if kind == "weeks":
        txt = "1 week ago" if n == 1 else f"{n} weeks ago"
        return Posted(prefix + txt, NOW - timedelta(weeks=n), 302400)  # ± half a week
    raise ValueError(kind)


def posted_exact(at: datetime, text: str) -> Posted:
    return Posted(text, at, 0)


# --------------------------------------------------------------------------------------------
# Ad texts (ordinary advertising wording only: availability, place, contact)
# --------------------------------------------------------------------------------------------
FR_TITLES = [
    "{alias}, nouvelle à {loc}",
    "Disponible à {loc} cette semaine",
    "{alias} — rendez-vous à {loc}",
    "De passage à {loc} jusqu'à dimanche",
    "{alias}, accueil sur rendez-vous ({loc})",
]
FR_TEXTS = [
    "Bonjour, je m'appelle {alias}. Je reçois sur rendez-vous à {loc}, du lundi au vendredi, "
    "de {h1}h à {h2}h. Merci de m'appeler ou de m'envoyer un SMS ; pas de numéro masqué.",
    "Nouvelle à {loc} ! Disponible cette semaine en journée et en soirée. Rendez-vous "
    "uniquement par téléphone, au moins une heure à l'avance.",
    "{alias}, de passage à {loc} jusqu'à dimanche. Prise de rendez-vous par téléphone, réponse "
    "rapide entre {h1}h et {h2}h.",
    "Salut, c'est {alias}. Je suis disponible à {loc} le week-end et certains soirs de "
    "semaine. Contactez-moi pour convenir d'un horaire.",
]
NL_TITLES = [
    "{alias}, nieuw in {loc}",
    "Beschikbaar in {loc} deze week",
    "{alias} — afspraken in {loc}",
]
NL_TEXTS = [
    "Hallo, ik ben {alias}. Beschikbaar op afspraak in {loc}, van maandag tot vrijdag, "
    "tussen {h1}u en {h2}u. Bel of stuur een sms, geen anonieme nummers.",
    "Nieuw in {loc}! Deze week beschikbaar, overdag en 's avonds. Alleen op afspraak, "
    "graag een uur op voorhand.",
    "{alias} hier, op doorreis in {loc} tot zondag. Afspraken telefonisch, snel antwoord.",
]
EN_TITLES = [
    "{alias}, new in {loc}",
    "Available in {loc} this week",
    "{alias} — appointments in {loc}",
]
EN_TEXTS = [
    "Hi, I'm {alias}. Available by appointment in {loc}, Monday to Saturday, from {h1}:00 to "
    "{h2}:00. Call or text, no private numbers.",
    "New in town: visiting {loc} this week only. Contact by phone to book a time.",
    "{alias} here, in {loc} until Sunday. Appointments by phone, quick replies.",
]


def fill(tpl: str, rng: random.Random, **kw: Any) -> str:
    h1 = rng.choice([9, 10, 11, 12, 13, 14])
    return tpl.format(h1=h1, h2=h1 + rng.choice([6, 8, 9, 10]), **kw)


# --------------------------------------------------------------------------------------------
# Generated images (gradients, shapes, noise — never photographs)
# --------------------------------------------------------------------------------------------
def _palette(rng: random.Random) -> list[tuple[int, int, int]]:
    return [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(6)]


@lru_cache(maxsize=512)
def _base_picture(key: str) -> Image.Image:
    """A 480x640 abstract picture unique to ``key`` (every size is this one resized)."""
    rng = random.Random(hashlib.sha256(key.encode()).digest())
    w, h = 480, 640
    pal = _palette(rng)
    grad = Image.linear_gradient("L").resize((w, h)).rotate(rng.randrange(360), expand=False)
    img = Image.composite(Image.new("RGB", (w, h), pal[0]), Image.new("RGB", (w, h), pal[1]), grad)
    d = ImageDraw.Draw(img)
    for i in range(rng.randrange(4, 9)):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1, y1 = x0 + rng.randrange(40, 260), y0 + rng.randrange(40, 260)
        colour = pal[2 + i % 4]
        shape = rng.randrange(3)
        if shape == 0:
            d.ellipse((x0, y0, x1, y1), fill=colour)
        elif shape == 1:
            d.rectangle((x0, y0, x1, y1), fill=colour)
        else:
            d.polygon([(x0, y1), ((x0 + x1) // 2, y0), (x1, y1)], fill=colour)
    # seeded noise (Image.effect_noise uses the C library's rand(): order-dependent)
    noise = Image.frombytes("L", (w // 4, h // 4), rng.randbytes(w * h // 16))
    noise = noise.resize((w, h), Image.Resampling.NEAREST).convert("RGB")
    return Image.blend(img, noise, 0.12).filter(ImageFilter.SMOOTH)


FORMATS = {
    "jpg": ("JPEG", "image/jpeg"),
    "jpeg": ("JPEG", "image/jpeg"),
    "png": ("PNG", "image/png"),
    "webp": ("WEBP", "image/webp"),
}


@lru_cache(maxsize=1024)
def picture(key: str, width: int, ext: str = "jpg") -> bytes:
    width = max(32, min(width, 1600))
    img = _base_picture(key).resize((width, width * 4 // 3), Image.Resampling.BILINEAR)
    fmt, _ = FORMATS[ext]
    buf = io.BytesIO()
    img.save(buf, fmt, quality=82) if fmt in ("JPEG", "WEBP") else img.save(buf, fmt)
    return buf.getvalue()


@lru_cache(maxsize=8)
def placeholder(label: str = "no photo", ext: str = "png") -> bytes:
    """The grey 'no photo' placeholder a site shows for an ad without a picture."""
    img = Image.new("RGB", (400, 300), (226, 226, 226))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((150, 95, 250, 175), radius=10, outline=(150, 150, 150), width=6)
    d.ellipse((178, 112, 222, 156), outline=(150, 150, 150), width=6)
    d.text((200, 215), label, fill=(120, 120, 120), anchor="mm", font=ImageFont.load_default())
    buf = io.BytesIO()
    img.save(buf, FORMATS[ext][0])
    return buf.getvalue()


@lru_cache(maxsize=32)
def banner(text: str, w: int = 728, h: int = 90) -> bytes:
    rng = random.Random(text)
    pal = _palette(rng)
    grad = Image.linear_gradient("L").rotate(90).resize((w, h))
    img = Image.composite(Image.new("RGB", (w, h), pal[0]), Image.new("RGB", (w, h), pal[1]), grad)
    d = ImageDraw.Draw(img)
    d.text((w // 2, h // 2), text, fill=(255, 255, 255), anchor="mm", font=ImageFont.load_default())
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def robots() -> Response:
    return Response.text("User-agent: *\nAllow: /\n")
