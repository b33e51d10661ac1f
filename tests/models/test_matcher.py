from __future__ import annotations

import pytest

from models.matcher import IndicatorMatcher


@pytest.fixture(scope="module")
def matcher() -> IndicatorMatcher:
    return IndicatorMatcher()


def found(matcher: IndicatorMatcher, text: str) -> dict[str, set[str]]:
    """code -> quoted evidence."""
    out: dict[str, set[str]] = {}
    for h in matcher.match({"text": text}):
        out.setdefault(h.code, set()).add(text[h.start : h.end])
    return out


@pytest.mark.parametrize(
    ("text", "code", "quote"),
    [
        ("Lola, toute jeune et timide", "fr.youth.toute_jeune", "toute jeune"),
        ("PREMIÈRE   F0IS à Bruxelles", "fr.youth.premiere_fois", "PREMIÈRE   F0IS"),
        ("Nog heel j o n g", "nl.youth.jong_meisje", "Nog heel j o n g"),
        ("just turned 18!", "en.youth.just_18", "just turned 18"),
        ("Elle est dispo ce soir", "fr.third_person.elle_est", "Elle est dispo"),
        ("ze is beschikbaar", "nl.third_person.ze_is", "ze is beschikbaar"),
        ("our girls are waiting", "en.third_person.she_is", "our girls"),
        ("manager answers, hotels only", "en.control.hotel_only", "manager answers"),
        ("dispo 24h/24", "fr.availability.24_7", "24h/24"),
        ("nouvelle fille roumaine", "fr.ethnicity.nationalite", "fille roumaine"),
        ("de passage à Ixelles", "fr.movement.de_passage", "de passage"),
        ("nieuw in de stad", "nl.movement.nieuw_in_de_stad", "nieuw in de stad"),
        ("Meerdere meisjes", "nl.multiple.meerdere_meisjes", "Meerdere meisjes"),
        ("Prix cassé", "fr.price.anomaly", "Prix cassé"),
        ("Numéro en photo", "fr.contact.obscured", "Numéro en photo"),
        ("Sofia 🍒", "emoji.youth", "🍒"),
        ("Sofia 👑", "emoji.control", "👑"),
        ("Sofia 🌹", "emoji.heart_code", "🌹"),
        ("arrivée ✈️", "emoji.movement", "✈"),
        ("sweeeet TEEEN", "en.youth.young_fresh", "TEEEN"),
    ],
)
def test_cues_fire_with_their_evidence(
    matcher: IndicatorMatcher, text: str, code: str, quote: str
) -> None:
    assert quote in found(matcher, text).get(code, set())


@pytest.mark.parametrize(
    "text",
    [
        "No minors — 18+ only, no teens.",
        "Pas de jeune fille mineure, pas de débutante.",
        "Geen tieners, geen jong meisje.",
        "Never a schoolgirl here, adults only.",
        "Young at heart, 45.",
        "Jeune d'esprit, 44 ans.",
        "Étudiante, 23 ans.",
    ],
)
def test_disclaimers_and_adult_wording_do_not_fire_youth_cues(
    matcher: IndicatorMatcher, text: str
) -> None:
    cats = {h.category for h in matcher.match({"text": text})}
    assert not cats & {"youth", "implausible_18"}


def test_a_negation_does_not_reach_across_fields(matcher: IndicatorMatcher) -> None:
    hits = matcher.match({"title": "Pas de", "text": "toute jeune"})
    assert [(h.field, h.code) for h in hits] == [("text", "fr.youth.toute_jeune")]


def test_negation_does_not_disarm_trafficking_cues(matcher: IndicatorMatcher) -> None:
    assert "en.venue.hotel_only" in found(matcher, "no incall, hotels only")


def test_place_names_do_not_read_as_youth_words(matcher: IndicatorMatcher) -> None:
    for place in ("Saint-Josse-ten-Noode", "Sint-Joost-ten-Node"):
        assert not matcher.match({"location": place, "title": f"Compagnie à {place}"})


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Nu avem fete noi, sunt independenta", None),  # Romanian "nu": no new girls here
        ("Mai multe fete disponibile", "ro.multiple.girls"),  # Romanian "mai" is "more"
        ("Nu nieuwe meisjes!", "nl.multiple.meerdere_meisjes"),  # Dutch "nu" is "now"
        ("Non abbiamo ragazze nuove", None),
        ("Без водителя, без агентства", None),
        ("Kein Fahrer, keine neuen Mädchen", None),
        ("Sem gerente, sem motorista", None),
        ("Nie mam kierowcy, bez agencji", None),
        ("Yeni kızlar her hafta", "tr.multiple.girls"),
        ("Bardzo młoda", "pl.youth.young"),
    ],
)
def test_a_language_s_negations_disarm_its_own_cues_only(
    matcher: IndicatorMatcher, text: str, code: str | None
) -> None:
    cats = {h.category for h in matcher.match({"text": text})}
    if code is None:
        assert not cats & {"multiple_persons", "third_party", "youth"}, cats
    else:
        assert code in found(matcher, text)
