"""Exact near-duplicate search over 64-bit perceptual hashes (multi-index hashing).

The 64 bits are split into m disjoint blocks. If two hashes differ in at most r = m*k + a bits
(0 <= a < m), then among any a+1 chosen blocks one differs in at most k bits, or one of the other
blocks in at most k-1 (generalised pigeonhole). A query enumerates, for each block, every value
within that block radius of its own, reads those buckets of a direct-addressed table, and verifies
each candidate with a popcount of the XOR: no false negatives, no false positives.

Block widths are chosen by a cost model for the number of hashes and the index's `radius`. A
query with any radius stays exact: the block radii follow the query radius, and a vectorised
linear scan takes over where the model says it is cheaper (small indexes, large radii).

Inserts are incremental: new hashes go to a tail that is scanned linearly, and the tables are
rebuilt lazily, at the next query, once the tail outgrows an eighth of the indexed part.
Persistence: none of its own. Storage keeps (key, hash) rows; rebuild with `HashIndex.build` or
`HashIndex.from_items` (about a second per million hashes); `items()` yields them back.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Hashable, Iterable, Iterator, Sequence
from functools import lru_cache
from string import hexdigits
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
HashLike = str | int | np.integer[Any]
U64 = npt.NDArray[np.uint64]
Arr = npt.NDArray[Any]
Hits = tuple[Arr, Arr, Arr]  # query row, id, distance

_MASK64 = (1 << 64) - 1
_HEX = frozenset(hexdigits)
_MIN_TAIL = 4096  # never rebuild for fewer new hashes than this
_BATCH = 2048  # queries searched together
# Cost model, ns on one core (fitted on bench/hashindex.py): fixed cost of a query and of a
# linear scan, per hash scanned, per candidate verified, and per bucket probed, the last growing
# from cache to memory latency with the size of the tables.
_COST_QUERY, _COST_SCAN_QUERY, _COST_SCAN, _COST_CAND = 25_000.0, 5_000.0, 1.7, 9.0


def _probe_cost(width: int, n: int) -> float:
    return 5.0 + 45.0 * min(1.0, max(0.0, ((n + (1 << width)) * 32 - 2e6) / 30e6))


def parse_hash(h: HashLike) -> int:
    """A 64-bit hash as an int in [0, 2**64): 16 hex digits, or an int (a negative one is read as
    a signed 64-bit value, as PostgreSQL's BIGINT stores it)."""
    if isinstance(h, str):
        s = h.strip()
        if len(s) != 16 or not _HEX.issuperset(s):
            raise ValueError(f"not a 64-bit hash of 16 hex digits: {h!r}")
        return int(s, 16)
    if isinstance(h, bool) or not isinstance(h, int | np.integer):
        raise TypeError(f"not a hash: {h!r}")
    v = int(h)
    if not -(1 << 63) <= v <= _MASK64:
        raise ValueError(f"not a 64-bit value: {v}")
    return v & _MASK64


def hash_array(hashes: Iterable[HashLike] | npt.NDArray[Any]) -> U64:
    """Hashes as a uint64 array; an int64 array is reinterpreted (two's complement)."""
    if isinstance(hashes, np.ndarray) and hashes.dtype in (np.uint64, np.int64):
        return np.ascontiguousarray(hashes).reshape(-1).view(np.uint64)
    return np.fromiter((parse_hash(h) for h in hashes), dtype=np.uint64)


def _popcount_table(a: U64) -> Arr:
    """Bits set per element, by byte lookup (numpy < 2 has no bitwise_count)."""
    table = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)
    out: Arr = table[np.ascontiguousarray(a).view(np.uint8)].reshape(*a.shape, 8).sum(-1, np.uint8)
    return out


popcount = getattr(np, "bitwise_count", _popcount_table)


@lru_cache(maxsize=64)
def _masks(width: int, k: int) -> Arr:
    """Every `width`-bit value with at most `k` bits set (the XOR masks of a radius-k probe)."""
    out = [sum(1 << b for b in bits) for j in range(min(k, width) + 1)
           for bits in itertools.combinations(range(width), j)]
    return np.array(out, dtype=np.int64)


def _block_cost(width: int, k: int, n: int) -> float:
    if k < 0:
        return 0.0
    volume = sum(math.comb(width, j) for j in range(min(k, width) + 1))
    return volume * (_probe_cost(width, n) + _COST_CAND * n / 2.0**width)


def _radii(widths: tuple[int, ...], r: int, n: int) -> tuple[int, ...]:
    """Per-block radii (-1: block skipped) exact at radius r: the a+1 blocks where radius k
    costs least over radius k-1 get k, the others k-1."""
    k, a = divmod(r, len(widths))
    extra = sorted(range(len(widths)), key=lambda t: _block_cost(widths[t], k, n)
                   - _block_cost(widths[t], k - 1, n))[: a + 1]
    return tuple(k if t in extra else k - 1 for t in range(len(widths)))


