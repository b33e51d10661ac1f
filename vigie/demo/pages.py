"""What the two demo sites serve: the static site's HTML and the JavaScript site's JSON.

The markup follows SITES.md exactly (it is the contract with the site specs). Every piece of ad
text goes through `html.escape`.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from importlib import resources
from typing import Any

from vigie.demo import vocab
from vigie.demo.corpus import DemoAd, DemoCorpus

_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
_HEAD = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:sans-serif;max-width:48rem;margin:1rem auto}}
.ad-photo{{max-width:15rem;margin:.2rem}}</style></head>
<body><header><a href="/static/ads?page=1">Petites annonces — démo</a>
<p class="notice">Site de démonstration : annonces fictives générées.</p></header>
"""
_FOOT = "</body></html>\n"


def date_label(when: datetime, lang: str) -> str:
    """ "3 octobre 2026", "3 oktober 2026", "3 October 2026"."""
    return f"{when.day} {_MONTHS[lang][when.month - 1]} {when.year}"


def contact_line(ad: DemoAd) -> str:
    """The ad's contact line as the static site prints it."""
    label = vocab.WHATSAPP_LABEL if ad.phone_style == "wame" else vocab.CONTACT_LABEL[ad.lang]
    return label + ad.phone_rendered


def static_listing(corpus: DemoCorpus, number: int) -> str | None:
    """Listing page `number` of demo-static, or None when there is no such page."""
    page = corpus.page("demo-static", number)
    if page is None:
        return None
    ads, has_next = page
    cards = "".join(
        f'  <li class="ad-card"><a class="ad-link" href="/static/ad/{escape(ad.ad_id)}">'
        f'{escape(ad.title)}</a>\n      <span class="ad-where">{escape(ad.location_text)}</span>'
        "</li>\n"
        for ad in ads
    )
    links = []
    if number > 1:
        links.append(f'<a rel="prev" class="prev" href="/static/ads?page={number - 1}">'
                     "Précédent</a>")
    if has_next:
        links.append(f'<a rel="next" class="next" href="/static/ads?page={number + 1}">'
                     "Suivant</a>")
    return (_HEAD.format(title=f"Annonces — page {number}")
            + f'<ul class="ads">\n{cards}</ul>\n<nav class="pager">{" ".join(links)}</nav>\n'
            + _FOOT)


def static_ad(ad: DemoAd) -> str:
    """The page of one demo-static ad."""
    body = "".join(f"<p>{escape(p)}</p>" for p in ad.body)
    photos = "".join(f'<img class="ad-photo" src="/img/{escape(name)}" alt="">'
                     for name in ad.images)
    article = (
        f'<article class="ad" data-ad-id="{escape(ad.ad_id)}" lang="{escape(ad.lang)}">\n'
        f'  <h1 class="ad-title">{escape(ad.title)}</h1>\n'
        f'  <p class="ad-location">{escape(ad.location_text)}</p>\n'
        f'  <time class="ad-date" datetime="{ad.posted_at.isoformat()}">'
        f"{escape(date_label(ad.posted_at, ad.lang))}</time>\n"
        f'  <div class="ad-body">{body}</div>\n'
        f'  <p class="ad-contact">{escape(contact_line(ad))}</p>\n'
        f'  <div class="ad-photos">{photos}</div>\n'
        "</article>\n"
    )
    return _HEAD.format(title=escape(ad.title)) + article + _FOOT


def api_listing(corpus: DemoCorpus, number: int) -> dict[str, Any] | None:
    """`/js/api/ads?page=N`: the cards of page N and the next page number (or null)."""
    page = corpus.page("demo-js", number)
    if page is None:
        return None
    ads, has_next = page
    cards = [{"id": ad.ad_id, "title": ad.title, "where": ad.location_text,
              "posted_at": ad.posted_at.isoformat()} for ad in ads]
    return {"page": number, "ads": cards, "next": number + 1 if has_next else None}


def api_ad(ad: DemoAd) -> dict[str, Any]:
    """`/js/api/ad/<id>`: the ad without its phone number."""
    return {
        "id": ad.ad_id,
        "lang": ad.lang,
        "title": ad.title,
        "where": ad.location_text,
        "posted_at": ad.posted_at.isoformat(),
        "posted_label": date_label(ad.posted_at, ad.lang),
        "description": list(ad.body),
        "images": [f"/img/{name}" for name in ad.images],
    }


def api_phone(ad: DemoAd) -> dict[str, Any]:
    """`/js/api/ad/<id>/phone`."""
    return {"phone": ad.phone_rendered}


def asset(name: str) -> bytes:
    """A file of the JavaScript site shipped with this package (app.js, js_index.html, …)."""
    return resources.files("vigie.demo").joinpath(name).read_bytes()


def index_page() -> str:
    """`/`: links to both demo sites."""
    return (_HEAD.format(title="Vigie — sites de démonstration")
            + '<ul><li><a href="/static/">demo-static</a></li>'
            '<li><a href="/js/">demo-js</a></li></ul>\n' + _FOOT)
