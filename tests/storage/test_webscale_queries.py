"""Every page reads what it shows (issue #18.1): the review app's queries give what the former
whole-table reads gave, on both databases, while reading only what they show: counts grouped
by the database, one network read by its id, networks a page at a time, the sites without a
scan, image search through the in-memory hash index."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, col, select

from pipeline.images import hamming
from pipeline.types import Analysis, Edge, ImageRef, Network, PhoneMatch, Place, RawAd, Span
from storage.imagesearch import ImageHashes
from storage.networks import count_networks, list_networks
from storage.repository import Store
from storage.reviews import record_decision
from storage.tables import Ad, AdFlag, AdImage
from storage.webqueries import ads_with_image, ads_with_text, dashboard_counts, get_network
from storage.webqueue import QueueFilter, queue, sites

T0 = datetime(2026, 11, 1, 22, 30, tzinfo=UTC)
ZONES = ("5339", "5342", None)


def _hash(rng: random.Random) -> str:
    return f"{rng.getrandbits(64):016x}"


def _save(store: Store, rng: random.Random, i: int, images: tuple[ImageRef, ...]) -> None:
    raw = RawAd(
        site=f"site-{i % 3}",
        ad_id=str(i),
        url="http://127.0.0.1/",
        title=f"ad {i}",
        text=f"Texte {i}",
        images=images,
    )
    zone = ZONES[i % len(ZONES)]
    score = rng.random()
    analysis = Analysis(
        site=raw.site,
        ad_id=raw.ad_id,
        minor_score=score,
        flags=("minor",) if score >= 0.5 else (),
        phones=(PhoneMatch(f"+3247000{i:04d}", "BE", False, (Span("text", 0, 5, "Texte"),)),),
        place=Place("Ixelles", zone, None, True, ()) if zone else None,
        images=images,
    )
    store.save(raw, analysis, seen_at=T0 + timedelta(hours=7 * i))


@pytest.fixture
def filled(store: Store) -> tuple[Store, list[str]]:
    """30 ads over three sites, three zones (one none) and several days; 60 images, some of
    them near one another, one with a malformed hash."""
    rng = random.Random(18)
    base = _hash(rng)
    hashes: list[str] = []
    for i in range(30):
        near = f"{int(base, 16) ^ (1 << rng.randrange(64)) ^ (1 << rng.randrange(64)):016x}"
        phash = near if i % 4 == 0 else _hash(rng)
        dhash = _hash(rng)
        images = (ImageRef(f"http://127.0.0.1/{i}.png", phash, dhash),)
        if i % 5 == 0:
            images += (ImageRef(f"http://127.0.0.1/{i}b.png", _hash(rng), None),)
        hashes += [phash, dhash]
        _save(store, rng, i, images)
    with Session(store.engine) as session:  # a row stored before hashes were checked
        row = session.exec(select(AdImage).order_by(col(AdImage.id))).first()
        assert row is not None
        row.dhash = "not-a-hash!!!!!!"
        session.add(row)
        session.commit()
    return store, [base, *hashes]


def old_dashboard_counts(engine: Engine) -> dict[str, Counter[str]]:
    """The former implementation: every ad read into Python."""
    flagged_pks = select(AdFlag.ad_pk)
    counts: dict[str, Counter[str]] = {
        k: Counter() for k in ("zone", "site", "day", "flagged_zone", "flagged_site", "flagged_day")
    }
    with Session(engine) as session:
        query = select(Ad.zone, Ad.site, Ad.first_seen, col(Ad.id).in_(flagged_pks))
        for zone, site, first_seen, flagged in session.exec(query).all():
            day = first_seen.date().isoformat() if isinstance(first_seen, date) else "?"
            for name, key in {"zone": zone or "-", "site": site, "day": day}.items():
                counts[name][key] += 1
                if flagged:
                    counts["flagged_" + name][key] += 1
    return counts


def old_ads_with_image(engine: Engine, image_hash: str, radius: int = 10) -> set[int]:
    """The former image search: every image row read, Hamming computed in Python."""
    with Session(engine) as session:
        rows = session.exec(select(AdImage.ad_pk, AdImage.phash, AdImage.dhash)).all()
    found = set()
    for pk, *hashes in rows:
        for h in hashes:
            if h and len(h) == len(image_hash):
                try:
                    if hamming(h, image_hash) <= radius:
                        found.add(pk)
                except ValueError:
                    pass
    return found


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` inside the block."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_dashboard_counts_equal_the_former_python_counts(filled: tuple[Store, list[str]]) -> None:
    store, _ = filled
    with statements(store.engine) as sql:
        counts = dashboard_counts(store.engine)
    assert counts == old_dashboard_counts(store.engine)
    assert len(counts["day"]) > 5
    assert set(counts["zone"]) == {"5339", "5342", "-"}
    assert sum(counts["flagged_site"].values()) > 0
    reads = [s for s in sql if " FROM ad" in s]
    assert reads
    assert all("GROUP BY" in s for s in reads)  # never one row per ad


def test_sites_equal_select_distinct(filled: tuple[Store, list[str]]) -> None:
    store, _ = filled
    with Session(store.engine) as session:
        expected = list(session.exec(select(Ad.site).distinct().order_by(col(Ad.site))).all())
    assert sites(store.engine) == expected == ["site-0", "site-1", "site-2"]


def test_sites_of_an_empty_database(store: Store) -> None:
    assert sites(store.engine) == []


def test_image_search_through_the_index_equals_the_scan(filled: tuple[Store, list[str]]) -> None:
    store, hashes = filled
    index = ImageHashes(store.engine)
    rng = random.Random(5)
    queries = list(hashes)
    queries += [_hash(rng) for _ in range(5)]
    queries += [f"{int(hashes[0], 16) ^ 0b111:016x}"]
    for radius in (0, 4, 10):
        for h in queries:
            assert index.ad_pks(h, radius) == old_ads_with_image(store.engine, h, radius), h
    near = index.ad_pks(hashes[0])
    assert len(near) >= 5  # the near-duplicates of the base hash are found
    assert [a.ad_id for a in ads_with_image(store.engine, image_hash=hashes[0], index=index)]
    assert index.ad_pks("not-a-hash!!!!!!") == set()


def test_the_image_index_follows_new_and_replaced_images(
    filled: tuple[Store, list[str]],
) -> None:
    store, hashes = filled
    index = ImageHashes(store.engine, rebuild_after=3600.0)
    fresh = "0123456789abcdef"
    assert index.ad_pks(fresh, 0) == set()
    rng = random.Random(7)
    _save(store, rng, 100, (ImageRef("http://127.0.0.1/new.png", fresh, None),))
    assert index.ad_pks(fresh, 0) == old_ads_with_image(store.engine, fresh, 0)
    assert len(index.ad_pks(fresh, 0)) == 1  # added without a rebuild
    _save(store, rng, 100, (ImageRef("http://127.0.0.1/new.png", _hash(rng), None),))
    assert index.ad_pks(fresh, 0) == set()  # a stale entry yields no hit


def test_one_network_is_read_by_its_id(store: Store) -> None:
    networks = _networks(store, 12)
    with statements(store.engine) as sql:
        got = get_network(store.engine, network_id="net-07")
    assert got == next(n for n in networks if n.network_id == "net-07")
    assert get_network(store.engine, network_id="missing") is None
    network_reads = [s for s in sql if "FROM network " in s + " "]
    assert network_reads
    assert all("WHERE" in s for s in network_reads)


def test_networks_are_listed_a_page_at_a_time(store: Store) -> None:
    _networks(store, 12)
    every = list_networks(store.engine, min_zones=1)
    assert len(every) == count_networks(store.engine, min_zones=1) == 12
    pages = [list_networks(store.engine, min_zones=1, limit=5, offset=o) for o in (0, 5, 10)]
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [n for p in pages for n in p] == every
    assert count_networks(store.engine, min_zones=2) == len(
        list_networks(store.engine, min_zones=2)
    )
    with statements(store.engine) as sql:
        list_networks(store.engine, min_zones=1, limit=5, offset=5)
    assert any("LIMIT" in s for s in sql if "FROM network " in s + " ")


def _networks(store: Store, n: int) -> list[Network]:
    rng = random.Random(3)
    for i in range(2 * n):
        _save(store, rng, i, ())
    networks = []
    for i in range(n):
        a, b = (f"site-{(2 * i) % 3}", str(2 * i)), (f"site-{(2 * i + 1) % 3}", str(2 * i + 1))
        zones = ("5339", "5342") if i % 3 == 0 else ("5339",)
        networks.append(
            Network(
                network_id=f"net-{i:02d}",
                members=(a, b),
                edges=(Edge(a, b, "phone", "+32470000000"),),
                phones=("+32470000000",),
                zones=zones,
                movement=zones,
                risk=round(rng.random(), 3),
            )
        )
    store.replace_networks(networks)
    return networks


def test_the_queue_count_reads_no_decision_unless_filtered_by_status(
    filled: tuple[Store, list[str]],
) -> None:
    store, _ = filled
    first = next(iter(sites(store.engine)))
    with Session(store.engine) as session:
        ad_id = session.exec(select(Ad.ad_id).where(col(Ad.site) == first)).first()
    assert ad_id is not None
    for decision in ("dismiss", "confirm"):  # two decisions on one ad: one latest
        record_decision(
            store.engine, site=first, ad_id=ad_id, actor="a", zone=None, decision=decision
        )
    with statements(store.engine) as sql:
        rows, total = queue(store.engine, filter=QueueFilter(flag="all"), limit=50, offset=0)
    assert total == len(rows) == 30
    counts = [s for s in sql if s.startswith("SELECT count(*)")]
    assert counts
    assert all("review_decision" not in s for s in counts)
    _, still_open = queue(
        store.engine, filter=QueueFilter(flag="all", status="open"), limit=1, offset=0
    )
    assert still_open == 29
    confirmed = queue(
        store.engine, filter=QueueFilter(flag="all", status="confirm"), limit=5, offset=0
    )
    assert [r.ad.ad_id for r in confirmed[0]] == [ad_id]
    assert confirmed[1] == 1


def test_text_search_finds_what_the_scan_finds(filled: tuple[Store, list[str]]) -> None:
    store, _ = filled
    found = {(ad.site, ad.ad_id) for ad in ads_with_text(store.engine, text="EXTE 1")}
    assert found == {(f"site-{i % 3}", str(i)) for i in range(30) if str(i).startswith("1")}
    assert ads_with_text(store.engine, text="100%") == []  # LIKE's wildcards are literal


@pytest.mark.postgres
def test_text_search_reads_the_trigram_indexes_on_postgresql(postgres_url: str) -> None:
    """Migration 0011's GIN trigram indexes serve `lower(title|text) LIKE '%…%'` (the plan, with
    sequential scans priced out as on a large table, reads them), instead of a scan of every ad
    (~1.1 s at a million ads)."""
    with Store.open(postgres_url) as store, store.engine.connect() as conn:
        names = set(
            conn.exec_driver_sql(
                "SELECT indexname FROM pg_indexes "
                "WHERE tablename = 'ad' AND schemaname = current_schema()"
            ).scalars()
        )
        assert {"ix_ad_title_trgm", "ix_ad_text_trgm"} <= names
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(
            conn.exec_driver_sql(
                "EXPLAIN SELECT id FROM ad WHERE lower(title) LIKE '%%lina%%' "
                "OR lower(text) LIKE '%%lina%%'"
            ).scalars()
        )
        assert "ix_ad_title_trgm" in plan, plan
        assert "ix_ad_text_trgm" in plan, plan
