"""`link_stored` with `StoredLinks` (the scheduler's): after new ads, a changed ad, an ad seen
again and a purge, it writes only the networks that changed, and the stored networks are those
of linking every stored ad again. Synthetic, non-explicit ads with fictitious numbers; SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.analyze import analyze
from pipeline.types import Network, RawAd
from storage.repository import Store
from storage.retention import purge
from vigie.config import Settings
from vigie.storedlinks import StoredLinks
from vigie.workflow import link_stored

OLD = datetime(2024, 1, 10, tzinfo=UTC)
NOW = datetime(2026, 11, 20, tzinfo=UTC)


def _ad(ad_id: str, *phones: str) -> RawAd:
    numbers = " ou ".join(phones)
    return RawAd(site="demo-net", ad_id=ad_id, url=f"http://127.0.0.1:8000/ad/{ad_id}",
                 title=f"Annonce {ad_id}", text=f"Nouvelle à Ixelles. Appelez le {numbers}.",
                 lang="fr", fetched_at=NOW)


def _save(store: Store, raw: RawAd, seen: datetime = NOW) -> None:
    store.save(raw, analyze(raw), seen_at=seen)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'vigie.db'}") as opened:
        yield opened


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, keys_dir=tmp_path / "keys")


def _stored(store: Store) -> dict[str, Network]:
    return {n.network_id: n for n in store.list_networks()}


def _full(store: Store, settings: Settings) -> dict[str, Network]:
    """What a full relink stores, read back (every network written again)."""
    link_stored(store, settings)
    return _stored(store)


def test_incremental_links_write_what_a_full_relink_writes(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        _save(store, _ad(f"a{i}", "0470 11 22 33"))
        _save(store, _ad(f"b{i}", "0470 44 55 66"))
        _save(store, _ad(f"c{i}", "0470 77 88 99"))
    _save(store, _ad("bridge", "0470 44 55 66", "0470 77 88 99"), OLD)  # joins b and c
    _save(store, _ad("lone", "0470 00 00 01"))
    links = StoredLinks()
    first = link_stored(store, settings, links=links)
    assert sorted(len(n.members) for n in first) == [3, 7]

    writes: list[tuple[int, int]] = []
    real_update = store.update_networks

    def update(*, removed: list[str], upserted: list[Network]) -> None:
        writes.append((len(removed), len(upserted)))
        real_update(removed=removed, upserted=upserted)

    def replace(networks: list[Network]) -> None:
        raise AssertionError("an incremental link rewrote every network")

    # A new ad joins a; an ad of a changes its phone and joins the lone ad.
    _save(store, _ad("a3", "0470 11 22 33"))
    _save(store, _ad("a0", "0470 00 00 01"))
    with monkeypatch.context() as m:
        m.setattr(store, "replace_networks", replace)
        m.setattr(store, "update_networks", update)
        after = {n.network_id: n for n in link_stored(store, settings, links=links)}
    assert writes
    assert writes[-1][1] < len(after)  # not every network was written again
    assert sorted(len(n.members) for n in after.values()) == [2, 3, 7]
    incremental = _stored(store)
    assert incremental == after
    assert _full(store, settings) == incremental

    # The bridge is purged: b and c split, only that network is linked again.
    result = purge(store.engine, months=12, actor="test", reason="retention policy", now=NOW)
    assert result.ads == 1
    writes.clear()
    with monkeypatch.context() as m:
        m.setattr(store, "replace_networks", replace)
        m.setattr(store, "update_networks", update)
        after = {n.network_id: n for n in link_stored(store, settings, links=links)}
    assert sorted(len(n.members) for n in after.values()) == [2, 3, 3, 3]
    assert _stored(store) == after
    assert _full(store, settings) == after
    # Nothing changed since: nothing is written.
    writes.clear()
    with monkeypatch.context() as m:
        m.setattr(store, "replace_networks", replace)
        m.setattr(store, "update_networks", update)
        link_stored(store, settings, links=links)
    assert writes == []
