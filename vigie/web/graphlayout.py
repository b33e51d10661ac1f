"""Where each node of a network picture goes, so that no label covers another.

A force-directed layout places the nodes (networkx's Fruchterman–Reingold, seeded: the same
network is drawn the same way every time); then every node's box — its mark and its label on its
right — is pushed apart from the boxes it overlaps until none does; then the whole is fitted in
a view box. A label's width is decided here and imposed on the SVG text (`textLength`), so the
box the browser draws is the box computed here, whatever the font.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import networkx as nx
import numpy as np
import numpy.typing as npt

FONT = 11.0
CHAR = 0.6 * FONT
"""Width given to one character of a label (the text is stretched or squeezed to it)."""
MARK = 9.0
"""Half the size of a node's mark (circle, square, diamond)."""
GAP = 3.0
"""Between a mark and its label."""
PAD = 4.0
"""Kept free between two boxes."""
MARGIN = 12.0
ASPECT = 1.6
"""Width over height of the area a layout starts in (a screen is wider than tall)."""
ITERATIONS = 40
"""Of the force-directed layout: enough to untangle a network; the boxes are separated after."""
ROUNDS = 60
PUSHES = 80

Array = npt.NDArray[np.float64]
Index = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Placement:
    """Mark centres (one row per node) and the view box (x, y, width, height) holding every
    mark and label with a margin."""

    xy: Array
    view: tuple[float, float, float, float]


def label_width(text: str) -> float:
    return round(len(text) * CHAR, 1)


def _boxes(xy: Array, widths: Array) -> tuple[Array, Array, Array]:
    """Centres and half sizes of each node's box (its mark, then its label on the right)."""
    extra = np.where(widths > 0, GAP + widths, 0.0)
    centres = xy + np.column_stack([extra / 2, np.zeros(len(xy))])
    half_w = MARK + extra / 2
    half_h = np.full(len(xy), MARK)
    return centres, half_w, half_h


def overlaps(xy: Array, widths: Array, pad: float = 0.0) -> list[tuple[int, int]]:
    """The pairs of nodes whose boxes overlap (closer than `pad`)."""
    centres, hw, hh = _boxes(xy, widths)
    dx = np.abs(centres[:, None, 0] - centres[None, :, 0])
    dy = np.abs(centres[:, None, 1] - centres[None, :, 1])
    hit = (dx < hw[:, None] + hw[None, :] + pad) & (dy < hh[:, None] + hh[None, :] + pad)
    i, j = np.nonzero(np.triu(hit, k=1))
    return list(zip(i.tolist(), j.tolist(), strict=True))


def _pushes(xy: Array, offset: Array, hw: Array, hh: Array, i: Index, j: Index) -> bool:
    """Push apart the overlapping boxes among the pairs (i, j), each along the axis where they
    overlap least; False when none of them overlaps."""
    centres = xy + offset
    dx = centres[i, 0] - centres[j, 0]
    dy = centres[i, 1] - centres[j, 1]
    need_x = hw[i] + hw[j] + PAD - np.abs(dx)
    need_y = hh[i] + hh[j] + PAD - np.abs(dy)
    hit = (need_x > 0) & (need_y > 0)
    if not hit.any():
        return False
    i, j, dx, dy, need_x, need_y = i[hit], j[hit], dx[hit], dy[hit], need_x[hit], need_y[hit]
    along_x = need_x <= need_y
    # direction: from j to i; a tie (the same place) is broken by the nodes' order (i < j)
    sx = np.where(dx != 0, np.sign(dx), -1.0)
    sy = np.where(dy != 0, np.sign(dy), -1.0)
    step = np.zeros((len(i), 2))
    step[along_x, 0] = sx[along_x] * (need_x[along_x] / 2 + 0.5)
    step[~along_x, 1] = sy[~along_x] * (need_y[~along_x] / 2 + 0.5)
    move = np.zeros_like(xy)
    np.add.at(move, i, step)
    np.add.at(move, j, -step)
    xy += move
    return True


def _separate(xy: Array, widths: Array) -> Array:
    """Push overlapping boxes apart; spread the whole a little whenever pushing alone does not
    settle. Ends with no overlap: it returns only after checking every pair."""
    xy = xy.copy()
    centres, hw, hh = _boxes(xy, widths)
    offset = centres - xy
    slack = 2 * float(hw.max())  # pairs this close may come to overlap during a few pushes
    for _ in range(ROUNDS):
        for _ in range(PUSHES // 8):
            c = xy + offset
            near = np.triu(
                (np.abs(c[:, None, 0] - c[None, :, 0]) < hw[:, None] + hw[None, :] + slack)
                & (np.abs(c[:, None, 1] - c[None, :, 1]) < hh[:, None] + hh[None, :] + slack),
                k=1,
            )
            i, j = np.nonzero(near)
            if not _pushes(xy, offset, hw, hh, i, j):
                return xy  # every pair that could overlap was checked: none does
            for _ in range(7):
                if not _pushes(xy, offset, hw, hh, i, j):
                    break
        xy = xy.mean(axis=0) + (xy - xy.mean(axis=0)) * 1.1
    if overlaps(xy, widths):  # pragma: no cover — spreading always separates in the end
        raise RuntimeError("the layout could not separate the labels")
    return xy


@lru_cache(maxsize=64)
def place(
    n: int, pairs: tuple[tuple[int, int], ...], widths: tuple[float, ...], *, seed: int = 7
) -> Placement:
    """Positions for `n` nodes joined by `pairs`, whose labels are `widths` wide. Remembered
    for the last 64 drawings asked (a network looked at again is not laid out again); the
    placement returned is shared: read it, never change it."""
    w = np.asarray(widths, dtype=np.float64).reshape(n)
    if n == 0:
        return Placement(np.zeros((0, 2)), (0.0, 0.0, 2 * MARGIN, 2 * MARGIN))
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(pairs)
    raw = nx.spring_layout(graph, seed=seed, iterations=ITERATIONS, method="force")
    xy = np.array([raw[i] for i in range(n)], dtype=np.float64).reshape(n, 2)
    # start in an area a few times the boxes' own, wider than tall
    area = float(((2 * MARK + GAP + w + PAD) * (2 * MARK + PAD)).sum()) * 1.5
    width = np.sqrt(area * ASPECT)
    span = np.maximum(xy.max(axis=0) - xy.min(axis=0), 1e-9)
    xy = (xy - xy.min(axis=0)) / span * np.array([width, width / ASPECT])
    xy = _separate(xy, w)
    centres, hw, hh = _boxes(xy, w)
    lo = (centres - np.column_stack([hw, hh])).min(axis=0) - MARGIN
    hi = (centres + np.column_stack([hw, hh])).max(axis=0) + MARGIN
    xy = np.round(xy - lo, 1)
    size = hi - lo
    return Placement(xy, (0.0, 0.0, round(float(size[0]), 1), round(float(size[1]), 1)))
