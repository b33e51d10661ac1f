"""Store.save: idempotent upsert, versions, child tables, evidence, races (SQLite, PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pipeline.types import Alias, Analysis, Contact, ImageRef, PhoneMatch, RawAd
from storage import ads as ads_module
from storage.repository import Store

Make = Callable[..., tuple[RawAd, Analysis]]
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_saving_the_same_ad_twice_stores_it_once(store: Store, ad: Make) -> None:
    raw, analysis = ad()
    assert store.save(raw, analysis, seen_at=T0) == "new"
    assert store.save(raw, analysis, seen_at=T0 + timedelta(hours=1)) == "unchanged"
    assert store.count_ads() == 1
    assert [v.version for v in store.versions(site="demo-a", ad_id="1")] == [1]
    stored = store.get_ad(site="demo-a", ad_id="1")
    assert stored is not None
    assert (stored.first_seen, stored.last_seen) == (T0, T0 + timedelta(hours=1))
    assert stored.raw == raw
    assert stored.analysis == analysis
    assert stored.version == 1


def test_same_ad_id_on_two_sites_is_two_ads(store: Store, ad: Make) -> None:
    assert store.save(*ad("demo-a", "7")) == "new"
    assert store.save(*ad("demo-b", "7")) == "new"
    assert store.counts_by_site() == {"demo-a": 1, "demo-b": 1}


def test_changed_content_adds_a_version_and_keeps_the_previous_one(store: Store, ad: Make) -> None:
    first = ad(title="Nouvelle en ville")
    second = ad(title="De retour cette semaine")
    store.save(*first, seen_at=T0)
    assert store.save(*second, seen_at=T0 + timedelta(days=1)) == "changed"
    versions = store.versions(site="demo-a", ad_id="1")
    assert [(v.version, v.raw.title) for v in versions] == [
        (1, "Nouvelle en ville"),
        (2, "De retour cette semaine"),
    ]
    assert [v.seen_at for v in versions] == [T0, T0 + timedelta(days=1)]
    assert versions[0].content_sha256 != versions[1].content_sha256
    stored = store.get_ad(site="demo-a", ad_id="1")
    assert stored is not None
    assert (stored.title, stored.version) == ("De retour cette semaine", 2)
    assert stored.content_sha256 == versions[1].content_sha256
    assert stored.first_seen == T0
    # Back to the first content: a third version, history is kept in order.
    assert store.save(*first, seen_at=T0 + timedelta(days=2)) == "changed"
    assert [v.version for v in store.versions(site="demo-a", ad_id="1")] == [1, 2, 3]


def test_page_evidence_and_url_alone_do_not_make_a_change(store: Store, ad: Make) -> None:
    store.save(*ad(), seen_at=T0)
    later = T0 + timedelta(hours=3)
    raw, analysis = ad(
        page_sha256="b" * 64, fetched_at=later, url="http://127.0.0.1:8000/demo-a/ad/1?session=42"
    )
    assert store.save(raw, analysis, seen_at=later) == "unchanged"
    stored = store.get_ad(site="demo-a", ad_id="1")
    assert stored is not None
    assert stored.raw.page_sha256 == "b" * 64
    assert stored.raw.fetched_at == later
    assert stored.url.endswith("?session=42")
    # The version keeps the evidence of the fetch that first saw its content.
    (version,) = store.versions(site="demo-a", ad_id="1")
    assert (version.page_sha256, version.fetched_at) == ("a" * 64, T0)


def test_image_order_is_not_a_change_but_a_new_image_is(store: Store, ad: Make) -> None:
    one = ImageRef("http://127.0.0.1:8000/img/1.png")
    two = ImageRef("http://127.0.0.1:8000/img/2.png")
    store.save(*ad(images=(one, two)))
    assert store.save(*ad(images=(two, one))) == "unchanged"
    assert store.save(*ad(images=(two, one, ImageRef("http://127.0.0.1:8000/img/3.png")))) == (
        "changed"
    )


def test_change_replaces_phones_contacts_aliases_images_and_flags(store: Store, ad: Make) -> None:
    old = "Appelez le 0470 00 00 01."
    store.save(
        *ad(
            text=old,
            analysis={
                "contacts": (Contact("telegram", "@lina_demo", ()),),
                "aliases": (Alias("Lina", ()),),
                "flags": ("minor", "trafficking"),
            },
        )
    )
    new_phone = PhoneMatch("+32470000002", "BE", True, ())
    raw, analysis = ad(
        text="Nouveau numéro en message.",
        images=(ImageRef("http://127.0.0.1:8000/img/new.png"),),
        analysis={
            "phones": (new_phone, new_phone),
            "aliases": (Alias("Mira", ()),),
            "flags": ("trafficking",),
        },
    )
    assert store.save(raw, analysis) == "changed"
    assert store.ads_with_phone(e164="+32470000001") == []
    assert [a.key for a in store.ads_with_phone(e164="+32470000002")] == [("demo-a", "1")]
    assert store.count_ads(flag="minor") == 0
    assert store.count_ads(flag="trafficking") == 1
    rows = _child_rows(store)
    assert rows["ad_contact"] == []
    assert rows["ad_alias"] == [("Mira",)]
    assert rows["ad_phone"] == [("+32470000002",)]
    assert rows["ad_image"] == [("http://127.0.0.1:8000/img/new.png",)]


def _child_rows(store: Store) -> dict[str, list[tuple[str, ...]]]:
    columns = {
        "ad_contact": "value",
        "ad_alias": "name",
        "ad_phone": "e164",
        "ad_image": "url",
        "ad_flag": "flag",
    }
    with store.engine.connect() as conn:
        return {
            table: [tuple(row) for row in conn.exec_driver_sql(f"SELECT {column} FROM {table}")]  # noqa: S608
            for table, column in columns.items()
        }


def test_images_keep_page_order_with_the_analysis_hashes(store: Store, ad: Make) -> None:
    a, b = ImageRef("http://127.0.0.1:8000/img/a.png"), ImageRef("http://127.0.0.1:8000/img/b.png")
    raw, _ = ad(images=(a, b))
    hashed_b = ImageRef(b.url, phash="1111222233334444", dhash="5555666677778888")
    store.save(raw, ad(images=(a, b), analysis={"images": (hashed_b,)})[1])
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT position, url, phash, dhash FROM ad_image ORDER BY position"
        ).all()
    assert [tuple(r) for r in rows] == [
        (0, a.url, None, None),
        (1, b.url, "1111222233334444", "5555666677778888"),
    ]


def test_new_analysis_of_unchanged_content_updates_the_current_row(store: Store, ad: Make) -> None:
    store.save(*ad(analysis={"minor_score": 0.1, "flags": (), "model_version": "m1"}))
    raw, analysis = ad(analysis={"minor_score": 0.9, "flags": ("minor",), "model_version": "m2"})
    assert store.save(raw, analysis) == "unchanged"
    stored = store.get_ad(site="demo-a", ad_id="1")
    assert stored is not None
    assert (stored.minor_score, stored.flags, stored.model_version) == (0.9, ("minor",), "m2")
    assert store.count_ads(flag="minor") == 1
    (version,) = store.versions(site="demo-a", ad_id="1")
    assert version.analysis.model_version == "m1"


def test_times_come_back_in_utc_whatever_zone_they_went_in(store: Store, ad: Make) -> None:
    brussels = timezone(timedelta(hours=1))
    seen = datetime(2025, 3, 1, 13, 0, tzinfo=brussels)
    store.save(*ad(), seen_at=seen)
    store.save(*ad(), seen_at=datetime(2025, 3, 1, 10, 0))  # naive: taken as UTC, earlier
    stored = store.get_ad(site="demo-a", ad_id="1")
    assert stored is not None
    assert stored.first_seen == datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
    assert stored.last_seen == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    assert stored.last_seen.utcoffset() == timedelta(0)


def test_save_without_seen_at_uses_now(store: Store, ad: Make) -> None:
    before = datetime.now(UTC)
    store.save(*ad())
    stored = store.get_ad(site="demo-a", ad_id="1")
    assert stored is not None
    assert before <= stored.first_seen <= datetime.now(UTC)


def test_nul_characters_are_stored_as_replacement_characters(store: Store, ad: Make) -> None:
    raw, analysis = ad(text="Texte\x00cassé")
    store.save(raw, analysis)
    stored = store.get_ad(site="demo-a", ad_id="1")
    assert stored is not None
    assert stored.text == "Texte\ufffdcassé"
    assert len(stored.text) == len(raw.text)


def test_analysis_of_another_ad_is_refused(store: Store, ad: Make) -> None:
    raw, _ = ad("demo-a", "1")
    _, other = ad("demo-a", "2")
    with pytest.raises(ValueError, match=r"analysis of demo-a/2 given for ad demo-a/1"):
        store.save(raw, other)
    assert store.count_ads() == 0


def test_non_finite_scores_are_refused(store: Store, ad: Make) -> None:
    with pytest.raises(ValueError, match="minor_score of demo-a/1 is not a finite number"):
        store.save(*ad(analysis={"minor_score": float("nan")}))


def test_two_threads_racing_on_the_same_new_ad_store_it_once(store: Store, ad: Make) -> None:
    raw, analysis = ad()
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            barrier.wait(timeout=120)
            outcomes.append(store.save(raw, analysis))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(outcomes) == ["new", "unchanged", "unchanged", "unchanged"]
    assert store.count_ads() == 1
    assert len(store.versions(site="demo-a", ad_id="1")) == 1


def test_a_writer_that_loses_the_insert_race_retries_as_an_update(
    store: Store, store_url: str, ad: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    if store.engine.dialect.name == "sqlite":
        pytest.skip("SQLite writers begin IMMEDIATE: a second writer cannot run mid-transaction")
    raw, analysis = ad()
    real = ads_module._content_columns
    calls = 0

    def competitor_inserts_first(*args: object) -> object:
        # Runs after our SELECT found nothing and before our INSERT: another writer wins.
        nonlocal calls
        calls += 1
        if calls == 1:
            with Store.open(store_url) as other:
                assert other.save(raw, analysis) == "new"
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(ads_module, "_content_columns", competitor_inserts_first)
    assert store.save(raw, analysis) == "unchanged"
    assert calls == 3  # our insert attempt, the competitor's insert, our retry as an update
    assert store.count_ads() == 1
    assert len(store.versions(site="demo-a", ad_id="1")) == 1


def test_a_site_moving_port_does_not_change_its_ads(store: Store) -> None:
    raw = RawAd("s", "1", "http://127.0.0.1:8001/ad/1", "t", "x",
                images=(ImageRef("http://127.0.0.1:8001/img/a.png"),))
    assert store.save(raw, Analysis("s", "1")) == "new"
    moved = replace(raw, url="http://127.0.0.1:9002/ad/1",
                    images=(ImageRef("http://127.0.0.1:9002/img/a.png"),))
    assert store.save(moved, Analysis("s", "1")) == "unchanged"
    other = replace(moved, images=(ImageRef("http://127.0.0.1:9002/img/b.png"),))
    assert store.save(other, Analysis("s", "1")) == "changed"
