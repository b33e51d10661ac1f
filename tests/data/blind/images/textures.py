"""More procedural scenes: fabric, bokeh, wood floor, city at night, kitchen, shapes, lamp."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .paint import Pal, Rng, Size, _finish, _gradient, _jit, _palette, noise


def fabric(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    n = noise(rng, size, (3, 8, 32, 128))
    sheen = 0.5 + 0.5 * np.sin(n * rng.uniform(12, 30))
    a, b = np.array(p[0], np.float32), np.array(p[1], np.float32)
    arr = a[None, None, :] * sheen[:, :, None] + b[None, None, :] * (1 - sheen[:, :, None])
    return _finish(arr, rng, grain=3.0, vignette=0.35)


def bokeh(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    img = Image.new("RGB", size, tuple(c // 6 for c in p[2]))
    layer = Image.new("RGB", size, (0, 0, 0))
    d = ImageDraw.Draw(layer)
    for _ in range(int(rng.integers(25, 60))):
        r = rng.uniform(0.02, 0.08) * w
        cx, cy = rng.uniform(0, w), rng.uniform(0, h * 0.8)
        c = _jit(rng, (255, 190, 110) if rng.random() < 0.7 else p[4], 40)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(int(v * 0.6) for v in c))
    out = np.asarray(img, np.float32) + np.asarray(layer.filter(ImageFilter.GaussianBlur(6)),
                                                   np.float32)
    return _finish(out, rng, grain=5.0)


def wood_floor(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    plank = int(rng.integers(50, 110))
    grain = noise(rng, (w // 16, h), (2, 8, 40))
    grain_img = Image.fromarray(grain, mode="F").resize(size, Image.Resampling.BILINEAR)
    g = np.asarray(grain_img, np.float32)
    yy, xx = np.mgrid[0:h, 0:w]
    offs = rng.integers(0, w, h // plank + 2)
    seams = ((yy % plank) < 3) | (((xx + offs[yy // plank]) % (w // 2)) < 3)
    base = np.array(_jit(rng, (150, 100, 60), 35), np.float32)
    tone = rng.uniform(0.8, 1.2, h // plank + 2).astype(np.float32)[yy // plank]
    arr = base[None, None, :] * (0.75 + 0.5 * g)[:, :, None] * tone[:, :, None]
    arr[seams] *= 0.5
    del p
    return _finish(arr, rng, grain=3.0)


def city_night(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    arr = _gradient(size, (10, 12, 30), tuple(c // 3 for c in p[4]))
    img = Image.fromarray(arr.astype(np.uint8))
    d = ImageDraw.Draw(img)
    x = 0
    while x < w:
        bw, bh = int(rng.uniform(0.04, 0.12) * w), int(rng.uniform(0.2, 0.7) * h)
        d.rectangle((x, h - bh, x + bw, h), fill=_jit(rng, (25, 25, 35), 10))
        for wy in range(h - bh + 10, h - 10, 18):
            for wx in range(x + 6, x + bw - 8, 14):
                if rng.random() < 0.35:
                    d.rectangle((wx, wy, wx + 6, wy + 9), fill=_jit(rng, (240, 200, 120), 30))
        x += bw + int(rng.integers(0, 12))
    return _finish(np.asarray(img, np.float32), rng, grain=7.0, vignette=0.1)


def kitchen(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    img = Image.new("RGB", size, _jit(rng, p[3]))
    d = ImageDraw.Draw(img)
    cols = int(rng.integers(3, 6))
    cw = w // cols
    top_h, counter_y = int(h * rng.uniform(0.25, 0.35)), int(h * rng.uniform(0.55, 0.65))
    for i in range(cols):
        d.rectangle((i * cw + 4, 0, (i + 1) * cw - 4, top_h), fill=_jit(rng, p[0], 15))
        d.rectangle((i * cw + 4, counter_y + h // 20, (i + 1) * cw - 4, h),
                    fill=_jit(rng, p[0], 15))
        d.line((i * cw + cw // 2, top_h - 40, i * cw + cw // 2, top_h - 10), fill=p[2], width=4)
    d.rectangle((0, counter_y, w, counter_y + h // 20), fill=_jit(rng, p[2], 20))
    t = int(rng.integers(20, 40))
    for y in range(top_h + 10, counter_y, t):
        d.line((0, y, w, y), fill=_jit(rng, p[1], 10), width=2)
    return _finish(np.asarray(img.filter(ImageFilter.GaussianBlur(1.0)), np.float32), rng)


def abstract(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    arr = _gradient(size, p[0], p[2])
    img = Image.fromarray(arr.astype(np.uint8))
    d = ImageDraw.Draw(img, "RGBA")
    for _ in range(int(rng.integers(6, 14))):
        c = (*_jit(rng, p[int(rng.integers(len(p)))], 40), int(rng.integers(90, 220)))
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.05, 0.3) * w
        if rng.random() < 0.5:
            d.ellipse((x - r, y - r, x + r, y + r), fill=c)
        else:
            pts = [(x + r * np.cos(a), y + r * np.sin(a))
                   for a in np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(3, 7))))]
            d.polygon(pts, fill=c)
    return _finish(np.asarray(img.filter(ImageFilter.GaussianBlur(2)), np.float32), rng)


def dim_lamp(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    """A low-light room lit by one lamp (the dark, noisy phone photos ads are full of)."""
    w, h = size
    p = pal or _palette(rng)
    lx, ly = rng.uniform(0.2, 0.8) * w, rng.uniform(0.3, 0.5) * h
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    glow = np.exp(-((xx - lx) ** 2 + (yy - ly) ** 2) / (2 * (rng.uniform(0.15, 0.3) * w) ** 2))
    base = np.array(p[0], np.float32) * 0.25
    warm = np.array((255, 190, 120), np.float32)
    arr = base[None, None, :] + glow[:, :, None] * warm[None, None, :] * 0.7
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    sw = w * rng.uniform(0.08, 0.14)
    d.polygon([(lx - sw / 2, ly - sw), (lx + sw / 2, ly - sw), (lx + sw, ly), (lx - sw, ly)],
              fill=(250, 220, 170))
    d.rectangle((lx - 3, ly, lx + 3, ly + h * 0.25), fill=(40, 30, 25))
    d.rectangle((0, int(h * 0.8), w, h), fill=tuple(int(c * 0.3) for c in p[1]))
    return _finish(np.asarray(img.filter(ImageFilter.GaussianBlur(2)), np.float32), rng,
                   grain=12.0, vignette=0.4)
