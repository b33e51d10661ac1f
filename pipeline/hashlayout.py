"""The block layout of `pipeline.hashindex`: how many blocks, how wide, probed at what radius.

A cost model (ns on one core, fitted on bench/hashindex.py) prices a query for a layout: a fixed
cost, then per block the buckets probed (their count grows with the block radius; each costs
from a cache hit to a memory miss as the tables grow) and the candidates verified. The cheapest
layout wins, or a linear scan when that is cheaper still.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

Arr = npt.NDArray[Any]

# Cost model, ns on one core (fitted on bench/hashindex.py): fixed cost of a query and of a
# linear scan, per hash scanned, per candidate verified, and per bucket probed, the last growing
# from cache to memory latency with the size of the tables.
_COST_QUERY, COST_SCAN_QUERY, COST_SCAN, _COST_CAND = 25_000.0, 5_000.0, 1.7, 9.0


def _probe_cost(width: int, n: int) -> float:
    return 5.0 + 45.0 * min(1.0, max(0.0, ((n + (1 << width)) * 32 - 2e6) / 30e6))


@lru_cache(maxsize=64)
def probe_masks(width: int, k: int) -> Arr:
    """Every `width`-bit value with at most `k` bits set (the XOR masks of a radius-k probe)."""
    out = [
        sum(1 << b for b in bits)
        for j in range(min(k, width) + 1)
        for bits in itertools.combinations(range(width), j)
    ]
    return np.array(out, dtype=np.int64)


def _block_cost(width: int, k: int, n: int) -> float:
    if k < 0:
        return 0.0
    volume = sum(math.comb(width, j) for j in range(min(k, width) + 1))
    return volume * (_probe_cost(width, n) + _COST_CAND * n / 2.0**width)


def block_radii(widths: tuple[int, ...], r: int, n: int) -> tuple[int, ...]:
    """Per-block radii (-1: block skipped) exact at radius r: the a+1 blocks where radius k
    costs least over radius k-1 get k, the others k-1."""
    k, a = divmod(r, len(widths))
    extra = sorted(
        range(len(widths)),
        key=lambda t: _block_cost(widths[t], k, n) - _block_cost(widths[t], k - 1, n),
    )[: a + 1]
    return tuple(k if t in extra else k - 1 for t in range(len(widths)))


def query_cost(widths: tuple[int, ...], n: int, r: int) -> float:
    return _COST_QUERY + sum(
        _block_cost(w, k, n) for w, k in zip(widths, block_radii(widths, r, n), strict=True)
    )


def _even(bits: int, m: int) -> tuple[int, ...]:
    base, extra = divmod(bits, m)
    return (base + 1,) * extra + (base,) * (m - extra)


def choose_widths(n: int, radius: int) -> tuple[int, ...]:
    """Block widths with the cheapest query at `radius`, or () when a linear scan is cheaper.
    Two groups of even widths (the blocks searched at k and at k-1); tables of at most 2**24
    buckets a block and ~16 buckets a hash."""
    cap = max(1 << 16, 16 * n)
    best: tuple[int, ...] = ()
    best_cost = COST_SCAN_QUERY + COST_SCAN * n
    for m in range(3, 13):
        a = radius % m + 1
        for bits in range(4 * a, 64 - 4 * (m - a) + 1) if a < m else (64,):
            widths = _even(bits, a) + (_even(64 - bits, m - a) if a < m else ())
            if max(widths) <= 24 and sum(1 << w for w in widths) <= cap:
                cost = query_cost(widths, n, radius)
                if cost < best_cost:
                    best, best_cost = widths, cost
    return best
