"""Store networks: replaced wholesale in one transaction, read back whole and filtered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from pipeline.types import Analysis, Edge, ForeignLink, Network, RawAd
from storage.errors import StorageError, UnknownAd
from storage.repository import Store

Make = Callable[..., tuple[RawAd, Analysis]]

A1, A2, B1, B2, B3 = (
    ("demo-a", "1"),
    ("demo-a", "2"),
    ("demo-b", "1"),
    ("demo-b", "2"),
    ("demo-b", "3"),
)


@pytest.fixture
def with_ads(store: Store, ad: Make) -> Store:
    for site, ad_id in (A1, A2, B1, B2, B3):
        store.save(*ad(site, ad_id))
    return store


def _net(
    network_id: str, members: tuple[tuple[str, str], ...], zones: tuple[str, ...], risk: float
) -> Network:
    edges = tuple(
        Edge(a, b, "phone", "+32470000001") for a, b in zip(members, members[1:], strict=False)
    )
    return Network(
        network_id=network_id,
        members=members,
        edges=edges,
        phones=("+32470000001",),
        aliases=("Lina",),
        sites=tuple(sorted({site for site, _ in members})),
        zones=zones,
        movement=zones,
        first_seen=datetime(2025, 1, 1, tzinfo=UTC),
        last_seen=datetime(2025, 2, 1, tzinfo=UTC),
        risk=risk,
    )


CROSS = _net("net-cross", (B1, A1, B2), ("5342", "5344", "5342"), 0.8)
LOCAL = _net("net-local", (A2, B3), ("5339",), 0.4)
NOWHERE = _net("net-nowhere", (), (), 0.1)


def test_networks_round_trip_exactly(with_ads: Store) -> None:
    with_ads.replace_networks([LOCAL, CROSS])
    assert with_ads.list_networks() == [CROSS, LOCAL]


def test_min_zones_counts_distinct_zones(with_ads: Store) -> None:
    with_ads.replace_networks([LOCAL, CROSS, NOWHERE])
    assert with_ads.list_networks(min_zones=0) == [CROSS, LOCAL, NOWHERE]
    assert with_ads.list_networks(min_zones=1) == [CROSS, LOCAL]
    assert with_ads.list_networks(min_zones=2) == [CROSS]
    assert with_ads.list_networks(min_zones=3) == []


def test_replace_removes_the_previous_networks(with_ads: Store) -> None:
    with_ads.replace_networks([LOCAL, CROSS])
    regrouped = _net("net-new", (A1, A2), ("5342",), 0.5)
    with_ads.replace_networks([regrouped])
    assert with_ads.list_networks(min_zones=0) == [regrouped]
    assert with_ads.network_of(site="demo-b", ad_id="1") is None
    with_ads.replace_networks([])
    assert with_ads.list_networks(min_zones=0) == []


def test_network_of(with_ads: Store) -> None:
    with_ads.replace_networks([LOCAL, CROSS])
    assert with_ads.network_of(site="demo-a", ad_id="1") == "net-cross"
    assert with_ads.network_of(site="demo-b", ad_id="3") == "net-local"
    assert with_ads.network_of(site="demo-a", ad_id="404") is None


def test_unknown_member_fails_and_keeps_the_stored_networks(with_ads: Store) -> None:
    with_ads.replace_networks([LOCAL])
    ghost = _net("net-ghost", (A1, ("demo-z", "9")), ("5342",), 0.9)
    with pytest.raises(UnknownAd, match=r"network members not stored: demo-z/9$"):
        with_ads.replace_networks([CROSS, ghost])
    assert with_ads.list_networks() == [LOCAL]


def test_duplicate_ids_and_stray_edges_are_refused(with_ads: Store) -> None:
    with pytest.raises(StorageError, match=r"duplicate network ids: net-local$"):
        with_ads.replace_networks([LOCAL, CROSS, LOCAL])
    stray = Network("net-stray", (A1,), (Edge(A1, A2, "image", "0f0f0f0f0f0f0f0f"),))
    with pytest.raises(StorageError, match=r"net-stray: edge image .* joins a non-member"):
        with_ads.replace_networks([stray])


def test_saving_an_ad_again_keeps_its_network(with_ads: Store, ad: Make) -> None:
    with_ads.replace_networks([CROSS])
    assert with_ads.save(*ad(*A1, title="Autre titre")) == "changed"
    assert with_ads.network_of(site="demo-a", ad_id="1") == "net-cross"
    assert with_ads.list_networks() == [CROSS]


def test_foreign_links_round_trip_and_count_as_zones(with_ads: Store) -> None:
    seen = ForeignLink(A2, "5344", "zone-5344.json", "f" * 64, "phone", "", "ab" * 32,
                       pseudonymised=True, score=0.9, flags=("minor",))
    image = ForeignLink(B3, "5340", "zone-5340.json", "e" * 64, "image", "phash",
                        "ffee001122334455", distance=3)
    linked = replace(LOCAL, foreign=(seen, image))
    with_ads.replace_networks([linked, CROSS])
    assert with_ads.list_networks(min_zones=0) == [CROSS, linked]
    assert linked.foreign_zones == ("5340", "5344")
    assert with_ads.list_networks(min_zones=3) == [linked]  # 5339, and by import 5340 and 5344
    assert "(HMAC)" in seen.evidence
    assert "±3 bits" in image.evidence
    with_ads.replace_networks([CROSS])
    assert with_ads.list_networks(min_zones=0) == [CROSS]


def test_a_foreign_link_of_a_non_member_is_refused(with_ads: Store) -> None:
    stray = ForeignLink(A1, "5344", "f.json", "f" * 64, "phone", "", "+32470000001")
    with pytest.raises(StorageError, match="not a member"):
        with_ads.replace_networks([replace(LOCAL, foreign=(stray,))])


def test_update_replaces_and_removes_only_the_networks_named(with_ads: Store) -> None:
    with_ads.replace_networks([LOCAL, CROSS])
    grown = _net("net-local", (A2, B2, B3), ("5339",), 0.6)  # same id, other members and edges
    smaller = _net("net-cross", (B1, A1), ("5342", "5344"), 0.8)
    with_ads.update_networks(removed=[], upserted=[grown, replace(smaller, network_id="net-x")])
    with_ads.update_networks(removed=["net-cross"], upserted=[])
    assert with_ads.list_networks(min_zones=0) == [replace(smaller, network_id="net-x"), grown]
    assert with_ads.network_ids() == {"net-x", "net-local"}
    assert with_ads.network_of(site="demo-b", ad_id="2") == "net-local"
    with pytest.raises(StorageError):  # the same checks as a replacement
        with_ads.update_networks(removed=[], upserted=[grown, grown])
    assert with_ads.network_ids() == {"net-x", "net-local"}
