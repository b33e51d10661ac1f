"""Exact near-duplicate search over 64-bit perceptual hashes (multi-index hashing).

The 64 bits are split into m disjoint blocks. If two hashes differ in at most r = m*k + a bits
(0 <= a < m), then among any a+1 chosen blocks one differs in at most k bits, or one of the other
blocks in at most k-1 (generalised pigeonhole). A query enumerates, for each block, every value
within that block radius of its own, reads those buckets of a direct-addressed table, and verifies
each candidate with a popcount of the XOR: no false negatives, no false positives. The probe
and verification run compiled (`pipeline.hashprobe`, numba): a hash that several blocks return
is kept once, from the first of them, so the answers need no de-duplication. A single `query`
is one compiled call that probes, verifies and sorts its hits; `pairs`/`pair_ids` (all pairs
within a radius, for linking) compare bucket against bucket in one compiled self-join, or probe
only the entries added since a given position when they are few.

Block widths are chosen by a cost model for the number of hashes and the index's `radius`. A
query with any radius stays exact: the block radii follow the query radius, and a numpy
linear scan takes over where the model says it is cheaper (small indexes, large radii).

Inserts are incremental: new hashes go to a tail that is scanned linearly, and the tables are
rebuilt lazily, at the next query, once the tail outgrows an eighth of the indexed part.
Persistence: none of its own. Storage keeps (key, hash) rows; rebuild with `HashIndex.build` or
`HashIndex.from_items` (about a second per million hashes); `items()` yields them back.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Hashable, Iterable, Iterator, Sequence
from string import hexdigits
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

from pipeline.hashlayout import (
    COST_SCAN,
    COST_SCAN_QUERY,
    block_radii,
    choose_widths,
    probe_masks,
    query_cost,
)
from pipeline.hashprobe import probe, query_one, self_join

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
HashLike = str | int | np.integer[Any]
U64 = npt.NDArray[np.uint64]
Arr = npt.NDArray[Any]
Hits = tuple[Arr, Arr, Arr]  # query row, id, distance
Plan = tuple[Arr, U64]  # block rows, probe masks

_MASK64 = (1 << 64) - 1
_HEX = frozenset(hexdigits)
_MIN_TAIL = 4096  # never rebuild for fewer new hashes than this
_BATCH = 2048  # queries searched together
_NO_KEYS = np.zeros(0, dtype=np.int64)  # query_one answers ids, not keys


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


def _int_array(keys: Sequence[Any]) -> Arr | None:
    if not all(type(k) is int for k in keys):
        return None
    try:
        return np.fromiter(keys, dtype=np.int64, count=len(keys))
    except OverflowError:
        return None


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
        self._blocks: Arr = np.zeros((0, 3), dtype=np.int64)  # per block: shift, mask, offset
        self._starts: Arr = np.zeros(1, dtype=np.int64)  # bucket -> first position in _sorted
        self._sorted: U64 = np.zeros(0, dtype=np.uint64)  # hashes, block by block, by bucket
        self._order: Arr = np.zeros(0, dtype=np.int64)  # their ids
        self._plans: dict[int, Plan | None] = {}  # radius -> blocks, probe masks, scratch
        self._out: Arr = np.zeros((1024, 3), dtype=np.int64)
        self._key_array: Arr | None = None  # the keys as int64, when all are ints (one read a hit)

    @classmethod
    def build(
        cls,
        keys: Sequence[K],
        hashes: Iterable[HashLike] | Arr,
        radius: int = 10,
        widths: tuple[int, ...] | None = None,
    ) -> HashIndex[K]:
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
        r = self.radius if radius is None else radius
        plan = self._plans.get(r)
        if plan is not None and self._indexed == len(self._keys):  # the common case, kept lean
            v = h if type(h) is int and 0 <= h <= _MASK64 else parse_hash(h)
            if self._key_array is not None:  # int keys: mapped in the same compiled call
                return query_one(
                    np.uint64(v),
                    r,
                    plan[0],
                    plan[1],
                    self._starts,
                    self._sorted,
                    self._order,
                    self._key_array,
                )  # type: ignore[return-value]
            keys = self._keys
            return [
                (keys[i], d)
                for i, d in query_one(
                    np.uint64(v),
                    r,
                    plan[0],
                    plan[1],
                    self._starts,
                    self._sorted,
                    self._order,
                    _NO_KEYS,
                )
            ]
        r = self._check(radius)
        _, ids, dist = self._search(np.array([parse_hash(h)], dtype=np.uint64), r)
        keys = self._keys
        return [(keys[i], d) for i, d in zip(ids.tolist(), dist.tolist(), strict=True)]

    def query_many(
        self, hashes: Iterable[HashLike] | Arr, radius: int | None = None
    ) -> list[list[tuple[K, int]]]:
        """`query` for many hashes at once: far less overhead per hash."""
        r, q = self._check(radius), hash_array(hashes)
        out: list[list[tuple[K, int]]] = []
        keys = self._keys
        for lo in range(0, len(q), _BATCH):
            chunk = q[lo : lo + _BATCH]
            rows, ids, dist = self._search(chunk, r)
            cut = np.searchsorted(rows, np.arange(len(chunk) + 1)).tolist()
            dist_l = dist.tolist()
            if self._key_array is not None and self._indexed == len(keys):
                ks = self._key_array[ids].tolist()
            else:
                ks = [keys[i] for i in ids.tolist()]
            out.extend(
                list(zip(ks[a:b], dist_l[a:b], strict=True)) for a, b in itertools.pairwise(cut)
            )
        return out

    def pairs(self, radius: int | None = None, since: int = 0) -> list[tuple[K, K, int]]:
        """Every pair of distinct entries within `radius` bits: (earlier key, later key, distance),
        in insertion order of the earlier key, then by distance. With `since`, only the pairs
        whose later entry is one of those added from position `since` on."""
        a, b, d, k = (*self.pair_ids(radius, since), self._keys)
        return [(k[i], k[j], x) for i, j, x in zip(a.tolist(), b.tolist(), d.tolist(), strict=True)]

    def pair_ids(self, radius: int | None = None, since: int = 0) -> Hits:
        """`pairs` as arrays of positions (insertion order) and distances: earlier, later,
        distance. Few new entries are probed against the tables (and the few entries not in them
        yet scanned: a million hashes are not sorted again for a thousand new ones); many, by a
        self-join."""
        r, n, since = self._check(radius), len(self), max(0, since)
        plan = self._plan(r)
        if plan is not None and (n - since) * 4 >= n and self._indexed < n:
            self._rebuild()  # the self-join reads the tables alone
            plan = self._plan(r)
        if plan is not None and (n - since) * 4 >= n:
            found = self_join(r, since, plan[0], plan[1], self._starts, self._sorted, self._order)
            a, b, d = found[:, 0], found[:, 1], found[:, 2]
        else:
            parts: list[Hits] = [(np.zeros(0, np.int64),) * 3]
            for lo in range(since, n, _BATCH):
                rows, ids, dist = self._search(self._hashes[lo : min(n, lo + _BATCH)], r)
                later = rows + lo  # a pair is kept from its later entry
                parts.append((ids[ids < later], later[ids < later], dist[ids < later]))
            a, b, d = (np.concatenate(x) for x in zip(*parts, strict=True))
        order = np.lexsort((b, d, a))
        return a[order], b[order], d[order]

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
        if self.widths and (
            sum(self.widths) != 64 or not 0 < min(self.widths) <= max(self.widths) <= 24
        ):
            raise ValueError(f"block widths must be 1 to 24 bits and add up to 64: {widths}")
        it = np.int32 if n < 2**31 else np.int64
        self._indexed, self._plans = n, {}
        m = len(self.widths)
        shifts = [sum(self.widths[:t]) for t in range(m)]
        offsets = [sum(1 << w for w in self.widths[:t]) for t in range(m)]
        orders, counts = [np.zeros(0, it)], [np.zeros(0, np.int64)]
        h = self._hashes[:n]
        for t, w in enumerate(self.widths):
            v = ((h >> np.uint64(shifts[t])) & np.uint64((1 << w) - 1)).astype(it)
            orders.append(np.argsort(v, kind="stable").astype(it))  # ids ascending in a bucket
            counts.append(np.bincount(v, minlength=1 << w))
        self._blocks = np.array(
            list(zip(shifts, [(1 << w) - 1 for w in self.widths], offsets, strict=True)),
            dtype=np.int64,
        ).reshape(-1, 3)
        self._order = np.concatenate(orders)
        self._sorted = h[self._order]
        self._key_array = _int_array(self._keys)
        self._starts = np.concatenate([[0], np.cumsum(np.concatenate(counts))]).astype(it)
        log.debug("hash index rebuilt: %d hashes, blocks %s", n, self.widths)

    def _plan(self, r: int) -> Plan | None:
        """The probe's block rows (shift, mask, offset, radius, end of its probe masks), the
        probe masks at radius r; None when a linear scan is cheaper."""
        if r not in self._plans:
            plan = None
            ni = self._indexed
            if self.widths and query_cost(self.widths, ni, r) < COST_SCAN_QUERY + COST_SCAN * ni:
                radii = block_radii(self.widths, r, ni)
                masks = [
                    probe_masks(w, k) if k >= 0 else probe_masks(w, 0)[:0]
                    for w, k in zip(self.widths, radii, strict=True)
                ]
                ends = np.cumsum([len(x) for x in masks])
                blocks = np.column_stack([self._blocks, radii, ends]).astype(np.int64)
                plan = (blocks, np.concatenate(masks).astype(np.uint64))
            self._plans[r] = plan
        return self._plans[r]

    def _search(self, q: U64, r: int, first: int | None = None) -> Hits:
        """Hits of a batch, sorted by row, distance, id. With `first`, the rows are the ids from
        `first` on and only hits with a larger id are kept (self-join)."""
        n, ni, plan = len(self), self._indexed, self._plan(r)
        parts = [
            self._scan(q, r, ni, n),
            self._scan(q, r, 0, ni)
            if plan is None
            else self._probe(q, r, -1 if first is None else first, *plan),
        ]
        rows, ids, dist = (np.concatenate(x).astype(np.int64) for x in zip(*parts, strict=True))
        if first is not None:
            keep = ids > rows + first
            rows, ids, dist = rows[keep], ids[keep], dist[keep]
        if len(ids) > 1:
            order = np.lexsort((ids, dist, rows))
            rows, ids, dist = rows[order], ids[order], dist[order]
        return rows, ids, dist

    def _probe(self, q: U64, r: int, first: int, blocks: Arr, masks: U64) -> Hits:
        """Hits among the indexed hashes, by the compiled probe."""
        while True:
            found = probe(
                q, r, first, blocks, masks, self._starts, self._sorted, self._order, self._out
            )
            if found < len(self._out):
                hits = self._out[:found].T
                return hits[0].copy(), hits[1].copy(), hits[2].copy()
            self._out = np.zeros((2 * found + 1, 3), dtype=np.int64)

    def _scan(self, q: U64, r: int, lo: int, hi: int) -> Hits:
        """Hits of a batch among ids [lo, hi) by linear scan, in slabs of ~4M XORs."""
        parts: list[Hits] = [(np.zeros(0, np.int64),) * 3]
        step = max(1, (1 << 22) // max(1, hi - lo))
        for s in range(0, len(q) if hi > lo else 0, step):
            d = popcount(q[s : s + step, None] ^ self._hashes[None, lo:hi])
            rows, cols = np.nonzero(d <= r)
            parts.append((rows + s, cols + lo, d[rows, cols]))
        return tuple(np.concatenate(x) for x in zip(*parts, strict=True))  # type: ignore[return-value]
