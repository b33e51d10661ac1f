"""The compiled inner loop of `pipeline.hashindex`: probe the block tables, verify candidates.

One function, `probe`, compiled by numba on first use (and cached beside this file): for each
query, for each block, every bucket within the block's radius of the query's block value is read
and each hash in it verified by the popcount of its XOR with the query. A hash that several
blocks would return is kept only from the first of them (it is skipped when an earlier probed
block of it lies within that block's radius), so the answers need no de-duplication.
Without numba the same Python function runs, exact but slow (`COMPILED` says which).
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
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return int((x * _H01) >> np.uint64(56))


def _probe(q: Arr, r: int, first: int, blocks: Arr, probe_masks: Arr, starts: Arr,
           hashes: Arr, ids: Arr, out: Arr) -> int:
    """Hits of queries `q` within `r` bits, written to `out` rows (query row, id, distance).

    `blocks` has a row per block: shift, mask, table offset, radius (-1: not probed), and the end
    of its run of `probe_masks`. `starts[b]:starts[b + 1]` is bucket b's run in `hashes` (and in
    their `ids`). With `first` >= 0 only ids above `first` + row are kept (a self-join). Returns
    the number of hits, which may exceed `out`'s length less one (its last row is scratch): then
    only the first ones were written."""
    n_hits = 0
    cap = out.shape[0] - 1
    n_probes = probe_masks.shape[0]
    # Per query (two in flight): each probe's run bounds and block. While one query's runs are
    # verified, the next one's buckets are read and its runs touched (independent loads that the
    # CPU overlaps, a prefetch), so the verification mostly reads cached lines.
    lo = np.empty((2, n_probes), dtype=np.int64)
    hi = np.empty((2, n_probes), dtype=np.int64)
    block = np.empty(n_probes, dtype=np.int64)
    touched = np.uint64(0)
    for row in range(-1, q.shape[0]):
        if row + 1 < q.shape[0]:
            nv = q[row + 1]
            slot = (row + 1) & 1
            p = 0
            for t in range(blocks.shape[0]):
                value = (nv >> np.uint64(blocks[t, 0])) & np.uint64(blocks[t, 1])
                while p < blocks[t, 4]:
                    bucket = blocks[t, 2] + np.int64(value ^ probe_masks[p])
                    lo[slot, p] = starts[bucket]
                    hi[slot, p] = starts[bucket + 1]
                    block[p] = t
                    p += 1
            for p in range(n_probes):
                if lo[slot, p] < hi[slot, p]:
                    touched ^= hashes[lo[slot, p]]
        if row < 0:
            continue
        qv = q[row]
        slot = row & 1
        for p in range(n_probes):
            t = block[p]
            for j in range(lo[slot, p], hi[slot, p]):
                x = hashes[j] ^ qv
                d = _popcount(x)
                if d > r:
                    continue
                hid = ids[j]
                if first >= 0 and hid <= first + row:
                    continue
                seen = False  # found already through an earlier block?
                for u in range(t):
                    part = (x >> np.uint64(blocks[u, 0])) & np.uint64(blocks[u, 1])
                    if blocks[u, 3] >= 0 and _popcount(part) <= blocks[u, 3]:
                        seen = True
                        break
                if seen:
                    continue
                if n_hits < cap:
                    out[n_hits, 0] = row
                    out[n_hits, 1] = hid
                    out[n_hits, 2] = d
                n_hits += 1
    out[cap, 2] ^= np.int64(touched & np.uint64(1))  # keeps the touching loads alive
    return n_hits


Probe = Callable[[Arr, int, int, Arr, Arr, Arr, Arr, Arr, Arr], int]

try:
    import numba
except ImportError:  # pragma: no cover - numba is a dependency; this keeps the index usable
    log.warning("numba is not installed: hash index probes run in pure Python (slow)")
    probe = cast(Probe, _probe)
    COMPILED = False
else:
    _popcount = numba.njit(inline="always", cache=True)(_popcount)
    probe = cast(Probe, numba.njit(cache=True, nogil=True)(_probe))
    COMPILED = True
