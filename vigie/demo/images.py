"""Generated ad pictures: gradients, shapes and noise — never anything depicting people.

An `ImageSpec` names a base picture (its own seed) and how this copy was derived from it (crop,
resize, format, JPEG quality). Copies of one base are near-duplicates, as when an ad network
re-posts the same photo: their perceptual hashes are close. Images are rendered in memory on
request and never written to disk.
"""

from __future__ import annotations

import hashlib
import io
import random
import threading
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

BASE_SIZE = (320, 240)
MAX_SIDE = 480
_LOCK = threading.Lock()  # the cached base images are shared between server threads


@dataclass(frozen=True, slots=True)
class ImageSpec:
    """How to render one served image. `crop` is (left, top, right, bottom) in base pixels."""

    name: str
    base_seed: int
    crop: tuple[int, int, int, int]
    size: tuple[int, int]
    fmt: str  # "PNG" or "JPEG"
    quality: int = 90

    @property
    def content_type(self) -> str:
        return "image/png" if self.fmt == "PNG" else "image/jpeg"


def _color(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


@lru_cache(maxsize=64)
def base_image(base_seed: int) -> Image.Image:
    """The base picture for a seed: a two-colour gradient, 4–9 shapes, light noise."""
    rng = random.Random(base_seed)
    w, h = BASE_SIZE
    mask = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize((w, h))
    img = Image.composite(Image.new("RGB", (w, h), _color(rng)),
                          Image.new("RGB", (w, h), _color(rng)), mask)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 9)):
        x0, y0 = rng.randrange(w - 40), rng.randrange(h - 40)
        x1, y1 = x0 + rng.randint(30, w // 2), y0 + rng.randint(30, h // 2)
        kind = rng.choice(("ellipse", "rectangle", "polygon"))
        fill = _color(rng)
        if kind == "ellipse":
            draw.ellipse((x0, y0, x1, y1), fill=fill)
        elif kind == "rectangle":
            draw.rectangle((x0, y0, x1, y1), fill=fill)
        else:
            points = [(rng.randint(x0, x1), rng.randint(y0, y1)) for _ in range(rng.randint(3, 6))]
            draw.polygon(points, fill=fill)
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h)).convert("RGB")
    return Image.blend(img, noise, 0.08)


def render(spec: ImageSpec) -> bytes:
    """The encoded bytes of one served image (deterministic for a given spec)."""
    with _LOCK:
        img = base_image(spec.base_seed).crop(spec.crop)
    img = img.resize(spec.size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if spec.fmt == "PNG":
        img.save(out, format="PNG", optimize=False)
    else:
        img.save(out, format="JPEG", quality=spec.quality)
    return out.getvalue()


def _name(corpus_seed: int, base_seed: int, variant: int, fmt: str) -> str:
    digest = hashlib.sha256(f"{corpus_seed}:{base_seed}:{variant}".encode()).hexdigest()[:16]
    return f"{digest}.{'png' if fmt == 'PNG' else 'jpg'}"


def original(corpus_seed: int, base_seed: int, fmt: str = "PNG") -> ImageSpec:
    """The base picture served as it is."""
    w, h = BASE_SIZE
    return ImageSpec(_name(corpus_seed, base_seed, 0, fmt), base_seed, (0, 0, w, h), (w, h), fmt)


def variant(corpus_seed: int, base_seed: int, index: int, rng: random.Random) -> ImageSpec:
    """A near-duplicate copy: cropped by up to 3 %, resized to 60–140 %, re-encoded as JPEG."""
    w, h = BASE_SIZE
    dx, dy = int(w * 0.03), int(h * 0.03)
    crop = (rng.randint(0, dx), rng.randint(0, dy), w - rng.randint(0, dx), h - rng.randint(0, dy))
    scale = rng.uniform(0.6, 1.4)
    cw, ch = crop[2] - crop[0], crop[3] - crop[1]
    size = (min(MAX_SIDE, round(cw * scale)), min(MAX_SIDE, round(ch * scale)))
    quality = rng.choice((55, 65, 75, 85, 92))
    return ImageSpec(_name(corpus_seed, base_seed, index, "JPEG"), base_seed, crop, size, "JPEG",
                     quality)
