"""pipeline.linkscore: pairwise scores, counted, equal to listing every pair."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.linkscore import pairwise

groups = st.dictionaries(st.integers(0, 40), st.one_of(st.none(), st.sampled_from("abcde")))


def _listed(groups: dict[int, str | None]) -> set[frozenset[int]]:
    return {frozenset((a, b)) for a, b in combinations(groups, 2)
            if groups[a] is not None and groups[a] == groups[b]}


@given(predicted=groups, truth=groups)
def test_counted_pairs_equal_listed_pairs(predicted: dict[int, str | None],
                                          truth: dict[int, str | None]) -> None:
    s = pairwise(3, predicted, truth)
    want, got = _listed(truth), _listed(predicted)
    assert (s.seed, s.ads) == (3, len(truth))
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (len(want), len(got),
                                                                   len(want & got))


def test_scores_of_a_partial_linking() -> None:
    truth = {1: "g", 2: "g", 3: "g", 4: None}
    s = pairwise(0, {1: "n", 2: "n", 3: None, 4: "n"}, truth)
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (3, 3, 1)
    assert s.precision == s.recall == 1 / 3
