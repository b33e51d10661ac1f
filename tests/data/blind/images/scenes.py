"""Procedurally generated photo-like scenes (no people, nothing explicit), deterministic by seed.

Each scene function takes a numpy Generator and a (width, height) size and returns an RGB image.
The same function with two different generators gives two different pictures of the same kind
of scene: that is what the negatives (look-alike, different images) are built from.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .paint import PALETTES, Pal, Rng, Scene, Size, _finish, _gradient, _jit, _palette, noise
from .textures import abstract, bokeh, city_night, dim_lamp, fabric, kitchen, wood_floor

__all__ = ["PALETTES", "SCENES", "noise"]


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
