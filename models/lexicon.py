"""The multilingual indicator lexicon: YAML files under `models/lexicons/`, loaded once.

Each indicator has a code, a category, a description, a source (a published study or guidance)
and phrases, matched as canonical words (`models.tokens`) by `models.matcher`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from models.tokens import phrase_tokens

LEXICON_DIR = Path(__file__).parent / "lexicons"
# fr/nl/en: the local languages; then the languages of foreign workers' ads, one file each (their
# cues and their own negation words), the mixed file of the earlier multilingual cues, emoji.
LANGUAGES = (
    "fr", "nl", "en", "es", "pt", "it", "de", "ro", "hu", "pl", "bg", "ru", "uk", "sq", "tr",
    "intl", "emoji",
)  # fmt: skip
CATEGORIES = frozenset(
    {
        "youth",
        "implausible_18",
        "movement",
        "third_person",
        "third_party",
        "no_local_language",
        "hotel_only",
        "multiple_persons",
        "restriction_control",
        "availability_24_7",
        "ethnicity",
        "price_anomaly",
        "obscured_contact",
        "emoji_code",
    }
)


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    category: str
    description: str
    source: str
    lang: str
    phrases: tuple[tuple[str, ...], ...]
    # The file's language's negation and disclaimer words (canonical): they disarm this entry's
    # youth, third-party and several-persons cues, beside the matcher's shared ones.
    negations: frozenset[str] = frozenset()


def _entry(
    path: Path, lang: str, i: int, raw: object, negations: frozenset[str] = frozenset()
) -> Entry:
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: indicators[{i}]: expected a mapping")
    for key in ("code", "category", "description", "source", "phrases"):
        if key not in raw:
            raise LexiconError(f"{path}: indicators[{i}]: missing field {key!r}")
    if raw["category"] not in CATEGORIES:
        raise LexiconError(f"{path}: indicators[{i}].category: unknown {raw['category']!r}")
    phrases = raw["phrases"]
    if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) for p in phrases):
        raise LexiconError(f"{path}: indicators[{i}].phrases: expected a list of strings")
    canonical = tuple(phrase_tokens(p) for p in phrases)
    for p, words in zip(phrases, canonical, strict=True):
        if not words:
            raise LexiconError(f"{path}: indicators[{i}].phrases: {p!r} has no words")
    return Entry(
        code=str(raw["code"]),
        category=str(raw["category"]),
        description=str(raw["description"]),
        source=str(raw["source"]),
        lang=lang,
        phrases=canonical,
        negations=negations,
    )


def load_file(path: Path) -> tuple[Entry, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise LexiconError(f"{path}: expected a mapping with a list 'indicators'")
    lang = str(data.get("lang", path.stem))
    words = data.get("negations", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise LexiconError(f"{path}: 'negations' must be a list of strings")
    negations = frozenset(t for w in words for t in phrase_tokens(w))
    return tuple(_entry(path, lang, i, raw, negations) for i, raw in enumerate(data["indicators"]))


@cache
def load_lexicon(directory: Path = LEXICON_DIR) -> tuple[Entry, ...]:
    entries: list[Entry] = []
    for lang in LANGUAGES:
        path = directory / f"{lang}.yaml"
        if path.exists():
            entries.extend(load_file(path))
    codes = [e.code for e in entries]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise LexiconError(f"{directory}: duplicate indicator codes: {', '.join(dupes)}")
    return tuple(entries)
