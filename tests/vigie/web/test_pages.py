"""Every page, in-process against a temporary database: what it shows and what it records."""

from __future__ import annotations

import io
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from pipeline.images import hash_image
from storage.audit import AuditLog
from storage.repository import Store
from storage.reviews import reviews_of
from storage.watchlists import list_alerts, list_entries

from .conftest import PHASH, PHONE, ad_url, linked_ads, make_ad

Client = tuple[TestClient, str]


def titles(html: str) -> list[str]:
    return linked_ads(html, 'class="ad-link" ')


def test_queue_ranks_flagged_ads_by_score_and_filters(investigator: Client) -> None:
    client, _ = investigator
    assert titles(client.get("/queue").text) == ["ad1", "ad3", "ad2"]
    assert titles(client.get("/queue?zone=5342").text) == ["ad2"]
    assert titles(client.get("/queue?flag=trafficking").text) == []
    assert titles(client.get("/queue?site=nowhere").text) == []
    assert titles(client.get("/queue?since=2026-11-03").text) == ["ad3", "ad2"]
    assert titles(client.get("/queue?until=2026-11-02").text) == ["ad1"]
    assert titles(client.get("/queue?zone=bogus&flag=bogus").text) == ["ad1", "ad3", "ad2"]


def test_queue_pages(investigator: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from vigie.web.routes import queue

    client, _ = investigator
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    first, second = client.get("/queue").text, client.get("/queue?page_no=2").text
    assert titles(first) == ["ad1", "ad3"]
    assert titles(second) == ["ad2"]
    assert 'rel="next"' in first
    assert 'rel="next"' not in second
    # each row shows its rank in the whole queue, across pages (issue #15: scores that rank)
    assert re.findall(r'class="rank">#(\d+)<', first) == ["1", "2"]
    assert re.findall(r'class="rank">#(\d+)<', second) == ["3"]


def test_ad_page_highlights_the_evidence_and_is_audited(investigator: Client, store: Store) -> None:
    client, _ = investigator
    html = client.get(ad_url("ad1")).text
    assert (
        '<mark class="ev ev-age ev-indicator" title="17; age_under_18: stated age under 18">'
        "17 ans</mark>" in html
    )
    assert '<mark class="ev ev-phone" title="+32470123456">0470 12 34 56</mark>' in html
    assert '<mark class="ev ev-alias" title="Lina">Lina</mark>' in html
    assert PHASH in html  # image hash with its source URL as text
    assert '<span class="url">http://127.0.0.1:9/img/1.png</span>' in html
    assert "ab" * 32 in html  # evidence hash
    assert ad_url("ad2") in html  # shares the phone and the photo
    assert 'href="/networks/net-1"' in html
    entry = AuditLog(store.engine).entries(action="view_ad")[0]
    assert (entry.actor, entry.object_id, entry.zone) == ("investigator", "demo-static/ad1", "5339")
    assert client.get(ad_url("nope")).status_code == 404


def test_a_decision_is_recorded_per_user_and_audited(investigator: Client, store: Store) -> None:
    client, token = investigator
    response = client.post(
        ad_url("ad1") + "/decision",
        data={"csrf_token": token, "decision": "confirm", "note": "PV 2026/17: seen"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [review] = reviews_of(store.engine, site="demo-static", ad_id="ad1")
    assert (review.actor, review.decision, review.note) == (
        "investigator",
        "confirm",
        "PV 2026/17: seen",
    )
    assert review.labels == {"minor": True, "trafficking": None}
    entry = AuditLog(store.engine).entries(action="decision")[0]
    assert entry.object_id == "demo-static/ad1"
    assert entry.details["decision"] == "confirm"
    assert "PV 2026/17: seen" in client.get(response.headers["location"]).text
    assert titles(client.get("/queue?status=confirm").text) == ["ad1"]
    assert titles(client.get("/queue?status=open").text) == ["ad3", "ad2"]
    bad = client.post(
        ad_url("ad1") + "/decision", data={"csrf_token": token, "decision": "delete"}
    )
    assert bad.status_code == 400


def test_a_decision_on_one_flag_is_recorded_and_audited_with_its_flag(
    investigator: Client, store: Store
) -> None:
    client, token = investigator
    assert 'name="target"' in client.get(ad_url("ad1")).text
    response = client.post(
        ad_url("ad1") + "/decision",
        data={"csrf_token": token, "decision": "confirm", "target": "trafficking"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [review] = reviews_of(store.engine, site="demo-static", ad_id="ad1")
    assert review.target == "trafficking"
    assert review.labels == {"minor": None, "trafficking": True}
    entry = AuditLog(store.engine).entries(action="decision")[0]
    assert entry.details["target"] == "trafficking"
    bad = client.post(
        ad_url("ad1") + "/decision",
        data={"csrf_token": token, "decision": "confirm", "target": "vibes"},
    )
    assert bad.status_code == 400


def test_uploads_stay_in_memory_and_are_bounded(investigator: Client) -> None:
    from starlette.formparsers import MultiPartParser

    from vigie.web.uploads import MAX_BODY

    assert MultiPartParser.spool_max_size > MAX_BODY  # never rolled over to a temporary file
    client, token = investigator
    response = client.post(
        "/watchlists",
        data={"csrf_token": token, "kind": "image", "reason": "case 3"},
        files={"image": ("big.png", b"0" * (MAX_BODY + 1), "image/png")},
    )
    assert response.status_code == 413


def test_network_page_draws_the_graph_timeline_and_movement(
    investigator: Client, store: Store
) -> None:
    client, _ = investigator
    html = client.get("/networks").text
    assert 'href="/networks/net-1"' in html
    html = client.get("/networks/net-1").text
    graph = html[html.index('<svg class="graph"') : html.index("</svg>")]
    assert graph.count('class="node node-ad node-flagged"') == 2
    assert graph.count('class="node node-phone"') == 1  # the phone both ads share
    assert graph.count('<line class="link link-phone"') == 2  # each ad to it
    assert html.count('class="tl-point"') == 2  # both ads have a posting date
    assert "5339 → 5342" in html
    assert AuditLog(store.engine).entries(action="view_network")[0].object_id == "net-1"
    assert client.get("/networks/none").status_code == 404


def test_search_by_phone_in_any_format_needs_a_reason(investigator: Client, store: Store) -> None:
    client, token = investigator
    form = {"csrf_token": token, "kind": "phone", "q": "+32 (0)470/12.34.56"}
    assert client.post("/search", data={**form, "reason": "  "}).status_code == 400
    assert AuditLog(store.engine).count(action="search") == 0
    html = client.post("/search", data={**form, "reason": "PV 2026/99"}).text
    assert sorted(linked_ads(html)) == ["ad1", "ad2", "ad3"]
    entry = AuditLog(store.engine).entries(action="search")[0]
    assert (entry.object_id, entry.reason, entry.details["hits"]) == (PHONE, "PV 2026/99", 3)


def test_search_by_alias_image_hash_and_text(investigator: Client) -> None:
    client, token = investigator

    def found(kind: str, q: str) -> list[str]:
        data = {"csrf_token": token, "kind": kind, "q": q, "reason": "case 1"}
        return sorted(linked_ads(client.post("/search", data=data).text))

    assert found("alias", "lina") == ["ad1", "ad2"]
    near = f"{int(PHASH, 16) ^ 0b111:016x}"  # 3 bits away: still the same photo
    assert found("image", near) == ["ad1", "ad2", "ad3"]
    assert found("image", "not-a-hash") == []
    assert found("text", "IXELLES") == ["ad2"]
    assert found("text", "100%_") == []


def generated_image() -> bytes:
    im = Image.new("RGB", (64, 64), "white")
    ImageDraw.Draw(im).ellipse((8, 8, 40, 56), fill="navy")
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def test_watchlists_raise_alerts_shown_on_the_dashboard(investigator: Client, store: Store) -> None:
    client, token = investigator
    refused = client.post(
        "/watchlists",
        data={"csrf_token": token, "kind": "phone", "value": "0470 12 34 56", "reason": ""},
    )
    assert refused.status_code in (400, 422)
    response = client.post(
        "/watchlists",
        data={
            "csrf_token": token,
            "kind": "phone",
            "value": "0470 12 34 56",
            "reason": "missing person 7",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    [entry] = list_entries(store.engine)
    assert (entry.kind, entry.value) == ("phone", PHONE)
    assert len(list_alerts(store.engine)) == 3
    dashboard = client.get("/dashboard").text
    assert dashboard.count('action="/alerts/') == 3  # each alert's own form
    assert dashboard.count(f'href="/alerts/entry/{entry.id}"') == 1  # and their group
    audit = AuditLog(store.engine).entries(action="watchlist_change")[0]
    assert (audit.reason, audit.details["value"]) == ("missing person 7", PHONE)
    alert = list_alerts(store.engine)[0]
    client.post(f"/alerts/{alert.id}/close", data={"csrf_token": token, "reason": "seen, PV 8"})
    assert len(list_alerts(store.engine)) == 2
    client.post(f"/watchlists/{entry.id}/deactivate", data={"csrf_token": token, "reason": "found"})
    assert list_entries(store.engine) == []


def test_an_image_on_a_watchlist_is_hashed_and_discarded(
    investigator: Client, store: Store
) -> None:
    client, token = investigator
    data = generated_image()
    response = client.post(
        "/watchlists",
        data={"csrf_token": token, "kind": "image", "reason": "case 3", "label": "photo"},
        files={"image": ("photo.png", data, "image/png")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [entry] = list_entries(store.engine)
    # the picture's hashes, each kind to be compared with its own (its pHash first); no bytes
    assert entry.value.startswith(f"phash={hash_image(data)[0]} ")
    assert "dhash=" in entry.value
    bad = client.post(
        "/watchlists",
        data={"csrf_token": token, "kind": "image", "reason": "case 3"},
        files={"image": ("x.png", b"not an image", "image/png")},
    )
    assert bad.status_code == 400


def test_dashboard_counts_per_zone_site_and_day(investigator: Client) -> None:
    client, _ = investigator
    html = client.get("/dashboard").text
    assert "3 annonces" in html
    assert "100,0 %" in html  # every ad of the fixture is flagged
    assert html.count('class="bar"') == 3 + 1 + 3  # zones, sites, days
    assert "Décompte du" not in html  # counted for this load: no date to show


def test_dashboard_serves_kept_counts_when_counting_is_slow(
    investigator: Client, app: FastAPI, store: Store
) -> None:
    from storage.webqueries import dashboard_counts
    from vigie.web.countcache import CountCache

    client, _ = investigator
    app.state.counts = CountCache(lambda: dashboard_counts(store.engine), slow_s=0.0)
    assert "3 annonces" in client.get("/dashboard").text
    raw, analysis = make_ad(
        "ad4", title="t", text="Mia 0470 12 34 56", zone="5341", commune="Uccle", minor=0.1
    )
    store.save(raw, analysis)  # counted again only once the kept counts are a minute old
    html = client.get("/dashboard").text
    assert "3 annonces" in html
    assert "Décompte du" in html


def test_audit_log_is_filterable_for_an_admin(admin: Client) -> None:
    client, _ = admin
    client.get(ad_url("ad2"))
    html = client.get("/audit?action=view_ad").text
    assert "demo-static/ad2" in html
    assert ">admin<" in html
    assert "demo-static/ad2" not in client.get("/audit?action=search").text
    assert "demo-static/ad2" not in client.get("/audit?actor=nobody").text


def test_audit_log_entries_read_as_translated_sentences(admin: Client) -> None:
    client, _ = admin
    client.get(ad_url("ad2"))
    html = client.get("/audit?action=view_ad").text
    assert "a consulté l&#39;annonce demo-static/ad2" in html
    assert "cross_zone=" not in html
    assert "owner_zone=" not in html
