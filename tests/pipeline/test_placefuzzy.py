"""Misspelt and Cyrillic place names (issue #14, point 3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.gazetteer import fold, fold_wide
from pipeline.placefuzzy import lookup_two, osa_distance, within_one
from pipeline.places import find_places, resolve_place
from pipeline.text import normalise


def where(text: str, field: str = "text") -> tuple[str | None, str | None, bool] | None:
    p = resolve_place(find_places(normalise(text), field))
    return None if p is None else (p.commune, p.zone, p.in_brussels)


def test_fold_wide_transliterates_cyrillic_and_latin_extended_letter_for_letter() -> None:
    assert fold_wide("Брюксел, Андерлехт.") == "bruksel  anderleht "
    assert fold_wide("București 😀 Łódź") == "bucuresti   lodz"
    assert fold_wide("Ixelles 🌸") == fold("Ixelles 🌸")  # Latin-1 text: the fast fold


@given(st.text())
def test_fold_wide_keeps_every_offset(text: str) -> None:
    folded = fold_wide(text)
    assert len(folded) == len(text)
    assert all(c == " " or c.isalnum() for c in folded)


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        ("Обади се на шефа. Брюксел, Андерлехт.", "Anderlecht"),
        ("Нови момичета в Иксел", "Ixelles"),
        ("Шарбек, центр", "Schaerbeek"),
    ],
)
def test_cyrillic_commune_names_resolve(text: str, commune: str) -> None:
    found = where(text)
    assert found is not None
    assert found[0] == commune


def test_within_one_is_one_edit() -> None:
    assert within_one("ixeles", "ixelles")
    assert within_one("ixellles", "ixelles")
    assert within_one("ixelels", "ixelles")  # two letters swapped
    assert within_one("ixelkes", "ixelles")
    assert not within_one("ixels", "ixelles")
    assert not within_one("xielles", "ixelles"[::-1])


@pytest.mark.parametrize(
    ("text", "commune", "zone"),
    [
        ("Nouvelle à Ixeles, discrète", "Ixelles", "5339"),
        ("SCHAERBEK", "Schaerbeek", "5344"),
        ("Anderlech centre", "Anderlecht", "5341"),
        ("à Saint Gille ce soir", "Saint-Gilles", "5341"),
        ("in Eterbeek", "Etterbeek", "5343"),
        ("Woluwe St Lamber", "Woluwe-Saint-Lambert", "5343"),
    ],
)
def test_a_name_one_typo_away_resolves(text: str, commune: str, zone: str) -> None:
    assert where(text) == (commune, zone, True)


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("Sint-Gilles-Waas", "Sint-Gillis-Waas"),
        ("Sint-Gillis-Was", "Sint-Gillis-Waas"),
        ("Sint Pieter Leeuw", "Sint-Pieters-Leeuw"),
        ("Sint-Stevens-Woluw", "Sint-Stevens-Woluwe"),
    ],
)
def test_a_misspelt_look_alike_outside_the_region_is_not_a_brussels_commune(
    text: str, city: str
) -> None:
    assert where(text) == (city, None, False)


@pytest.mark.parametrize(
    "text",
    [
        "ixeles en minuscules",  # no capital outside the location field
        "Every day",  # short names are never guessed
        "Forrest Gump",  # names that need a context are never guessed
        "Andrea, 24",
        "Schumann sonatas",  # a first name or a common word is not a typo
    ],
)
def test_no_guess_without_the_guards(text: str) -> None:
    assert where(text) in (None, (None, None, True))


@pytest.mark.parametrize(
    ("word", "commune"),
    [("Schaerbeck", "Schaerbeek"), ("Koekelbreg", "Koekelberg"), ("Etterbek", "Etterbeek")],
)
def test_a_long_name_two_edits_away_is_guessed(word: str, commune: str) -> None:
    assert [p.commune for p in find_places(normalise(f"studio near {word} station"), "text")] == [
        commune
    ]


def test_two_edits_only_for_long_names_and_one_candidate() -> None:
    assert osa_distance("anderleck", "anderlecht") == 2
    assert osa_distance("ab", "ba") == 1
    assert lookup_two("evre") is None  # short: never guessed at two edits
    assert lookup_two("xxxxxxxxx") is None
