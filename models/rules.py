"""The trunk's rule model: lexicon hits and structured features, combined with hand-set weights.

A first, simple, explainable scorer. Each category that fires adds its weight (repeated hits of
one category add a little more); a logistic squashes the sum into 0–1. The weights are a
placeholder for learned ones (the scikit-learn classifier replaces this model).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from models.lexicon import Entry, fold, load_lexicon
from models.types import Assessment, Features, Hit

VERSION = "rules-0.1"

# (minor weight, trafficking weight) per category.
CATEGORY_WEIGHTS: Mapping[str, tuple[float, float]] = {
    "youth": (2.4, 0.8),
    "implausible_18": (2.0, 0.6),
    "stated_minor_age": (4.5, 1.5),
    "movement": (0.0, 0.7),
    "third_person": (0.3, 1.8),
    "multiple_persons": (0.2, 1.8),
    "restriction_control": (0.2, 1.9),
    "availability_24_7": (0.0, 0.9),
    "ethnicity": (0.0, 1.4),
    "obscured_contact": (0.0, 1.0),
    "foreign_phone": (0.0, 0.8),
    "several_names": (0.0, 0.8),
}
BIAS = (-3.0, -3.0)
THRESHOLDS = {"minor": 0.4, "trafficking": 0.5}
REPEAT_BONUS = 0.4  # each further hit of a category already counted

_NEGATED_CATEGORIES = frozenset({"youth", "implausible_18"})
# A disclaimer just before a youth cue ("no minors", "pas de …", "geen …") disarms it.
_NEGATION = re.compile(
    r"(?:\bno|\bnot|\bnever|\bpas\s+de|\bpas\s+d'|\baucune?s?|\bjamais|\bgeen|\bniet|\bnooit|\bsans)"
    r"\W+(?:\w+\W+){0,2}$"
)

_STRUCTURED: Mapping[str, tuple[str, str]] = {
    "stated_minor_age": ("feature.age_under_18", "Stated age under 18"),
    "obscured_contact": ("feature.obfuscated_phone", "Phone number deliberately obscured"),
    "foreign_phone": ("feature.foreign_phone", "Phone number from outside Belgium"),
    "several_names": ("feature.several_names", "Several names in one ad"),
}


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _is_word(pattern: str) -> bool:
    return any(ch.isalnum() for ch in pattern[:2]) or pattern.startswith("(")


@dataclass(frozen=True)
class RuleModel:
    entries: tuple[Entry, ...]

    @classmethod
    def default(cls) -> RuleModel:
        return cls(load_lexicon())

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        parts = []
        for i, e in enumerate(self.entries):
            alts = "|".join(f"(?:{p})" for p in e.patterns)
            if e.lang == "emoji":
                parts.append(f"(?P<i{i}>{alts})")
            else:
                parts.append(rf"(?P<i{i}>(?<!\w)(?:{alts})(?!\w))")
        return re.compile("|".join(parts))

    def text_hits(self, field: str, text: str) -> list[Hit]:
        folded = fold(text)
        hits: list[Hit] = []
        for m in self._regex.finditer(folded):
            assert m.lastgroup is not None  # noqa: S101 — every alternative is a named group
            e = self.entries[int(m.lastgroup[1:])]
            if e.category in _NEGATED_CATEGORIES and _NEGATION.search(
                folded, max(0, m.start() - 30), m.start()
            ):
                continue
            hits.append(Hit(e.code, e.category, e.description, field, m.start(), m.end()))
        return hits

    def assess(self, fields: Mapping[str, str], features: Features) -> Assessment:
        hits = [h for name, text in fields.items() if text for h in self.text_hits(name, text)]
        structured = {
            "stated_minor_age": ("ages", any(a < 18 for a in features.ages)),
            "obscured_contact": ("phones.obfuscated", features.obfuscated_phone),
            "foreign_phone": ("phones.foreign", features.foreign_phone),
            "several_names": ("aliases", features.n_aliases >= 3),
        }
        for category, (source, fired) in structured.items():
            if fired:
                code, description = _STRUCTURED[category]
                hits.append(Hit(code, category, description, source=source))
        scores = [BIAS[0], BIAS[1]]
        seen: set[str] = set()
        weighted: list[Hit] = []
        for h in hits:
            w = CATEGORY_WEIGHTS.get(h.category, (0.0, 0.0))
            factor = REPEAT_BONUS if h.category in seen else 1.0
            seen.add(h.category)
            scores[0] += w[0] * factor
            scores[1] += w[1] * factor
            weighted.append(
                Hit(
                    h.code,
                    h.category,
                    h.description,
                    h.field,
                    h.start,
                    h.end,
                    h.source,
                    weight=round(max(w) * factor, 3),
                )
            )
        minor, trafficking = _sigmoid(scores[0]), _sigmoid(scores[1])
        flags = tuple(
            name
            for name, score in (("minor", minor), ("trafficking", trafficking))
            if score >= THRESHOLDS[name]
        )
        return Assessment(tuple(weighted), round(minor, 4), round(trafficking, 4), flags, VERSION)
