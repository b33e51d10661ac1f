from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ages import MAX_AGE, MIN_AGE, find_ages
from pipeline.text import normalise


def ages(text: str) -> list[int]:
    return [a.value for a in find_ages(normalise(text), "text")]


@pytest.mark.parametrize(
    ("text", "value", "quote"),
    [
        ("Lola, 22 ans, nouvelle", 22, "22 ans"),
        ("jeune femme âgée de 19 ans", 19, "19 ans"),
        ("j'ai 23ans", 23, "23ans"),
        ("Lola - 22 ans", 22, "22 ans"),
        ("dix-neuf ans", 19, "dix-neuf ans"),
        ("DIX NEUF ANS", 19, "DIX NEUF ANS"),
        ("vingt et un ans", 21, "vingt et un ans"),
        ("soixante-dix-neuf ans", 79, "soixante-dix-neuf ans"),
        ("Sofia 22yo", 22, "22yo"),
        ("Sofia 22 y.o. new", 22, "22 y.o."),
        ("Sofia 22 y/o", 22, "22 y/o"),
        ("a 22-year-old student", 22, "22-year-old"),
        ("age: 22", 22, "age: 22"),
        ("Âge : 23 ans.", 23, "Âge : 23 ans"),
        ("Leeftijd: 24", 24, "Leeftijd: 24"),
        ("Sanne, 19 jaar", 19, "19 jaar"),
        ("een 22-jarige studente", 22, "22-jarige"),
        ("negentien jaar", 19, "negentien jaar"),
        ("tweeëntwintig jaar oud", 22, "tweeëntwintig jaar oud"),
        ("tweeentwintig jaar", 22, "tweeentwintig jaar"),
        ("I'm nineteen years old", 19, "I'm nineteen years old"),
        ("nineteen years", 19, "nineteen years"),
        ("twenty-two yo", 22, "twenty-two yo"),
        ("Hi, I'm 21, new in town", 21, "I'm 21"),
        ("I am 20.", 20, "I am 20"),
        ("ik ben 21 en nieuw", 21, "ik ben 21"),
        ("I just turned 18", 18, "turned 18"),
        ("just turned eighteen!", 18, "turned eighteen"),
        ("je viens d'avoir 18 ans", 18, "viens d'avoir 18 ans"),
        ("net 18 geworden", 18, "net 18 geworden"),
        ("fille de 16 ans", 16, "16 ans"),
        ("17 yo", 17, "17 yo"),
        ("seize ans", 16, "seize ans"),
    ],
)
def test_an_age_and_its_evidence_are_read(text: str, value: int, quote: str) -> None:
    found = find_ages(normalise(text), "text")
    assert [a.value for a in found] == [value]
    assert [s.quote for s in found[0].spans] == [quote]
    assert found[0].spans[0].field == "text"


@pytest.mark.parametrize(
    "text",
    [
        "disponible 24/7",
        "dispo 7j/7 24h/24",
        "taille 1m65, 55 kg",
        "1,65 m",
        "165 cm",
        "100€ 30min, 150 euros l'heure",
        "de 22h à 6h",
        "RDV 22:30",
        "0470 12 34 56",
        "+32 470 22 19 18",
        "1050 Ixelles",
        "depuis 15 ans dans le métier",
        "20 years of experience",
        "15 ans d'expérience",
        "il y a 2 ans",
        "plus de 18 ans",
        "+18 ans seulement",
        "-18 ans interdit",
        "18 ans et plus",
        "18 ans minimum",
        "18 years and over",
        "18+ only",
        "age: 18+",
        "hommes de 25 à 60 ans",
        "entre 25 ans et 60 ans",
        "clients 18-25 ans",
        "between 25 and 60 years",
        "9 ans",
        "85 ans",
        "I'm 24/7 available",
        "I'm 22,5",
        "quatre-vingts ans",
        "1.22 ans",
        "022 ans",
    ],
)
def test_figures_that_are_not_the_persons_age_are_ignored(text: str) -> None:
    assert ages(text) == []


def test_one_age_per_value_with_every_mention() -> None:
    found = find_ages(normalise("22 ans. Age: 22. Mia, 24 ans"), "text")
    assert [a.value for a in found] == [22, 24]
    assert [s.quote for s in found[0].spans] == ["22 ans", "Age: 22"]


def test_several_people_several_ages() -> None:
    assert ages("Lola 22 ans et Mia 17 ans") == [22, 17]


