"""The review app's read queries: the queue with its filters, related ads, dashboard counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pipeline.types import Analysis, ImageRef, PhoneMatch, Place, RawAd, Span
from storage.repository import Store
from storage.reviews import record_decision
from storage.webqueries import ads_with_text, dashboard_counts, related_ads
from storage.webqueue import QueueFilter, queue, queue_count, queue_rows

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _save(store: Store, ad_id: str, score: float, zone: str, phone: str, day: int) -> None:
    text = f"Texte {ad_id} 50% off_now"
    raw = RawAd(
        site="s",
        ad_id=ad_id,
        url="http://127.0.0.1/",
        title=ad_id,
        text=text,
        images=(ImageRef("http://127.0.0.1/i.png", f"{day:016x}", None),),
    )
    analysis = Analysis(
        site="s",
        ad_id=ad_id,
        minor_score=score,
        flags=("minor",) if score >= 0.5 else (),
        phones=(PhoneMatch(phone, "BE", False, (Span("text", 0, 5, "Texte"),)),),
        place=Place("Ixelles", zone, None, True, ()),
        images=raw.images,
    )
    store.save(raw, analysis, seen_at=T0 + timedelta(days=day))


@pytest.fixture
def store(store: Store) -> Store:
    """The conftest's store (both databases), with four ads."""
    _save(store, "a", 0.9, "5339", "+32470000001", 0)
    _save(store, "b", 0.7, "5342", "+32470000001", 1)
    _save(store, "c", 0.6, "5342", "+32470000002", 1)
    _save(store, "d", 0.1, "5342", "+32470000003", 2)
    return store


def ids(store: Store, **kwargs: object) -> tuple[list[str], int]:
    rows, total = queue(store.engine, filter=QueueFilter(**kwargs), limit=10, offset=0)  # type: ignore[arg-type]
    return [r.ad.ad_id for r in rows], total


def test_the_queue_ranks_flagged_ads_and_filters(store: Store) -> None:
    assert ids(store) == (["a", "b", "c"], 3)
    assert ids(store, flag="all") == (["a", "b", "c", "d"], 4)
    assert ids(store, zone="5342") == (["b", "c"], 2)
    assert ids(store, since=T0 + timedelta(days=1)) == (["b", "c"], 2)
    assert ids(store, until=T0 + timedelta(days=1)) == (["a"], 1)
    rows, total = queue(store.engine, filter=QueueFilter(), limit=1, offset=1)
    assert ([r.ad.ad_id for r in rows], total) == (["b"], 3)


def test_counts_by_flag_alone_count_each_ad_once(store: Store) -> None:
    """The queue as it opens counts flagged ads in ad_flag: an ad with two flags counts once,
    and each count is the number of ads the queue lists under the same filter."""
    for ad_id, flags in (("e", ("minor", "trafficking")), ("f", ("trafficking",))):
        raw = RawAd(site="t", ad_id=ad_id, url="http://127.0.0.1/", title=ad_id, text="x")
        analysis = Analysis(site="t", ad_id=ad_id, minor_score=0.8, flags=flags)
        store.save(raw, analysis, seen_at=T0)
    for flag, expected in (("any", 5), ("minor", 4), ("trafficking", 2), ("all", 6)):
        f = QueueFilter(flag=flag)
        listed = queue_rows(store.engine, filter=f, limit=100, offset=0)
        assert queue_count(store.engine, filter=f) == len(listed) == expected, flag
    assert queue_count(store.engine, filter=QueueFilter(flag="trafficking", site="t")) == 2


def test_the_queue_filters_on_the_latest_decision(store: Store) -> None:
    def decide(ad_id: str, decision: str) -> None:
        record_decision(
            store.engine, site="s", ad_id=ad_id, actor="x", zone=None, decision=decision
        )

    decide("a", "escalate")
    decide("a", "confirm")
    decide("b", "dismiss")
    assert ids(store, status="open") == (["c"], 1)
    assert ids(store, status="confirm") == (["a"], 1)
    assert ids(store, status="escalate") == ([], 0)
    rows, _ = queue(store.engine, filter=QueueFilter(), limit=10, offset=0)
    assert [r.status for r in rows] == ["confirm", "dismiss", "open"]
    with pytest.raises(ValueError, match="status filter"):
        QueueFilter(status="closed")


def test_related_ads_share_a_phone_or_a_photo(store: Store) -> None:
    related = related_ads(store.engine, site="s", ad_id="b")
    assert [a.ad_id for a in related["phone"]] == ["a"]
    assert [a.ad_id for a in related["image"]] == ["c"]  # same day, same generated hash
    assert related_ads(store.engine, site="s", ad_id="zz") == {"phone": [], "image": []}


def test_text_search_treats_like_wildcards_literally(store: Store) -> None:
    assert len(ads_with_text(store.engine, text="50% OFF_")) == 4
    assert ads_with_text(store.engine, text="5_%") == []


def test_dashboard_counts_per_zone_site_and_day(store: Store) -> None:
    counts = dashboard_counts(store.engine)
    assert counts["zone"] == {"5339": 1, "5342": 3}
    assert counts["flagged_zone"] == {"5339": 1, "5342": 2}
    assert counts["site"] == {"s": 4}
    assert counts["day"] == {"2026-11-01": 1, "2026-11-02": 2, "2026-11-03": 1}
