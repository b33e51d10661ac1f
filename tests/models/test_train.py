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
