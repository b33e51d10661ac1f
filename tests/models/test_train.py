from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from models.train import platt, threshold_for_recall, train
from models.types import Example, Features


@given(
    st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=60),
    st.floats(0.5, 1.0),
)
def test_threshold_reaches_the_recall_target(
    pairs: list[tuple[float, bool]], recall: float
) -> None:
    scores = np.array([s for s, _ in pairs])
    y = np.array([b for _, b in pairs], dtype=bool)
    t = threshold_for_recall(scores, y, recall)
    if y.any():
        assert (scores[y] >= t).mean() >= recall - 1e-12


def test_platt_stays_finite_on_separable_scores() -> None:
    z = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0])
    a, b = platt(z, z > 0)
    assert 0 < a < 50
    assert abs(b) < 5


def _ex(text: str, minor: bool, trafficking: bool, group: str) -> Example:
    return Example((("text", text),), Features(), minor, trafficking, group)


def test_training_learns_indicator_weights_and_keeps_groups_together() -> None:
    rows = []
    for i in range(30):
        g = f"f{i % 6}"
        rows.append(_ex(f"Lola {i}, toute jeune. Rendez-vous {i % 5}.", True, False, g))
        rows.append(_ex(f"Anna {i}, massage relaxant. Parking {i % 4}.", False, False, g))
        rows.append(
            _ex(f"Mia {i}, le manager répond, nos filles. Parking {i % 3}.", False, True, g)
        )
    art = train(rows)
    assert art.meta["n_groups"] == 6
    names = list(art.vectorizer.feature_names_)
    coef = dict(zip(names, art.estimators["minor"].coef_[0], strict=True))
    assert coef["cat:youth"] > 0
    coef_t = dict(zip(names, art.estimators["trafficking"].coef_[0], strict=True))
    assert coef_t["cat:third_person"] > 0
    assert 0 < art.thresholds["minor"] < 1


def test_every_hand_weighs_the_same_and_the_threshold_is_weighted() -> None:
    import numpy as np

    from models.train import hand_weights, threshold_for_recall

    w = hand_weights(["team"] * 8 + ["author-a"] * 2)
    assert w[:8].sum() == w[8:].sum()
    assert w.mean() == 1.0
    scores = np.array([0.9, 0.8, 0.2])
    y = np.array([True, True, True])
    assert threshold_for_recall(scores, y, 0.6) == 0.8
    assert threshold_for_recall(scores, y, 0.6, np.array([1.0, 1.0, 8.0])) == 0.2


def test_platt_at_a_prior_moves_the_scores_to_the_queue_s_base_rate() -> None:
    import numpy as np

    from models.train import platt

    rng = np.random.default_rng(0)
    y = np.array([True] * 300 + [False] * 700)
    z = np.where(y, 1.0, -1.0) + rng.normal(0, 1.5, len(y))
    a0, b0 = platt(z, y)
    a1, b1 = platt(z, y, prior=0.03)
    mean = lambda a, b: float((1 / (1 + np.exp(-(a * z + b)))).mean())  # noqa: E731
    assert abs(mean(a0, b0) - 0.3) < 0.05
    assert mean(a1, b1) < 0.1


@given(
    st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=60),
    st.floats(0.1, 1.0),
)
def test_the_precision_floor_is_the_lowest_threshold_that_keeps_it(
    pairs: list[tuple[float, bool]], precision: float
) -> None:
    from models.train import lowest_threshold_at_precision

    scores = np.array([s for s, _ in pairs])
    y = np.array([b for _, b in pairs], dtype=bool)
    t = lowest_threshold_at_precision(scores, y, precision)

    def prec(th: float) -> float:
        return float(y[scores >= th].mean())

    candidates = [float(v) for v in np.unique(scores) if prec(float(v)) >= precision - 1e-9]
    if not candidates:
        assert t is None
    else:
        assert t == min(candidates)


def test_the_operating_point_gives_up_recall_before_precision() -> None:
    from models.train import _threshold

    # Ten positives; the last two score below six negatives.
    probs = np.array([0.9] * 8 + [0.1, 0.1] + [0.2] * 6 + [0.01] * 20)
    y = np.array([True] * 10 + [False] * 26)
    hands = ["author-a"] * len(y)
    judged = np.ones(len(y), dtype=bool)
    assert _threshold(probs, y, 1.0, hands, judged) == 0.1  # recall alone: precision 10/16
    assert _threshold(probs, y, 1.0, hands, judged, precision_floor=0.8) == 0.9


def test_no_flag_below_the_queue_prior_even_when_recall_asks_for_it() -> None:
    from models.train import _threshold

    # One positive among few ads scores 0.01: recall 1.0 needs it, precision stays 11/12.
    probs = np.array([0.9] * 10 + [0.01, 0.01] + [0.001] * 5)
    y = np.array([True] * 11 + [False] * 6)
    hands = ["author-a"] * len(y)
    judged = np.ones(len(y), dtype=bool)
    assert _threshold(probs, y, 1.0, hands, judged, precision_floor=0.8) == 0.01
    assert _threshold(probs, y, 1.0, hands, judged, precision_floor=0.8, prior=0.08) == 0.08
