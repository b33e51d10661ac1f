from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.numwords import find_word_numbers, is_number_word, may_have_number_words
from pipeline.phones import find_phones
from pipeline.text import normalise


def _read(text: str) -> list[tuple[str, str]]:
    low = text.lower()
    return [(w.digits, text[w.start : w.end]) for w in find_word_numbers(low)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # French, with the Belgian tens
        ("septante", [("70", "septante")]),
        ("nonante-neuf", [("99", "nonante-neuf")]),
        ("quatre cent septante", [("470", "quatre cent septante")]),
        ("septante et un", [("71", "septante et un")]),
        ("soixante-dix-sept", [("77", "soixante-dix-sept")]),
        ("quatre-vingt-trois", [("83", "quatre-vingt-trois")]),
        ("zéro", [("0", "zéro")]),
        ("zero", [("0", "zero")]),
        # Dutch, compounds written as one word
        ("vierendertig", [("34", "vierendertig")]),
        ("zesenvijftig", [("56", "zesenvijftig")]),
        ("tweeëntwintig", [("22", "tweeëntwintig")]),
        ("zeventig", [("70", "zeventig")]),
        ("vierhonderdzeventig", [("470", "vierhonderdzeventig")]),
        ("vier honderd zeventig", [("470", "vier honderd zeventig")]),
        ("nul", [("0", "nul")]),
        # English
        ("thirty-four", [("34", "thirty-four")]),
        ("four hundred and seventy", [("470", "four hundred and seventy")]),
    ],
)
def test_single_numbers_in_three_languages(text: str, expected: list[tuple[str, str]]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("zéro quatre sept zéro douze trente-quatre cinquante-six", "0470123456"),
        ("zéro quatre septante, douze, trente-quatre, cinquante-six", "0470123456"),
        ("zéro quatre cent septante douze trente-quatre cinquante-six", "0470123456"),
        ("nul vier zeven nul, twaalf, vierendertig, zesenvijftig", "0470123456"),
        ("zero four seven zero, twelve, thirty-four, fifty-six", "0470123456"),
        ("oh four seven oh one two", "047012"),
    ],
)
def test_digit_by_digit_and_pairs_concatenate(text: str, digits: str) -> None:
    assert "".join(d for d, _ in _read(text)) == digits


def test_each_digit_word_is_its_own_number() -> None:
    assert [d for d, _ in _read("zéro quatre sept")] == ["0", "4", "7"]


def test_a_comma_ends_a_number() -> None:
    assert _read("vingt, quatre") == [("20", "vingt"), ("4", "quatre")]
    assert _read("vingt quatre") == [("24", "vingt quatre")]


def test_plural_vingts_ends_a_number() -> None:
    assert _read("quatre-vingts douze") == [("80", "quatre-vingts"), ("12", "douze")]


def test_plus_and_double_are_read_and_spanned() -> None:
    [plus] = find_word_numbers("plus trente-deux")
    assert (plus.digits, plus.plus, plus.start) == ("32", True, 0)
    [double] = find_word_numbers("double zéro")
    assert (double.digits, double.start) == ("00", 0)


def test_ordinary_words_are_not_numbers() -> None:
    assert _read("Bonjour, je suis nouvelle à Bruxelles") == []
    assert not is_number_word("bonjour")
    assert is_number_word("vierendertig")


def test_offsets_point_at_the_words_in_running_text() -> None:
    text = "Appelle-moi au zéro quatre septante, merci"
    spans = [text[w.start : w.end] for w in find_word_numbers(text.lower())]
    assert spans == ["zéro", "quatre", "septante"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("appelle le zéro quatre", True),
        ("bel nul vier", True),
        ("tel 04 septante douze", True),
        ("plus trente-deux", True),
        ("Laura, 23 ans, 1060 Saint-Gilles, 150 € de 14h à 22h", False),
        ("Bonjour, un deux trois", False),
    ],
)
def test_gate(text: str, expected: bool) -> None:
    low = text.lower()
    zero_groups = [m.end() for m in re.finditer(r"\d+", low) if m.group().startswith("0")]
    assert may_have_number_words(low, zero_groups) is expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_and_spans_stay_inside(text: str) -> None:
    low = text.lower()
    if len(low) != len(text):
        return
    for w in find_word_numbers(low):
        assert 0 <= w.start < w.end <= len(low)
        assert w.digits.isdigit()


def test_spanish_number_words() -> None:
    text = "llámame al cero cuatro, setenta y seis, once, veintidós, noventa"
    assert "".join(n.digits for n in find_word_numbers(text)) == "0476112290"


def test_a_phone_in_spanish_words() -> None:
    text = "Escríbeme: cero cuatro ochenta y uno, treinta, doce, cuarenta y cinco"
    assert [p.e164 for p in find_phones(normalise(text), "text", region="BE")] == ["+32481301245"]
