from __future__ import annotations

import pytest

from pipeline.phoneplan import NEIGHBOUR_REGIONS, choose, lookup


def _read(digits: str, groups: tuple[int, ...], default: str = "BE") -> tuple[str, str] | None:
    plus = False
    hit = choose(lookup(digits, plus, default, False), digits, plus, groups, default)
    return None if hit is None else (hit[0], hit[1])


def test_international_numbers_carry_their_country() -> None:
    assert lookup("32470123456", True, "BE", False)[0][:2] == ("+32470123456", "BE")
    assert lookup("0032470123456", False, "BE", False)[0][:2] == ("+32470123456", "BE")
    assert lookup("320470123456", True, "BE", False)[0][:2] == ("+32470123456", "BE")  # (0)
    assert lookup("99912345678", True, "BE", False) == ()


def test_the_default_region_wins_when_valid() -> None:
    assert _read("0470123456", (4, 2, 2, 2)) == ("+32470123456", "BE")
    assert _read("0470123456", (2, 2, 2, 2, 2), default="FR") == ("+33470123456", "FR")


@pytest.mark.parametrize(
    ("digits", "groups", "expected"),
    [
        ("0612345678", (2, 2, 2, 2, 2), ("+33612345678", "FR")),
        ("0612345678", (2, 8), ("+31612345678", "NL")),
        ("0612345678", (2, 4, 4), ("+31612345678", "NL")),
        ("0612345678", (10,), ("+33612345678", "FR")),  # no grouping: neighbour order
        ("0721234567", (4, 3, 3), ("+40721234567", "RO")),
    ],
)
def test_neighbours_by_validity_then_grouping(
    digits: str, groups: tuple[int, ...], expected: tuple[str, str]
) -> None:
    assert _read(digits, groups) == expected


def test_a_foreign_landline_needs_its_own_grouping() -> None:
    assert _read("0123456789", (10,)) is None  # a Paris landline only when written as one
    assert _read("0123456789", (2, 2, 2, 2, 2)) == ("+33123456789", "FR")


def test_trunkless_numbers_only_in_the_default_region_or_without_trunk_prefix() -> None:
    hits = lookup("612345678", False, "BE", True)
    assert {h[1] for h in hits} <= {"BE", "LU", "ES", "IT"}
    assert lookup("612345678", False, "BE", False) == ()  # no cue, no trunk: nothing


def test_neighbour_order() -> None:
    assert NEIGHBOUR_REGIONS[:5] == ("BE", "FR", "NL", "DE", "LU")
