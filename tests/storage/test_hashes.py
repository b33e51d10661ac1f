"""A malformed image hash can never be stored: `Store.save` refuses it with a domain error
before writing anything (the watchlists refuse theirs: test_watchlists.py)."""

from __future__ import annotations

import pytest

from pipeline.types import Analysis, ImageRef, RawAd
from storage.errors import StorageError
from storage.hashes import MalformedHash, check_image_hash, is_image_hash
from storage.repository import Store

MALFORMED = ("zz", "0F0F0F0F0F0F0F0F", "0f0f0f0f0f0f0f0", "0f0f0f0f0f0f0f0f0", "0f0f0f0f0f0f0f0g",
             "0x0f0f0f0f0f0f0f", " 0f0f0f0f0f0f0f", "０f0f0f0f0f0f0f0f")


@pytest.mark.parametrize("bad", MALFORMED)
@pytest.mark.parametrize("field", ["phash", "dhash"])
def test_save_refuses_a_malformed_image_hash(store: Store, bad: str, field: str) -> None:
    image = ImageRef("http://127.0.0.1/1.png", **{field: bad})
    raw = RawAd(site="s", ad_id="a", url="http://127.0.0.1/a", title="t", text="x",
                images=(image,))
    with pytest.raises(MalformedHash, match="16 lowercase hex digits") as caught:
        store.save(raw, Analysis(site="s", ad_id="a", images=(image,)))
    assert isinstance(caught.value, StorageError)
    assert store.count_ads() == 0


def test_well_formed_and_absent_hashes_pass(store: Store) -> None:
    images = (ImageRef("http://127.0.0.1/1.png", "0f0f0f0f0f0f0f0f", None),
              ImageRef("http://127.0.0.1/2.png", error="too_big"))
    raw = RawAd(site="s", ad_id="a", url="http://127.0.0.1/a", title="t", text="x",
                images=images)
    store.save(raw, Analysis(site="s", ad_id="a", images=images))
    assert store.count_ads() == 1
    assert is_image_hash("0123456789abcdef")
    assert not is_image_hash(None)
    check_image_hash(None, "x")
    check_image_hash("", "x")


@pytest.mark.parametrize("bad", ["whole=zz", "nose=" + "0" * 32, "whole=" + "0" * 16,
                                 "whole=" + "0F" * 16])
def test_save_refuses_malformed_region_hashes(store: Store, bad: str) -> None:
    image = ImageRef("http://127.0.0.1/1.png", "0f0f0f0f0f0f0f0f", dct=bad)
    raw = RawAd(site="s", ad_id="a", url="http://127.0.0.1/a", title="t", text="x",
                images=(image,))
    with pytest.raises(MalformedHash, match="region hashes"):
        store.save(raw, Analysis(site="s", ad_id="a", images=(image,)))
    assert store.count_ads() == 0


def test_region_hashes_are_stored_with_the_image(store: Store) -> None:
    from sqlmodel import Session, select

    from storage.tables import AdImage

    dct = "whole=" + "0123456789abcdef" * 2 + " c80=" + "f" * 32
    image = ImageRef("http://127.0.0.1/1.png", "0f0f0f0f0f0f0f0f", dct=dct)
    raw = RawAd(site="s", ad_id="a", url="http://127.0.0.1/a", title="t", text="x",
                images=(image,))
    store.save(raw, Analysis(site="s", ad_id="a", images=(image,)))
    with Session(store.engine) as session:
        assert session.exec(select(AdImage.dct)).all() == [dct]
