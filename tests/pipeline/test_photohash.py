"""Sign-DCT region hashes (`pipeline.photohash`) and the one match decision
(`pipeline.photomatch`)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from pipeline.images import hash_photo
from pipeline.photohash import (
    ORIENTATIONS,
    REGIONS,
    dct_hash,
    grey_array,
    orient,
    orient_array,
    orient_many,
    region_hashes,
    trim_box,
)
from pipeline.photomatch import (
    MatchRule,
    Photo,
    PhotoIndex,
    decode_dct,
    decode_photo,
    encode_dct,
    encode_photo,
)
from vigie.demo.images import base_image


def _png(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("name", ORIENTATIONS)
def test_an_orientation_of_the_picture_is_a_permutation_of_its_hash(name: str) -> None:
    grey = grey_array(base_image(3))
    turned = np.ascontiguousarray(orient_array(grey, name))
    assert dct_hash(turned) == orient(dct_hash(grey), name)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**64 - 1))
def test_orientations_form_the_group_of_the_square(h: int) -> None:
    turns = orient_many(np.array([h], dtype=np.uint64))[:, 0].tolist()
    assert turns[0] == h
    assert len(set(turns)) == len(turns) or len(set(turns)) < 8  # a symmetric hash repeats
    for name in ("flip_lr", "flip_ud", "rot180", "transpose", "anti"):  # involutions
        assert orient(orient(h, name), name) == h
    assert orient(orient(h, "rot90"), "rot270") == h
    assert orient(orient(h, "rot90"), "rot90") == orient(h, "rot180")


def test_a_uniform_border_is_trimmed_and_the_content_hashed_as_without_it() -> None:
    im = base_image(5)
    framed = ImageOps.expand(im, border=(24, 12, 30, 12), fill=(255, 255, 255))
    box = trim_box(grey_array(framed))
    assert box == (12, 12 + im.height, 24, 24 + im.width)
    assert region_hashes(grey_array(framed))["trim"] == region_hashes(grey_array(im))["whole"]
    assert trim_box(grey_array(im)) is None


def test_region_hashes_round_trip_as_text() -> None:
    phash, dhash, dct = hash_photo(_png(base_image(6)))
    regions = decode_dct(dct)
    assert set(regions) <= set(REGIONS)
    assert "whole" in regions
    assert encode_dct(regions) == dct
    photo = Photo.of(phash, dhash, dct)
    assert decode_photo(encode_photo(photo)) == photo
    assert decode_photo(phash) == Photo(phash=int(phash, 16))  # a bare hash is a pHash
    for bad in ("whole=xyz", "nose=0000000000000000", "whole=00000000000000000", ""):
        with pytest.raises(ValueError):  # noqa: PT011 — the message varies with the part
            decode_photo(bad) if bad else decode_dct("whole")


def test_each_hash_kind_is_only_compared_with_its_own_kind() -> None:
    index: PhotoIndex[str] = PhotoIndex()
    index.extend([("p", Photo(phash=0x0F)), ("d", Photo(dhash=0x0F))])
    assert [m.key for m in index.match(Photo(phash=0x0F))] == ["p"]
    assert [m.key for m in index.match(Photo(dhash=0x0E))] == ["d"]
    assert index.match(Photo(phash=0x0F), exclude=0) == []


def test_a_mirrored_turned_copy_matches_with_its_evidence_and_another_picture_does_not() -> None:
    original = Photo.of(*hash_photo(_png(base_image(8))))
    copy = Photo.of(*hash_photo(_png(ImageOps.mirror(base_image(8)).rotate(90, expand=True))))
    other = Photo.of(*hash_photo(_png(base_image(9))))
    index: PhotoIndex[str] = PhotoIndex()
    assert index.add([("original", original), ("other", other)]) == []
    [(a, b, distance, kind, detail)] = index.add([("copy", copy)])
    assert (a, b, kind) == (0, 2, "dct")
    assert distance <= 2
    assert detail.startswith("whole~whole ")  # the orientation is named
    [found] = index.match(copy, exclude=2)
    assert found.key == "original"
    assert "bits" in found.evidence
    assert PhotoIndex(MatchRule(dct=None)).match(copy) == []


def test_match_rule_radii_are_checked() -> None:
    with pytest.raises(ValueError, match="dct radius"):
        MatchRule(dct=40)
