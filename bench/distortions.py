"""What re-posters do to a photo, as functions of a PIL image: the distortion kinds of issue 16.1
at several strengths, for tests/pipeline/test_photo_distortions.py and bench/photomatch.py.

Sources: the demo's generated pictures (`vigie.demo.images`) and public-domain photographs
shipped by scikit-image (no people: a cup of coffee, a cat, a rocket, coins, the moon, the
Hubble deep field, bricks, grass, gravel). Everything stays in memory.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from pipeline.images import photo_hashes
from pipeline.photomatch import MatchRule, Photo, PhotoIndex

Distort = Callable[[Image.Image], Image.Image]

SKIMAGE_PHOTOS = (
    "coffee", "chelsea", "rocket", "coins", "moon", "hubble_deep_field", "brick", "grass",
    "gravel",
)


def _jpeg(im: Image.Image, quality: int) -> Image.Image:
    out = io.BytesIO()
    im.convert("RGB").save(out, format="JPEG", quality=quality)
    out.seek(0)
    return Image.open(out).convert("RGB")


def _crop(im: Image.Image, keep: float, anchor: str) -> Image.Image:
    w, h = im.size
    cw, ch = round(w * keep), round(h * keep)
    x = {"c": (w - cw) // 2, "l": 0, "r": w - cw}[anchor[1]]
    y = {"c": (h - ch) // 2, "t": 0, "b": h - ch}[anchor[0]]
    return im.crop((x, y, x + cw, y + ch))


def _border(im: Image.Image, share: float, colour: tuple[int, int, int]) -> Image.Image:
    w, h = im.size
    return ImageOps.expand(im, border=(round(w * share), round(h * share)), fill=colour)


def _banner(im: Image.Image, share: float) -> Image.Image:
    out = im.copy()
    w, h = out.size
    draw = ImageDraw.Draw(out)
    draw.rectangle((0, h - round(h * share), w, h), fill=(20, 20, 20))
    draw.text((w // 20, h - round(h * share * 0.8)), "NEW  +32 470 00 00 00", fill=(255, 255, 255))
    return out


def _watermark(im: Image.Image, size: float) -> Image.Image:
    out = im.convert("RGBA")
    layer = Image.new("RGBA", out.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    w, h = out.size
    step = max(12, round(min(w, h) * size))
    for y in range(0, h, step * 3):
        draw.text((w // 8, y + step), "escort-site.example", fill=(255, 255, 255, 110))
    return Image.alpha_composite(out, layer).convert("RGB")


def _logo(im: Image.Image, share: float) -> Image.Image:
    out = im.copy()
    w, h = out.size
    s = round(min(w, h) * share)
    ImageDraw.Draw(out).ellipse((w - s - 4, h - s - 4, w - 4, h - 4), fill=(240, 240, 40))
    return out


def _rotate(im: Image.Image, degrees: float, crop: bool) -> Image.Image:
    w, h = im.size
    out = im.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=not crop)
    if crop:  # keep the largest centred box of the original's aspect without corners
        import math

        a = math.radians(abs(degrees))
        scale = 1 / (math.cos(a) + math.sin(a) * max(w / h, h / w))
        return _crop(out, scale, "cc")
    return out


def _hue(im: Image.Image, shift: int) -> Image.Image:
    h, s, v = im.convert("HSV").split()
    h = h.point(lambda x: (x + shift) % 256)
    return Image.merge("HSV", (h, s, v)).convert("RGB")


def _tint(im: Image.Image, colour: tuple[int, int, int], alpha: float) -> Image.Image:
    return Image.blend(im.convert("RGB"), Image.new("RGB", im.size, colour), alpha)


KINDS: dict[str, list[tuple[str, Distort]]] = {
    "jpeg": [(f"q{q}", lambda im, q=q: _jpeg(im, q)) for q in (30, 60)],
    "resize": [(f"x{s}", lambda im, s=s: im.resize(
        (max(8, round(im.width * s)), max(8, round(im.height * s))), Image.Resampling.LANCZOS))
        for s in (0.5, 1.6)],
    "brightness": [(f"b{b}", lambda im, b=b: ImageEnhance.Brightness(im).enhance(b))
                   for b in (0.7, 1.3)],
    "contrast": [(f"c{c}", lambda im, c=c: ImageEnhance.Contrast(im).enhance(c))
                 for c in (0.7, 1.4)],
    "mirror": [("lr", ImageOps.mirror), ("ud", ImageOps.flip)],
    "rotate90": [(f"r{d}", lambda im, d=d: im.rotate(d, expand=True)) for d in (90, 180, 270)],
    "rotate_small": [
        (f"r{d}{'c' if c else 'e'}", lambda im, d=d, c=c: _rotate(im, d, c))
        for d in (3, -5, 10) for c in (True, False)
    ],
    "crop_centre": [(f"k{k}", lambda im, k=k: _crop(im, k, "cc")) for k in (0.95, 0.9, 0.85, 0.8)],
    "crop_corner": [
        (f"{a}{k}", lambda im, k=k, a=a: _crop(im, k, a)) for k in (0.9, 0.85, 0.8)
        for a in ("tl", "tr", "bl", "br")
    ],
    "border": [
        (f"{s}{c[0]}", lambda im, s=s, c=c: _border(im, s, c))
        for s in (0.03, 0.1) for c in ((255, 255, 255), (0, 0, 0))
    ],
    "banner": [(f"b{s}", lambda im, s=s: _banner(im, s)) for s in (0.08, 0.12)],
    "watermark": [("text", lambda im: _watermark(im, 0.05)), ("logo", lambda im: _logo(im, 0.15))],
    "recolour": [
        ("grey", lambda im: ImageOps.grayscale(im).convert("RGB")),
        ("sepia", lambda im: _tint(ImageOps.grayscale(im).convert("RGB"), (112, 66, 20), 0.3)),
        ("hue", lambda im: _hue(im, 40)),
        ("tint", lambda im: _tint(im, (255, 120, 160), 0.25)),
        ("blur", lambda im: im.filter(ImageFilter.GaussianBlur(1.5))),
    ],
}


def variants(im: Image.Image) -> Iterator[tuple[str, str, Image.Image]]:
    """(kind, strength, distorted copy) for every kind and strength."""
    for kind, steps in KINDS.items():
        for strength, fn in steps:
            yield kind, strength, fn(im.convert("RGB"))


def synthetic_sources(n: int, seed: int = 16) -> list[tuple[str, Image.Image]]:
    """`n` of the demo's generated pictures."""
    from vigie.demo.images import base_image

    rng = random.Random(seed)
    return [(f"synthetic-{s}", base_image(s).copy()) for s in rng.sample(range(10_000), n)]


