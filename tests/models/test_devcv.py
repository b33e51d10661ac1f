"""Dev-half cross-validation of the training recipe (vigie.evaluation.riskcv), displayed scores
that rank, reliability tables."""

from __future__ import annotations

from models.evaluate import reliability_table, top_tie_fraction
from models.scoretext import score_text
from pipeline.types import RawAd
from vigie.evaluation.riskcv import cross_validate, dev_folds, report
from vigie.riskdata import LabelledAd

TEXTS = [
    ("Lola, toute jeune, première fois.", True, False),
    ("Nos filles vous attendent, le chauffeur les amène.", False, True),
    ("Anna, 35 ans, massage relaxant.", False, False),
    ("Sanne, heel jong meisje, eerste keer.", True, False),
    ("Onze meisjes, de chauffeur brengt ze, bel de receptie.", False, True),
    ("Els, 40 jaar, rustige massage.", False, False),
]


def _ads(n: int, author: str) -> list[LabelledAd]:
    out = []
    for i in range(n):
        text, minor, trafficking = TEXTS[i % len(TEXTS)]
        raw = RawAd("blind", f"{author}-{i}", "", "Annonce", f"{text} Ref {i}.", "",
                    "fr" if i % 6 < 3 else "nl")  # fmt: skip
        labels = {"minor": minor, "trafficking": trafficking}
        out.append(LabelledAd(raw, labels, "train", f"{author}:{i}", author=author))
    return out


def test_dev_folds_hold_a_share_of_every_author_and_never_split_a_group() -> None:
    dev = _ads(30, "author-a") + _ads(30, "author-b")
    folds = dev_folds(dev, "kfold", k=5)
    assert sorted(i for f in folds for i in f) == list(range(60))
    for held in folds:
        assert {dev[i].author for i in held} == {"author-a", "author-b"}
    assert [sorted({dev[i].author for i in f}) for f in dev_folds(dev, "author")] == [
        ["author-a"],
        ["author-b"],
    ]


def test_cross_validation_scores_every_dev_ad_out_of_fold() -> None:
    ads = _ads(24, "synthetic") + _ads(18, "author-a") + _ads(18, "author-b")
    result = cross_validate(ads, mode="author")
    assert len(result.ads) == 36  # the team's ads are trained on, never scored
    assert len(result.thresholds) == 2
    rep = report(result)
    t = rep["trafficking"]
    assert t["positives"] == 12
    assert t["recall"] == 1.0
    assert set(t["per_language"]) == {"fr", "nl"}
    assert set(t["per_author"]) == {"author-a", "author-b"}
    assert sum(r["n"] for r in t["per_language"]["nl"]["reliability"]) == 18


def test_displayed_scores_keep_the_digits_that_order_the_top() -> None:
    assert score_text(0.1234) == "0.123"
    assert score_text(0.95) == "0.950"
    assert score_text(0.99961) == "0.99961"
    assert score_text(0.999999) == "0.999999"
    assert score_text(1.0) == "1.000000"
    # 0.9991 and 0.9996 showed "1.00" both: they are told apart now
    assert top_tie_fraction([0.9991, 0.9996, 0.5, 0.7]) == 0.25
    assert top_tie_fraction([0.99961, 0.999612, 0.5, 0.7]) == 0.5  # same displayed value


def test_reliability_table_bins_scores_on_fixed_edges() -> None:
    rows = reliability_table([True, False, False, True], [0.01, 0.015, 0.5, 0.9])
    assert rows == [
        {"bin": "0.00–0.02", "n": 2, "mean_score": 0.0125, "observed": 0.5},
        {"bin": "0.40–0.60", "n": 1, "mean_score": 0.5, "observed": 0.0},
        {"bin": "0.80–1.00", "n": 1, "mean_score": 0.9, "observed": 1.0},
    ]
