from __future__ import annotations

import pytest

from pipeline import phoneplan
from pipeline.phoneplan import bare_international, choose, lookup


def _read(
    digits: str, groups: tuple[int, ...], prefer: tuple[str, ...] = ("BE",)
) -> tuple[str, str, tuple[str, ...]] | None:
    hit = choose(lookup(digits, False, prefer, False), digits, False, groups, prefer)
    return None if hit is None else (hit[0], hit[1], hit[3])


def test_international_numbers_carry_their_country() -> None:
    assert lookup("32470123456", True, ("BE",), False)[0][:2] == ("+32470123456", "BE")
    assert lookup("0032470123456", False, ("BE",), False)[0][:2] == ("+32470123456", "BE")
    assert lookup("320470123456", True, ("BE",), False)[0][:2] == ("+32470123456", "BE")  # (0)
    assert lookup("99912345678", True, ("BE",), False) == ()


def test_the_first_preferred_region_where_valid_wins() -> None:
    assert _read("0470123456", (4, 2, 2, 2)) == ("+32470123456", "BE", ())
    assert _read("0470123456", (2, 2, 2, 2, 2), ("FR",)) == ("+33470123456", "FR", ())
    # a country the text names comes first: "Bulgarian number 0888 214 736"
    assert _read("0888214736", (4, 3, 3), ("BG", "BE"))[:2] == ("+359888214736", "BG")  # type: ignore[index]


def test_a_number_valid_nowhere_preferred_is_reported_with_its_ambiguity() -> None:
    found = _read("0612345678", (2, 2, 2, 2, 2))
    assert found is not None
    e164, region, others = found
    assert (e164, region) == ("+33612345678", "FR")  # written as France groups it
    assert "+31612345678" in others  # but a Dutch mobile too: not silently French
    found = _read("0612345678", (2, 8))
    assert found is not None
    assert found[:2] == ("+31612345678", "NL")
    assert "+33612345678" in found[2]


def test_no_fixed_fallback_list() -> None:
    assert not hasattr(phoneplan, "NEIGHBOUR_REGIONS")
    # an Australian mobile is found as Australian when no preferred region reads it
    found = _read("0412345678", (4, 3, 3), ("US",))
    assert found is not None
    assert "+61412345678" in (found[0], *found[2])


def test_a_foreign_landline_needs_its_own_grouping() -> None:
    found = _read("0123456789", (10,))  # a Paris landline only when written as one,
    assert found is not None
    assert found[0] != "+33123456789"
    assert found[2]
    found = _read("0123456789", (2, 2, 2, 2, 2))  # French, or Beninese: both group it so
    assert found is not None
    assert "+33123456789" in (found[0], *found[2])


def test_trunkless_numbers_only_in_a_preferred_region() -> None:
    assert lookup("612345678", False, ("BE",), False) == ()  # no cue, no trunk: nothing
    assert lookup("612345678", False, ("BE",), True) == ()  # valid nowhere preferred
    assert lookup("612345678", False, ("ES", "BE"), True)[0][:2] == ("+34612345678", "ES")
    # the US writes a trunk 1, or none
    assert lookup("7134052298", False, ("US",), True)[0][0] == "+17134052298"
    assert lookup("17134052298", False, ("US",), True)[0][0] == "+17134052298"


@pytest.mark.parametrize(
    ("digits", "codes", "expected"),
    [
        ("32475123456", {32}, "+32475123456"),
        ("36302184577", {32, 36}, "+36302184577"),
        ("36302184577", {32}, None),  # Hungary's code, but nothing names Hungary
        ("320475123456", {32}, None),  # a trunk 0 after a bare code is no such number
    ],
)
def test_bare_country_codes(digits: str, codes: set[int], expected: str | None) -> None:
    hit = bare_international(digits, frozenset(codes))
    assert (hit[0] if hit else None) == expected
