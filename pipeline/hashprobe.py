"""The compiled inner loops of `pipeline.hashindex`: probe the block tables, verify candidates.

Three functions, compiled by numba on first use (and cached beside this file): `probe` for a
batch of queries, `query_one` for a single query answered as (key, distance) pairs, `self_join`
for every pair within a radius (bucket against bucket). For each query, for each
block, every bucket within the block's radius of the query's block value is read and each hash
in it verified by the popcount (the CPU's own instruction) of its XOR with the query. A hash that
several blocks would return is kept only from the first of them (it is skipped when an earlier
probed block of it lies within that block's radius), so the answers need no de-duplication.

Memory, not arithmetic, sets the pace: the runs of a query are scattered over tables of tens of
megabytes. So a query first reads all its bucket bounds, then prefetches every cache line of every
run (dozens of memory reads in flight at once), then verifies from cache, and only then reads the
ids of its hits (again independent loads). A batch keeps two queries in flight: the next one's
lines are fetched while the current one is verified.
Without numba the same Python functions run, exact but slow (`COMPILED` says which).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Arr = npt.NDArray[Any]

_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)


def _popcount(x: np.uint64) -> int:
    """Bits set (the portable form; compiled, the CPU's popcount instruction replaces it)."""
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return int((x * _H01) >> np.uint64(56))


def _prefetch(a: Arr, i: int) -> None:
    """Ask the CPU to bring the cache line of a[i] (compiled: LLVM's prefetch; here nothing)."""


def _runs(
    qv: np.uint64,
    slot: int,
    blocks: Arr,
    probe_masks: Arr,
    starts: Arr,
    lo: Arr,
    hi: Arr,
    block: Arr,
    hashes: Arr,
) -> None:
    """The bucket runs [lo, hi) that query value `qv` probes, one per probe mask, into row
    `slot` of lo and hi, the block of each probe into `block`; then every cache line of those
    runs is prefetched."""
    p = 0
    for t in range(blocks.shape[0]):
        value = (qv >> np.uint64(blocks[t, 0])) & np.uint64(blocks[t, 1])
        while p < blocks[t, 4]:
            bucket = blocks[t, 2] + np.int64(value ^ probe_masks[p])
            lo[slot, p] = starts[bucket]
            hi[slot, p] = starts[bucket + 1]
            block[p] = t
            p += 1
    for p in range(probe_masks.shape[0]):
        a, b = lo[slot, p], hi[slot, p]
        if a < b:
            for j in range(a, b, 8):  # 8 hashes a cache line
                _prefetch(hashes, j)
            _prefetch(hashes, b - 1)


def _first_block(x: np.uint64, t: int, blocks: Arr) -> bool:
    """Whether block t is the first probed block where the difference `x` is within radius."""
    for u in range(t):
        part = (x >> np.uint64(blocks[u, 0])) & np.uint64(blocks[u, 1])
        if blocks[u, 3] >= 0 and _popcount(part) <= blocks[u, 3]:
            return False
    return True


def _probe(
    q: Arr,
    r: int,
    first: int,
    blocks: Arr,
    probe_masks: Arr,
    starts: Arr,
    hashes: Arr,
    ids: Arr,
    out: Arr,
) -> int:
    """Hits of queries `q` within `r` bits, written to `out` rows (query row, id, distance).

    `blocks` has a row per block: shift, mask, table offset, radius (-1: not probed), and the end
    of its run of `probe_masks`. `starts[b]:starts[b + 1]` is bucket b's run in `hashes` (and in
    their `ids`). With `first` >= 0 only ids above `first` + row are kept (a self-join). Returns
    the number of hits, which may exceed `out`'s length less one (its last row is scratch): then
    only the first ones were written (and the count may include some that `first` drops)."""
    n_hits = 0
    cap = out.shape[0] - 1
    n_probes = probe_masks.shape[0]
    lo = np.empty((2, n_probes), dtype=np.int64)
    hi = np.empty((2, n_probes), dtype=np.int64)
    block = np.empty((2, n_probes), dtype=np.int64)
    for row in range(-1, q.shape[0]):
        if row + 1 < q.shape[0]:  # the next query's runs, fetched while this one is verified
            s = (row + 1) & 1
            _runs(q[row + 1], s, blocks, probe_masks, starts, lo, hi, block[s], hashes)
        if row < 0:
            continue
        qv = q[row]
        slot = row & 1
        for p in range(n_probes):
            for j in range(lo[slot, p], hi[slot, p]):
                x = hashes[j] ^ qv
                d = _popcount(x)
                if d > r or not _first_block(x, block[slot, p], blocks):
                    continue
                if n_hits < cap:
                    out[n_hits, 0] = row
                    out[n_hits, 1] = j  # a position for now: its id is read below
                    out[n_hits, 2] = d
                n_hits += 1
    kept = 0
    for k in range(min(n_hits, cap)):
        hid = ids[out[k, 1]]
        if first < 0 or hid > first + out[k, 0]:
            out[kept, 0] = out[k, 0]
            out[kept, 1] = hid
            out[kept, 2] = out[k, 2]
            kept += 1
    return kept if n_hits <= cap else n_hits


def _query_one(
    qv: np.uint64,
    r: int,
    blocks: Arr,
    probe_masks: Arr,
    starts: Arr,
    hashes: Arr,
    ids: Arr,
    keys: Arr,
) -> list[tuple[int, int]]:
    """Hits of one query `qv` within `r` bits as (key, distance), nearest first, then by id:
    probe, verify, sort and map ids to `keys` (ids themselves when `keys` is empty) in one call,
    so that a single query costs one dispatch and no intermediate arrays."""
    n_probes = probe_masks.shape[0]
    lo = np.empty((1, n_probes), dtype=np.int64)
    hi = np.empty((1, n_probes), dtype=np.int64)
    block = np.empty(n_probes, dtype=np.int64)
    _runs(qv, 0, blocks, probe_masks, starts, lo, hi, block, hashes)
    pos = np.empty(16, dtype=np.int64)
    dist = np.empty(16, dtype=np.int64)
    n = 0
    for p in range(n_probes):
        for j in range(lo[0, p], hi[0, p]):
            x = hashes[j] ^ qv
            d = _popcount(x)
            if d > r or not _first_block(x, block[p], blocks):
                continue
            if n == pos.shape[0]:
                pos = np.concatenate((pos, np.empty(n, dtype=np.int64)))
                dist = np.concatenate((dist, np.empty(n, dtype=np.int64)))
            pos[n] = ids[j]
            dist[n] = d
            n += 1
    for k in range(1, n):  # insertion sort by (distance, id): hits are few
        hid, d = pos[k], dist[k]
        i = k
        while i > 0 and (dist[i - 1] > d or (dist[i - 1] == d and pos[i - 1] > hid)):
            pos[i] = pos[i - 1]
            dist[i] = dist[i - 1]
            i -= 1
        pos[i] = hid
        dist[i] = d
    mapped = keys.shape[0] > 0
    return [(int(keys[pos[k]]) if mapped else int(pos[k]), int(dist[k])) for k in range(n)]


def _self_join(
    r: int, since: int, blocks: Arr, probe_masks: Arr, starts: Arr, hashes: Arr, ids: Arr
) -> Arr:
    """Every pair of indexed hashes within `r` bits of which the later id is at least `since`:
    rows (earlier id, later id, distance), unordered.

    Bucket against bucket rather than hash against table: for each block, each bucket v is
    compared with each bucket v ^ mask (mask within the block's radius; each pair of buckets
    once), both runs read whole from cache. A pair that several blocks would return is kept
    from the first of them, as in `probe`."""
    out = np.empty((1024, 3), dtype=np.int64)
    n = 0
    for t in range(blocks.shape[0]):
        if blocks[t, 3] < 0:
            continue
        offset, size = blocks[t, 2], blocks[t, 1] + 1
        first_mask = blocks[t - 1, 4] if t > 0 else 0
        for v in range(size):
            a0, a1 = starts[offset + v], starts[offset + v + 1]
            if a0 == a1:
                continue
            for p in range(first_mask, blocks[t, 4]):
                m = np.int64(probe_masks[p])
                u = v ^ m
                if u < v:
                    continue  # this pair of buckets is compared from u
                b0, b1 = starts[offset + u], starts[offset + u + 1]
                for i in range(a0, a1):
                    hi = hashes[i]
                    for j in range(i + 1 if m == 0 else b0, b1):
                        x = hi ^ hashes[j]
                        d = _popcount(x)
                        if d > r or not _first_block(x, t, blocks):
                            continue
                        ia, ib = ids[i], ids[j]
                        if ia > ib:
                            ia, ib = ib, ia
                        if ib < since:
                            continue
                        if n == out.shape[0]:
                            grown = np.empty((2 * n, 3), dtype=np.int64)
                            grown[:n] = out
                            out = grown
                        out[n, 0] = ia
                        out[n, 1] = ib
                        out[n, 2] = d
                        n += 1
    return out[:n]


Probe = Callable[[Arr, int, int, Arr, Arr, Arr, Arr, Arr, Arr], int]
SelfJoin = Callable[[int, int, Arr, Arr, Arr, Arr, Arr], Arr]
QueryOne = Callable[[np.uint64, int, Arr, Arr, Arr, Arr, Arr, Arr], list[tuple[int, int]]]

try:
    import numba
    from llvmlite import ir  # type: ignore[import-untyped]
    from numba.core import cgutils, types
    from numba.extending import intrinsic
except ImportError:  # pragma: no cover - numba is a dependency; this keeps the index usable
    log.warning("numba is not installed: hash index probes run in pure Python (slow)")
    probe = cast(Probe, _probe)
    query_one = cast(QueryOne, _query_one)
    self_join = cast(SelfJoin, _self_join)
    COMPILED = False
else:
    _cg: Any = cgutils

    def _ctpop_typer(typingctx: Any, x: Any) -> Any:
        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            return builder.ctpop(args[0])

        return types.uint64(types.uint64), codegen

    def _prefetch_typer(typingctx: Any, a: Any, i: Any) -> Any:
        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            array = context.make_array(sig.args[0])(context, builder, args[0])
            ptr = _cg.get_item_pointer(context, builder, sig.args[0], array, [args[1]])
            i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
            fn = _cg.get_or_insert_function(
                builder.module,
                ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
                "llvm.prefetch.p0",
            )
            builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])  # read, keep
            return context.get_dummy_value()

        return types.none(a, types.intp), codegen

    _ctpop: Any = intrinsic(_ctpop_typer)
    _prefetch_hw: Any = intrinsic(_prefetch_typer)

    def _popcount_hw(x: np.uint64) -> int:
        return int(_ctpop(x))

    def _prefetch_line(a: Arr, i: int) -> None:
        _prefetch_hw(a, i)

    _popcount = numba.njit(inline="always", cache=True)(_popcount_hw)
    _prefetch = numba.njit(inline="always", cache=True)(_prefetch_line)
    _runs = numba.njit(inline="always", cache=True)(_runs)
    _first_block = numba.njit(inline="always", cache=True)(_first_block)
    probe = cast(Probe, numba.njit(cache=True, nogil=True)(_probe))
    query_one = cast(QueryOne, numba.njit(cache=True, nogil=True)(_query_one))
    self_join = cast(SelfJoin, numba.njit(cache=True, nogil=True)(_self_join))
    COMPILED = True