def _cost(widths: tuple[int, ...], n: int, r: int) -> float:
    return _COST_QUERY + sum(_block_cost(w, k, n) for w, k in
                             zip(widths, _radii(widths, r, n), strict=True))


def _even(bits: int, m: int) -> tuple[int, ...]:
    base, extra = divmod(bits, m)
    return (base + 1,) * extra + (base,) * (m - extra)


def choose_widths(n: int, radius: int) -> tuple[int, ...]:
    """Block widths with the cheapest query at `radius`, or () when a linear scan is cheaper.
    Two groups of even widths (the blocks searched at k and at k-1); tables of at most 2**24
    buckets a block and ~16 buckets a hash."""
    cap = max(1 << 16, 16 * n)
    best: tuple[int, ...] = ()
    best_cost = _COST_SCAN_QUERY + _COST_SCAN * n
    for m in range(3, 13):
        a = radius % m + 1
        for bits in range(4 * a, 64 - 4 * (m - a) + 1) if a < m else (64,):
            widths = _even(bits, a) + (_even(64 - bits, m - a) if a < m else ())
            if max(widths) <= 24 and sum(1 << w for w in widths) <= cap:
                cost = _cost(widths, n, radius)
                if cost < best_cost:
                    best, best_cost = widths, cost
    return best


