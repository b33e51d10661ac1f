from __future__ import annotations

from pathlib import Path

import pytest

from models.lexicon import CATEGORIES, LANGUAGES, LexiconError, load_file, load_lexicon

REQUIRED = {
    "youth",
    "implausible_18",
    "movement",
    "third_person",
    "multiple_persons",
    "restriction_control",
    "availability_24_7",
    "ethnicity",
    "price_anomaly",
    "obscured_contact",
    "emoji_code",
}


def test_every_indicator_has_a_source_description_and_known_category() -> None:
    entries = load_lexicon()
    assert {e.lang for e in entries} == set(LANGUAGES)
    for e in entries:
        assert e.source.strip(), e.code
        assert e.description.strip(), e.code
        assert e.category in CATEGORIES, e.code
        assert e.code.split(".")[0] == e.lang, e.code
        assert all(words for words in e.phrases), e.code


def test_the_issue_categories_are_covered_in_each_language() -> None:
    entries = load_lexicon()
    covered = {e.category for e in entries}
    assert covered >= REQUIRED
    for lang in ("fr", "nl", "en"):
        per_lang = {e.category for e in entries if e.lang == lang}
        assert per_lang >= REQUIRED - {"emoji_code"}, lang


def test_phrases_are_stored_in_canonical_form() -> None:
    youth = next(e for e in load_lexicon() if e.code == "fr.youth.premiere_fois")
    assert ("premiere", "fois") in youth.phrases  # accents folded like the ads' tokens


def test_an_unknown_category_names_file_and_entry(tmp_path: Path) -> None:
    path = tmp_path / "fr.yaml"
    path.write_text(
        "lang: fr\nindicators:\n  - {code: x, category: vibes, description: d, source: s,"
        " phrases: ['a b']}\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match=r"fr\.yaml: indicators\[0\]\.category"):
        load_file(path)


def test_a_phrase_without_words_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "en.yaml"
    path.write_text(
        "indicators:\n  - {code: x, category: youth, description: d, source: s, phrases: ['!!']}\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match="has no words"):
        load_file(path)


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nl.yaml"
    path.write_text("indicators:\n  - {code: x, category: youth}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="missing field 'description'"):
        load_file(path)
