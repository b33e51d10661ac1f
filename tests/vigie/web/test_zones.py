"""The zone boundary (README: the review app). Reading across zones is allowed — the linking
view needs it — and every cross-zone read is marked in the audit trail; decisions, watchlist
entries and alerts belong to their zone: another zone's investigator gets 403 and a page that
says why; an administrator may act for every zone, and that is marked too."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from storage.audit import AuditLog
from storage.repository import Store
from storage.reviews import reviews_of
from storage.users import add_user
from storage.watchlists import add_entry, list_alerts, list_entries, scan_alerts

from .conftest import PASSWORD, PHONE, ad_url, login

Client = tuple[TestClient, str]


def test_another_zones_ad_is_read_audited_but_not_decided(
    investigator: Client, store: Store
) -> None:
    client, token = investigator  # zone 5339; ad3 is an Anderlecht (5340) ad
    page = client.get(ad_url("ad3"))
    assert page.status_code == 200
    assert 'name="decision"' not in page.text
    assert "zone 5340" in page.text
    entry = AuditLog(store.engine).entries(action="view_ad")[0]
    assert (entry.object_id, entry.details) == (
        "demo-static/ad3", {"owner_zone": "5340", "cross_zone": True}
    )
    refused = client.post(ad_url("ad3") + "/decision",
                          data={"csrf_token": token, "decision": "dismiss"})
    assert refused.status_code == 403
    assert "zone 5340" in refused.text
    assert reviews_of(store.engine, site="demo-static", ad_id="ad3") == []
    assert AuditLog(store.engine).count(action="decision") == 0
    # its own zone's ad: decided, and the trail says it stayed in the zone
    client.get(ad_url("ad1"))
    assert AuditLog(store.engine).entries(action="view_ad")[0].details["cross_zone"] is False
    own = client.post(ad_url("ad1") + "/decision",
                      data={"csrf_token": token, "decision": "confirm"}, follow_redirects=False)
    assert own.status_code == 303


def test_an_admin_decides_for_any_zone_and_it_is_marked(admin: Client, store: Store) -> None:
    client, token = admin
    assert 'name="decision"' in client.get(ad_url("ad3")).text
    response = client.post(ad_url("ad3") + "/decision",
                           data={"csrf_token": token, "decision": "escalate"},
                           follow_redirects=False)
    assert response.status_code == 303
    entry = AuditLog(store.engine).entries(action="decision")[0]
    assert entry.details["cross_zone"] is True
    assert entry.details["owner_zone"] == "5340"


def test_another_zones_watch_entry_and_alert_cannot_be_changed(
    app: FastAPI, investigator: Client, store: Store
) -> None:
    entry = add_entry(store.engine, kind="phone", value=PHONE, label="theirs",
                      created_by="other", zone="5340")
    scan_alerts(store.engine)
    alert = list_alerts(store.engine)[0]
    client, token = investigator  # zone 5339
    page = client.get("/watchlists").text
    assert f"/watchlists/{entry.id}/deactivate" not in page
    assert f"/alerts/{alert.id}/close" not in page
    for path in (f"/watchlists/{entry.id}/deactivate", f"/alerts/{alert.id}/close"):
        response = client.post(path, data={"csrf_token": token, "reason": "not mine"})
        assert response.status_code == 403, path
        assert "zone 5340" in response.text
    assert [e.id for e in list_entries(store.engine)] == [entry.id]
    assert len(list_alerts(store.engine)) == 3
    assert AuditLog(store.engine).count(action="watchlist_change") == 0
    # the owner zone's investigator can
    add_user(store.engine, username="inv5340", password=PASSWORD, role="investigator",
             zone="5340")
    with TestClient(app) as owner:
        owner_token = login(owner, "inv5340")
        closed = owner.post(f"/alerts/{alert.id}/close",
                            data={"csrf_token": owner_token, "reason": "checked"},
                            follow_redirects=False)
        assert closed.status_code == 303
        gone = owner.post(f"/watchlists/{entry.id}/deactivate",
                          data={"csrf_token": owner_token, "reason": "case closed"},
                          follow_redirects=False)
        assert gone.status_code == 303
    assert list_entries(store.engine) == []


def test_the_shared_linking_view_is_readable_and_every_read_audited(
    investigator: Client, store: Store
) -> None:
    client, token = investigator
    found = client.post("/search", data={"csrf_token": token, "kind": "phone", "q": PHONE,
                                         "reason": "PV 2026/3"})
    assert found.status_code == 200
    search = AuditLog(store.engine).entries(action="search")[0]
    assert (search.details["zones"], search.details["cross_zone"]) == (
        ["5339", "5340", "5342"], True
    )
    assert client.get("/networks/net-1").status_code == 200  # zones 5339 and 5342
    entry = AuditLog(store.engine).entries(action="view_network")[0]
    assert entry.details == {"zones": ["5339", "5342"], "cross_zone": True}
    assert client.get("/networks").status_code == 200
    listing = AuditLog(store.engine).entries(action="view_networks")[0]
    assert listing.details["cross_zone"] is True
