from __future__ import annotations

import pytest

from pipeline import nlp


def test_only_the_three_languages_have_a_blank_pipeline() -> None:
    with pytest.raises(ValueError, match="no blank pipeline for language 'de'"):
        nlp.blank("de")


def test_a_blank_pipeline_is_loaded_once_and_tokenises() -> None:
    pipeline = nlp.blank("nl")
    assert nlp.blank("nl") is pipeline
    assert [t.text for t in pipeline.make_doc("Ik ben Sanne.")] == ["Ik", "ben", "Sanne", "."]


@pytest.mark.slow
def test_french_ner_finds_a_place() -> None:
    doc = nlp.french_ner()("Elle habite à Paris depuis deux ans.")
    assert ("Paris", "LOC") in [(e.text, e.label_) for e in doc.ents]
