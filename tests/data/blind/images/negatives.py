"""Look-alike pairs of DIFFERENT images, to measure a matcher's false matches.

Every pair is two distinct pictures that share what a careless matcher keys on: the same kind
of scene, the same palette, the same layout, near-uniform content, or two disjoint regions of
one photo. Nothing in a pair is a re-post of the other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .scenes import PALETTES, SCENES
from .sources import photo, scene


@dataclass(frozen=True)
class NegativePair:
    kind: str  # why the two look alike
    name: str  # stable name of the pair (used for the dev/sealed split)
    a: Image.Image
    b: Image.Image


def _plain_wall(rng: np.random.Generator, size: tuple[int, int], base: tuple[int, int, int],
                obj: bool) -> Image.Image:
    """A near-uniform wall (the blank backgrounds ad photos are full of), maybe one small object."""
    w, h = size
    t = np.linspace(0.9, 1.1, h, dtype=np.float32)[:, None, None]
    arr = np.broadcast_to(np.array(base, np.float32) * t, (h, w, 3)).copy()
    arr += np.asarray(rng.normal(0, 3, arr.shape), np.float32)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if obj:
        d = ImageDraw.Draw(img)
        x, y = rng.uniform(0.2, 0.7) * w, rng.uniform(0.2, 0.7) * h
        s = rng.uniform(0.05, 0.12) * w
        d.rectangle((x, y, x + s, y + 1.3 * s), fill=tuple(int(c) for c in rng.integers(0, 256, 3)))
    return img.filter(ImageFilter.GaussianBlur(1))


def negatives(seed: int) -> list[NegativePair]:
    """Deterministic look-alike pairs for `seed` (about 40 pairs)."""
    rng = np.random.default_rng(seed)
    pairs: list[NegativePair] = []
    # 1. same scene type, different content (two salts of one generator)
    for name in SCENES:
        s1, s2 = (int(v) for v in rng.integers(1, 2**31, 2))
        pairs.append(NegativePair("same_scene_type", f"{name}/{s1}-{s2}",
                                  scene(name, s1), scene(name, s2)))
    # 2. same palette and same scene type: only the layout/objects differ
    for pal_name in sorted(PALETTES):
        name = str(rng.choice(["gen_room_sofa", "gen_bedroom", "gen_curtain", "gen_kitchen"]))
        fn, size = SCENES[name]
        pal = PALETTES[pal_name]
        s1, s2 = (int(v) for v in rng.integers(1, 2**31, 2))
        pairs.append(NegativePair(
            "same_palette_same_scene", f"{name}/{pal_name}/{s1}-{s2}",
            fn(np.random.default_rng(s1), size, pal), fn(np.random.default_rng(s2), size, pal)))
    # 3. same palette, different scene types
    names = sorted(SCENES)
    for pal_name in sorted(PALETTES):
        n1, n2 = (str(v) for v in rng.choice(names, 2, replace=False))
        s = int(rng.integers(1, 2**31))
        f1, z1 = SCENES[n1]
        f2, _ = SCENES[n2]
        pal = PALETTES[pal_name]
        pairs.append(NegativePair(
            "same_palette_other_scene", f"{n1}+{n2}/{pal_name}/{s}",
            f1(np.random.default_rng(s), z1, pal), f2(np.random.default_rng(s + 1), z1, pal)))
    # 4. near-uniform walls of the same colour (with / without a small object)
    for i in range(6):
        base = tuple(int(c) for c in rng.integers(60, 230, 3))
        size = (600, 800) if i % 2 else (1024, 768)
        s = int(rng.integers(1, 2**31))
        a = _plain_wall(np.random.default_rng(s), size, base, obj=i >= 3)  # type: ignore[arg-type]
        b = _plain_wall(np.random.default_rng(s + 7), size, base, obj=True)  # type: ignore[arg-type]
        pairs.append(NegativePair("near_uniform_wall", f"wall/{i}", a, b))
    # 5. two disjoint regions of one shipped photo (same light, same place, no shared pixel)
    for pname in ("sk_china", "sk_flower", "ski_coffee", "ski_rocket", "ski_brick", "ski_grass"):
        img = photo(pname)
        if img is None:
            continue
        w, h = img.size
        if w >= h:
            a, b = img.crop((0, 0, w // 2, h)), img.crop((w - w // 2, 0, w, h))
        else:
            a, b = img.crop((0, 0, w, h // 2)), img.crop((0, h - h // 2, w, h))
        pairs.append(NegativePair("same_photo_disjoint_halves", f"{pname}/halves", a, b))
    # 6. two different photos of the same kind of subject (textures)
    for n1, n2 in (("ski_grass", "ski_gravel"), ("ski_brick", "ski_gravel"),
                   ("ski_coins", "ski_gravel")):
        a1, b1 = photo(n1), photo(n2)
        if a1 is not None and b1 is not None:
            pairs.append(NegativePair("similar_texture_photos", f"{n1}+{n2}", a1, b1))
    return pairs
