"""What the risk model takes and returns. Plain values: `models` imports nothing of `pipeline`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Features:
    """Structured facts already extracted from an ad, given to the model beside its texts."""

    ages: tuple[int, ...] = ()
    n_aliases: int = 0
    n_phones: int = 0
    foreign_phone: bool = False
    obfuscated_phone: bool = False
    network_size: int = 0
    masked: frozenset[str] = frozenset()
    """Canonical words that are the ad's own names and places: never n-gram features."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One indicator that fired.

    A text hit has `field` and `start`/`end` offsets into the text it was given; a hit derived
    from a structured feature has `source` instead ("ages", "phones.obfuscated", …) and the
    caller attaches the evidence of that feature.
    """

    code: str
    category: str
    description: str
    field: str | None = None
    start: int = 0
    end: int = 0
    source: str | None = None
    weight: float = 0.0


@dataclass(frozen=True, slots=True)
class Assessment:
    hits: tuple[Hit, ...]
    minor_score: float
    trafficking_score: float
    flags: tuple[str, ...]
    model_version: str


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled ad as the model sees it: its normalised texts, its facts, its labels.

    `group` is the template family (or review batch): cross-validation never splits a group.
    """

    fields: tuple[tuple[str, str], ...]
    features: Features
    minor: bool
    trafficking: bool
    group: str = ""
