"""`ads_by_keys` reads any number of keys, a chunk per statement (PostgreSQL refuses more than
65,535 parameters in one)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import storage.webqueries
from pipeline.types import Analysis, RawAd
from storage.repository import Store
from storage.webqueries import ads_by_keys


def test_keys_over_several_chunks_are_all_found_and_no_other(
    store: Store, ad: Callable[..., tuple[RawAd, Analysis]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for site in ("demo-a", "demo-b"):
        for i in range(5):
            store.save(*ad(site, str(i)))
    monkeypatch.setattr(storage.webqueries, "KEYS_PER_QUERY", 3)
    # demo-a/0..3 and demo-b/2..4 (seven keys, three chunks), plus a key that does not exist;
    # demo-a/4 and demo-b/0 share a site or an id with wanted keys but are not wanted
    keys = [("demo-a", str(i)) for i in range(4)] + [("demo-b", str(i)) for i in range(2, 5)]
    found = ads_by_keys(store.engine, keys=[*keys, ("demo-a", "nope")])
    assert sorted(found) == sorted(keys)
    assert all(found[k].site == k[0] and found[k].ad_id == k[1] for k in keys)
