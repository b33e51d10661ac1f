"""The risk model at inference: learned linear weights applied by hand, with explanations.

`RiskModel.assess` gives the same scores as the sklearn estimators of the artefact
(`DictVectorizer` → `LogisticRegression.decision_function` → Platt sigmoid) without building a
feature matrix: indicator and structured features are looked up by name, each token's unigram
and character n-grams are summed once per distinct word and cached, bigrams are looked up.
`tests/models/test_classifier.py` checks the equality.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from models.artefact import DEFAULT_STEM, TARGETS, Artefact, load
from models.features import (
    NGRAM_SCALE,
    indicator_features,
    masked_tokens,
    structured,
    token_features,
)
from models.function_words import FUNCTION_WORDS
from models.matcher import IndicatorMatcher
from models.scoretext import SCORE_DECIMALS
from models.tokens import Token, tokens
from models.types import Assessment, Features, Hit

N_REASONS = 5
_CACHE_LIMIT = 200_000

# Structured facts reported as indicators, with the evidence source the caller attaches.
STRUCTURED_HITS: Mapping[str, tuple[str, str, str, str]] = {
    "age:under_18": ("feature.age_under_18", "stated_minor_age", "Stated age under 18", "ages"),
    "age:18": ("feature.age_18", "implausible_18", "Stated age exactly 18", "ages"),
    "phone:obfuscated": (
        "feature.obfuscated_phone",
        "obscured_contact",
        "Phone number deliberately obscured",
        "phones.obfuscated",
    ),
    "phone:foreign": (
        "feature.foreign_phone",
        "foreign_phone",
        "Phone number from outside Belgium",
        "phones.foreign",
    ),
    "persons:several_names": (
        "feature.several_names",
        "multiple_persons",
        "Several names behind one contact",
        "aliases",
    ),
    "network:log_size": (
        "feature.shared_contact",
        "shared_contact",
        "Contact shared with other ads (network)",
        "network",
    ),
}

Pair = tuple[float, float]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@dataclass
class _Contribution:
    hit: Hit
    value: Pair


class RiskModel:
    """Calibrated minor and trafficking scores, flags and reasons for one ad."""

    def __init__(self, artefact: Artefact, matcher: IndicatorMatcher | None = None) -> None:
        self.artefact = artefact
        self.version = artefact.version
        self.matcher = matcher or IndicatorMatcher()
        names = artefact.vectorizer.feature_names_
        cm = artefact.estimators[TARGETS[0]].coef_[0]
        ct = artefact.estimators[TARGETS[1]].coef_[0]
        self.weights: dict[str, Pair] = {
            str(n): (float(a), float(b))
            for n, a, b in zip(names, cm, ct, strict=True)
            if a != 0.0 or b != 0.0
        }
        self.intercept: Pair = (
            float(artefact.estimators[TARGETS[0]].intercept_[0]),
            float(artefact.estimators[TARGETS[1]].intercept_[0]),
        )
        self._word_cache: dict[str, Pair] = {}
        self.excluded = frozenset(artefact.meta.get("excluded_words", ()))

    @classmethod
    def load(cls, stem: Path = DEFAULT_STEM) -> RiskModel:
        return cls(load(stem))

    def _word(self, word: str) -> Pair:
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        m = t = 0.0
        get = self.weights.get
        for name in token_features(word):
            w = get(name)
            if w is not None:
                m += w[0]
                t += w[1]
        if len(self._word_cache) >= _CACHE_LIMIT:
            self._word_cache.clear()
        pair = (m * NGRAM_SCALE, t * NGRAM_SCALE)
        self._word_cache[word] = pair
        return pair

    def _named(self, feats: Mapping[str, float]) -> Pair:
        m = t = 0.0
        for name, v in feats.items():
            w = self.weights.get(name)
            if w is not None:
                m += w[0] * v
                t += w[1] * v
        return m, t

    def logits(self, hits: list[Hit], toks: Mapping[str, list[Token]], features: Features) -> Pair:
        """Raw decision values of both targets (what `decision_function` gives)."""
        m, t = self.intercept
        dm, dt = self._named({**indicator_features(hits, features), **structured(features)})
        m, t = m + dm, t + dt
        get = self.weights.get
        cached = self._word_cache.get
        for seq in masked_tokens(hits, toks, features, self.excluded).values():
            prev = ""
            for tok in seq:
                if tok is None:
                    prev = ""
                    continue
                text = tok[0]
                pair = cached(text) or self._word(text)
                m += pair[0]
                t += pair[1]
                if prev:
                    w = get(f"b:{prev} {text}")
                    if w is not None:
                        m += w[0] * NGRAM_SCALE
                        t += w[1] * NGRAM_SCALE
                prev = text
        return m, t

    def contributions(
        self, hits: list[Hit], toks: Mapping[str, list[Token]], features: Features
    ) -> list[tuple[Pair, str, Token, Token]]:
        """Each word's and bigram's share of the decision values, for the reasons of a flag."""
        parts: list[tuple[Pair, str, Token, Token]] = []
        for field, seq in masked_tokens(hits, toks, features, self.excluded).items():
            prev: Token | None = None
            for tok in seq:
                if tok is not None:
                    parts.append((self._word(tok.text), field, tok, tok))
                    w = self.weights.get(f"b:{prev.text} {tok.text}") if prev else None
                    if prev is not None and w is not None:
                        scaled = (w[0] * NGRAM_SCALE, w[1] * NGRAM_SCALE)
                        parts.append((scaled, field, prev, tok))
                prev = tok
        return parts

    def calibrate(self, target: str, z: float) -> float:
        a, b = self.artefact.calibration[target]
        return _sigmoid(a * z + b)

    def assess(self, fields: Mapping[str, str], features: Features) -> Assessment:
        toks = {name: tokens(text) for name, text in fields.items() if text}
        hits = self.matcher.match_tokens(toks)
        zm, zt = self.logits(hits, toks, features)
        scores = {
            "minor": self.calibrate("minor", zm),
            "trafficking": self.calibrate("trafficking", zt),
        }
        if any(a < 18 for a in features.ages):  # a stated minor age is a lead by itself
            floor = math.ceil(self.artefact.thresholds["minor"] * 10**SCORE_DECIMALS)
            scores["minor"] = max(scores["minor"], floor / 10**SCORE_DECIMALS)
        flags = tuple(k for k in TARGETS if scores[k] >= self.artefact.thresholds[k])
        parts = self.contributions(hits, toks, features) if flags else []
        reasons = self._reasons(hits, features, parts, flags, fields)
        return Assessment(
            tuple(reasons),
            round(scores["minor"], SCORE_DECIMALS),
            round(scores["trafficking"], SCORE_DECIMALS),
            flags,
            self.version,
        )

    def _reasons(
        self,
        hits: list[Hit],
        features: Features,
        parts: list[tuple[Pair, str, Token, Token]],
        flags: tuple[str, ...],
        fields: Mapping[str, str],
    ) -> list[Hit]:
        """Every indicator that fired, once (its first span), weighted by its learned
        contribution, then for each flag at most `N_REASONS` learned words or word pairs that
        pushed it most, with their spans: words of three letters or more, each word given once,
        outside the spans of the indicators already given (digits, names and places are never
        n-gram features)."""
        out: list[Hit] = []
        codes: set[str] = set()
        cue_spans: dict[str, list[tuple[int, int]]] = {}
        for h in hits:
            if h.field is not None:
                cue_spans.setdefault(h.field, []).append((h.start, h.end))
            if h.code in codes:
                continue
            codes.add(h.code)
            w = self._named({f"ind:{h.code}": 1.0, f"cat:{h.category}": 1.0})
            out.append(_with_weight(h, w))
        for name, v in structured(features).items():
            if name in STRUCTURED_HITS:
                code, category, description, source = STRUCTURED_HITS[name]
                w = self.weights.get(name, (0.0, 0.0))
                hit = Hit(code, category, description, source=source)
                out.append(_with_weight(hit, (w[0] * v, w[1] * v)))
        for k, target in enumerate(TARGETS):
            if target not in flags:
                continue
            best = sorted((p for p in parts if p[0][k] > 0), key=lambda p: -p[0][k])
            seen: set[str] = set()
            taken = {f: list(spans) for f, spans in cue_spans.items()}
            for value, field, first, last in best:
                gram = first.text if first is last else f"{first.text} {last.text}"
                if gram in seen or not _meaningful(first, last):
                    continue
                if any(s < last.end and first.start < e for s, e in taken.get(field, ())):
                    continue  # inside a cue already given, or a word of a pair already given
                taken.setdefault(field, []).append((first.start, last.end))
                seen.add(gram)
                code = f"ngram.{target}.{gram}"
                quote = fields[field][first.start : last.end]
                desc = f"Learned wording '{quote}' raises the {target} score"
                out.append(
                    Hit(
                        code, "ngram", desc, field, first.start, last.end, weight=round(value[k], 3)
                    )
                )
                if len(seen) >= N_REASONS:
                    break
        return out


def _meaningful(first: Token, last: Token) -> bool:
    """A learned reason is made of words (letters only, three or more of them each), at least
    one of them a content word."""
    words = (first.text,) if first is last else (first.text, last.text)
    return all(len(w) >= 3 and w.isalpha() for w in words) and any(
        w not in FUNCTION_WORDS for w in words
    )


def _with_weight(hit: Hit, w: Pair) -> Hit:
    return Hit(
        hit.code,
        hit.category,
        hit.description,
        hit.field,
        hit.start,
        hit.end,
        hit.source,
        weight=round(w[0] if abs(w[0]) >= abs(w[1]) else w[1], 3),
    )
