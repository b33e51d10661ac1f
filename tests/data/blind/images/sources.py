"""Source images: public-domain photos shipped inside installed wheels, plus procedural scenes.

Photos are read straight from the package directories with Pillow (no package import, no
download). Only photos without people: never skimage's astronaut or camera(man).
"""

from __future__ import annotations

import hashlib
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from PIL import Image

from .scenes import SCENES

# name -> (package, path inside the package). All public domain / CC0 per the packages' notices.
PHOTOS: dict[str, tuple[str, str]] = {
    "sk_china": ("sklearn", "datasets/images/china.jpg"),
    "sk_flower": ("sklearn", "datasets/images/flower.jpg"),
    "ski_coffee": ("skimage", "data/coffee.png"),
    "ski_chelsea": ("skimage", "data/chelsea.png"),
    "ski_rocket": ("skimage", "data/rocket.jpg"),
    "ski_coins": ("skimage", "data/coins.png"),
    "ski_brick": ("skimage", "data/brick.png"),
    "ski_grass": ("skimage", "data/grass.png"),
    "ski_gravel": ("skimage", "data/gravel.png"),
    "ski_hubble": ("skimage", "data/hubble_deep_field.jpg"),
    "ski_motorcycle": ("skimage", "data/motorcycle_left.png"),
}


def seed_of(name: str, salt: int = 0) -> int:
    """A stable 64-bit seed from a name (sha256, independent of PYTHONHASHSEED)."""
    return int.from_bytes(hashlib.sha256(f"{name}#{salt}".encode()).digest()[:8], "big")


def _package_file(package: str, rel: str) -> Path | None:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / rel
    return path if path.is_file() else None


def photo(name: str) -> Image.Image | None:
    """The shipped photo `name` as RGB, or None when its package (or file) is not installed."""
    package, rel = PHOTOS[name]
    path = _package_file(package, rel)
    if path is None:
        return None
    with Image.open(path) as im:
        return im.convert("RGB")


def scene(name: str, salt: int = 0) -> Image.Image:
    """The procedural scene `name`; another salt gives another picture of the same kind."""
    fn, size = SCENES[name]
    return fn(np.random.default_rng(seed_of(name, salt)), size, None)


def sources() -> list[tuple[str, Image.Image]]:
    """Every source image with its stable name: shipped photos first, then procedural scenes."""
    out: list[tuple[str, Image.Image]] = []
    for name in PHOTOS:
        img = photo(name)
        if img is not None:
            out.append((name, img))
    out.extend((name, scene(name)) for name in SCENES)
    return out


def source_names() -> list[str]:
    """All names sources() can return (independent of which packages are installed)."""
    return [*PHOTOS, *SCENES]
