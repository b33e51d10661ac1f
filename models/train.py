"""Training: features → one logistic regression per target, Platt calibration, thresholds.

Calibration and thresholds come from out-of-fold decision values (GroupKFold over template
families), so neither is fitted on the data it is judged by; the final estimators are then fitted
on the whole training split. The evaluation split is never passed here.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from models.artefact import TARGETS, Artefact
from models.features import feature_dict
from models.matcher import IndicatorMatcher
from models.tokens import tokens
from models.types import Example

logger = logging.getLogger(__name__)

RECALL_TARGETS = {"minor": 0.98, "trafficking": 0.97}
MIN_DF = 2
C = 1.0


def featurise(examples: Sequence[Example], matcher: IndicatorMatcher) -> list[dict[str, float]]:
    rows = []
    for ex in examples:
        toks = {name: tokens(text) for name, text in ex.fields if text}
        hits = matcher.match_tokens(toks)
        rows.append(feature_dict(hits, toks, ex.features))
    return rows


def _prune(rows: list[dict[str, float]]) -> list[dict[str, float]]:
    df = Counter(k for r in rows for k in r)
    keep = {k for k, n in df.items() if n >= MIN_DF}
    return [{k: v for k, v in r.items() if k in keep} for r in rows]


def _estimator() -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced")


def platt(z: NDArray[np.float64], y: NDArray[np.bool_]) -> tuple[float, float]:
    """Platt scaling with Platt's smoothed targets (N+ + 1)/(N+ + 2) and 1/(N- + 2), as in
    sklearn's sigmoid calibration: a separable fold cannot give an infinite slope."""
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    hi, lo = (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0)
    target = np.where(y, hi, lo)
    zz = np.concatenate([z, z]).reshape(-1, 1)
    labels = np.concatenate([np.ones(len(z)), np.zeros(len(z))])
    weights = np.concatenate([target, 1.0 - target])
    cal = LogisticRegression(C=1e6, max_iter=1000).fit(zz, labels, sample_weight=weights)
    return float(cal.coef_[0][0]), float(cal.intercept_[0])


def threshold_for_recall(scores: NDArray[np.float64], y: NDArray[np.bool_], recall: float) -> float:
    """The highest threshold whose recall on (scores, y) is at least `recall`."""
    pos = np.sort(scores[y])[::-1]
    if len(pos) == 0:
        return 0.5
    k = int(np.ceil(recall * len(pos))) - 1
    return float(pos[min(max(k, 0), len(pos) - 1)])


def train(examples: Iterable[Example], *, source: str = "synthetic") -> Artefact:
    data = list(examples)
    matcher = IndicatorMatcher()
    rows = _prune(featurise(data, matcher))
    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    groups = np.array([ex.group or str(i) for i, ex in enumerate(data)])
    n_splits = min(5, len(set(groups)))
    calibration: dict[str, tuple[float, float]] = {}
    thresholds: dict[str, float] = {}
    estimators: dict[str, LogisticRegression] = {}
    summary: dict[str, Any] = {}
    for target in TARGETS:
        y = np.array([getattr(ex, target) for ex in data], dtype=bool)
        oof = np.zeros(len(data))
        for tr, te in GroupKFold(n_splits=n_splits).split(x, y, groups):
            oof[te] = _estimator().fit(x[tr], y[tr]).decision_function(x[te])
        a, b = platt(oof, y)
        calibration[target] = (a, b)
        probs = 1.0 / (1.0 + np.exp(-(a * oof + b)))
        thresholds[target] = threshold_for_recall(probs, y, RECALL_TARGETS[target])
        estimators[target] = _estimator().fit(x, y)
        summary[target] = {"positives": int(y.sum()), "negatives": int((~y).sum())}
        logger.info(
            "%s: threshold %.3f (oof recall target %.2f)",
            target,
            thresholds[target],
            RECALL_TARGETS[target],
        )
    h = hashlib.sha256(np.concatenate([estimators[t].coef_[0] for t in TARGETS]).tobytes())
    h.update(repr((sorted(vec.vocabulary_), calibration, thresholds)).encode())
    digest = h.hexdigest()[:8]
    version = f"risk-1.{datetime.now(UTC):%Y%m%d}-{digest}"
    meta = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source,
        "n_examples": len(data),
        "n_groups": len(set(groups)),
        "n_features": len(vec.feature_names_),
        "recall_targets": RECALL_TARGETS,
        "labels": summary,
    }
    return Artefact(vec, estimators, calibration, thresholds, version, meta)
