"""pipeline.hashindex: exact Hamming search, checked against a brute-force scan."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.hashindex import (
    HashIndex,
    _popcount_table,
    choose_widths,
    hash_array,
    parse_hash,
    popcount,
)


def _brute(hashes: np.ndarray, q: int, r: int) -> list[tuple[int, int]]:
    """(id, distance) within r of q, nearest first then by id: the scan the index must equal."""
    d = popcount(hashes ^ np.uint64(q))
    hit = np.flatnonzero(d <= r)
    return sorted(zip(hit.tolist(), d[hit].tolist(), strict=True), key=lambda x: (x[1], x[0]))


def _flip(rng: np.random.Generator, h: int, d: int) -> int:
    return h ^ sum(1 << b for b in rng.choice(64, size=d, replace=False).tolist())


def _planted(n: int, radius: int, seed: int, bases: int = 40) -> tuple[np.ndarray, list[int]]:
    """n random hashes, then neighbours of `bases` of them at every distance 0..radius+2."""
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, 2**64 - 1, size=n, dtype=np.uint64, endpoint=True)
    base = [int(x) for x in hashes[:bases]]
    extra = [_flip(rng, b, d) for b in base for d in range(radius + 3)]
    return np.concatenate([hashes, np.array(extra, dtype=np.uint64)]), base


@pytest.mark.parametrize(("n", "radius"), [(300, 8), (60_000, 8), (60_000, 4), (60_000, 10)])
def test_query_equals_brute_force_with_planted_neighbours(n: int, radius: int) -> None:
    hashes, bases = _planted(n, radius, seed=n + radius)
    index = HashIndex.build(range(len(hashes)), hashes, radius=radius)
    if n > 10_000:
        assert index.widths, "a large index should use block tables, not a scan"
    for q in bases:
        want = _brute(hashes, q, radius)
        assert [d for _, d in want] == sorted(d for _, d in want)
        assert len(want) >= radius + 2  # itself, its twin at 0, one neighbour per distance
        assert index.query(q) == want
    assert index.query_many(np.array(bases, dtype=np.uint64)) == [
        _brute(hashes, q, radius) for q in bases
    ]


@pytest.mark.parametrize("radius", [0, 1, 3, 12, 20])
def test_any_query_radius_is_exact_whatever_the_build_radius(radius: int) -> None:
    hashes, bases = _planted(50_000, 12, seed=radius)
    index = HashIndex.build(range(len(hashes)), hashes, radius=8)
    assert index.widths
    for q in bases[:10]:
        assert index.query(q, radius) == _brute(hashes, q, radius)
    assert index.query_many(bases[:10], radius) == [_brute(hashes, q, radius) for q in bases[:10]]


def test_radius_64_returns_everything() -> None:
    hashes, bases = _planted(3000, 8, seed=64)
    index = HashIndex.build(range(len(hashes)), hashes, radius=8, widths=(16, 16, 16, 16))
    assert index.query(bases[0], 64) == _brute(hashes, bases[0], 64)
    assert len(index.query_many(bases[:2], 64)[1]) == len(hashes)


@pytest.mark.parametrize(
    "widths", [(22, 21, 21), (16, 16, 16, 16), (13, 13, 13, 13, 12), (8,) * 8, (4, 20, 20, 20)]
)
def test_forced_block_layouts_are_exact(widths: tuple[int, ...]) -> None:
    hashes, bases = _planted(20_000, 9, seed=len(widths))
    index = HashIndex.build(range(len(hashes)), hashes, radius=9, widths=widths)
    for r in (0, 5, 9):
        assert index.query_many(bases, r) == [_brute(hashes, q, r) for q in bases]
        assert [index.query(q, r) for q in bases[:5]] == [_brute(hashes, q, r) for q in bases[:5]]


@settings(max_examples=60, deadline=None)
@given(
    base=st.integers(0, 2**64 - 1),
    flips=st.lists(st.sets(st.integers(0, 63), max_size=14), min_size=1, max_size=12),
    radius=st.integers(0, 12),
)
def test_query_finds_exactly_the_neighbours_within_the_radius(
    base: int, flips: list[set[int]], radius: int
) -> None:
    noise = np.random.default_rng(base % 1000).integers(0, 2**63, size=2000, dtype=np.uint64)
    near = [base ^ sum(1 << b for b in bits) for bits in flips]
    index = HashIndex.build(
        range(2000 + len(near)), [*noise.tolist(), *near], radius=8, widths=(16, 16, 16, 16)
    )
    expected = {2000 + i: len(bits) for i, bits in enumerate(flips) if len(bits) <= radius}
    got = dict(index.query(base, radius))
    assert {k: d for k, d in got.items() if k >= 2000} == expected
    assert all(d <= radius for d in got.values())


def test_pairs_equal_all_pairs_by_brute_force() -> None:
    hashes, _ = _planted(3000, 8, seed=3)
    index = HashIndex.build(
        [("site", str(i), 0) for i in range(len(hashes))], hashes, radius=8, widths=(16, 16, 16, 16)
    )
    d = popcount(hashes[:, None] ^ hashes[None, :])
    ii, jj = np.nonzero(np.triu(d <= 8, 1))
    want = {
        (("site", str(i), 0), ("site", str(j), 0), int(d[i, j]))
        for i, j in zip(ii.tolist(), jj.tolist(), strict=True)
    }
    got = index.pairs()
    assert len(got) == len(set(got)) == len(want)
    assert set(got) == want
    assert len(index.pairs(3)) == int(np.triu(d <= 3, 1).sum())


def test_incremental_adds_are_found_before_and_after_the_rebuild() -> None:
    rng = np.random.default_rng(7)
    index: HashIndex[int] = HashIndex(radius=6)
    hashes: list[int] = []
    for i in range(30_000):
        h = int(rng.integers(0, 2**63)) if i % 100 else (hashes[-1] ^ 0b1011 if hashes else 1)
        index.add(i, h)
        hashes.append(h)
        if i % 2500 == 0:  # queries in between: the tail is scanned, tables rebuilt lazily
            arr = np.array(hashes, dtype=np.uint64)
            assert index.query(h) == _brute(arr, h, 6)
            assert len(index) == i + 1
    assert index.widths  # it grew into block tables on the way
    arr = np.array(hashes, dtype=np.uint64)
    for q in hashes[::997]:
        assert index.query(q) == _brute(arr, q, 6)
    index.add_many([-1, -2], [f"{hashes[5]:016x}", hashes[5] ^ 1])
    assert index.query(hashes[5], 0)[:2] == [(5, 0), (-1, 0)]
    assert (-2, 1) in index.query(hashes[5], 1)


def test_rebuild_from_items_round_trips() -> None:
    hashes, bases = _planted(20_000, 8, seed=11)
    keys = [("s", f"ad{i}", i % 3) for i in range(len(hashes))]
    index = HashIndex.build(keys, hashes)
    stored = [(k, f"{h:016x}") for k, h in index.items()]  # as storage keeps them: hex text
    again = HashIndex.from_items(stored)
    assert len(again) == len(index)
    assert ("s", "ad7", 1) in again
    assert list(again.items()) == list(index.items())
    for q in bases:
        assert again.query(q) == index.query(q)


def test_hash_forms_and_bad_input() -> None:
    assert parse_hash("ffffffffffffffff") == parse_hash(-1) == 2**64 - 1
    assert parse_hash(np.uint64(5)) == parse_hash("0000000000000005") == 5
    signed = np.array([-1, 3], dtype=np.int64)
    assert hash_array(signed).tolist() == [2**64 - 1, 3]
    for bad in ("abc", "zzzzzzzzzzzzzzzz", 2**64, -(2**63) - 1):
        with pytest.raises(ValueError, match="hash|64-bit"):
            parse_hash(bad)
    with pytest.raises(TypeError):
        parse_hash(True)
    index: HashIndex[str] = HashIndex()
    index.add("a", 1)
    with pytest.raises(KeyError):
        index.add("a", 2)
    with pytest.raises(ValueError, match="keys"):
        index.add_many(["b", "c"], [1])
    with pytest.raises(ValueError, match="widths"):
        HashIndex.build([1], [1], widths=(4, 60))
    with pytest.raises(ValueError, match="negative"):
        index.query(1, -1)
    assert index.query(1) == [("a", 0)]
    assert index.pairs() == []
    assert HashIndex[int]().query(0) == []
    assert HashIndex[int]().query_many([]) == []


def test_layout_scans_small_indexes_and_tiles_large_ones() -> None:
    assert choose_widths(1000, 8) == ()
    for n, r in ((100_000, 8), (1_000_000, 8), (1_000_000, 4), (5_000_000, 10)):
        widths = choose_widths(n, r)
        assert sum(widths) == 64
        assert len(widths) >= 3
        assert max(widths) <= 24


def test_popcount_fallback_matches_numpy() -> None:
    a = np.random.default_rng(1).integers(0, 2**64 - 1, size=500, dtype=np.uint64, endpoint=True)
    assert _popcount_table(a).tolist() == [bin(int(x)).count("1") for x in a]


def test_compiled_probe_equals_its_python_source_and_reports_overflow() -> None:
    from pipeline import hashprobe

    hashes, bases = _planted(60_000, 8, seed=21)
    index = HashIndex.build(range(len(hashes)), hashes, radius=8, widths=(16, 16, 16, 16))
    plan = index._plan(8)
    assert plan is not None
    q = np.array(bases[:5], dtype=np.uint64)
    args = (plan[0], plan[1], index._starts, index._sorted, index._order)
    small = np.zeros((3, 3), dtype=np.int64)  # room for 2 hits: the count says how many more
    compiled = np.zeros((1000, 3), dtype=np.int64)
    python = np.zeros((1000, 3), dtype=np.int64)
    found = hashprobe.probe(q, 8, -1, *args, compiled)
    assert hashprobe._probe(q, 8, -1, *args, python) == found
    assert hashprobe.probe(q, 8, -1, *args, small) == found > 2
    assert compiled[:found].tolist() == python[:found].tolist()
    assert compiled[:2].tolist() == small[:2].tolist()
    want = sorted((row, i) for row, b in enumerate(bases[:5]) for i, _ in _brute(hashes, b, 8))
    assert sorted(map(tuple, compiled[:found, :2].tolist())) == want  # each hit once
    assert hashprobe.COMPILED


def _brute_pairs(hashes: np.ndarray, r: int, since: int = 0) -> set[tuple[int, int, int]]:
    """(i, j, distance) of every pair i < j within r, j >= since: all against all, in slabs."""
    out = set()
    for lo in range(0, len(hashes), 1000):
        d = popcount(hashes[lo : lo + 1000, None] ^ hashes[None, lo:])
        ii, jj = np.nonzero(d <= r)
        out.update((lo + i, lo + j, int(d[i, j]))
                   for i, j in zip(ii.tolist(), jj.tolist(), strict=True)
                   if i < j and lo + j >= since)
    return out


def _clustered(n: int, seed: int) -> np.ndarray:
    """Random hashes, a third of them near-copies (0-6 bits) of a tenth: crowded buckets."""
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, 2**64 - 1, size=n, dtype=np.uint64, endpoint=True)
    for i in range(0, n, 3):
        hashes[i] = _flip(rng, int(hashes[i % (n // 10)]), int(rng.integers(0, 7)))
    return hashes


@pytest.mark.parametrize("since", [0, 18000])
def test_pair_ids_equal_brute_force_by_self_join_and_by_probe(since: int) -> None:
    hashes = _clustered(20_000, seed=since)
    index = HashIndex.build(range(len(hashes)), hashes, radius=9, widths=(13, 13, 13, 13, 12))
    assert index._plan(9) is not None  # the tables, not the scan, answer
    a, b, d = index.pair_ids(9, since=since)
    got = list(zip(a.tolist(), b.tolist(), d.tolist(), strict=True))
    assert len(got) == len(set(got))  # each pair once, whichever path (self-join below 15000)
    assert set(got) == _brute_pairs(hashes, 9, since)
    assert got == sorted(got, key=lambda x: (x[0], x[2], x[1]))
    assert len(got) > 1000  # the crowded buckets gave many pairs


def test_compiled_self_join_equals_its_python_source() -> None:
    from pipeline import hashprobe

    hashes = _clustered(20_000, seed=4)
    index = HashIndex.build(range(len(hashes)), hashes, radius=3, widths=(16, 16, 16, 16))
    plan = index._plan(3)
    assert plan is not None
    args = (plan[0], plan[1], index._starts, index._sorted, index._order)
    compiled = hashprobe.self_join(3, 100, *args)
    python = hashprobe._self_join(3, 100, *args)
    assert sorted(map(tuple, compiled.tolist())) == sorted(map(tuple, python.tolist()))
    assert {tuple(x) for x in compiled.tolist()} == _brute_pairs(hashes, 3, since=100)
    assert len(compiled) > 1000


def test_any_keys_give_the_answers_integer_keys_give() -> None:
    """Integer keys map hits through an int64 array; other keys through the key list."""
    hashes, bases = _planted(60_000, 8, seed=3)
    by_int = HashIndex.build(range(len(hashes)), hashes, radius=8)
    by_name = HashIndex.build([f"ad-{i}" for i in range(len(hashes))], hashes, radius=8)
    big = HashIndex.build([i + 2**63 for i in range(len(hashes))], hashes, radius=8)
    assert by_int.widths
    assert by_name.widths
    for q in bases:
        want = by_int.query(q)
        assert by_name.query(q) == [(f"ad-{i}", d) for i, d in want]
        assert big.query(q) == [(i + 2**63, d) for i, d in want]
    queries = np.array(bases, dtype=np.uint64)
    assert by_name.query_many(queries) == [
        [(f"ad-{i}", d) for i, d in hits] for hits in by_int.query_many(queries)
    ]
    by_int.add(len(hashes), bases[0])  # added after the tables were built: the list path
    assert (len(hashes), 0) in by_int.query(bases[0])
    assert (len(hashes), 0) in by_int.query_many(queries[:1])[0]


def test_single_query_grows_past_many_hits_and_equals_its_python_source() -> None:
    """One compiled call answers a query whatever its number of hits (here hundreds)."""
    from pipeline import hashprobe

    rng = np.random.default_rng(8)
    hashes = rng.integers(0, 2**64 - 1, size=60_000, dtype=np.uint64, endpoint=True)
    base = int(hashes[0])
    for i in range(1, 600, 2):  # 300 near-copies of the first hash, 0 to 5 bits away
        hashes[i] = _flip(rng, base, i % 6)
    index = HashIndex.build(range(len(hashes)), hashes, radius=8, widths=(16, 16, 16, 16))
    plan = index._plan(8)
    assert plan is not None
    want = sorted((d, i) for i, d in _brute(hashes, base, 8))
    args = (plan[0], plan[1], index._starts, index._sorted, index._order)
    got = index.query(base, 8)
    assert [(d, i) for i, d in got] == want
    assert len(got) > 300
    ids = np.zeros(0, dtype=np.int64)
    assert hashprobe._query_one(np.uint64(base), 8, *args, ids) == [(i, d) for d, i in want]
    assert hashprobe.query_one(np.uint64(base), 8, *args, ids) == [(i, d) for d, i in want]
