"""Imported indicators of another zone matched against local ads: phones and handles in clear or
under the shared HMAC key, image hashes within a Hamming distance."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storage.exchange.exporter import export
from storage.exchange.importer import import_file
from storage.exchange.matching import matches
from storage.exchange.pseudonym import create_key
from storage.repository import Store

StoreFactory = Callable[[str], Store]
A_HASH = ("ffee001122334455", "0123456789abcdef")
NEAR_HASH = ("ffee001122334454", "8123456789abcdee")  # 1 and 2 bits away
FAR_HASH = ("00110011ffeeffee", "fedcba9876543210")


def _exchange(
    a: Store, b: Store, tmp_path: Path, *, key: bytes | None, source: str = "5344"
) -> None:
    path = tmp_path / f"{source}.json"
    export(a, path, fmt="vigie", zone=source, actor="a", reason="case", pseudonym_key=key)
    import_file(b.engine, path, trusted=[], actor="b", zone="5341", allow_unsigned=True)


def _setup(open_store: StoreFactory, add_ad: Callable[..., None]) -> tuple[Store, Store]:
    a, b = open_store("a"), open_store("b")
    add_ad(a, "A1", zone="5344", phones=("+32470123456",), contacts=(("telegram", "lina_b"),),
           images=(A_HASH,), score=0.9, flags=("minor",))
    add_ad(b, "B1", zone="5341", phones=("+32470123456",))
    add_ad(b, "B2", zone="5341", contacts=(("telegram", "lina_b"),))
    add_ad(b, "B3", zone="5341", images=(NEAR_HASH,))
    add_ad(b, "B4", zone="5341", phones=("+32470000001",), images=(FAR_HASH,))
    return a, b


def _hits(found: list[object]) -> set[tuple[str, str]]:
    return {(m.ad[1], m.kind) for m in found}  # type: ignore[attr-defined]


def test_clear_values_and_near_images_match(
    open_store: StoreFactory, add_ad: Callable[..., None], tmp_path: Path
) -> None:
    a, b = _setup(open_store, add_ad)
    _exchange(a, b, tmp_path, key=None)
    found = matches(b, own_zone="5341")
    assert _hits(found) == {("B1", "phone"), ("B2", "handle"), ("B3", "image")}
    image = [m for m in found if m.kind == "image"]
    assert sorted(m.distance for m in image) == [1, 2]
    assert all(m.source_zone == "5344" and m.indicator.flags == ("minor",) for m in found)
    assert matches(b, own_zone="5341", max_distance=1) != found
    assert matches(b, own_zone="5344") == []  # the zone's own exports are not cross-zone


def test_pseudonymised_values_match_under_the_shared_key_only(
    open_store: StoreFactory, add_ad: Callable[..., None], tmp_path: Path
) -> None:
    a, b = _setup(open_store, add_ad)
    key = create_key(tmp_path / "shared.key")
    _exchange(a, b, tmp_path, key=key)
    hits = _hits(matches(b, own_zone="5341", pseudonym_key=key))
    assert hits == {("B1", "phone"), ("B2", "handle"), ("B3", "image")}
    other = create_key(tmp_path / "other.key")
    assert _hits(matches(b, own_zone="5341", pseudonym_key=other)) == {("B3", "image")}
    assert _hits(matches(b, own_zone="5341")) == {("B3", "image")}
    phone = next(m for m in matches(b, own_zone="5341", pseudonym_key=key) if m.kind == "phone")
    assert phone.local_value == "+32470123456"
    assert phone.indicator.value != phone.local_value
