"""Store queries: the ranked list and its filters, counts, lookups, the linking feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.types import Analysis, PhoneMatch, Place, RawAd
from storage import queries
from storage.records import StoredAd
from storage.repository import Store

Make = Callable[..., tuple[RawAd, Analysis]]
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _place(commune: str, zone: str) -> Place:
    return Place(commune, zone, None, True, ())


@pytest.fixture
def stocked(store: Store, ad: Make) -> Store:
    """Five ads over two sites and three zones, with distinct max scores."""
    specs = [
        # site, ad_id, minor, trafficking, flags, place
        ("demo-a", "1", 0.9, 0.1, ("minor",), _place("Ixelles", "5342")),
        ("demo-a", "2", 0.1, 0.3, (), _place("Etterbeek", "5343")),
        ("demo-a", "3", 0.2, 0.7, ("trafficking",), _place("Ixelles", "5342")),
        ("demo-b", "1", 0.8, 0.85, ("minor", "trafficking"), _place("Schaerbeek", "5344")),
        ("demo-b", "2", 0.0, 0.0, (), None),
    ]
    for i, (site, ad_id, minor, trafficking, flags, place) in enumerate(specs):
        store.save(
            *ad(
                site,
                ad_id,
                analysis={
                    "minor_score": minor,
                    "trafficking_score": trafficking,
                    "flags": flags,
                    "place": place,
                },
            ),
            seen_at=T0 + timedelta(minutes=i),
        )
    return store


def keys(ads: list[StoredAd]) -> list[tuple[str, str]]:
    return [a.key for a in ads]


def test_list_ads_ranks_by_the_higher_of_the_two_scores(stocked: Store) -> None:
    assert keys(stocked.list_ads()) == [
        ("demo-a", "1"),  # 0.9
        ("demo-b", "1"),  # 0.85
        ("demo-a", "3"),  # 0.7
        ("demo-a", "2"),  # 0.3
        ("demo-b", "2"),  # 0.0
    ]
    assert [a.max_score for a in stocked.list_ads()] == [0.9, 0.85, 0.7, 0.3, 0.0]


FILTER_CASES: list[tuple[dict[str, str], list[tuple[str, str]]]] = [
    ({"flag": "minor"}, [("demo-a", "1"), ("demo-b", "1")]),
    ({"flag": "trafficking"}, [("demo-b", "1"), ("demo-a", "3")]),
    ({"flag": "unknown"}, []),
    ({"zone": "5342"}, [("demo-a", "1"), ("demo-a", "3")]),
    ({"site": "demo-b"}, [("demo-b", "1"), ("demo-b", "2")]),
    ({"site": "demo-a", "flag": "trafficking"}, [("demo-a", "3")]),
    ({"zone": "5344", "flag": "minor", "site": "demo-b"}, [("demo-b", "1")]),
    ({"zone": "5344", "site": "demo-a"}, []),
]


def test_filters_combine_and_count_agrees(stocked: Store) -> None:
    # One stocked store for every case (cheaper than a fresh database per case).
    for filters, expected in FILTER_CASES:
        got = keys(stocked.list_ads(**filters))  # type: ignore[arg-type]
        assert (filters, got) == (filters, expected)
        assert (filters, stocked.count_ads(**filters)) == (filters, len(expected))


def test_limit_and_offset_page_through_the_ranking(stocked: Store) -> None:
    everything = keys(stocked.list_ads())
    pages = [keys(stocked.list_ads(limit=2, offset=o)) for o in (0, 2, 4, 6)]
    assert pages == [everything[0:2], everything[2:4], everything[4:], []]
    with pytest.raises(ValueError, match="limit and offset must be >= 0"):
        stocked.list_ads(limit=-1)


def test_stored_ads_carry_the_derived_columns(stocked: Store) -> None:
    stored = stocked.get_ad(site="demo-b", ad_id="1")
    assert stored is not None
    assert (stored.zone, stored.commune) == ("5344", "Schaerbeek")
    assert stored.flags == ("minor", "trafficking")
    assert (stored.minor_score, stored.trafficking_score) == (0.8, 0.85)
    nowhere = stocked.get_ad(site="demo-b", ad_id="2")
    assert nowhere is not None
    assert (nowhere.zone, nowhere.commune) == (None, None)


def test_unknown_ads_are_none_and_have_no_versions(stocked: Store) -> None:
    assert stocked.get_ad(site="demo-a", ad_id="404") is None
    assert stocked.get_ad(site="demo-c", ad_id="1") is None
    assert stocked.versions(site="demo-a", ad_id="404") == []


def test_counts_by_site(stocked: Store) -> None:
    assert stocked.counts_by_site() == {"demo-a": 3, "demo-b": 2}


def test_empty_store(store: Store) -> None:
    assert store.list_ads() == []
    assert store.count_ads() == 0
    assert store.counts_by_site() == {}
    assert list(store.analyses()) == []
    assert store.list_networks(min_zones=0) == []


def test_ads_with_phone_finds_every_ad_sharing_a_number(store: Store, ad: Make) -> None:
    shared = PhoneMatch("+32470000009", "BE", False, ())
    other = PhoneMatch("+32470000008", "BE", False, ())
    store.save(*ad("demo-a", "1", analysis={"phones": (shared,), "minor_score": 0.1}))
    store.save(*ad("demo-b", "5", analysis={"phones": (other, shared), "minor_score": 0.5}))
    store.save(*ad("demo-b", "6", analysis={"phones": (other,)}))
    assert keys(store.ads_with_phone(e164="+32470000009")) == [("demo-b", "5"), ("demo-a", "1")]
    assert store.ads_with_phone(e164="+32470000000") == []


def test_analyses_yields_every_current_ad_in_batches(store: Store, ad: Make) -> None:
    saved = {}
    for i in range(7):
        raw, analysis = ad("demo-a", str(i), analysis={"minor_score": i / 10})
        store.save(raw, analysis)
        saved[(raw.site, raw.ad_id)] = (raw, analysis)
    changed = ad("demo-a", "3", title="Nouveau titre")
    store.save(*changed)
    saved[("demo-a", "3")] = changed
    streamed = list(queries.analyses(store.engine, batch=3))
    assert len(streamed) == 7
    assert {(r.site, r.ad_id): (r, a) for r, a in streamed} == saved
    assert list(store.analyses()) == streamed
