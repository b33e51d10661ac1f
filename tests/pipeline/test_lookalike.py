from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.lookalike import overlay


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("O47O l2 34 56", "0470 12 34 56"),  # mixed tokens
        ("o47o I2 34 S6", "0470 12 34 56"),
        ("O 4 7 O l 2", "0 4 7 0 1 2"),  # lone look-alikes between digits
        ("0470 ll 34 56", "0470 11 34 56"),  # a short look-alike-only token next to digits
        ("12 B 34", "12 8 34"),  # S and B need digits on both sides…
        ("O47O\u041e", "04700"),  # Cyrillic O
        ("04B4 o| 97", "0484 01 97"),  # a bar joined to another look-alike, digits both sides
    ],
)
def test_look_alikes_in_digit_context_become_digits(text: str, expected: str) -> None:
    look, replaced = overlay(text)
    assert look == expected
    assert replaced == [i for i, (a, b) in enumerate(zip(text, look, strict=True)) if a != b]


@pytest.mark.parametrize(
    "text",
    [
        "SOS Bob, lol, Oil",  # no digits
        "1030 Schaerbeek, 22 ans",  # words next to digits stay words
        "Appelle 0470 B",  # …S and B with digits on one side only
        "0470 | 12 | 34",  # a lone bar is a separator
        "0470 o| news",  # a bar with another look-alike needs digits on both sides
        "0470. O",  # no sentence break inside a number
        "Salle 2 Bis",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert overlay(text) == (text, [])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="OolI|SBabc0123456789 .-,\u041e", max_size=80))
def test_same_length_and_only_look_alikes_change(text: str) -> None:
    look, replaced = overlay(text)
    assert len(look) == len(text)
    for i in replaced:
        assert text[i] in "OolI|SB\u041e"
        assert look[i].isdigit()
    assert all(a == b for i, (a, b) in enumerate(zip(text, look, strict=True)) if i not in replaced)
