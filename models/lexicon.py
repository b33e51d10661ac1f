"""The multilingual indicator lexicon: YAML files under `models/lexicons/`, compiled once.

Each indicator has a code, a category, a description, a source (a published study or guidance)
and regular-expression patterns matched on folded text (see `fold`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

LEXICON_DIR = Path(__file__).parent / "lexicons"
LANGUAGES = ("fr", "nl", "en", "emoji")


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    category: str
    description: str
    source: str
    lang: str
    patterns: tuple[str, ...]


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    low = c.lower()
    if len(low) != 1:
        low = c
    base = unicodedata.normalize("NFD", low)[0]
    return base if unicodedata.category(base) != "Mn" else low


def fold(s: str) -> str:
    """Lower case and strip accents, keeping the length so offsets stay valid."""
    if s.isascii():
        return s.lower()
    return "".join(map(_fold_char, s))


def _entry(path: Path, lang: str, i: int, raw: object) -> Entry:
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: indicators[{i}]: expected a mapping")
    for key in ("code", "category", "description", "source", "patterns"):
        if key not in raw:
            raise LexiconError(f"{path}: indicators[{i}]: missing field {key!r}")
    patterns = raw["patterns"]
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) and p for p in patterns)
    ):
        raise LexiconError(f"{path}: indicators[{i}].patterns: expected a list of strings")
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise LexiconError(f"{path}: indicators[{i}].patterns: {p!r}: {exc}") from exc
    return Entry(
        code=str(raw["code"]),
        category=str(raw["category"]),
        description=str(raw["description"]),
        source=str(raw["source"]),
        lang=lang,
        patterns=tuple(patterns),
    )


def load_file(path: Path) -> tuple[Entry, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise LexiconError(f"{path}: expected a mapping with a list 'indicators'")
    lang = str(data.get("lang", path.stem))
    return tuple(_entry(path, lang, i, raw) for i, raw in enumerate(data["indicators"]))


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
