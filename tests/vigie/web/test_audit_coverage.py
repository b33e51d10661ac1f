"""Every consultation of personal data is in the audit trail (Directive (EU) 2016/680 art. 25):
the queue, the networks list, the dashboard, the watchlists page and the audit log itself; and
closing an alert needs a reason, which is recorded."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from storage.audit import AuditLog
from storage.repository import Store
from storage.watchlists import add_entry, list_alerts, scan_alerts

from .conftest import PHONE

Client = tuple[TestClient, str]


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("/queue", "view_queue"),
        ("/queue?zone=5342&page_no=1", "view_queue"),
        ("/networks", "view_networks"),
        ("/dashboard", "view_dashboard"),
        ("/watchlists", "view_watchlists"),
        ("/audit", "view_audit"),
    ],
)
def test_viewing_a_page_of_personal_data_is_audited(
    admin: Client, store: Store, path: str, action: str
) -> None:
    client, _ = admin
    log = AuditLog(store.engine)
    before = log.count(action=action)
    assert client.get(path).status_code == 200
    assert log.count(action=action) == before + 1
    entry = log.entries(action=action)[0]
    assert (entry.actor, entry.zone) == ("admin", "5339")


def test_the_queue_entry_names_the_ads_shown_and_their_zones(
    investigator: Client, store: Store
) -> None:
    client, _ = investigator
    client.get("/queue?zone=5342")
    entry = AuditLog(store.engine).entries(action="view_queue")[0]
    assert entry.details["ads"] == ["demo-static/ad2"]
    assert entry.details["filters"]["zone"] == "5342"
    assert (entry.details["zones"], entry.details["cross_zone"]) == (["5342"], True)


def test_closing_an_alert_needs_a_reason_and_records_it(
    investigator: Client, store: Store
) -> None:
    add_entry(store.engine, kind="phone", value=PHONE, label="", created_by="investigator",
              zone="5339")
    scan_alerts(store.engine)
    alert = list_alerts(store.engine)[0]
    client, token = investigator
    for reason in ("", "   "):
        refused = client.post(f"/alerts/{alert.id}/close",
                              data={"csrf_token": token, "reason": reason})
        assert refused.status_code == 400
    assert alert.id in {a.id for a in list_alerts(store.engine)}
    closed = client.post(f"/alerts/{alert.id}/close",
                         data={"csrf_token": token, "reason": "PV 2026/12: known"},
                         follow_redirects=False)
    assert closed.status_code == 303
    assert alert.id not in {a.id for a in list_alerts(store.engine)}
    entry = AuditLog(store.engine).entries(action="watchlist_change")[0]
    assert (entry.object_type, entry.object_id, entry.reason) == (
        "alert", str(alert.id), "PV 2026/12: known"
    )
