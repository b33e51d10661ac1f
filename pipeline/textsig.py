"""The compiled inner loop of `pipeline.textsim`: MinHash signatures of many texts in one call.

Input: the texts' words, each text's words joined by single spaces, UTF-8, all texts one after
the other in one byte buffer (`ends[i]` is where text i ends). For each text, each run of `size`
consecutive words (a shingle, its words joined by spaces, exactly the bytes `shingles` makes) is
hashed with CRC-32 (zlib's), mixed by MurmurHash3's finaliser and permuted by the affine32
permutations (a*h + b mod 2**32) of datasketch's MinHash; a signature is the minimum of each
permutation over the shingles. A text with fewer than `size` words keeps the all-ones row.

Compiled by numba on first use (and cached beside this file); without numba the same Python
runs, exact but slow (`COMPILED` says which).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Arr = npt.NDArray[Any]


def _crc_table() -> npt.NDArray[np.uint32]:
    """The byte table of the reflected CRC-32 (polynomial 0xEDB88320), as zlib uses it."""
    table = np.zeros(256, dtype=np.uint32)
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table[i] = c
    return table


CRC_TABLE = _crc_table()
_MASK32 = 0xFFFFFFFF


def _fmix32(h: int) -> int:
    """MurmurHash3's finaliser on a 32-bit value (held in a wider integer)."""
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    return h ^ (h >> 16)


def _signatures(data: Arr, ends: Arr, size: int, a: Arr, b: Arr, table: Arr, out: Arr) -> None:
    """Row i of `out` (uint32, prefilled with all ones) = the signature of text i of `data`."""
    num_perm = a.shape[0]
    starts = np.empty(64, dtype=np.int64)  # word starts of one text (grown for long texts)
    hashes = np.empty(64, dtype=np.uint64)  # its shingles' mixed CRCs
    begin = 0
    for t in range(ends.shape[0]):
        end = ends[t]
        n_words = 0
        at_word = True
        for i in range(begin, end):  # where each word starts; the text's end closes the last
            if at_word:
                if n_words == starts.shape[0]:
                    starts = np.concatenate((starts, np.empty(n_words, dtype=np.int64)))
                starts[n_words] = i
                n_words += 1
            at_word = data[i] == 32
        if n_words == starts.shape[0]:
            starts = np.concatenate((starts, np.empty(n_words, dtype=np.int64)))
        starts[n_words] = end + 1  # as if one more word began after a space
        n_shingles = n_words - size + 1
        if n_shingles > hashes.shape[0]:
            hashes = np.empty(2 * n_shingles, dtype=np.uint64)
        for w in range(n_shingles):
            crc = np.uint64(0xFFFFFFFF)
            for i in range(starts[w], starts[w + size] - 1):
                crc = np.uint64(table[(crc ^ np.uint64(data[i])) & np.uint64(0xFF)]) ^ (
                    crc >> np.uint64(8)
                )
            hashes[w] = np.uint64(_fmix32(int(crc ^ np.uint64(0xFFFFFFFF))))
        for p in range(num_perm if n_shingles > 0 else 0):
            ap, bp = np.uint64(a[p]), np.uint64(b[p])
            low = np.uint64(0xFFFFFFFF)
            for w in range(n_shingles):  # a branch-free min: the compiler vectorises it
                low = min(low, (ap * hashes[w] + bp) & np.uint64(0xFFFFFFFF))
            out[t, p] = low
        begin = end


Signatures = Callable[[Arr, Arr, int, Arr, Arr, Arr, Arr], None]

try:
    import numba
except ImportError:  # pragma: no cover - numba is a dependency; this keeps texts comparable
    log.warning("numba is not installed: text signatures are computed in pure Python (slow)")
    signatures_into = cast(Signatures, _signatures)
    COMPILED = False
else:
    _fmix32 = numba.njit(inline="always", cache=True)(_fmix32)
    signatures_into = cast(Signatures, numba.njit(cache=True, nogil=True)(_signatures))
    COMPILED = True
