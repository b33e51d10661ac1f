"""The classifier's features, by name: indicators, structured facts, word and character n-grams.

`feature_dict` is the reference featurisation (training and the sklearn path use it through a
`DictVectorizer`); `models.scorer` computes the same linear score without building the dict.
All n-gram features are counts, so a token's unigram and character n-grams add up per token.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from models.tokens import Token
from models.types import Features, Hit

CHAR_SIZES = (3, 4, 5)
# N-gram counts are scaled down: a constant scale is a stronger L2 penalty on n-gram weights, so
# the classifier leans on the (few, documented) indicators and uses wording as a supplement.
NGRAM_SCALE = 0.1
MAX_INDICATOR_COUNT = 3


def char_grams(word: str) -> list[str]:
    """Character n-grams of one padded word (sklearn's `char_wb` style)."""
    padded = f" {word} "
    return [f"c:{padded[i : i + n]}" for n in CHAR_SIZES for i in range(len(padded) - n + 1)]


def token_features(word: str) -> list[str]:
    """The per-token features of one word: its unigram and its character n-grams."""
    return [f"w:{word}", *char_grams(word)]


def structured(features: Features) -> dict[str, float]:
    ages = features.ages
    out: dict[str, float] = {}
    if any(a < 18 for a in ages):
        out["age:under_18"] = 1.0
    if 18 in ages:
        out["age:18"] = 1.0
    if any(18 < a < 23 for a in ages):
        out["age:19_22"] = 1.0
    if not ages:
        out["age:none"] = 1.0
    if features.n_aliases >= 2:
        out["persons:several_names"] = 1.0
    if features.n_phones >= 2:
        out["persons:several_phones"] = 1.0
    if features.foreign_phone:
        out["phone:foreign"] = 1.0
    if features.obfuscated_phone:
        out["phone:obfuscated"] = 1.0
    if features.network_size > 1:
        out["network:log_size"] = math.log(features.network_size)
    return out


def indicator_features(hits: Iterable[Hit]) -> dict[str, float]:
    text_hits = [h for h in hits if h.field is not None]
    codes = Counter(h.code for h in text_hits)
    out = {f"ind:{c}": float(min(n, MAX_INDICATOR_COUNT)) for c, n in codes.items()}
    out.update((f"cat:{h.category}", 1.0) for h in text_hits)
    return out


def feature_dict(
    hits: Iterable[Hit], tokens: Mapping[str, list[Token]], features: Features
) -> dict[str, float]:
    """All features of one ad. `tokens` are the canonical tokens of each text field."""
    out = indicator_features(hits)
    out.update(structured(features))
    counts: Counter[str] = Counter()
    for toks in tokens.values():
        words = [t.text for t in toks]
        for w in words:
            counts.update(token_features(w))
        counts.update(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    out.update((k, NGRAM_SCALE * v) for k, v in counts.items())
    return out
