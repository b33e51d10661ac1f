"""Held-out evaluation: precision/recall/F1 per flag, confusion matrices, curves as PNG."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    confusion_matrix,
    precision_recall_curve,
    precision_recall_fscore_support,
)

from models.scoretext import score_text

TARGETS = ("minor", "trafficking")


@dataclass(frozen=True, slots=True)
class FlagMetrics:
    target: str
    threshold: float
    n: int
    positives: int
    precision: float
    recall: float
    f1: float
    confusion: tuple[tuple[int, int], tuple[int, int]]  # [[tn, fp], [fn, tp]]


def flag_metrics(
    target: str, y_true: Sequence[bool], scores: Sequence[float], threshold: float
) -> FlagMetrics:
    y = np.asarray(y_true, dtype=bool)
    pred = np.asarray(scores) >= threshold
    p, r, f, _ = precision_recall_fscore_support(y, pred, average="binary", zero_division=0.0)
    cm = confusion_matrix(y, pred, labels=[False, True])
    return FlagMetrics(
        target=target,
        threshold=round(threshold, 4),
        n=len(y),
        positives=int(y.sum()),
        precision=round(float(p), 4),
        recall=round(float(r), 4),
        f1=round(float(f), 4),
        confusion=((int(cm[0, 0]), int(cm[0, 1])), (int(cm[1, 0]), int(cm[1, 1]))),
    )


def as_dict(m: FlagMetrics) -> dict[str, Any]:
    return asdict(m)


def save_plots(
    out_dir: Path, labels: Mapping[str, Sequence[bool]], scores: Mapping[str, Sequence[float]]
) -> list[Path]:
    """Calibration curve and precision–recall curve of each target, as PNG files."""
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for target in TARGETS:
        y = np.asarray(labels[target], dtype=bool)
        s = np.asarray(scores[target], dtype=float)
        fig, ax = plt.subplots(figsize=(4.5, 4.5))
        frac, mean = calibration_curve(y, s, n_bins=10, strategy="quantile")
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
        ax.plot(mean, frac, marker="o", label=target)
        ax.set(
            xlabel="predicted probability",
            ylabel="observed frequency",
            title=f"Calibration — {target}",
        )
        ax.legend()
        path = out_dir / f"calibration_{target}.png"
        fig.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(fig)
        written.append(path)
        fig, ax = plt.subplots(figsize=(4.5, 4.5))
        prec, rec, _ = precision_recall_curve(y, s)
        ax.plot(rec, prec)
        ax.set(
            xlabel="recall",
            ylabel="precision",
            title=f"Precision–recall — {target}",
            xlim=(0, 1.02),
            ylim=(0, 1.02),
        )
        path = out_dir / f"pr_{target}.png"
        fig.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(fig)
        written.append(path)
    return written


def top_tie_fraction(scores: Sequence[float]) -> float:
    """The share of `scores` (the scores of the flagged ads) whose displayed value
    (`models.scoretext.score_text`) equals the highest one's: how much of the queue's top the
    shown score cannot order. 0.0 for an empty queue."""
    if not scores:
        return 0.0
    top = score_text(max(scores))
    return round(sum(1 for s in scores if score_text(s) == top) / len(scores), 4)


def pr_points(
    y_true: Sequence[bool],
    scores: Sequence[float],
    recalls: Sequence[float] = (0.5, 0.7, 0.8, 0.9, 0.95, 1.0),
) -> list[dict[str, float]]:
    """The precision–recall curve as text: for each recall level, the best precision reached at
    a recall at least that high and the score threshold that gives it."""
    y = np.asarray(y_true, dtype=bool)
    if not y.any():
        return []
    prec, rec, thr = precision_recall_curve(y, np.asarray(scores, dtype=float))
    out = []
    for level in recalls:
        ok = np.flatnonzero(rec[:-1] >= level - 1e-12)
        if len(ok) == 0:
            continue
        best = ok[np.argmax(prec[ok])]
        out.append(
            {
                "recall": round(float(rec[best]), 4),
                "precision": round(float(prec[best]), 4),
                "threshold": round(float(thr[best]), 4),
            }
        )
    return out


def grouped_metrics(
    target: str,
    groups: Sequence[str],
    y_true: Sequence[bool],
    scores: Sequence[float],
    threshold: float,
) -> dict[str, dict[str, Any]]:
    """Precision/recall at the threshold and the PR curve, per group (language, author)."""
    out: dict[str, dict[str, Any]] = {}
    for g in sorted(set(groups)):
        idx = [i for i, x in enumerate(groups) if x == g]
        ys = [y_true[i] for i in idx]
        ss = [scores[i] for i in idx]
        m = flag_metrics(target, ys, ss, threshold)
        out[g] = {
            "n": m.n,
            "positives": m.positives,
            "precision": m.precision,
            "recall": m.recall,
            "confusion": m.confusion,
            "pr_curve": pr_points(ys, ss),
            "reliability": reliability_table(ys, ss),
        }
    return out


RELIABILITY_BINS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0)


def reliability_table(
    y_true: Sequence[bool],
    scores: Sequence[float],
    bins: Sequence[float] = RELIABILITY_BINS,
) -> list[dict[str, Any]]:
    """A reliability diagram as text: per score bin (fixed edges, the last one closed), the
    number of ads, their mean score and the observed share of positives. Empty bins are left
    out. Fixed edges (not quantiles) so tables of different languages line up."""
    y = np.asarray(y_true, dtype=bool)
    s = np.asarray(scores, dtype=float)
    idx = np.clip(np.searchsorted(np.asarray(bins), s, side="right") - 1, 0, len(bins) - 2)
    out = []
    for b in range(len(bins) - 1):
        m = idx == b
        if not m.any():
            continue
        out.append(
            {
                "bin": f"{bins[b]:.2f}–{bins[b + 1]:.2f}",
                "n": int(m.sum()),
                "mean_score": round(float(s[m].mean()), 4),
                "observed": round(float(y[m].mean()), 4),
            }
        )
    return out


def markdown_reliability(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    """Reliability tables of several groups (languages) as one markdown table: one row per
    group and bin."""
    lines = ["| group | score bin | ads | mean score | observed share |", "|---|---|---|---|---|"]
    for group, rows in tables.items():
        for r in rows:
            lines.append(
                f"| {group} | {r['bin']} | {r['n']} | {r['mean_score']:.3f} | {r['observed']:.3f} |"
            )
    return "\n".join(lines)


def save_reliability_by_group(
    out_dir: Path,
    name: str,
    groups: Sequence[str],
    y_true: Sequence[bool],
    scores: Sequence[float],
    min_ads: int = 20,
) -> Path:
    """One reliability diagram with a line per group (language) of at least `min_ads` ads, on
    the fixed bins of `reliability_table`, as `calibration_<name>_by_language.png`."""
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
    for g in sorted(set(groups)):
        idx = [i for i, x in enumerate(groups) if x == g]
        if len(idx) < min_ads:
            continue
        rows = reliability_table([y_true[i] for i in idx], [scores[i] for i in idx])
        ax.plot(
            [r["mean_score"] for r in rows],
            [r["observed"] for r in rows],
            marker="o",
            label=f"{g} ({len(idx)})",
        )
    ax.set(
        xlabel="mean score in bin",
        ylabel="observed share of positives",
        title=f"Reliability per language — {name}",
    )
    ax.legend(fontsize="small")
    path = out_dir / f"calibration_{name}_by_language.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path
