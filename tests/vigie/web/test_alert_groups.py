"""Alerts grouped per watch entry and per network, closed together with a reason (issue #16.5):
one watched phone found in 35 ads is one group, closed in one go up to the newest alert seen,
within the zone boundary, every closed alert named in the audit trail."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select, update

from storage.alertgroups import (
    close_entry_alerts,
    close_network_alerts,
    count_entry_groups,
    count_network_groups,
    entry_alerts,
    entry_groups,
    id_ranges,
    network_alerts,
    network_groups,
)
from storage.audit import AuditLog
from storage.repository import Store
from storage.tables import AdPhone
from storage.users import OtherZone
from storage.watchlists import add_entry, list_alerts, scan_alerts

from .bignetwork import phone, seed

Client = tuple[TestClient, str]


def _watch(store: Store) -> None:
    seed(store, 40)
    with Session(store.engine) as session:  # 35 of the ads show the same phone
        pks = session.exec(select(AdPhone.ad_pk).order_by(col(AdPhone.ad_pk))).all()
        session.exec(
            update(AdPhone)  # type: ignore[call-overload]
            .where(col(AdPhone.ad_pk).in_(pks[-35:]))
            .values(e164="+32470999999")
        )
        session.commit()
    add_entry(store.engine, kind="phone", value="+32470999999", label="PV 12", created_by="i",
              zone="5339")
    add_entry(store.engine, kind="phone", value=phone(0), label="theirs", created_by="o",
              zone="5340")
    assert scan_alerts(store.engine) == 35 + 5


@pytest.fixture(scope="module")
def watched_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 ads in one network; 35 of them show a phone watched by zone 5339, 5 others one
    watched by zone 5340: made once, copied for each test."""
    path = tmp_path_factory.mktemp("alerts") / "watched.db"
    shutil.copyfile(template_db, path)
    with Store.open(f"sqlite:///{path}") as store:
        _watch(store)
    return path


