"""Incremental linking of the stored ads (`vigie.incremental`), on SQLite and PostgreSQL: after
any sequence of new ads, changed ads, ads saved again and erasures, each followed by an
incremental link, the stored networks — members, edges with their evidence, ids, risk — are those
of linking every stored ad again. Then the same through `link_changes` (rescoring included) and a
purge, against `link_stored`. Synthetic ads with fictitious numbers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlmodel import SQLModel

from pipeline.analyze import analyze
from pipeline.edges import LinkConfig
from pipeline.relink import relink
from pipeline.types import AdKey, Analysis, Network, RawAd
from storage.repository import Store
from storage.retention import erase_ads, purge
from storage.tables import LinkMark, LinkQueue
from tests.pipeline.test_relink import CONFIG, EPOCH, HASHES, PHONES, _item, ads, ops
from tests.vigie.pgschema import sqlite_or_postgres
from vigie.config import Settings
from vigie.crosslink import link_with_imports
from vigie.incremental import link_queued, ready
from vigie.workflow import link_changes, link_stored


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with sqlite_or_postgres(request.param, tmp_path, "vigie_incr") as opened:
        yield opened


def _empty(store: Store) -> None:
    with store.engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


def _stored(store: Store) -> dict[str, Network]:
    return {n.network_id: n for n in store.list_networks()}


def _queued(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(LinkQueue)).scalar_one())


def _same_as_full_relink(store: Store) -> None:
    want = relink(store.analyses(), CONFIG)
    got = store.list_networks()
    assert {n.network_id: n for n in got} == {n.network_id: n for n in want}
    assert got == want  # the same order too: riskiest and largest first
    assert _queued(store) == 0


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(first=st.lists(ads, max_size=10), steps=ops)
def test_incremental_stored_links_equal_a_full_relink(
    store: Store, first: list[dict[str, object]], steps: list[tuple[object, ...]]
) -> None:
    _empty(store)
    current: dict[AdKey, tuple[RawAd, Analysis]] = {}

    def save(raw: RawAd, analysis: Analysis) -> None:
        store.save(raw, analysis)
        current[(raw.site, raw.ad_id)] = (raw, analysis)

    n = 0
    for spec in first:
        save(*_item(n, spec))
        n += 1
    link_with_imports(store, CONFIG, own_zone=None, pseudonym_key=None)  # full: the marks
    assert ready(store, CONFIG)
    _same_as_full_relink(store)
    relinked = []
    for step in steps:
        keys = sorted(current)
        if step[0] == "add":
            for spec in step[1]:  # type: ignore[attr-defined]
                save(*_item(n, spec))
                n += 1
        elif step[0] == "change" and keys:
            key = keys[int(step[1]) % len(keys)]  # type: ignore[call-overload]
            save(*_item(int(key[1]), step[2]))  # type: ignore[arg-type]
        elif step[0] == "erase" and keys:
            gone = sorted({keys[i % len(keys)] for i in step[1]})  # type: ignore[attr-defined]
            assert erase_ads(store.engine, gone, actor="test", reason="test") == len(gone)
            for key in gone:
                del current[key]
        elif step[0] == "again" and keys:
            for i in step[1]:  # type: ignore[attr-defined]
                raw, analysis = current[keys[i % len(keys)]]
                raw = replace(raw, fetched_at=EPOCH + timedelta(days=int(step[3])))  # type: ignore[call-overload]
                analysis = replace(analysis, trafficking_score=float(step[2]))  # type: ignore[arg-type]
                save(raw, analysis)
        else:
            continue
        result = link_queued(store, CONFIG, region="BE", rescore_ads=False)
        relinked.append(result.relinked_ads)
        _same_as_full_relink(store)
    assert all(r <= len(current) + 10 for r in relinked)


NOW = datetime(2026, 11, 20, tzinfo=UTC)
OLD = datetime(2024, 1, 10, tzinfo=UTC)


def _ad(ad_id: str, *phones: str) -> RawAd:
    numbers = " ou ".join(phones)
    return RawAd(
        site="demo-net",
        ad_id=ad_id,
        url=f"http://127.0.0.1:8000/ad/{ad_id}",
        title=f"Annonce {ad_id}",
        text=f"Nouvelle à Ixelles. Appelez le {numbers}.",
        lang="fr",
        fetched_at=NOW,
    )


def test_link_changes_rescores_and_purges_like_a_full_link(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path, keys_dir=tmp_path / "keys")

    def save(raw: RawAd, seen: datetime = NOW) -> None:
        store.save(raw, analyze(raw), seen_at=seen)

    for i in range(3):
        save(_ad(f"a{i}", "0470 11 22 33"))
        save(_ad(f"b{i}", "0470 44 55 66"))
        save(_ad(f"c{i}", "0470 77 88 99"))
    save(_ad("bridge", "0470 44 55 66", "0470 77 88 99"), OLD)  # joins b and c
    save(_ad("lone", "0470 00 00 01"))
    assert link_changes(store, settings) == 2  # the first link is a full one
    assert ready(store, LinkConfig())

    def no_full(*args: object, **kwargs: object) -> list[Network]:
        raise AssertionError("a full link ran")

    # A new ad joins a; an ad of a changes its phone and joins the lone ad.
    save(_ad("a3", "0470 11 22 33"))
    save(_ad("a0", "0470 00 00 01"))
    with monkeypatch.context() as m:
        m.setattr("vigie.workflow.link_stored", no_full)
        assert link_changes(store, settings) == 3
    incremental = _stored(store)
    assert sorted(len(n.members) for n in incremental.values()) == [2, 3, 7]
    link_stored(store, settings)  # everything again: nothing moves, the scores neither
    assert _stored(store) == incremental

    # The bridge is purged: b and c split; only what it touched is relinked.
    assert purge(store.engine, months=12, actor="test", reason="retention policy", now=NOW).ads == 1
    with monkeypatch.context() as m:
        m.setattr("vigie.workflow.link_stored", no_full)
        assert link_changes(store, settings) == 4
    after = _stored(store)
    assert sorted(len(n.members) for n in after.values()) == [2, 3, 3, 3]
    with store.engine.connect() as conn:
        assert int(conn.execute(select(func.count()).select_from(LinkMark)).scalar_one()) == 11
    link_stored(store, settings)
    assert _stored(store) == after


def _spec(**changes: object) -> dict[str, object]:
    spec: dict[str, object] = {
        "phones": [],
        "handle": None,
        "images": [],
        "text": None,
        "alias": "Lina",
        "zone": "5339",
        "score": 0.0,
        "day": None,
    }
    spec.update(changes)
    return spec


@pytest.mark.parametrize(
    "by",
    [
        {"phones": [PHONES[0]]},
        {"handle": "tg1"},
        {"images": [HASHES[1]]},  # 3 bits from the stored ad's pHash
        {"text": 0, "alias": "Mia"},  # the same text (the alias is masked)
    ],
    ids=["phone", "handle", "image", "text"],
)
def test_a_new_ad_joins_a_stored_one_by_each_kind_of_link_alone(
    store: Store, by: dict[str, object]
) -> None:
    stored = _spec(phones=[PHONES[0]], handle="tg1", images=[HASHES[0]], text=0)
    store.save(*_item(0, stored))
    store.save(*_item(1, _spec(phones=[PHONES[3]], images=[HASHES[6]], text=1)))
    link_with_imports(store, CONFIG, own_zone=None, pseudonym_key=None)
    assert store.list_networks() == []
    store.save(*_item(2, _spec(**by)))
    step = link_queued(store, CONFIG, region="BE", rescore_ads=False)
    assert step.relinked_ads == 2  # the new ad and the one it links to, not the third
    [network] = store.list_networks()
    assert network.members == (("a", "000"), ("a", "002"))
    _same_as_full_relink(store)
