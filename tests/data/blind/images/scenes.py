"""Procedurally generated photo-like scenes (no people, nothing explicit), deterministic by seed.

Each scene function takes a numpy Generator and a (width, height) size and returns an RGB image.
The same function with two different generators gives two different pictures of the same kind
of scene: that is what the negatives (look-alike, different images) are built from.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

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


def room_sofa(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    floor_y = int(h * rng.uniform(0.62, 0.75))
    arr = _gradient(size, p[3], p[0])
    arr[floor_y:] = _gradient((w, h - floor_y), p[1], p[2])
    arr += (noise(rng, size)[:, :, None] - 0.5) * 30
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    # framed picture on the wall
    fx, fy = int(w * rng.uniform(0.1, 0.55)), int(h * rng.uniform(0.1, 0.25))
    fw, fh = int(w * rng.uniform(0.2, 0.35)), int(h * rng.uniform(0.12, 0.2))
    d.rectangle((fx, fy, fx + fw, fy + fh), fill=p[2])
    d.rectangle((fx + 6, fy + 6, fx + fw - 6, fy + fh - 6), fill=_jit(rng, p[4], 60))
    d.ellipse((fx + fw // 4, fy + fh // 4, fx + fw // 2, fy + fh // 2), fill=_jit(rng, p[3], 40))
    # sofa: back, seat, arms, cushions
    sx0, sx1 = int(w * rng.uniform(0.02, 0.15)), int(w * rng.uniform(0.85, 0.98))
    top = floor_y - int(h * rng.uniform(0.22, 0.3))
    sofa = _jit(rng, p[4], 30)
    d.rounded_rectangle((sx0, top, sx1, floor_y), radius=w // 30, fill=sofa)
    seat = tuple(int(c * 0.8) for c in sofa)
    d.rounded_rectangle((sx0, floor_y - int(h * 0.1), sx1, floor_y + h // 30), w // 40, fill=seat)
    for ax in (sx0, sx1 - w // 12):
        d.rounded_rectangle((ax, top + h // 12, ax + w // 12, floor_y + h // 40), w // 50,
                            fill=sofa)
    for _ in range(int(rng.integers(2, 5))):
        cx = int(rng.uniform(sx0 + w * 0.12, sx1 - w * 0.2))
        cw = int(w * rng.uniform(0.1, 0.16))
        d.rounded_rectangle((cx, top + h // 30, cx + cw, top + h // 30 + cw), cw // 5,
                            fill=_jit(rng, p[3], 50))
    return _finish(np.asarray(img.filter(ImageFilter.GaussianBlur(1.2)), np.float32), rng)


def curtain(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    x = np.arange(w, dtype=np.float32)[None, :]
    wobble = noise(rng, size, (3, 9)) * rng.uniform(4.0, 10.0)
    folds = rng.uniform(8.0, 22.0)
    shade = 0.65 + 0.35 * np.sin(x / w * folds * 2 * np.pi + wobble)
    base = np.array(_jit(rng, p[0], 30), np.float32)
    arr = shade[:, :, None] * base[None, None, :]
    light = _gradient(size, (1.25, 1.25, 1.2), (0.8, 0.8, 0.85))
    arr = arr * light
    arr[: h // 30] = np.array(p[2], np.float32) * 0.6  # rail
    return _finish(arr, rng, grain=4.0)


def bedroom(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    arr = _gradient(size, p[0], p[1])
    lx, ly = rng.uniform(0.1, 0.9) * w, rng.uniform(0.1, 0.4) * h
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    glow = np.exp(-((xx - lx) ** 2 + (yy - ly) ** 2) / (2 * (0.25 * w) ** 2))
    arr = arr * (0.7 + 0.6 * glow[:, :, None])
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    bx0, bx1 = int(w * rng.uniform(0.05, 0.25)), int(w * rng.uniform(0.75, 0.95))
    hb = int(h * rng.uniform(0.2, 0.35))
    d.rounded_rectangle((bx0, hb, bx1, int(h * 0.6)), w // 60, fill=_jit(rng, p[2], 30))
    d.rectangle((bx0 - w // 40, int(h * 0.55), bx1 + w // 40, h), fill=_jit(rng, p[3], 15))
    for i in range(int(rng.integers(2, 4))):
        px = bx0 + w // 30 + i * (bx1 - bx0) // 3
        d.ellipse((px, int(h * 0.45), px + (bx1 - bx0) // 4, int(h * 0.6)),
                  fill=_jit(rng, p[3], 25))
    folds = noise(rng, size, (6, 24)) * 50 - 25
    out = np.asarray(img, np.float32)
    mask = np.zeros((h, w), np.float32)
    mask[int(h * 0.58):] = 1
    out = out + (folds * mask)[:, :, None]
    nx = int(rng.choice([bx0 // 8, bx1 + (w - bx1) // 3]))
    out[int(h * 0.5): int(h * 0.75), nx: nx + w // 10] = np.array(p[1], np.float32) * 0.7
    return _finish(out, rng)


def tiles(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    t = int(rng.integers(28, 70))
    arr = np.empty((h, w, 3), np.float32)
    arr[:] = _jit(rng, p[3], 10)
    tile_var = rng.normal(0, 8, (h // t + 2, w // t + 2)).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w]
    arr += tile_var[yy // t, xx // t][:, :, None]
    grout = (yy % t < 3) | (xx % t < 3)
    arr[grout] = np.array(p[1], np.float32) * 0.9
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    mx, my = int(w * rng.uniform(0.15, 0.35)), int(h * rng.uniform(0.08, 0.2))
    mw, mh = int(w * rng.uniform(0.3, 0.5)), int(h * rng.uniform(0.25, 0.35))
    d.rectangle((mx, my, mx + mw, my + mh), fill=_jit(rng, (200, 210, 215), 20), outline=p[2],
                width=8)
    d.ellipse((mx - w // 20, my + mh + h // 12, mx + mw + w // 20, my + mh + h // 4), fill=p[3])
    return _finish(np.asarray(img.filter(ImageFilter.GaussianBlur(0.8)), np.float32), rng)


def corridor(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    img = Image.new("RGB", size, _jit(rng, p[0]))
    d = ImageDraw.Draw(img)
    vx, vy = w * rng.uniform(0.35, 0.65), h * rng.uniform(0.38, 0.55)
    bw, bh = w * rng.uniform(0.08, 0.16), h * rng.uniform(0.1, 0.2)
    box = (vx - bw, vy - bh, vx + bw, vy + bh)
    d.polygon([(0, h), (w, h), (box[2], box[3]), (box[0], box[3])], fill=_jit(rng, p[4], 25))
    d.polygon([(0, 0), (w, 0), (box[2], box[1]), (box[0], box[1])], fill=_jit(rng, p[3], 10))
    d.polygon([(0, 0), (box[0], box[1]), (box[0], box[3]), (0, h)], fill=_jit(rng, p[0], 25))
    d.polygon([(w, 0), (box[2], box[1]), (box[2], box[3]), (w, h)], fill=_jit(rng, p[0], 25))
    d.rectangle(box, fill=_jit(rng, p[1], 20))
    for k in range(int(rng.integers(2, 5))):
        f = 0.15 + 0.2 * k
        x0 = f * box[0]
        d.polygon([(x0, f * box[1] + h * 0.15), (x0 + w * 0.05 * (1 - f), f * box[1] + h * 0.17),
                   (x0 + w * 0.05 * (1 - f), h - f * (h - box[3]) - h * 0.05),
                   (x0, h - f * (h - box[3]))], fill=_jit(rng, p[2], 20))
    return _finish(np.asarray(img.filter(ImageFilter.GaussianBlur(1.5)), np.float32), rng)


def window_plant(rng: Rng, size: Size, pal: Pal = None) -> Image.Image:
    w, h = size
    p = pal or _palette(rng)
    img = Image.new("RGB", size, _jit(rng, p[3]))
    wx0, wy0 = int(w * rng.uniform(0.1, 0.3)), int(h * rng.uniform(0.05, 0.15))
    wx1, wy1 = int(w * rng.uniform(0.7, 0.9)), int(h * rng.uniform(0.5, 0.65))
    sky = _gradient((wx1 - wx0, wy1 - wy0), _jit(rng, (120, 170, 230), 25), (235, 240, 245))
    img.paste(Image.fromarray(sky.astype(np.uint8)), (wx0, wy0))
    d = ImageDraw.Draw(img)
    d.rectangle((wx0, wy0, wx1, wy1), outline=(245, 245, 240), width=w // 60)
    d.line(((wx0 + wx1) // 2, wy0, (wx0 + wx1) // 2, wy1), fill=(245, 245, 240), width=w // 80)
    px = int(w * rng.uniform(0.2, 0.7))
    d.polygon([(px, int(h * 0.78)), (px + w // 5, int(h * 0.78)), (px + w // 6, h - h // 20),
               (px + w // 30, h - h // 20)], fill=_jit(rng, (170, 90, 60), 30))
    for _ in range(int(rng.integers(14, 30))):
        cx = px + w // 10 + rng.normal(0, w * 0.08)
        cy = h * 0.78 - abs(rng.normal(0, h * 0.15))
        lw, lh = rng.uniform(0.02, 0.05) * w, rng.uniform(0.05, 0.1) * h
        d.ellipse((cx - lw, cy - lh, cx + lw, cy + lh), fill=_jit(rng, (50, 120, 55), 35))
    return _finish(np.asarray(img.filter(ImageFilter.GaussianBlur(1.0)), np.float32), rng)


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


# name -> (scene, size): realistic ad-photo sizes, portrait and landscape.
SCENES: dict[str, tuple[Scene, Size]] = {
    "gen_room_sofa": (room_sofa, (600, 800)),
    "gen_curtain": (curtain, (600, 800)),
    "gen_bedroom": (bedroom, (1024, 768)),
    "gen_bathroom_tiles": (tiles, (600, 800)),
    "gen_hotel_corridor": (corridor, (1024, 768)),
    "gen_window_plant": (window_plant, (768, 1024)),
    "gen_satin_fabric": (fabric, (720, 960)),
    "gen_bokeh_lights": (bokeh, (1024, 768)),
    "gen_wood_floor": (wood_floor, (1024, 768)),
    "gen_city_night": (city_night, (1280, 720)),
    "gen_kitchen": (kitchen, (768, 1024)),
    "gen_abstract_shapes": (abstract, (600, 800)),
    "gen_dim_lamp": (dim_lamp, (600, 800)),
}
