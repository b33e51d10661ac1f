from __future__ import annotations

import pytest

from models.rules import RuleModel
from models.types import Features


@pytest.fixture(scope="module")
def model() -> RuleModel:
    return RuleModel.default()


def codes(model: RuleModel, text: str) -> set[str]:
    return {h.code for h in model.text_hits("text", text)}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Lola, toute jeune et timide", "fr.youth.toute_jeune"),
        ("PREMIÈRE FOIS à Bruxelles", "fr.youth.premiere_fois"),
        ("jong meisje, net 18", "nl.youth.jong_meisje"),
        ("just turned 18!", "en.youth.just_18"),
        ("Elle est disponible ce soir", "fr.third_person.elle_est"),
        ("ze is beschikbaar", "nl.third_person.ze_is"),
        ("manager answers, hotels only", "en.control.hotel_only"),
        ("dispo 24h/24 7j/7", "fr.availability.24_7"),
        ("nouvelle fille roumaine", "fr.ethnicity.nationalite"),
        ("new in town 🎀", "emoji.youth"),
        ("sweet teenager", "en.youth.young_fresh"),
    ],
)
def test_lexicon_cues_fire(model: RuleModel, text: str, code: str) -> None:
    assert code in codes(model, text)


@pytest.mark.parametrize(
    "text",
    [
        "Pas de mineures, 18+ uniquement",
        "No teen, no first time — adults only",
        "geen jong meisje, enkel volwassenen",
        "Young at heart, 45, charming lady",
        "No teenagers, never.",
    ],
)
def test_disclaimers_and_hard_negatives_do_not_fire_youth(model: RuleModel, text: str) -> None:
    hits = model.text_hits("text", text)
    assert not [h for h in hits if h.category in ("youth", "implausible_18")], hits


def test_hits_point_at_the_words(model: RuleModel) -> None:
    text = "Sanne — eerste keer in Gent"
    (hit,) = [h for h in model.text_hits("text", text) if h.code == "nl.youth.eerste_keer"]
    assert text[hit.start : hit.end] == "eerste keer"


def test_stated_minor_age_flags_minor_with_the_age_as_source(model: RuleModel) -> None:
    a = model.assess({"text": "Lina, nouvelle"}, Features(ages=(17,)))
    assert "minor" in a.flags
    assert any(h.source == "ages" and h.category == "stated_minor_age" for h in a.hits)


def test_ordinary_adult_ad_is_not_flagged(model: RuleModel) -> None:
    a = model.assess({"text": "Charmante dame de 35 ans, discrète, à Uccle."}, Features(ages=(35,)))
    assert a.flags == ()
    assert a.minor_score < 0.2
    assert a.trafficking_score < 0.2


def test_trafficking_cues_add_up(model: RuleModel) -> None:
    one = model.assess({"text": "de passage à Bruxelles"}, Features())
    many = model.assess(
        {"text": "de passage, elle est disponible 24/7, hôtel uniquement, plusieurs filles"},
        Features(obfuscated_phone=True, foreign_phone=True),
    )
    assert one.flags == ()  # movement alone does not flag
    assert "trafficking" in many.flags
    assert many.trafficking_score > one.trafficking_score
