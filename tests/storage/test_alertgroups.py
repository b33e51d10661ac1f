"""Watchlist alerts grouped per entry and per network by the database, on SQLite and PostgreSQL
(issue #16.5): counts, pages, closing a group up to the newest alert seen, the zone boundary."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.types import Analysis, Network, RawAd
from storage.alertgroups import (
    close_entry_alerts,
    close_network_alerts,
    count_entry_groups,
    count_network_groups,
    entry_alerts,
    entry_groups,
    network_alerts,
    network_groups,
)
from storage.errors import StorageError
from storage.repository import Store
from storage.users import OtherZone
from storage.watchlists import add_entry, list_alerts, scan_alerts

PHONE = "+32470000001"  # every ad of `make_analysis` shows it
PHASH = "0f0f0f0f0f0f0f0f"  # and this photo


@pytest.fixture
def alerted(store: Store, ad: Callable[..., tuple[RawAd, Analysis]]) -> Store:
    """12 ads; two networks (8 ads, 4 ads); a watched phone of zone 5342 and a watched photo of
    zone 5339 each match all 12."""
    keys = []
    for i in range(12):
        raw, analysis = ad("demo-a", f"a{i:02d}")
        store.save(raw, analysis)
        keys.append((raw.site, raw.ad_id))
    store.replace_networks([
        Network(network_id="n1", members=tuple(keys[:8]), edges=()),
        Network(network_id="n2", members=tuple(keys[8:]), edges=()),
    ])
    add_entry(store.engine, kind="phone", value=PHONE, label="", created_by="a", zone="5342")
    add_entry(store.engine, kind="image", value=PHASH, label="", created_by="b", zone="5339")
    assert scan_alerts(store.engine) == 24
    return store


def test_groups_are_counted_by_the_database_a_page_at_a_time(alerted: Store) -> None:
    engine = alerted.engine
    assert count_entry_groups(engine) == 2
    assert [g.alerts for g in entry_groups(engine)] == [12, 12]
    assert len(entry_groups(engine, limit=1)) == len(entry_groups(engine, limit=1, offset=1)) == 1
    assert count_network_groups(engine) == 2
    groups = {g.network_id: g for g in network_groups(engine)}
    assert (groups["n1"].alerts, groups["n1"].entries, groups["n1"].ads, groups["n1"].size) == (
        16, 2, 8, 8
    )
    assert (groups["n2"].alerts, groups["n2"].ads) == (8, 4)
    assert [g.network_id for g in network_groups(engine, network_id="n2")] == ["n2"]
    assert len(network_alerts(engine, network_id="n1", limit=10)) == 10
    assert len(network_alerts(engine, network_id="n1", limit=10, offset=10)) == 6
    phone_entry = next(g.entry for g in entry_groups(engine) if g.entry.kind == "phone")
    assert len(entry_alerts(engine, entry_id=phone_entry.id, limit=100)) == 12


def test_closing_groups_keeps_the_zone_boundary_and_what_was_not_seen(alerted: Store) -> None:
    engine = alerted.engine
    closed = close_network_alerts(engine, network_id="n1", up_to=10**6, for_zone="5342")
    assert (len(closed.ids), closed.left_open) == (8, 8)  # the photo's alerts are zone 5339's
    photo = next(g for g in entry_groups(engine) if g.entry.kind == "image")
    with pytest.raises(OtherZone):
        close_entry_alerts(engine, entry_id=photo.entry.id, up_to=photo.newest_id,
                           for_zone="5342")
    seen = close_entry_alerts(engine, entry_id=photo.entry.id, up_to=photo.newest_id - 1,
                              for_zone="5339")
    assert len(seen.ids) == 11
    assert [a.id for a in list_alerts(engine) if a.entry.kind == "image"] == [photo.newest_id]
    assert len(list_alerts(engine)) == 4 + 1  # the phone's alerts of n2, and the photo's last
    with pytest.raises(StorageError):
        close_network_alerts(engine, network_id="none", up_to=1)
    with pytest.raises(StorageError):
        close_entry_alerts(engine, entry_id=999, up_to=1)