@pytest.fixture
def store(watched_db: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "web.db"
    shutil.copyfile(watched_db, path)
    with Store.open(f"sqlite:///{path}") as opened:
        yield opened


@pytest.fixture
def watched(store: Store) -> Store:
    return store


def test_alerts_are_grouped_per_entry_and_per_network(watched: Store) -> None:
    engine = watched.engine
    assert count_entry_groups(engine) == 2
    groups = entry_groups(engine)
    assert sorted(g.alerts for g in groups) == [5, 35]
    [ours] = [g for g in groups if g.entry.zone == "5339"]
    assert len(entry_alerts(engine, entry_id=ours.entry.id, limit=50)) == 35
    page2 = entry_alerts(engine, entry_id=ours.entry.id, limit=20, offset=20)
    assert len(page2) == 15
    assert count_network_groups(engine) == 1
    [net] = network_groups(engine)
    assert (net.network_id, net.alerts, net.entries, net.ads, net.size) == ("big-1", 40, 2, 40, 40)
    assert len(network_alerts(engine, network_id="big-1", limit=100)) == 40
    first, second = entry_groups(engine, limit=1), entry_groups(engine, limit=1, offset=1)
    assert first[0].entry.id != second[0].entry.id


def test_closing_a_group_stops_at_the_newest_alert_seen_and_keeps_the_zone_boundary(
    watched: Store,
) -> None:
    engine = watched.engine
    ours, theirs = sorted(entry_groups(engine), key=lambda g: g.entry.zone or "")
    with pytest.raises(OtherZone):
        close_entry_alerts(engine, entry_id=theirs.entry.id, up_to=theirs.newest_id,
                           for_zone="5339")
    seen = ours.newest_id - 1  # one alert raised after the investigator looked
    closed = close_entry_alerts(engine, entry_id=ours.entry.id, up_to=seen, for_zone="5339")
    assert (len(closed.ids), max(closed.ids)) == (34, seen)
    assert [a.id for a in entry_alerts(engine, entry_id=ours.entry.id)] == [ours.newest_id]
    # a network's alerts: the zone's own closed, the other zone's 5 left open and counted
    result = close_network_alerts(engine, network_id="big-1", up_to=10**6, for_zone="5339")
    assert (len(result.ids), result.left_open) == (1, 5)
    assert {a.entry.zone for a in list_alerts(engine)} == {"5340"}
    assert close_network_alerts(engine, network_id="big-1", up_to=10**6).left_open == 0
    assert list_alerts(engine) == []


def test_id_ranges_name_every_id_compactly() -> None:
    assert id_ranges([5, 3, 4, 9, 11, 12]) == "3-5,9,11-12"
    assert id_ranges([]) == ""


def test_an_investigator_closes_35_alerts_in_one_go_with_a_reason(
    watched: Store, investigator: Client
) -> None:
    client, token = investigator  # zone 5339
    html = client.get("/alerts").text
    assert html.count('class="group-link"') == 2
    ours = re.search(r'action="/alerts/entry/(\d+)/close".*?name="up_to" value="(\d+)"', html)
    assert ours is not None
    entry_id, up_to = ours.groups()
    assert html.count('action="/alerts/entry/') == 1  # not the other zone's entry
    group = client.get(f"/alerts/entry/{entry_id}").text
    assert group.count("/alerts/") >= 35
    form = {"csrf_token": token, "up_to": up_to}
    refused = client.post(f"/alerts/entry/{entry_id}/close", data={**form, "reason": " "})
    assert refused.status_code == 400
    assert len(list_alerts(watched.engine)) == 40
    done = client.post(f"/alerts/entry/{entry_id}/close", data={**form, "reason": "PV 2026/88"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert len(list_alerts(watched.engine)) == 5
    [entry] = AuditLog(watched.engine).entries(action="watchlist_change")
    assert (entry.object_type, entry.object_id, entry.reason) == (
        "alerts_of_entry", entry_id, "PV 2026/88"
    )
    assert entry.details["count"] == 35
    assert id_ranges(range(int(up_to) - 34, int(up_to) + 1)) == entry.details["alerts"]


def test_another_zones_group_and_a_viewer_are_refused(
    watched: Store, investigator: Client, viewer: Client
) -> None:
    theirs = [g for g in entry_groups(watched.engine) if g.entry.zone == "5340"][0]
    client, token = investigator
    form = {"csrf_token": token, "up_to": str(theirs.newest_id), "reason": "not mine"}
    response = client.post(f"/alerts/entry/{theirs.entry.id}/close", data=form)
    assert response.status_code == 403
    assert "zone 5340" in response.text
    v_client, v_token = viewer
    assert "close-group" not in v_client.get("/alerts?by=network").text
    response = v_client.post("/alerts/network/big-1/close", data={**form, "csrf_token": v_token})
    assert response.status_code == 403
    assert len(list_alerts(watched.engine)) == 40
    assert AuditLog(watched.engine).count(action="watchlist_change") == 0


def test_closing_a_networks_alerts_from_the_network_tab(
    watched: Store, investigator: Client
) -> None:
    client, token = investigator
    html = client.get("/alerts?by=network").text
    found = re.search(r'action="/alerts/network/big-1/close".*?name="up_to" value="(\d+)"', html)
    assert found is not None
    client.post("/alerts/network/big-1/close",
                data={"csrf_token": token, "up_to": found.group(1), "reason": "PV 7"})
    assert {a.entry.zone for a in list_alerts(watched.engine)} == {"5340"}
    [entry] = AuditLog(watched.engine).entries(action="watchlist_change")
    assert (entry.object_type, entry.details["count"], entry.details["left_open"]) == (
        "alerts_of_network", 35, 5
    )
    assert client.get("/alerts/network/none").status_code == 200  # an empty group
    gone = client.post("/alerts/network/none/close",
                       data={"csrf_token": token, "up_to": "1", "reason": "x"})
    assert gone.status_code == 404


def test_every_view_of_the_alerts_is_audited(watched: Store, viewer: Client) -> None:
    client, _ = viewer  # zone 5339
    log = AuditLog(watched.engine)
    [group] = [g for g in entry_groups(watched.engine) if g.entry.zone == "5340"]
    for path in ("/alerts", "/alerts?by=network", f"/alerts/entry/{group.entry.id}",
                 "/alerts/network/big-1"):
        before = log.count(action="view_watchlists")
        assert client.get(path).status_code == 200
        assert log.count(action="view_watchlists") == before + 1, path
    of_network, of_entry, by_network, by_entry = log.entries(action="view_watchlists")[:4]
    assert by_entry.details["groups"] == [str(g.entry.id) for g in entry_groups(watched.engine)]
    assert by_entry.details["cross_zone"] is True  # it lists zone 5340's entry
    assert by_network.details["groups"] == ["big-1"]
    assert (of_entry.object_type, of_entry.object_id) == ("alerts_of_entry", str(group.entry.id))
    assert len(of_entry.details["ads"]) == 5
    assert (of_network.object_type, len(of_network.details["alerts"])) == ("alerts_of_network", 40)
