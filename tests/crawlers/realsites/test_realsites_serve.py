"""Self-test of the synthetic sites: each serves its listing, an ad page and an image, and its
truth file is consistent (valid phones, 20–40 ads, same as regenerated).  No crawler code."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

import phonenumbers
import pytest
from PIL import Image

from tests.crawlers.realsites import SITES, load_truth
from tests.crawlers.realsites.server import make_site, serve

_NO_REDIRECT = urllib.request.build_opener(
    type(
        "NoRedirect",
        (urllib.request.HTTPRedirectHandler,),
        {"redirect_request": lambda *a, **k: None},
    )
)


def fetch(
    url: str, cookie: str = "", data: bytes | None = None, ctype: str = ""
) -> tuple[int, dict[str, str], bytes]:
    headers = {"User-Agent": "realsites-selftest"}
    if cookie:
        headers["Cookie"] = cookie
    if ctype:
        headers["Content-Type"] = ctype
    assert url.startswith("http://127.0.0.1:")
    req = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - loopback only
    try:
        with _NO_REDIRECT.open(req, timeout=5) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, dict(e.headers.items()), e.read()


COOKIES = {"site_a": "age_ok=1", "site_b": "", "site_c": "", "site_d": "vg_clearance=1a9-9c1e"}
LISTING_MARK = {
    "site_a": b'article class="card',
    "site_b": b'<div id="app">',
    "site_c": b"window.__INITIAL_STATE__ = {",
    "site_d": b'itemprop="itemListElement"',
}


@pytest.mark.parametrize("site", SITES)
def test_truth_file_is_consistent(site: str) -> None:
    truth = load_truth(site)
    assert truth == json.loads(json.dumps(make_site(site).truth())), "regenerate: --write-truth"
    ads = truth["ads"]
    assert 20 <= len(ads) <= 40
    assert len({a["id"] for a in ads}) == len(ads)
    assert len({a["url"] for a in ads}) == len(ads)
    not_ad = set(truth["not_ad_phones"])
    for e164 in not_ad:
        assert phonenumbers.is_valid_number(phonenumbers.parse(e164))
    assert any(not a["phones"] for a in ads)
    assert any(a["no_photo_placeholder"] and not a["images"] for a in ads)
    for a in ads:
        for e164 in a["phones"]:
            n = phonenumbers.parse(e164)
            assert phonenumbers.is_valid_number(n), e164
            assert n.country_code == 32
            assert phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164) == e164
            assert e164 not in not_ad
        assert a["images"] == [v[-1] for v in a["image_variants"]]
        assert all(u.startswith("{base}/") for u in [a["url"], *a["images"]])
        assert 18 <= a["age"] < 60
        posted = datetime.fromisoformat(a["posted_at"])
        assert posted <= datetime.fromisoformat(truth["now"])
        assert a["posted_at_tolerance_s"] >= 0


@pytest.mark.parametrize("site", SITES)
def test_site_serves_listing_ad_and_image(site: str) -> None:
    cookie = COOKIES[site]
    with serve(site) as base:
        truth = load_truth(site, base)
        status, _, body = fetch(truth["start_url"], cookie)
        assert status == 200
        assert LISTING_MARK[site] in body
        ad = next(
            a
            for a in truth["ads"]
            if a["images"] and a["phones"] and a["url"] != truth["flaky_ad_url"]
        )
        page_url = ad.get("api_url", ad["url"])  # site B: the ad's data comes from its API
        status, _, body = fetch(page_url, cookie)
        assert status == 200
        assert ad["id"].encode() in body
        status, headers, body = fetch(ad["images"][0], cookie)
        assert status == 200
        assert headers["Content-Type"].startswith("image/")
        with Image.open(io.BytesIO(body)) as im:
            assert im.width >= 800
        status, _, _ = fetch(truth["placeholder_image"], cookie)
        assert status == 200
        # the removed ad answers 404; the flaky ad answers 500 once, then 200
        removed = truth["removed_ad_url"]
        if site == "site_b":
            removed = f"{base}/api/v2/ads/" + removed.rsplit("/", 1)[1].split("-", 1)[0]
        assert fetch(removed, cookie)[0] == 404
        flaky = truth["flaky_ad_url"]
        if site == "site_b":
            flaky = next(a["api_url"] for a in truth["ads"] if a["url"] == flaky)
        assert [fetch(flaky, cookie)[0] for _ in range(3)] == [500, 200, 200]


def test_site_a_age_gate_is_a_urlencoded_post() -> None:
    with serve("site_a") as base:
        status, headers, _ = fetch(base + "/annonces")
        assert status == 302
        assert headers["Location"].startswith("/verification-age")
        form = urllib.parse.urlencode(
            {"_token": "f3c9a1d07e", "majeur": "oui", "next": "/annonces?page=2"}
        ).encode()
        assert fetch(base + "/verification-age", data=form, ctype="text/plain")[0] == 415
        status, headers, _ = fetch(
            base + "/verification-age", data=form, ctype="application/x-www-form-urlencoded"
        )
        assert status == 303
        assert headers["Location"] == "/annonces?page=2"
        assert "age_ok=1" in headers["Set-Cookie"]


def test_site_a_phone_only_behind_the_button() -> None:
    with serve("site_a") as base:
        truth = load_truth("site_a", base)
        ad = next(a for a in truth["ads"] if len(a["phones"]) == 1)
        _, _, page = fetch(ad["url"], "age_ok=1")
        nsn = ad["phones"][0][3:]
        assert nsn[3:].encode() not in page.replace(b" ", b"")
        token = page.split(b'data-token="', 1)[1].split(b'"', 1)[0].decode()
        status, _, body = fetch(f"{base}/api/phone/{ad['id']}?token={token}", "age_ok=1")
        assert status == 200
        assert json.loads(body)["tel"] == ad["phones"][0]
        assert fetch(f"{base}/api/phone/{ad['id']}?token=bad", "age_ok=1")[0] == 403


def test_site_d_interstitial_without_cookie() -> None:
    with serve("site_d") as base:
        status, _, body = fetch(base + "/listings")
        assert status == 503
        assert b"Just a moment" in body
        assert b"document.cookie" in body


def test_site_b_cursor_pagination_covers_the_feed() -> None:
    with serve("site_b") as base:
        truth = load_truth("site_b", base)
        seen: list[str] = []
        cursor = ""
        for _ in range(10):
            url = (
                base + "/api/v2/ads?limit=12&region=alle" + (f"&cursor={cursor}" if cursor else "")
            )
            data = json.loads(fetch(url)[2])
            seen += [c["id"] for c in data["data"]]
            cursor = data["paging"]["next_cursor"]
            if not cursor:
                break
        assert {a["id"] for a in truth["ads"]} <= set(seen)
        assert len(seen) == len(set(seen)) == len(truth["ads"]) + 1  # + the removed ad
