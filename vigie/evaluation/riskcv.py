"""Cross-validation of the risk model's training recipe on the blind corpus' dev half.

The sealed half is scored by the lead only; every choice made while tuning the model (features,
lexicon, class weights, the operating thresholds) is judged here instead, on the dev half:

- `kfold` (default): the dev ads are cut into `k` folds, stratified by author and labels and
  grouped by family (`LabelledAd.group`), so a fold holds a share of every author, as the sealed
  half does. Each fold is scored by a model trained with `models.train.train` on the team's
  material and the other folds — the full recipe, its own calibration and thresholds included
  (nested: the thresholds of a fold model are chosen on its training material only).
- `author`: leave one author out (a hand whose wording the model has never read).

Every dev ad gets one out-of-fold score and flag per target; `report` gives precision and
recall at the fold models' own thresholds, per label, per language and per author, the text
precision–recall curve and reliability tables (per language).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import StratifiedGroupKFold

from models.artefact import TARGETS
from models.classifier import RiskModel
from models.evaluate import flag_metrics, pr_points, reliability_table, top_tie_fraction
from models.matcher import IndicatorMatcher
from models.train import train
from vigie.riskdata import LabelledAd, examples_of, excluded_words, hand, training_ads

MODES = ("kfold", "author")


@dataclass
class CVResult:
    """Out-of-fold scores and flags of the dev ads (`ads`, in order)."""

    mode: str
    ads: list[LabelledAd]
    scores: dict[str, NDArray[np.float64]]
    flags: dict[str, NDArray[np.bool_]]
    thresholds: list[dict[str, float]] = field(default_factory=list)

    def labels(self, target: str) -> NDArray[np.bool_]:
        return np.array([a.labels[target] for a in self.ads], dtype=bool)


def dev_folds(
    dev: Sequence[LabelledAd], mode: str = "kfold", k: int = 5, seed: int = 0
) -> list[NDArray[np.intp]]:
    """The held-out indices (into `dev`) of each fold."""
    idx = np.arange(len(dev))
    if mode == "author":
        authors = np.array([a.author for a in dev])
        return [idx[authors == name] for name in sorted(set(authors))]
    if mode != "kfold":
        raise ValueError(f"mode: expected one of {MODES}, got {mode!r}")
    strata = [f"{a.author}:{a.labels['minor']}:{a.labels['trafficking']}" for a in dev]
    groups = [a.group for a in dev]
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return [te for _, te in splitter.split(idx, strata, groups)]


def cross_validate(
    ads: Sequence[LabelledAd] | None = None, *, mode: str = "kfold", k: int = 5, seed: int = 0
) -> CVResult:
    """Score every dev ad (every ad whose hand is not the team's) out of fold."""
    data = list(ads) if ads is not None else training_ads()
    examples, hands = examples_of(data)
    dev_pos = [i for i, a in enumerate(data) if hand(a.author) != "team"]
    dev = [data[i] for i in dev_pos]
    scores = {t: np.zeros(len(dev)) for t in TARGETS}
    flags = {t: np.zeros(len(dev), dtype=bool) for t in TARGETS}
    thresholds: list[dict[str, float]] = []
    matcher = IndicatorMatcher()
    for held in dev_folds(dev, mode, k, seed):
        out = {dev_pos[j] for j in held}
        tr = [i for i in range(len(data)) if i not in out]
        artefact = train(
            [examples[i] for i in tr],
            hands=[hands[i] for i in tr],
            excluded=excluded_words([data[i] for i in tr]),
            threshold_hands={hands[i] for i in tr if hands[i] != "team"},
        )
        thresholds.append(dict(artefact.thresholds))
        model = RiskModel(artefact, matcher)
        for j in held:
            ex = examples[dev_pos[j]]
            result = model.assess(dict(ex.fields), ex.features)
            scores["minor"][j] = result.minor_score
            scores["trafficking"][j] = result.trafficking_score
            for t in TARGETS:
                flags[t][j] = t in result.flags
    return CVResult(mode, dev, scores, flags, thresholds)


def _metrics(y: NDArray[np.bool_], s: NDArray[np.float64], f: NDArray[np.bool_]) -> dict[str, Any]:
    m = flag_metrics("", list(y), list(f.astype(float)), 0.5)
    return {
        "n": m.n,
        "positives": m.positives,
        "precision": m.precision,
        "recall": m.recall,
        "confusion": m.confusion,
        "pr_curve": pr_points(list(y), list(s)),
        "reliability": reliability_table(list(y), list(s)),
    }


def report(result: CVResult) -> dict[str, Any]:
    """Precision/recall at the fold models' thresholds, PR curves and reliability tables, per
    label, per language and per author; the top-score tie fraction of the flagged ads."""
    langs = np.array([a.raw.lang or "?" for a in result.ads])
    authors = np.array([a.author for a in result.ads])
    out: dict[str, Any] = {"mode": result.mode, "n": len(result.ads)}
    for t in TARGETS:
        y, s, f = result.labels(t), result.scores[t], result.flags[t]
        entry = _metrics(y, s, f)
        for name, groups in (("per_language", langs), ("per_author", authors)):
            entry[name] = {
                g: _metrics(y[groups == g], s[groups == g], f[groups == g])
                for g in sorted(set(groups))
            }
        entry["fold_thresholds"] = [round(th[t], 6) for th in result.thresholds]
        out[t] = entry
    flagged = result.flags["minor"] | result.flags["trafficking"]
    top = np.maximum(result.scores["minor"], result.scores["trafficking"])[flagged]
    out["top_score_tie_fraction"] = top_tie_fraction([float(x) for x in top])
    out["n_flagged"] = int(flagged.sum())
    return out
