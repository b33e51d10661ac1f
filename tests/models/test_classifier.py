from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from models.artefact import TARGETS, Artefact, ArtefactError, load
from models.classifier import RiskModel
from models.tokens import tokens
from models.train import featurise
from models.types import Features
from pipeline.analyze import default_model, example
from vigie.commands.model import load_labelled


@pytest.fixture(scope="module")
def model() -> RiskModel:
    return default_model()


def test_hand_applied_weights_equal_sklearn_decision_and_calibration(model: RiskModel) -> None:
    ads = load_labelled()[::37]
    examples = [example(a.raw, a.labels) for a in ads]
    art = model.artefact
    x = art.vectorizer.transform(featurise(examples, model.matcher, model.excluded))
    for k, target in enumerate(TARGETS):
        z_sklearn = art.estimators[target].decision_function(x)
        a, b = art.calibration[target]
        p_sklearn = 1.0 / (1.0 + np.exp(-(a * z_sklearn + b)))
        for ex, z_ref, p_ref in zip(examples, z_sklearn, p_sklearn, strict=True):
            toks = {name: tokens(text) for name, text in ex.fields if text}
            z = model.logits(model.matcher.match_tokens(toks), toks, ex.features)[k]
            assert z == pytest.approx(z_ref, abs=1e-9)
            assert model.calibrate(target, z) == pytest.approx(p_ref, abs=1e-12)
            score = getattr(model.assess(dict(ex.fields), ex.features), f"{target}_score")
            assert score == round(p_ref, 6)


def test_a_flag_says_why_with_indicators_and_ngrams_pointing_at_words(model: RiskModel) -> None:
    # "timide" is no cue of the lexicon: the learned word the reasons give beside the cues (which
    # word the fit weighs depends on the training material; "disponible" was it before the
    # eight-hand retraining, and is no youth wording)
    text = "Lola, toute jeune et timide, petite nouvelle 🎀, disponible après les cours."
    result = model.assess({"text": text}, Features(ages=(16,)))
    assert "minor" in result.flags
    assert result.minor_score >= model.artefact.thresholds["minor"]
    codes = {h.code for h in result.hits}
    assert {"fr.youth.toute_jeune", "feature.age_under_18"} <= codes
    grams = [h for h in result.hits if h.category == "ngram"]
    assert grams
    for h in grams:
        assert h.field == "text"
        assert f"'{text[h.start : h.end]}'" in h.description
    youth = next(h for h in result.hits if h.code == "fr.youth.toute_jeune")
    assert text[youth.start : youth.end] == "toute jeune"
    assert youth.weight > 0


def test_an_ordinary_ad_gets_low_calibrated_scores_and_no_flag(model: RiskModel) -> None:
    result = model.assess(
        {"text": "Bonjour, je m'appelle Anna, 34 ans. Massage relaxant sur rendez-vous."},
        Features(ages=(34,), n_phones=1),
    )
    assert result.flags == ()
    assert 0.0 <= result.minor_score < 0.2
    assert 0.0 <= result.trafficking_score < 0.2
    assert not [h for h in result.hits if h.category == "ngram"]


def test_scores_stay_probabilities_on_extreme_inputs(model: RiskModel) -> None:
    text = " ".join(["toute jeune 🎀 nos filles manager répond hôtel uniquement"] * 50)
    result = model.assess({"text": text}, Features(ages=(15, 16), network_size=500))
    for s in (result.minor_score, result.trafficking_score):
        assert 0.0 <= s <= 1.0
        assert not math.isnan(s)


class Smuggled:
    """A type no allow-list knows: loading it could run its code."""

    def __init__(self) -> None:
        self.payload = "anything"


def tiny() -> Artefact:
    vec = DictVectorizer().fit([{"a": 1.0}, {"b": 1.0}])
    x = vec.transform([{"a": 1.0}, {"b": 1.0}])
    est = {t: LogisticRegression().fit(x, [True, False]) for t in TARGETS}
    return Artefact(vec, est, dict.fromkeys(TARGETS, (1.0, 0.0)), dict.fromkeys(TARGETS, 0.5), "v")


def test_a_saved_artefact_loads_back_the_same(tmp_path: Path) -> None:
    art = tiny()
    art.save(tmp_path / "ok")
    back = load(tmp_path / "ok")
    assert back.version == "v"
    assert back.thresholds == art.thresholds
    assert back.estimators["minor"].coef_.tolist() == art.estimators["minor"].coef_.tolist()


def test_the_artefact_refuses_untrusted_types(tmp_path: Path) -> None:
    art = tiny()
    art.estimators["minor"] = Smuggled()
    stem = tmp_path / "evil"
    art.save(stem)
    with pytest.raises(ArtefactError, match="untrusted types"):
        load(stem)


def test_the_artefact_refuses_unexpected_estimators(tmp_path: Path) -> None:
    art = tiny()
    art.estimators["minor"] = make_pipeline(StandardScaler())
    stem = tmp_path / "odd"
    art.save(stem)
    with pytest.raises(ArtefactError, match="one LogisticRegression per target"):
        load(stem)


def test_a_missing_artefact_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ArtefactError, match="vigie train"):
        load(tmp_path / "nothing")


def test_the_shipped_artefact_carries_version_thresholds_and_card(model: RiskModel) -> None:
    art = model.artefact
    assert art.version.startswith("risk-")
    assert set(art.thresholds) == set(TARGETS)
    assert all(0.0 < t < 1.0 for t in art.thresholds.values())
    card = Path(__file__).resolve().parents[2] / "models" / "MODEL_CARD.md"
    assert art.version in card.read_text("utf-8")


def test_a_stated_age_under_18_flags_minor_with_a_score_at_the_threshold(model: RiskModel) -> None:
    from models.types import Features

    plain = model.assess({"text": "Rendez-vous calme en journée."}, Features(ages=(17,)))
    assert "minor" in plain.flags
    assert plain.minor_score >= model.artefact.thresholds["minor"]
