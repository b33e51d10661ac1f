"""The network size is known only after linking: `link_stored` rescores the ads whose network
changed (model only, no new content version) and nothing when the networks are unchanged.
Synthetic, non-explicit ads with fictitious numbers; SQLite, and PostgreSQL when configured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import vigie.rescoring
from pipeline.analyze import analyze, rescore
from pipeline.link import link, network_risk
from pipeline.types import Analysis, RawAd
from storage.repository import Store
from tests.vigie.pgschema import sqlite_or_postgres
from vigie.config import Settings
from vigie.workflow import link_stored

SHARED = "0470 11 22 33"
SIZE = 6


def _ad(ad_id: str, phone: str, text: str = "Nouvelle à Ixelles, de passage.") -> RawAd:
    return RawAd(
        site="demo-net",
        ad_id=ad_id,
        url=f"http://127.0.0.1:8000/ad/{ad_id}",
        title=f"Annonce {ad_id}",
        text=f"{text} Appelez le {phone}.",
        lang="fr",
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with sqlite_or_postgres(request.param, tmp_path, "vigie_rescore") as opened:
        yield opened


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, keys_dir=tmp_path / "keys")


def _fill(store: Store) -> list[RawAd]:
    networked = [_ad(f"n{i}", SHARED) for i in range(SIZE)]
    lone = [_ad(f"l{i}", f"0470 55 66 {10 + i}") for i in range(3)]
    for raw in networked + lone:
        store.save(raw, analyze(raw))
    return networked + lone


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, raw: RawAd, analysis: Analysis, **kwargs: Any) -> Analysis:
        self.calls += 1
        return rescore(raw, analysis, **kwargs)


def test_linking_rescores_networked_ads_and_not_lone_ones(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ads = _fill(store)
    before = {raw.ad_id: store.get_ad(site=raw.site, ad_id=raw.ad_id) for raw in ads}
    counting = Counting()
    monkeypatch.setattr(vigie.rescoring, "rescore", counting)
    networks = link_stored(store, settings)
    assert [len(n.members) for n in networks] == [SIZE]
    assert counting.calls == SIZE
    for raw in ads:
        old, new = before[raw.ad_id], store.get_ad(site=raw.site, ad_id=raw.ad_id)
        assert old is not None
        assert new is not None
        assert new.version == old.version == 1  # a rescore is not a new version of the ad
        assert new.content_sha256 == old.content_sha256
        assert new.last_seen == old.last_seen
        assert len(store.versions(site=raw.site, ad_id=raw.ad_id)) == 1
        if raw.ad_id.startswith("n"):
            assert new.network_size == SIZE
            assert new.trafficking_score > old.trafficking_score
            shared = [i for i in new.analysis.indicators if i.category == "shared_contact"]
            assert len(shared) == 1
            assert f"network {networks[0].network_id}: {SIZE} ads" in shared[0].description
            assert shared[0].weight > 0
            assert [s.quote for s in shared[0].spans] == [SHARED]
            # the same as analysing the ad with its network size from scratch
            fresh = analyze(raw, network_size=SIZE, network_id=networks[0].network_id)
            assert new.analysis == fresh
        else:
            assert new == old


def test_the_stored_network_risk_comes_from_the_rescored_ads(
    store: Store, settings: Settings
) -> None:
    _fill(store)
    before = link(store.analyses())  # the networks as linking first sees them: old scores
    (network,) = link_stored(store, settings)
    members = [store.get_ad(site=k[0], ad_id=k[1]) for k in network.members]
    rescored = [m.analysis for m in members if m is not None]
    assert network.risk == network_risk(network, rescored)
    assert network.risk > before[0].risk  # the network feature raised its members' scores
    (stored,) = store.list_networks()
    assert stored.risk == network.risk


def test_relinking_unchanged_networks_rescores_nothing(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ads = _fill(store)
    link_stored(store, settings)
    counting = Counting()
    monkeypatch.setattr(vigie.rescoring, "rescore", counting)
    link_stored(store, settings)
    assert counting.calls == 0
    # One more ad joins the network: all its members (old and new) are rescored, no lone ad.
    joining = _ad("n-new", SHARED)
    store.save(joining, analyze(joining))
    link_stored(store, settings)
    assert counting.calls == SIZE + 1
    got = store.get_ad(site=joining.site, ad_id=joining.ad_id)
    assert got is not None
    assert got.network_size == SIZE + 1
    # Two ads change their number: they leave (a new version, analysed afresh, alone); the
    # others stay in a smaller network and are rescored with its new size.
    for k, raw in enumerate(ads[:2]):
        moved = _ad(raw.ad_id, f"0470 99 88 7{k}")
        store.save(moved, analyze(moved))
    counting.calls = 0
    link_stored(store, settings)
    assert counting.calls == SIZE - 1
    left = store.get_ad(site="demo-net", ad_id="n0")
    assert left is not None
    assert (left.version, left.network_size) == (2, 0)
    assert not [i for i in left.analysis.indicators if i.category == "shared_contact"]


def test_an_ad_whose_network_dissolves_is_scored_alone_again(
    store: Store, settings: Settings
) -> None:
    a, b = _ad("a", SHARED), _ad("b", SHARED)
    for raw in (a, b):
        store.save(raw, analyze(raw))
    alone = analyze(a)
    link_stored(store, settings)
    linked = store.get_ad(site=a.site, ad_id=a.ad_id)
    assert linked is not None
    assert linked.network_size == 2
    assert linked.trafficking_score > alone.trafficking_score
    moved = _ad("b", "0470 99 88 70")
    store.save(moved, analyze(moved))
    link_stored(store, settings)
    again = store.get_ad(site=a.site, ad_id=a.ad_id)
    assert again is not None
    assert again.network_size == 1
    assert again.analysis == alone
