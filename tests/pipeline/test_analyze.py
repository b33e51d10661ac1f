from __future__ import annotations

from dataclasses import asdict

from pipeline.analyze import analyze, example
from pipeline.types import RawAd


def ad(text: str, title: str = "Annonce", contact: str = "0470 12 34 56") -> RawAd:
    return RawAd("s", "1", "http://127.0.0.1/1", title, text, contact_text=contact)


def test_a_minor_cue_ad_is_flagged_with_calibrated_score_and_evidence() -> None:
    raw = ad("Lina, 16 ans. Toute jeune 🎀, petite nouvelle, écris-moi après les cours.")
    result = analyze(raw)
    assert "minor" in result.flags
    assert 0.5 < result.minor_score <= 1.0
    for ind in result.indicators:
        for span in ind.spans:
            original = getattr(
                raw,
                {"location": "location_text", "contact": "contact_text"}.get(
                    span.field, span.field
                ),
            )
            assert original[span.start : span.end] == span.quote
    by_code = {i.code: i for i in result.indicators}
    assert by_code["fr.youth.toute_jeune"].spans[0].quote == "Toute jeune"
    assert by_code["feature.age_under_18"].spans[0].quote.startswith("16")
    assert any(i.category == "ngram" for i in result.indicators)
    assert result.model_version.startswith("risk-")


def test_a_managed_ad_is_flagged_for_trafficking_not_minor() -> None:
    result = analyze(
        ad(
            "Nouvelle fille roumaine. Le manager répond au téléphone, hôtel uniquement.",
            contact="+40 721 234 567",
        )
    )
    assert result.flags == ("trafficking",)
    assert {"fr.ethnicity.nationalite", "fr.control.hotel_only", "feature.foreign_phone"} <= {
        i.code for i in result.indicators
    }


def test_hard_negatives_are_not_flagged() -> None:
    for text in (
        "Étudiante, 23 ans. Pas de mineures : 18 ans et plus uniquement.",
        "Young at heart, 46. Independent, I answer my own phone.",
        "Nieuw in Brussel, ik ontvang in mijn eigen appartement.",
    ):
        assert analyze(ad(text)).flags == (), text


def test_the_analysis_serialises_with_its_reasons() -> None:
    data = asdict(analyze(ad("Toute jeune et timide.")))
    assert isinstance(data["indicators"], tuple)
    assert all(
        {"code", "category", "description", "spans", "weight"} <= set(i) for i in data["indicators"]
    )


def test_example_carries_normalised_fields_structured_facts_and_labels() -> None:
    ex = example(ad("Mia, 17 ans.", contact="O4 70 12 34 56"), {"minor": True}, group="g1")
    assert ex.minor
    assert not ex.trafficking
    assert ex.group == "g1"
    assert ex.features.ages == (17,)
    assert ex.features.obfuscated_phone
    assert dict(ex.fields)["text"] == "Mia, 17 ans."


def test_network_size_reaches_the_model() -> None:
    raw = ad("Nos filles vous attendent.")
    alone = analyze(raw)
    shared = analyze(raw, network_size=40)
    assert "feature.shared_contact" in {i.code for i in shared.indicators}
    assert "feature.shared_contact" not in {i.code for i in alone.indicators}
