"""Shared painting helpers for the procedural scenes: palettes, fractal noise, camera look."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

Rng = np.random.Generator
Size = tuple[int, int]
RGB = tuple[int, int, int]
Pal = list[RGB] | None
Scene = Callable[[Rng, Size, Pal], Image.Image]

PALETTES: dict[str, list[tuple[int, int, int]]] = {
    "beige": [(222, 205, 180), (160, 120, 90), (90, 60, 45), (240, 232, 220), (120, 40, 50)],
    "red": [(150, 30, 40), (90, 20, 30), (220, 180, 160), (40, 20, 25), (200, 90, 80)],
    "blue": [(70, 90, 130), (30, 40, 70), (190, 200, 215), (140, 110, 80), (230, 230, 235)],
    "grey": [(180, 180, 178), (90, 92, 95), (40, 40, 42), (225, 222, 215), (150, 130, 110)],
    "pink": [(230, 180, 190), (170, 90, 120), (250, 235, 240), (80, 50, 60), (200, 140, 160)],
}


def noise(rng: Rng, size: Size, scales: tuple[int, ...] = (4, 16, 64)) -> np.ndarray:
    """Fractal value noise in [0, 1] (sum of smoothly upsampled random grids)."""
    w, h = size
    out = np.zeros((h, w), np.float32)
    total = 0.0
    for i, s in enumerate(scales):
        grid = rng.random((max(2, h * s // max(w, h)), s)).astype(np.float32)
        layer = Image.fromarray(grid, mode="F").resize((w, h), Image.Resampling.BICUBIC)
        amp = 0.5**i
        out += amp * np.asarray(layer, np.float32)
        total += amp
    out /= total
    return np.clip(out, 0.0, 1.0)


def _jit(rng: Rng, c: tuple[int, int, int], amount: int = 18) -> tuple[int, int, int]:
    r, g, b = (int(np.clip(v + rng.integers(-amount, amount + 1), 0, 255)) for v in c)
    return (r, g, b)


def _gradient(size: Size, top: tuple[float, ...], bottom: tuple[float, ...]) -> np.ndarray:
    w, h = size
    t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    a = np.array(top, np.float32)[None, None, :]
    b = np.array(bottom, np.float32)[None, None, :]
    return np.broadcast_to(a * (1 - t) + b * t, (h, w, 3)).copy()


def _finish(arr: np.ndarray, rng: Rng, grain: float = 6.0, vignette: float = 0.25) -> Image.Image:
    """Camera look: light vignette and sensor grain."""
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = ((xx / w - 0.5) ** 2 + (yy / h - 0.5) ** 2) * 2.0
    arr = arr * (1.0 - vignette * d)[:, :, None]
    arr = arr + rng.normal(0.0, grain, arr.shape).astype(np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def _palette(rng: Rng) -> list[tuple[int, int, int]]:
    names = sorted(PALETTES)
    return [_jit(rng, c) for c in PALETTES[names[int(rng.integers(len(names)))]]]
