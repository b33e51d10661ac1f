"""Seed corpora for the atheris targets, generated from valid inputs (nothing binary committed):
demo ads, the shipped site specs, small generated images, a valid export of every format.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from tests.fuzz.atheris_targets import FIELD_SEPARATOR, SPEC_STEM


def analyze_seeds() -> list[bytes]:
    """A few synthetic demo ads (both sites), as the analyze target's four fields."""
    from vigie.demo.generator import generate

    corpus = generate(seed=7, n_static=4, n_js=2)
    return [
        FIELD_SEPARATOR.join((ad.title, ad.text, ad.location_text, ad.phone_rendered)).encode()
        for ad in corpus.ads
    ]


def spec_seeds() -> list[bytes]:
    """Every shipped site spec, renamed to the target file's stem so that it loads."""
    from crawlers.sitespec import SITES_DIR

    return [
        re.sub(r"(?m)^name:.*$", f"name: {SPEC_STEM}", path.read_text(encoding="utf-8")).encode()
        for path in sorted(SITES_DIR.glob("*.yaml"))
    ]


def image_seeds() -> list[bytes]:
    """A small generated gradient in every format hash_image accepts, plus one with alpha."""
    from PIL import Image

    from pipeline.images import DEFAULT_FORMATS

    gradient = Image.linear_gradient("L").resize((24, 16))
    mirrored = gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    rgb = Image.merge("RGB", (gradient, gradient.rotate(90), mirrored))
    out = []
    for fmt in DEFAULT_FORMATS:
        buf = io.BytesIO()
        rgb.save(buf, format=fmt)
        out.append(buf.getvalue())
    buf = io.BytesIO()
    rgb.convert("RGBA").save(buf, format="PNG")
    out.append(buf.getvalue())
    return out


def importer_seeds() -> list[bytes]:
    """A valid export of the synthetic bundle in every exchange format."""
    from tests.fuzz.exchange_cases import VALID

    return [VALID[name] for name in sorted(VALID)]


SEEDS: dict[str, Callable[[], list[bytes]]] = {
    "analyze": analyze_seeds,
    "spec": spec_seeds,
    "image": image_seeds,
    "importer": importer_seeds,
}


def write_seeds(target: str, directory: Path) -> int:
    """Write the target's seed corpus into `directory`, one file per input; return how many."""
    directory.mkdir(parents=True, exist_ok=True)
    seeds = SEEDS[target]()
    for number, data in enumerate(seeds):
        (directory / f"seed-{number:02d}").write_bytes(data)
    return len(seeds)