def photo_sources() -> list[tuple[str, Image.Image]]:
    """The public-domain photographs scikit-image ships (none of people), as RGB; () without
    scikit-image."""
    try:
        from skimage import data
    except ImportError:
        return []
    out = []
    for name in SKIMAGE_PHOTOS:
        try:
            arr = getattr(data, name)()
        except Exception:  # noqa: BLE001, S112 — a data file missing from this install
            continue
        im = Image.fromarray(arr)
        out.append((name, im.convert("RGB")))
    return out


@dataclass
class Score:
    """Recall per distortion kind and the false matches, from `evaluate`."""

    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # source, kind, strength
    false_matches: list[tuple[str, str]] = field(default_factory=list)  # (query, other source)
    pairs: int = 0  # pairs of different pictures compared

    def recall(self, kind: str) -> float:
        return self.found.get(kind, 0) / max(1, self.total.get(kind, 0))

    def overall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.total.values()))


def photo_of(im: Image.Image) -> Photo:
    """A picture's photo hashes, as Vigie computes them once it has decoded the bytes."""
    return Photo.of(*photo_hashes(im.convert("RGB")))


def evaluate(
    sources: list[tuple[str, Image.Image]],
    rule: MatchRule | None = None,
    kinds: dict[str, list[tuple[str, Distort]]] | None = None,
) -> Score:
    """Index the originals; match every distorted copy. A copy found its original or missed;
    any other original it matches (and any pair of originals that match) is a false match."""
    index: PhotoIndex[str] = PhotoIndex(rule)
    index.extend((name, photo_of(im)) for name, im in sources)
    score = Score()
    names = [name for name, _ in sources]
    for name, original in sources:
        others = [m.key for m in index.match(photo_of(original)) if m.key != name]
        score.false_matches += [(name, o) for o in others]
        score.pairs += len(sources) - 1
        for kind, steps in (kinds or KINDS).items():
            for strength, fn in steps:
                keys = {m.key for m in index.match(photo_of(fn(original.convert("RGB"))))}
                score.total[kind] = score.total.get(kind, 0) + 1
                if name in keys:
                    score.found[kind] = score.found.get(kind, 0) + 1
                else:
                    score.misses.append((name, kind, strength))
                score.false_matches += [(f"{name}/{kind}/{strength}", o) for o in keys - {name}]
                score.pairs += len(names) - 1
    return score