def test_the_longest_evidence_wins_over_the_one_inside_it() -> None:
    found = find_ages(normalise("âge : 22 ans"), "title")
    assert [(a.value, [s.quote for s in a.spans]) for a in found] == [(22, ["âge : 22 ans"])]


def test_spans_quote_the_original_text() -> None:
    original = "Lola\u200b, ２２ ａｎｓ"
    found = find_ages(normalise(original), "title")
    assert [a.value for a in found] == [22]
    s = found[0].spans[0]
    assert (s.field, original[s.start : s.end]) == ("title", s.quote)
    assert s.quote == "２２ ａｎｓ"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_never_raises_and_spans_quote_it(text: str) -> None:
    for age in find_ages(normalise(text), "text"):
        assert MIN_AGE <= age.value <= MAX_AGE
        for s in age.spans:
            assert 0 <= s.start <= s.end <= len(text)
            assert text[s.start : s.end] == s.quote


FRAGMENTS = [
    "22",
    "19",
    " ",
    "ans",
    "jaar",
    "yo",
    "y.o.",
    "age:",
    "I'm ",
    "dix",
    "-",
    "neuf",
    "twenty",
    "tweeën",
    "twintig",
    "+",
    "/",
    "\u200b",
    "ｌ",
    "turned ",
    "et ",
    "de ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=20).map("".join))
def test_near_miss_texts_never_raise_and_spans_quote_them(text: str) -> None:
    for age in find_ages(normalise(text), "text"):
        assert MIN_AGE <= age.value <= MAX_AGE
        for s in age.spans:
            assert text[s.start : s.end] == s.quote


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Name, 29", "Name (27)" and the other ways a number follows a first name
        ("Aurélie, 31, belge, reçoit à Laeken", [31]),
        ("Ambre (32) vous attend près de la Basilique", [32]),
        ("Samira | 24 | tunisienne", [24]),
        ("Zara ★ 24 ★ Sint-Agatha-Berchem", [24]),
        ("Kristina 21 just arrived from Vilnius", [21]),
        ("I'm Jade. 33. Independent", [33]),
        ("Boryana, 29. 24/7 available", [29]),
        ("Vanessa here, forty-one and loving it", [41]),
        ("Charlotte, thirty-three, Bath", [33]),
        ("Rocío, cuarenta y dos años, española", [42]),
        ("Réka (18, net 18!), Raluca (23) en Radka (27)", [18, 23, 27]),
        ("Paris & Lexi, 19 and 20, new in town", [19, 20]),
        ("Nadia et Rina, 22 et 24 ans, albanaises", [22, 24]),
        # age words of other languages and short forms
        ("Moi Andreea, 23 ani", [23]),
        ("Damiana, 28 de ani, moldoveancă", [28]),
        ("Juliana, brasileira, 26 anos", [26]),
        ("soy Rosa, cubana, 35 años", [35]),
        ("jovencita de 18 añitos", [18]),
        ("Marta, 36 lat, Polka", [36]),
        ("ich bin Nadine, 35 Jahre", [35]),
        ("Ilona, 31 éves", [31]),
        ("Diana, 27 години", [27]),
        ("Kim (31j), Vlaamse", [31]),
        ("Diane 41a, belge", [41]),
        # "barely/just/net/à peine 18"
        ("Mira, barely legal 🎀 18, young", [18]),
        ("hey its Maddie!! barely 18 & brand new", [18]),
        ("Sanne, net 18, helemaal nieuw", [18]),
        ("à peine 18 ans", [18]),
        ("Cosmina, just 18, first time", [18]),
        # a label after a phone number
        ("Eva 0478 84 90 67 Age: 27", [27]),
        ("Kelly 0489 36 04 11 Age: 28", [28]),
    ],
)
def test_ages_as_ads_state_them(text: str, expected: list[int]) -> None:
    assert ages(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Céline, avenue Louis Bertrand 45, Schaerbeek",
        "Lucy 24/7 Liverpool",
        "Sofia 30 min 100€",
        "Lola 50€ la demi-heure",
        "Lola 0470 12 34 56",
        "Sanne, 06-26084199",
        "Emma 06 41 95 61 46",
        "just 30 minutes",
        "Mia 18-35",
        "Kelly, 25 euros",
        "Cherokee, only $60 specials",
        "Tessa 12.30",
        "Amira, 1m65",
        "Naomi, 46 kg",
    ],
)
def test_a_number_after_a_name_that_is_no_age_is_ignored(text: str) -> None:
    assert ages(text) == []
