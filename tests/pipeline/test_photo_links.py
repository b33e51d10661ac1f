"""Linking by photo (`pipeline.edges` through `pipeline.photomatch`): mirrored, turned, cropped and
framed copies of one picture join their ads; other pictures do not."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from pipeline.images import hash_photo
from pipeline.link import LinkConfig, Linker, link
from pipeline.types import Analysis, ImageRef, RawAd
from vigie.demo.images import base_image


def _ad(ad_id: str, im: Image.Image) -> tuple[RawAd, Analysis]:
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=80)
    phash, dhash, dct = hash_photo(out.getvalue())
    image = ImageRef(f"http://127.0.0.1/{ad_id}.jpg", phash, dhash, dct=dct)
    raw = RawAd("s", ad_id, f"http://127.0.0.1/{ad_id}", "", "", images=(image,))
    return raw, Analysis("s", ad_id, images=(image,))


def _copies() -> list[tuple[RawAd, Analysis]]:
    a = base_image(31)
    return [
        _ad("original", a),
        _ad("mirrored", ImageOps.mirror(a)),
        _ad("turned", a.rotate(270, expand=True)),
        _ad("cropped", a.crop((0, 0, round(a.width * 0.85), round(a.height * 0.85)))),
        _ad("framed", ImageOps.expand(a, border=20, fill=(0, 0, 0))),
        _ad("other", base_image(32)),
        _ad("another", base_image(33)),
    ]


def test_distorted_copies_of_a_photo_join_one_network_with_dct_evidence() -> None:
    [network] = link(_copies(), LinkConfig(text_threshold=None))
    assert {k[1] for k in network.members} == {"original", "mirrored", "turned", "cropped",
                                               "framed"}
    assert all(e.kind == "image" for e in network.edges)
    assert any(e.evidence.startswith("dct ") and e.evidence.endswith(" bits")
               for e in network.edges)


def test_without_dct_hashes_only_the_phash_links() -> None:
    config = LinkConfig(text_threshold=None, dct_radius=None)
    networks = link(_copies(), config)
    assert all(len(n.members) < 5 for n in networks)


def test_photo_links_do_not_depend_on_batching() -> None:
    items = _copies()
    whole = Linker(LinkConfig(text_threshold=None))
    whole.add(items)
    batched = Linker(LinkConfig(text_threshold=None))
    for item in items[::-1]:
        batched.add([item])
    assert whole.groups() == batched.groups()
