from __future__ import annotations

from pathlib import Path

import pytest

from models.lexicon import LANGUAGES, LexiconError, fold, load_file, load_lexicon


def test_every_indicator_has_a_source_and_a_known_category() -> None:
    entries = load_lexicon()
    assert {e.lang for e in entries} == set(LANGUAGES)
    for e in entries:
        assert e.source.strip(), e.code
        assert e.description.strip(), e.code
        assert e.code.split(".")[0] == e.lang, e.code


def test_fold_keeps_length_and_strips_accents() -> None:
    s = "Première Fois À Ixelles — ÉTÉ 🎀 İ"
    folded = fold(s)
    assert len(folded) == len(s)
    assert folded.startswith("premiere fois a ixelles")


def test_a_bad_pattern_names_file_and_entry(tmp_path: Path) -> None:
    path = tmp_path / "fr.yaml"
    path.write_text(
        "lang: fr\nindicators:\n  - {code: x, category: youth, description: d, source: s,"
        " patterns: ['(unclosed']}\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match=r"fr\.yaml: indicators\[0\]\.patterns"):
        load_file(path)


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nl.yaml"
    path.write_text("indicators:\n  - {code: x, category: youth}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="missing field 'description'"):
        load_file(path)