class HashIndex(Generic[K]):
    """Keys (any hashable, unique) with 64-bit hashes; exact search within a Hamming radius.
    `radius` is the default query radius, for which the block layout is tuned."""

    def __init__(self, radius: int = 10) -> None:
        self.radius = radius
        self._keys: list[K] = []
        self._ids: dict[K, int] = {}
        self._hashes: U64 = np.zeros(1024, dtype=np.uint64)
        self._indexed = 0  # ids below this are in the tables (or scanned when there are none)
        self.widths: tuple[int, ...] = ()  # block widths from the low bits up; () = scan
        self._fields: list[tuple[int, int, int]] = []  # per block: shift, mask, table offset
        self._spans: Arr = np.zeros((0, 2), dtype=np.int64)  # bucket -> start, count in _sorted
        self._sorted: U64 = np.zeros(0, dtype=np.uint64)  # hashes, block by block, by bucket
        self._order: Arr = np.zeros(0, dtype=np.int64)  # their ids
        self._arange: Arr = np.arange(1 << 16)
        self._plans: dict[int, tuple[Arr, Arr] | None] = {}

    @classmethod
    def build(cls, keys: Sequence[K], hashes: Iterable[HashLike] | Arr, radius: int = 10,
              widths: tuple[int, ...] | None = None) -> HashIndex[K]:
        """Bulk build from parallel keys and hashes (a uint64/int64 array is fastest).
        `widths` overrides the block layout (they must add up to 64)."""
        index: HashIndex[K] = cls(radius)
        index.add_many(keys, hashes)
        index._rebuild(widths)
        return index

    @classmethod
    def from_items(cls, items: Iterable[tuple[K, HashLike]], radius: int = 10) -> HashIndex[K]:
        """Rebuild from (key, hash) pairs as storage yields them."""
        pairs = list(items)
        return cls.build([k for k, _ in pairs], [h for _, h in pairs], radius)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def items(self) -> Iterator[tuple[K, int]]:
        """(key, hash as int) in insertion order."""
        return zip(self._keys, self._hashes[: len(self)].tolist(), strict=True)

    def add(self, key: K, h: HashLike) -> None:
        self.add_many([key], np.array([parse_hash(h)], dtype=np.uint64))

    def add_many(self, keys: Sequence[K], hashes: Iterable[HashLike] | Arr) -> None:
        arr = hash_array(hashes)
        if len(arr) != len(keys):
            raise ValueError(f"{len(keys)} keys but {len(arr)} hashes")
        n = len(self._keys)
        new_ids = dict(zip(keys, range(n, n + len(keys)), strict=True))
        if len(new_ids) != len(keys) or not self._ids.keys().isdisjoint(new_ids):
            raise KeyError("duplicate key")
        if n + len(arr) > len(self._hashes):
            grown = np.zeros(max(2 * len(self._hashes), n + len(arr)), dtype=np.uint64)
            grown[:n] = self._hashes[:n]
            self._hashes = grown
        self._hashes[n : n + len(arr)] = arr
        self._keys.extend(keys)
        self._ids.update(new_ids)

    def query(self, h: HashLike, radius: int | None = None) -> list[tuple[K, int]]:
        """Every (key, distance) within `radius` bits of `h`, nearest first (then insertion)."""
        r, qv = self._check(radius), parse_hash(h)
        plan = self._plan(r)
        found = dict(zip(*self._scan_one(qv, r, self._indexed, len(self)), strict=True))
        found.update(zip(*self._scan_one(qv, r, 0, self._indexed) if plan is None else
                         self._probe_one(qv, r, *plan), strict=True))
        return [(self._keys[i], d) for i, d in sorted(found.items(), key=lambda x: (x[1], x[0]))]

    def query_many(self, hashes: Iterable[HashLike] | Arr,
                   radius: int | None = None) -> list[list[tuple[K, int]]]:
        """`query` for many hashes at once: vectorised, far less overhead per hash."""
        r, q = self._check(radius), hash_array(hashes)
        out: list[list[tuple[K, int]]] = []
        keys = self._keys
        for lo in range(0, len(q), _BATCH):
            chunk = q[lo : lo + _BATCH]
            rows, ids, dist = self._search(chunk, r)
            cut = np.searchsorted(rows, np.arange(len(chunk) + 1)).tolist()
            ids_l, dist_l = ids.tolist(), dist.tolist()
            out.extend([(keys[i], d) for i, d in zip(ids_l[a:b], dist_l[a:b], strict=True)]
                       for a, b in itertools.pairwise(cut))
        return out

    def pairs(self, radius: int | None = None) -> list[tuple[K, K, int]]:
        """Every pair of distinct entries within `radius` bits: (earlier key, later key, distance),
        in insertion order of the earlier key, then by distance."""
        r, keys, n = self._check(radius), self._keys, len(self)
        if self._indexed < n:
            self._rebuild()
        out: list[tuple[K, K, int]] = []
        for lo in range(0, n, _BATCH):
            rows, ids, dist = self._search(self._hashes[lo : min(n, lo + _BATCH)], r, first=lo)
            out.extend(zip([keys[a + lo] for a in rows.tolist()], [keys[b] for b in ids.tolist()],
                           dist.tolist(), strict=True))
        return out

    # -- internals ---------------------------------------------------------------------------

    def _check(self, radius: int | None) -> int:
        r = self.radius if radius is None else radius
        if r < 0:
            raise ValueError(f"negative radius: {r}")
        if len(self) - self._indexed > max(_MIN_TAIL, self._indexed // 8):
            self._rebuild()
        return r

    def _rebuild(self, widths: tuple[int, ...] | None = None) -> None:
        n = len(self)
        self.widths = choose_widths(n, self.radius) if widths is None else widths
        if self.widths and (sum(self.widths) != 64 or not 0 < min(self.widths) <= max(
                self.widths) <= 24):
            raise ValueError(f"block widths must be 1 to 24 bits and add up to 64: {widths}")
        it = np.int32 if n < 2**31 else np.int64
        self._indexed, self._plans = n, {}
        shifts = [sum(self.widths[:t]) for t in range(len(self.widths))]
        # Tables widest first: a block's offset is then a multiple of its table's size, so its
        # bucket for a probe is (mask XOR block value) + offset = (mask + offset) XOR value.
        table = sorted(range(len(self.widths)), key=lambda t: -self.widths[t])
        offsets = itertools.accumulate((1 << self.widths[t] for t in table), initial=0)
        at = dict(zip(table, offsets, strict=False))
        self._fields = [(shifts[t], (1 << w) - 1, at[t]) for t, w in enumerate(self.widths)]
        orders, counts = [np.zeros(0, it)], [np.zeros(0, np.int64)]
        for t in table:
            shift, mask, _ = self._fields[t]
            v = ((self._hashes[:n] >> np.uint64(shift)) & np.uint64(mask)).astype(it)
            orders.append(np.argsort(v, kind="stable").astype(it))  # ids ascending in a bucket
            counts.append(np.bincount(v, minlength=mask + 1))
        self._order = np.concatenate(orders)
        self._sorted = self._hashes[self._order]
        cnt = np.concatenate(counts)
        self._spans = np.stack([np.cumsum(cnt) - cnt, cnt], axis=1).astype(it)
        log.debug("hash index rebuilt: %d hashes, blocks %s", n, self.widths)

    def _plan(self, r: int) -> tuple[Arr, Arr] | None:
        """Per probe: its block, and its bucket before the block value is XORed in; None when a
        linear scan is cheaper."""
        if r not in self._plans:
            plan = None
            ni = self._indexed
            if self.widths and _cost(self.widths, ni, r) < _COST_SCAN_QUERY + _COST_SCAN * ni:
                blocks, buckets = [], []
                for t, (w, k) in enumerate(zip(self.widths, _radii(self.widths, r, ni),
                                               strict=True)):
                    if k >= 0:
                        buckets.append(_masks(w, k) + self._fields[t][2])
                        blocks.append(np.full(len(buckets[-1]), t))
                plan = (np.concatenate(blocks), np.concatenate(buckets))
            self._plans[r] = plan
        return self._plans[r]

    def _scan_one(self, qv: int, r: int, lo: int, hi: int) -> tuple[list[int], list[int]]:
        d = popcount(self._hashes[lo:hi] ^ np.uint64(qv))
        hit = (d <= r).nonzero()[0]
        return (hit + lo).tolist(), d.take(hit).tolist()

    def _probe_one(self, qv: int, r: int, blocks: Arr, buckets: Arr) -> tuple[list[int], list[int]]:
        """(ids, distances) of the indexed hashes within r of one query. Few numpy calls, and
        methods and ufuncs rather than np.* wrappers, which cost microseconds each."""
        vals = np.array([(qv >> s) & m for s, m, _ in self._fields])
        spans = self._spans.take(buckets ^ vals.take(blocks), axis=0)
        start, cnt = spans[:, 0], spans[:, 1]
        ends = np.add.accumulate(cnt)
        pos = (start - ends + cnt).repeat(cnt)
        pos += self._arange[: len(pos)] if len(pos) <= len(self._arange) else np.arange(len(pos))
        cand = self._sorted.take(pos)
        cand ^= np.uint64(qv)
        dist = popcount(cand)
        hit = (dist <= r).nonzero()[0]
        return self._order.take(pos.take(hit)).tolist(), dist.take(hit).tolist()

    def _search(self, q: U64, r: int, first: int | None = None) -> Hits:
        """Hits of a batch, sorted by row, distance, id. With `first`, the rows are the ids from
        `first` on and only hits with a larger id are kept (self-join)."""
        n, ni, plan = len(self), self._indexed, self._plan(r)
        parts = [self._scan(q, r, ni, n), self._scan(q, r, 0, ni) if plan is None else
                 self._probe_many(q, r, *plan)]
        rows, ids, dist = (np.concatenate(x).astype(np.int64) for x in zip(*parts, strict=True))
        if first is not None:
            keep = ids > rows + first
            rows, ids, dist = rows[keep], ids[keep], dist[keep]
        if len(ids) > 1:  # a hit can come from several blocks
            _, uniq = np.unique(rows * n + ids, return_index=True)
            order = np.lexsort((ids[uniq], dist[uniq], rows[uniq]))
            rows, ids, dist = rows[uniq][order], ids[uniq][order], dist[uniq][order]
        return rows, ids, dist

    def _probe_many(self, q: U64, r: int, blocks: Arr, buckets: Arr) -> Hits:
        """Hits among the indexed hashes for a batch (< 2**24 queries). Probes are sorted, so the
        tables are read in order; bucket runs are expanded with one cumulative sum."""
        vals = np.empty((len(q), len(self._fields)), dtype=np.int64)
        for t, (s, m, _) in enumerate(self._fields):
            vals[:, t] = (q >> np.uint64(s)) & np.uint64(m)
        probes = np.sort(((vals[:, blocks] ^ buckets) << 24 | np.arange(len(q))[:, None]).ravel())
        spans = np.take(self._spans, probes >> 24, axis=0)
        live = spans[:, 1].nonzero()[0]
        row, start, cnt = probes[live] & ((1 << 24) - 1), spans[live, 0].astype(np.int64), spans[
            live, 1]
        if not len(live):
            return row, row, row
        ends = np.cumsum(cnt, dtype=np.int64)
        step = np.ones(ends[-1], dtype=np.int64)  # positions = cumsum(step): +1 within a run,
        step[ends[:-1]] = start[1:] - start[:-1] - cnt[:-1] + 1  # a jump to the next run
        step[0] = start[0]
        pos = np.cumsum(step)
        cand = self._sorted[pos]
        cand ^= np.repeat(q[row], cnt)
        dist = popcount(cand)
        hit = (dist <= r).nonzero()[0]
        return row[np.searchsorted(ends, hit, side="right")], self._order[pos[hit]], dist[hit]

    def _scan(self, q: U64, r: int, lo: int, hi: int) -> Hits:
        """Hits of a batch among ids [lo, hi) by linear scan, in slabs of ~4M XORs."""
        parts: list[Hits] = [(np.zeros(0, np.int64),) * 3]
        step = max(1, (1 << 22) // max(1, hi - lo))
        for s in range(0, len(q) if hi > lo else 0, step):
            d = popcount(q[s : s + step, None] ^ self._hashes[None, lo:hi])
            rows, cols = np.nonzero(d <= r)
            parts.append((rows + s, cols + lo, d[rows, cols]))
        return tuple(np.concatenate(x) for x in zip(*parts, strict=True))  # type: ignore[return-value]
