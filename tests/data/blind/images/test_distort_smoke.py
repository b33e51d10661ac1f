"""Smoke test of the blind image material: deterministic and complete. No matching here."""

from __future__ import annotations

import numpy as np
from PIL import Image

from tests.data.blind.images.distort import KINDS, split, variants
from tests.data.blind.images.scenes import SCENES
from tests.data.blind.images.sources import PHOTOS, photo, scene, source_names


def _small() -> Image.Image:
    # a small procedural source keeps the test fast; the code paths are the same at any size
    return scene("gen_room_sofa").resize((150, 200))


def test_variants_are_deterministic_and_cover_every_kind() -> None:
    img = _small()
    first = variants(img, 7)
    again = variants(img, 7)
    assert {v.kind for v in first} == set(KINDS)
    assert [(v.kind, v.strength) for v in first] == [(v.kind, v.strength) for v in again]
    for a, b in zip(first, again, strict=True):
        assert a.image.mode == "RGB"
        assert a.image.size == b.image.size
        assert a.image.tobytes() == b.image.tobytes(), (a.kind, a.strength)
    assert len({(v.kind, v.strength) for v in first}) == len(first)  # no duplicate labels
    for kind in KINDS:  # "several strengths" (rot90/180/270 are exact by nature)
        n = sum(v.kind == kind for v in first)
        assert n >= (1 if kind in ("rot180", "rot270") else 2), kind


def test_procedural_scenes_are_deterministic_and_distinct() -> None:
    # every generator, at a small size to stay fast (sources() uses the same code at full size)
    def render(seed: int) -> list[bytes]:
        return [fn(np.random.default_rng(seed), (96, 128), None).tobytes()
                for fn, _ in SCENES.values()]

    first = render(1)
    assert first == render(1)
    assert len(set(first)) == len(first)  # 13 different kinds of scene
    # another seed, another picture
    assert all(a != b for a, b in zip(first, render(2), strict=True))


def test_sources_and_split() -> None:
    # the shipped photos only (cheap to decode); sources() = these + every procedural scene
    photos = [n for n in PHOTOS if photo(n) is not None]
    assert len(photos) + len(SCENES) >= 16
    assert len(set(source_names())) == len(source_names())
    labels = [split(n) for n in source_names()]
    assert labels.count("dev") == len(labels) // 2
    assert [split(n) for n in source_names()] == labels
