"""Pairwise scores of a linking against known groups: precision, recall, F1 over ad pairs.

Two ads form a true pair when the truth puts them in the same group, a predicted pair when the
linking does; an ad in no group (None) pairs with nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from itertools import combinations
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


def _pairs(groups: Mapping[K, str | None]) -> set[frozenset[K]]:
    members: dict[str, list[K]] = defaultdict(list)
    for key, group in groups.items():
        if group is not None:
            members[group].append(key)
    return {frozenset(pair) for keys in members.values() for pair in combinations(keys, 2)}


def pairwise(seed: int, predicted: Mapping[K, str | None],
             truth: Mapping[K, str | None]) -> PairScores:
    """Pairwise scores of `predicted` network ids against `truth` (None: in no network)."""
    want, got = _pairs(truth), _pairs(predicted)
    return PairScores(seed, len(truth), len(want), len(got), len(want & got))


