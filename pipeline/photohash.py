"""Robust photo hashes: a sign-based DCT hash of the whole picture, of its trimmed content region
and of a few crops, on which mirrors and quarter turns act as fixed bit permutations.

The hash (kind `dct`): the picture in grey, resized to 32x32, its 2-D DCT-II, and one bit per
low-frequency coefficient (the 64 nearest the DC term, DC excluded): 1 when the coefficient is
positive. Not relative to the median (as pHash is): so the 8 orientations of the square (mirror,
quarter turns, transpositions) act on the hash exactly as a permutation of its bits and an XOR
mask. Mirroring the picture left-right multiplies coefficient (u, v) by (-1)^v, up-down by
(-1)^u, a transposition swaps u and v. One stored hash is thus queried in all 8 orientations
without the picture (`orientations`). Brightness, contrast, re-encoding and resizing keep the
signs of the low frequencies.

A picture gets several hashes, each 16 hex digits, by region (`REGIONS`):
- `whole`: the whole picture;
- `trim`: the content region once uniform borders are removed (padding, frames), when there
  are any;
- `c85`, `c70`: the centre 85% and 70% of each side; `tl`, `tr`, `bl`, `br`: the 85% of each
  side from a corner. A cropped copy's whole hash is near one of its original's crop hashes.

The picture itself is never kept: the hashes are computed in memory (`pipeline.images`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

Arr = npt.NDArray[Any]

GRID = 32  # the picture is resized to GRID x GRID before the DCT
WHOLE_REGIONS = ("whole", "trim", "soft")
KEEPS = (0.95, 0.9, 0.85, 0.8)  # the share of each side a crop region keeps
_ANCHORS = {"c": (0.5, 0.5), "tl": (0.0, 0.0), "tr": (1.0, 0.0), "bl": (0.0, 1.0), "br": (1.0, 1.0)}
_CROPS: dict[str, tuple[float, float, float, float]] = {
    f"{a}{round(k * 100)}": (
        ax * (1 - k), ay * (1 - k), ax * (1 - k) + k, ay * (1 - k) + k
    )
    for a, (ax, ay) in _ANCHORS.items()
    for k in KEEPS
}
_CROPS.update({"t85": (0.0, 0.0, 1.0, 0.85), "b85": (0.0, 0.15, 1.0, 1.0)})
BAND_REGIONS = ("t85", "b85")  # compared with the same band too: a banner across the other
CROP_REGIONS = tuple(_CROPS)
ANGLES = (3, 6, 9)  # degrees: small rotations, each within ~1.5 degrees of one of these
ROT_REGIONS = tuple(f"r{s}{a}" for a in ANGLES for s in ("+", "-"))
INSCRIBED_REGIONS = tuple(f"i{a}" for a in ANGLES)
REGIONS = WHOLE_REGIONS + CROP_REGIONS + ROT_REGIONS + INSCRIBED_REGIONS
TRIM_TOLERANCE = 10.0  # grey levels a border row may vary and still be a border
SOFT_GRADIENT = 0.6  # grey levels between neighbours, on average, in a blurred border
TRIM_MIN = 0.01  # a border thinner than this share of a side is no border


def _positions() -> list[tuple[int, int]]:
    """The 64 coefficients (u, v) hashed: nearest DC first, closed under u <-> v."""
    cells = sorted(
        ((u, v) for u in range(GRID) for v in range(GRID) if (u, v) != (0, 0)),
        key=lambda c: (c[0] ** 2 + c[1] ** 2, max(c), c),
    )
    chosen = cells[:64]
    assert {(v, u) for u, v in chosen} == set(chosen)  # noqa: S101 — a property of the order
    return chosen


POSITIONS: tuple[tuple[int, int], ...] = tuple(_positions())
_U = np.array([p[0] for p in POSITIONS])
_V = np.array([p[1] for p in POSITIONS])


@lru_cache(maxsize=1)
def _dct_matrix() -> Arr:
    """The orthonormal DCT-II matrix of size GRID (rows: frequencies)."""
    n = np.arange(GRID)
    m = np.cos(np.pi * (2 * n[None, :] + 1) * n[:, None] / (2 * GRID)) * np.sqrt(2.0 / GRID)
    m[0] /= np.sqrt(2.0)
    out: Arr = m
    return out


def _bits_to_int(bits: Arr) -> int:
    return int(sum(1 << i for i, b in enumerate(bits.tolist()) if b))


def grey_array(im: Image.Image) -> Arr:
    """A decoded picture as a float grey array (luma), any mode."""
    if im.mode not in ("L", "RGB"):
        im = im.convert("RGB")
    return np.asarray(im.convert("L"), dtype=np.float32)


def _small(grey: Arr) -> Arr:
    small = Image.fromarray(np.ascontiguousarray(grey, dtype=np.float32), mode="F").resize(
        (GRID, GRID), Image.Resampling.BOX
    )
    return np.asarray(small, dtype=np.float64)


def dct_hash(grey: Arr) -> int:
    """The sign-DCT hash of a grey array (at least 1x1) as a 64-bit int."""
    d = _dct_matrix()
    coeffs = d @ _small(grey) @ d.T  # rows: vertical frequency u, columns: horizontal v
    return _bits_to_int(coeffs[_U, _V] > 0)


def block_hash(grey: Arr) -> int:
    """The 8x8 block hash of a grey array: bit 8y+x is 1 when block (y, x) is brighter than the
    picture's mean. Orientations permute its bits (no mask)."""
    a = _small(grey)
    blocks = a.reshape(8, GRID // 8, 8, GRID // 8).mean(axis=(1, 3))
    return _bits_to_int((blocks > a.mean() + 1e-9).reshape(-1))


def pair_hash(grey: Arr) -> int:
    """A region's two hashes in one 128-bit int: the DCT hash above the block hash."""
    return dct_hash(grey) << 64 | block_hash(grey)


def trim_box(grey: Arr, *, soft: bool = False) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the content once uniform borders are cut, or None when
    there are none. A border is a run of edge rows (columns) whose pixels all lie within
    TRIM_TOLERANCE of the same colour — with `soft`, whose neighbouring pixels differ by less
    than SOFT_GRADIENT on average (a blurred copy of the picture behind it); it must be at
    least TRIM_MIN of the side and leave a quarter of it."""
    h, w = grey.shape

    def run(lines: Arr) -> int:
        ref = float(np.median(lines[0]))
        count = 0
        for line in lines:
            if soft:
                if len(line) < 2 or float(np.mean(np.abs(np.diff(line)))) > SOFT_GRADIENT:
                    break
            elif float(np.max(np.abs(line - ref))) > TRIM_TOLERANCE:
                break
            count += 1
        return count

    top, bottom = run(grey), run(grey[::-1])
    left, right = run(grey.T), run(grey.T[::-1])
    cuts = [c if c >= TRIM_MIN * side else 0 for c, side in ((top, h), (bottom, h))]
    cuts += [c if c >= TRIM_MIN * side else 0 for c, side in ((left, w), (right, w))]
    top, bottom, left, right = cuts
    if not any(cuts) or h - top - bottom < h / 4 or w - left - right < w / 4:
        return None
    return top, h - bottom, left, w - right


def inscribed(grey: Arr, degrees: float) -> Arr:
    """The content of a picture turned by `degrees` on an expanded canvas (corners filled): the
    largest centred box of the unturned picture's aspect inside it."""
    h2, w2 = grey.shape
    a = math.radians(abs(degrees))
    c, s = math.cos(a), math.sin(a)
    w = max(1.0, (w2 * c - h2 * s) / (c * c - s * s))
    h = max(1.0, (h2 * c - w2 * s) / (c * c - s * s))
    k = 1.0 / (c + s * max(w / h, h / w))
    bw, bh = min(w2, max(1, round(w * k))), min(h2, max(1, round(h * k)))
    x0, y0 = (w2 - bw) // 2, (h2 - bh) // 2
    return grey[y0 : y0 + bh, x0 : x0 + bw]


def turned(grey: Arr, degrees: float) -> Arr:
    """The picture turned by `degrees` (counter-clockwise), cut to `inscribed`."""
    im = Image.fromarray(np.ascontiguousarray(grey, dtype=np.float32), mode="F")
    big = np.asarray(im.rotate(degrees, resample=Image.Resampling.BILINEAR, expand=True))
    return inscribed(big, degrees)


def region_hashes(grey: Arr) -> dict[str, int]:
    """The hashes of a picture by region (`REGIONS`; `trim` only when there is a border), each
    128 bits (`pair_hash`)."""
    h, w = grey.shape
    out = {"whole": pair_hash(grey)}
    box = trim_box(grey)
    if box is not None:
        top, bottom, left, right = box
        out["trim"] = pair_hash(grey[top:bottom, left:right])
    box = trim_box(grey, soft=True)
    if box is not None:
        top, bottom, left, right = box
        out["soft"] = pair_hash(grey[top:bottom, left:right])
    for name, (x0, y0, x1, y1) in _CROPS.items():
        part = grey[round(y0 * h) : max(round(y1 * h), round(y0 * h) + 1),
                    round(x0 * w) : max(round(x1 * w), round(x0 * w) + 1)]
        out[name] = pair_hash(part)
    for a in ANGLES:
        out[f"r+{a}"] = pair_hash(turned(grey, a))
        out[f"r-{a}"] = pair_hash(turned(grey, -a))
        out[f"i{a}"] = pair_hash(inscribed(grey, a))
    return out


# -- orientations --------------------------------------------------------------------------

ORIENTATIONS = ("id", "flip_lr", "flip_ud", "rot180", "transpose", "rot90", "rot270", "anti")
"""The 8 symmetries of the square, as (transpose first?, flip up-down, flip left-right) below."""
_ACTIONS = {
    "id": (False, False, False),
    "flip_lr": (False, False, True),
    "flip_ud": (False, True, False),
    "rot180": (False, True, True),
    "transpose": (True, False, False),
    "rot90": (True, False, True),  # numpy rot90 (counter-clockwise): transpose, then flip up-down
    "rot270": (True, True, False),
    "anti": (True, True, True),
}


def orient_array(a: Arr, name: str) -> Arr:
    """Apply orientation `name` to a 2-D array (transpose, then the flips)."""
    transpose, ud, lr = _ACTIONS[name]
    out = a.T if transpose else a
    if ud:
        out = out[::-1]
    if lr:
        out = out[:, ::-1]
    return out


@lru_cache(maxsize=1)
def _tables() -> tuple[Arr, Arr]:
    """Per orientation: source bit of each bit, and the XOR mask (as uint64)."""
    index = {p: i for i, p in enumerate(POSITIONS)}
    sources = np.zeros((len(ORIENTATIONS), 64), dtype=np.int64)  # bit i <- bit sources[o, i]
    masks = np.zeros(len(ORIENTATIONS), dtype=np.uint64)
    for o, name in enumerate(ORIENTATIONS):
        transpose, ud, lr = _ACTIONS[name]
        mask = 0
        for i, (u, v) in enumerate(POSITIONS):
            # The oriented picture's coefficient (u, v): flips multiply by (-1)^u, (-1)^v of the
            # transposed picture, whose (u, v) is the original's (v, u).
            su, sv = (v, u) if transpose else (u, v)
            sources[o, i] = index[(su, sv)]
            if (ud and u % 2) ^ (lr and v % 2):
                mask |= 1 << i
        masks[o] = np.uint64(mask)
    return sources, masks


@lru_cache(maxsize=1)
def _block_sources() -> Arr:
    """Per orientation: source bit of each bit of a block hash (a permutation of the grid)."""
    grid = np.arange(64).reshape(8, 8)
    return np.array([orient_array(grid, name).reshape(-1) for name in ORIENTATIONS])


@lru_cache(maxsize=2)
def _byte_tables(blocks: bool = False) -> Arr:
    """[orientation, byte position, byte value] -> the bits that byte sends, placed (uint64)."""
    sources = _block_sources() if blocks else _tables()[0]
    out = np.zeros((len(ORIENTATIONS), 8, 256), dtype=np.uint64)
    for o in range(len(ORIENTATIONS)):
        target = {int(src): i for i, src in enumerate(sources[o])}  # source bit -> its place
        for byte in range(8):
            for value in range(256):
                placed = 0
                for bit in range(8):
                    if value >> bit & 1:
                        placed |= 1 << target[8 * byte + bit]
                out[o, byte, value] = np.uint64(placed)
    return out


def orient(h: int, name: str) -> int:
    """The hash of the picture in orientation `name`, from the hash of the picture."""
    o = ORIENTATIONS.index(name)
    return int(orient_many(np.array([h], dtype=np.uint64))[o, 0])


def orient_many(hashes: Arr, *, blocks: bool = False) -> Arr:
    """All 8 orientations of uint64 hashes (DCT hashes; with `blocks`, block hashes): an array
    of shape (8, n)."""
    masks = np.zeros(len(ORIENTATIONS), dtype=np.uint64) if blocks else _tables()[1]
    tables = _byte_tables(blocks)
    h = np.ascontiguousarray(np.asarray(hashes, dtype=np.uint64).reshape(-1))
    as_bytes = h.view(np.uint8).reshape(-1, 8)  # little-endian: byte 0 holds bits 0-7
    if np.little_endian is False:  # pragma: no cover - every platform Vigie runs on
        as_bytes = as_bytes[:, ::-1]
    out = np.empty((len(ORIENTATIONS), len(h)), dtype=np.uint64)
    for o in range(len(ORIENTATIONS)):
        acc = np.full(len(h), masks[o], dtype=np.uint64)
        for byte in range(8):
            acc ^= tables[o, byte][as_bytes[:, byte]]
        out[o] = acc
    return out


def orientations(h: int) -> Iterator[tuple[str, int]]:
    """(orientation, hash) for the 8 orientations of a hash, identity first."""
    for name in ORIENTATIONS:
        yield name, orient(h, name)
