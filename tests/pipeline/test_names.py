from __future__ import annotations

import pytest

from pipeline.names import (
    MEDIUM,
    STRONG,
    WEAK,
    commonness,
    first_names,
    is_first_name,
    is_place,
    key,
    locales,
    plausible,
)


def test_the_shipped_first_names_cover_the_workers_languages() -> None:
    assert len(first_names()) > 20_000
    for name in ("Lola", "Sanne", "Andreea", "Eszter", "Inès", "Chloé", "Marie-Lou", "Mădălina"):
        assert is_first_name(name), name
    assert locales("Emma") > locales("Andreea") >= 1


def test_keys_drop_case_and_accents_in_any_script() -> None:
    assert key("Mădălina") == "madalina"
    assert key("ÉLÈVE") == "eleve"
    assert key("Бистра") == "бистра"


def test_word_frequencies_are_read_offline_from_the_wheel() -> None:
    # wordfreq ships its lists inside the package: no download, no network
    assert commonness("the") > 7
    assert commonness("nouvelle") > 5
    assert commonness("jaar") > 5
    assert commonness("Thaynara") == 0


@pytest.mark.parametrize(
    "word", ["Companion", "Fresh", "Mature", "Serious", "ans", "FR", "NL", "age", "Brasileira"]
)
def test_ad_words_are_no_names_even_with_a_medium_cue(word: str) -> None:
    assert not plausible(word, MEDIUM)


@pytest.mark.parametrize("word", ["Lola", "Grace", "Kim", "Boryana", "Gergana", "Thaynara"])
def test_names_pass_a_medium_cue(word: str) -> None:
    assert plausible(word, MEDIUM)


def test_the_weaker_the_cue_the_less_common_a_word_may_be() -> None:
    assert plausible("Faith", MEDIUM)
    assert not plausible("Faith", WEAK)  # "Faith" alone in a title: the word
    assert plausible("Boryana", MEDIUM)
    assert not plausible("Boryana", WEAK)  # an unknown word alone in a title: no name
    assert not plausible("Lundi", MEDIUM)  # one locale's name, a common French word
    assert not plausible("Belle", MEDIUM)
    assert plausible("Thaynara", STRONG)


def test_brussels_places_are_places() -> None:
    assert is_place("Ixelles")
    assert is_place("Saint-Gilles")
    assert is_place("Woluwe-Saint-Pierre")
    assert not is_place("Lola")


@pytest.mark.parametrize("word", ["Hasta", "Esta", "Buena", "Mattina", "Durante"])
def test_a_name_of_one_locale_that_is_an_everyday_word_elsewhere_is_common(word: str) -> None:
    # each is a first name of one Faker locale only, and a frequent word of Spanish or Italian
    assert locales(word) == 1
    assert commonness(word) >= 5
    assert not plausible(word, MEDIUM)


@pytest.mark.parametrize("word", ["Gheorghe", "Zsuzsanna", "Ionut"])
def test_a_name_frequent_only_in_the_language_that_lists_it_stays_a_name(word: str) -> None:
    assert locales(word) == 1
    assert commonness(word) < 3
    assert plausible(word, WEAK)


def test_a_name_written_with_accents_its_locales_do_not_give_is_weighed_as_written() -> None:
    # "Olá" is Portuguese for "hello", not the Polish "Ola"; "María" is Spanish for "Maria"
    assert commonness("Olá") > 4.5
    assert plausible("María", WEAK)
    assert plausible("Lucía", WEAK)
