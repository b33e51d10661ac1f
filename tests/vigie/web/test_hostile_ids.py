"""A hostile site cannot keep its flagged ads out of review: whatever the ad id (slashes, dots,
brackets, percent-escapes, thousands of characters, any Unicode, markup), the queue links to
the ad's page through an opaque key, the page opens, and a decision is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from storage.repository import Store
from storage.reviews import reviews_of
from vigie.web.adkey import ad_key, parse_ad_key

from .conftest import T0, linked_ads, make_ad

HOSTILE_IDS = (
    "E/1",
    "..",
    ".",
    "[/]",
    "%2F",
    "a%2Fb/../c",
    "?x=1#frag",
    "\\..\\x",
    "x" * 3000 + "9",
    "Éloïse-日本-🙂-9",
    '<b onmouseover="alert(1)">[red]x[/red]</b>9',
    " lead and trail 9 ",
)


@pytest.fixture
def hostile(store: Store) -> Store:
    for i, ad_id in enumerate(HOSTILE_IDS):
        raw, analysis = make_ad(
            ad_id, text="Nouvelle 17 ans, appelle 0470 12 34 56", title=f"hostile {i}",
            zone="5339", commune="Schaerbeek", minor=0.95,
        )
        store.save(raw, analysis, seen_at=T0 + timedelta(days=i))
    return store


def test_every_hostile_id_opens_from_the_queue_and_takes_a_decision(
    hostile: Store, investigator: tuple[TestClient, str]
) -> None:
    client, token = investigator
    queue = client.get("/queue?flag=minor").text + client.get("/queue?flag=minor&page_no=2").text
    assert set(HOSTILE_IDS) <= set(linked_ads(queue, 'class="ad-link" '))
    for ad_id in HOSTILE_IDS:
        path = f"/ad/{ad_key('demo-static', ad_id)}"
        page = client.get(path)
        assert page.status_code == 200, ad_id[:40]
        assert "<b onmouseover" not in page.text
        response = client.post(
            path + "/decision",
            data={"csrf_token": token, "decision": "dismiss", "note": "hostile id"},
            follow_redirects=False,
        )
        assert response.status_code == 303, ad_id[:40]
        assert response.headers["location"] == path + "?saved=1"
        [review] = reviews_of(hostile.engine, site="demo-static", ad_id=ad_id)
        assert review.decision == "dismiss"


def test_a_key_that_names_no_ad_is_a_404(investigator: tuple[TestClient, str]) -> None:
    client, token = investigator
    for key in ("x", "%2E%2E", "%2F", "W10", ad_key("demo-static", "gone"), "A" * 20000):
        response = client.get(f"/ad/{key}")
        assert response.status_code in (404, 405), key[:40]
        decided = client.post(f"/ad/{key}/decision",
                              data={"csrf_token": token, "decision": "confirm"})
        assert decided.status_code in (404, 405), key[:40]


@given(st.text(max_size=40), st.text(max_size=200))
def test_any_id_maps_to_one_url_safe_key_and_back(site: str, ad_id: str) -> None:
    key = ad_key(site, ad_id)
    assert key
    assert all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    assert parse_ad_key(key) == (site, ad_id)
