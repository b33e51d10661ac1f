"""Hubs (pipeline.hubs): a "no photo" placeholder and an agency switchboard shown by 200 unrelated
ads join nothing, while a real network that shares them with other evidence stays one network;
the result does not depend on how the ads were batched."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from pipeline.link import LinkConfig, Linker, link
from pipeline.types import Alias, Analysis, ImageRef, PhoneMatch, RawAd

PLACEHOLDER = "f0f0f0f0f0f0f0f0"
SWITCHBOARD = "+3225124410"


def _ad(i: int, *, phones: tuple[str, ...], photos: tuple[str, ...]) -> tuple[RawAd, Analysis]:
    refs = tuple(ImageRef(f"http://127.0.0.1/{i}/{n}.jpg", h) for n, h in enumerate(photos))
    raw = RawAd(f"site{i % 4}", str(i), f"http://127.0.0.1/{i}", "t", f"texte {i}", images=refs)
    analysis = Analysis(
        raw.site,
        raw.ad_id,
        phones=tuple(PhoneMatch(p, "BE", False, ()) for p in phones),
        aliases=(Alias(f"Alias{i}", ()),),
        images=refs,
    )
    return raw, analysis


def _corpus() -> list[tuple[RawAd, Analysis]]:
    rng = random.Random(5)
    items = []
    for i in range(200):  # unrelated ads: their own phone and photo, plus the site's hub values
        own_photo = f"{rng.getrandbits(64):016x}"
        items.append(_ad(i, phones=(f"+3247{i:07d}", SWITCHBOARD), photos=(own_photo, PLACEHOLDER)))
    # A real network of 5 ads: one phone, and the placeholder too.
    for i in range(200, 205):
        items.append(_ad(i, phones=("+32470999999",), photos=(PLACEHOLDER,)))
    return items


def test_placeholder_and_switchboard_join_nothing() -> None:
    items = _corpus()
    linker = Linker()
    linker.add(items)
    networks = linker.networks()
    assert [sorted(int(k[1]) for k in n.members) for n in networks] == [list(range(200, 205))]
    hubs = {(h.kind, h.value): h for h in linker.hubs()}
    assert set(hubs) == {("phone", SWITCHBOARD), ("image", PLACEHOLDER)}
    assert hubs[("phone", SWITCHBOARD)].ads == 200
    assert hubs[("image", PLACEHOLDER)].ads == 205
    assert hubs[("image", PLACEHOLDER)].groups >= 200  # nothing else ties these ads


def test_without_hub_guard_one_value_chains_everything() -> None:
    (network,) = link(_corpus(), LinkConfig(hub_min_ads=None))
    assert len(network.members) == 205


def test_a_real_network_sharing_a_common_value_is_not_a_hub() -> None:
    # 60 ads sharing one number that are also tied by their own photos (3 photos, 20 ads each):
    # only 3 groups without the number, far under hub_min_groups — the number is a link.
    items = [
        _ad(i, phones=("+32470555555",), photos=(f"{(i % 3 + 1) * 0x1111111111111111:016x}",))
        for i in range(60)
    ]
    linker = Linker()
    linker.add(items)
    assert linker.hubs() == []
    (network,) = linker.networks()
    assert len(network.members) == 60


@pytest.mark.parametrize("batch", [1, 7, 50])
def test_batching_does_not_change_the_networks(batch: int) -> None:
    items = _corpus()
    random.Random(batch).shuffle(items)
    linker = Linker()
    for start in range(0, len(items), batch):
        linker.add(items[start : start + batch])
    whole = Linker()
    whole.add(_corpus())
    assert {n.members for n in linker.networks()} == {n.members for n in whole.networks()}
    assert linker.hubs() == whole.hubs()


def test_thresholds_are_checked() -> None:
    with pytest.raises(ValueError, match="hub thresholds"):
        LinkConfig(hub_min_ads=10, hub_min_groups=20)
    assert replace(LinkConfig(), hub_min_ads=None).hub_min_ads is None
