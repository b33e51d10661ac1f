"""Another zone's imported indicators join this zone's networks and raise alerts: zone 5344
exports (in clear or pseudonymised), zone 5341 (SQLite, or PostgreSQL when configured) imports,
relinks, and finds its ads linked to zone 5344's indicators, alerted once per (ad, indicator)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import col, delete

from pipeline.types import Network
from storage.exchange.alerts import (
    close_imported_alert,
    list_imported_alerts,
    raise_alerts,
    scan_imported_alerts,
)
from storage.exchange.exporter import export
from storage.exchange.importer import import_file
from storage.exchange.matching import matches
from storage.exchange.pseudonym import create_key, digest
from storage.repository import Store
from storage.tables import Ad
from vigie.crosslink import link_with_imports

StoreFactory = Callable[[str], Store]
PHONE = "+32470123456"
A_HASH = ("ffee001122334455", "0123456789abcdef")
NEAR_1 = ("ffee00112233446a", "fedcba9876543210")  # pHash 6 bits from A's
NEAR_2 = ("c0ee001122334455", "00ff00ff00ff00ff")  # 6 bits from A's, 12 from NEAR_1
FAR = ("00110011ffeeffee", "f0f0f0f0f0f0f0f0")


@pytest.fixture
def zone_a(open_store: StoreFactory, add_ad: Callable[..., None]) -> Store:
    a = open_store("zone-5344")
    add_ad(a, "A1", zone="5344", phones=(PHONE,), contacts=(("telegram", "lina_b"),),
           images=(A_HASH,), score=0.9, flags=("minor",))
    return a


def _exchange(a: Store, b: Store, tmp_path: Path, key: bytes | None) -> str:
    path = tmp_path / "zone-5344-export.json"
    export(a, path, fmt="vigie", zone="5344", actor="a", reason="case", pseudonym_key=key)
    import_file(b.engine, path, trusted=[], actor="b", zone="5341", allow_unsigned=True)
    return path.name


def _network_of(networks: list[Network], ad_id: str) -> Network | None:
    found = [n for n in networks if ("demo-static", ad_id) in n.members]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize("pseudonymised", [False, True], ids=["clear", "pseudonymised"])
def test_a_phone_exported_by_another_zone_links_and_alerts(
    zone_a: Store, store: Store, add_ad: Callable[..., None], tmp_path: Path,
    pseudonymised: bool,
) -> None:
    add_ad(store, "B1", zone="5341", phones=(PHONE,))
    add_ad(store, "B4", zone="5341", phones=("+32470000001",), images=(FAR,))
    key = create_key(tmp_path / "shared.key") if pseudonymised else None
    file_name = _exchange(zone_a, store, tmp_path, key)

    report = link_with_imports(store, own_zone="5341", pseudonym_key=key)

    stored = store.list_networks(min_zones=0)
    assert stored == report.networks
    network = _network_of(stored, "B1")
    assert network is not None
    assert network.members == (("demo-static", "B1"),)
    assert network.foreign_zones == ("5344",)
    assert network.risk >= 0.9  # zone 5344 scored the phone 0.9
    [link] = network.foreign
    assert (link.kind, link.source_zone, link.file_name) == ("phone", "5344", file_name)
    assert link.pseudonymised is pseudonymised
    expected = digest(key, "phone", "", PHONE) if key is not None else PHONE
    assert link.value == expected
    assert _network_of(stored, "B4") is None
    assert store.list_networks(min_zones=2) == [network]  # spans 5341 and, by import, 5344

    [alert] = list_imported_alerts(store.engine)
    assert alert.ad == ("demo-static", "B1")
    assert (alert.source_zone, alert.file_name, alert.kind) == ("5344", file_name, "phone")
    assert alert.value == expected
    assert alert.local_value == PHONE
    assert alert.flags == ("minor",)
    assert report.alerts_opened == 1


def test_pseudonymised_values_need_the_shared_key(
    zone_a: Store, store: Store, add_ad: Callable[..., None], tmp_path: Path
) -> None:
    add_ad(store, "B1", zone="5341", phones=(PHONE,))
    _exchange(zone_a, store, tmp_path, create_key(tmp_path / "shared.key"))
    other = create_key(tmp_path / "other.key")
    report = link_with_imports(store, own_zone="5341", pseudonym_key=other)
    assert report.networks == []
    assert report.alerts_opened == 0
    assert list_imported_alerts(store.engine) == []


def test_a_photo_within_distance_links_and_alerts_a_far_one_does_not(
    zone_a: Store, store: Store, add_ad: Callable[..., None], tmp_path: Path
) -> None:
    add_ad(store, "B3", zone="5341", images=(NEAR_1,))
    add_ad(store, "B4", zone="5341", images=(FAR,))
    _exchange(zone_a, store, tmp_path, None)
    report = link_with_imports(store, own_zone="5341", pseudonym_key=None)
    [network] = report.networks
    assert network.members == (("demo-static", "B3"),)
    assert [(f.kind, f.platform, f.distance) for f in network.foreign] == [("image", "phash", 6)]
    [alert] = list_imported_alerts(store.engine)
    assert (alert.ad, alert.kind, alert.distance) == (("demo-static", "B3"), "image", 6)
    narrow = link_with_imports(store, own_zone="5341", pseudonym_key=None, max_distance=5)
    assert narrow.networks == []


def test_two_local_ads_matching_one_foreign_indicator_end_in_one_network(
    zone_a: Store, store: Store, add_ad: Callable[..., None], tmp_path: Path
) -> None:
    add_ad(store, "B5", zone="5341", images=(NEAR_1,), phones=("+32470000005",))
    add_ad(store, "B6", zone="5341", images=(NEAR_2,))
    add_ad(store, "B7", zone="5341", phones=("+32470000005",))  # B5's local partner
    file_name = _exchange(zone_a, store, tmp_path, None)
    report = link_with_imports(store, own_zone="5341", pseudonym_key=None)
    [network] = store.list_networks(min_zones=0)
    assert network == report.networks[0]
    assert set(network.members) == {("demo-static", f"B{i}") for i in (5, 6, 7)}
    assert sorted(e.kind for e in network.edges) == ["imported-image", "phone"]
    [joined] = [e for e in network.edges if e.kind == "imported-image"]
    assert {joined.a, joined.b} == {("demo-static", "B5"), ("demo-static", "B6")}
    assert "zone 5344" in joined.evidence
    assert file_name in joined.evidence
    assert A_HASH[0] in joined.evidence
    assert network.phones == ("+32470000005",)
    assert network.foreign_zones == ("5344",)
    assert {f.ad[1] for f in network.foreign} == {"B5", "B6"}
    assert report.alerts_opened == 2


def test_rescans_do_not_duplicate_alerts_and_closed_ones_stay_closed(
    zone_a: Store, store: Store, add_ad: Callable[..., None], tmp_path: Path
) -> None:
    add_ad(store, "B1", zone="5341", phones=(PHONE,), contacts=(("telegram", "lina_b"),))
    _exchange(zone_a, store, tmp_path, None)
    assert link_with_imports(store, own_zone="5341", pseudonym_key=None).alerts_opened == 2
    assert link_with_imports(store, own_zone="5341", pseudonym_key=None).alerts_opened == 0
    assert scan_imported_alerts(store, own_zone="5341", pseudonym_key=None) == 0
    alerts = list_imported_alerts(store.engine)
    assert sorted(a.kind for a in alerts) == ["handle", "phone"]
    close_imported_alert(store.engine, alert_id=alerts[0].id)
    assert scan_imported_alerts(store, own_zone="5341", pseudonym_key=None) == 0
    assert len(list_imported_alerts(store.engine)) == 1
    assert len(list_imported_alerts(store.engine, open_only=False)) == 2


def test_a_zones_own_export_and_no_import_change_nothing(
    zone_a: Store, store: Store, add_ad: Callable[..., None], tmp_path: Path
) -> None:
    add_ad(store, "B1", zone="5341", phones=(PHONE,))
    add_ad(store, "B2", zone="5341", phones=(PHONE,))
    before = link_with_imports(store, own_zone="5341", pseudonym_key=None)
    assert [n.foreign for n in before.networks] == [()]
    _exchange(zone_a, store, tmp_path, None)
    own = link_with_imports(store, own_zone="5344", pseudonym_key=None)
    assert own.networks == before.networks
    assert own.alerts_opened == 0


def test_an_ad_erased_between_matching_and_alerting_gets_no_alert(
    zone_a: Store, store: Store, add_ad: Callable[..., None], tmp_path: Path
) -> None:
    """A purge committing after `matches()` read the ads must not leave an alert behind that
    names the erased ad and holds its phone."""
    add_ad(store, "B1", zone="5341", phones=(PHONE,))
    add_ad(store, "B2", zone="5341", phones=(PHONE,))
    _exchange(zone_a, store, tmp_path, None)
    found = matches(store, own_zone="5341", pseudonym_key=None)
    assert {m.ad for m in found} == {("demo-static", "B1"), ("demo-static", "B2")}
    with store.engine.begin() as conn:  # what a purge does to B1, meanwhile
        conn.execute(delete(Ad).where(col(Ad.site) == "demo-static", col(Ad.ad_id) == "B1"))
    assert raise_alerts(store.engine, found) == 1
    assert [(a.site, a.ad_id) for a in list_imported_alerts(store.engine)] == [
        ("demo-static", "B2")
    ]
