"""Pairwise scores of a linking against known groups: precision, recall, F1 over ad pairs.

Two ads form a true pair when the truth puts them in the same group, a predicted pair when the
linking does; an ad in no group (None) pairs with nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class PairScores:
    """Pairwise scores of one linking against the truth."""

    seed: int  # of the corpus scored, or 0
    ads: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def pairwise(
    seed: int, predicted: Mapping[K, str | None], truth: Mapping[K, str | None]
) -> PairScores:
    """Pairwise scores of `predicted` network ids against `truth` (None: in no network).
    Counted, not listed: the pairs of a group of n are n*(n-1)/2, and the correct pairs those of
    each (true group, predicted group) overlap."""
    both = Counter((g, predicted.get(k)) for k, g in truth.items() if g is not None)
    correct = _pairs(n for (_, p), n in both.items() if p is not None)
    want = _pairs(Counter(g for g in truth.values() if g is not None).values())
    got = _pairs(Counter(g for g in predicted.values() if g is not None).values())
    return PairScores(seed, len(truth), want, got, correct)
