from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.tokens import canon, phrase_tokens, tokens


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("TOUTE", "toute"),
        ("Première", "premiere"),
        ("j3une", "jeune"),
        ("t33n", "teen"),
        ("teeeeen", "teen"),
        ("ten", "ten"),
        ("b@be", "babe"),
        ("sweeeeet", "sweet"),
        ("24h", "24h"),
        ("18", "18"),
    ],
)
def test_canon_folds_case_accents_leetspeak_and_repeats(written: str, canonical: str) -> None:
    assert canon(written) == canonical


def test_spaced_out_letters_become_one_word_with_their_whole_span() -> None:
    text = "heel j o n g meisje"
    toks = tokens(text)
    assert [t.text for t in toks] == ["heel", "jong", "meisje"]
    assert text[toks[1].start : toks[1].end] == "j o n g"


def test_two_single_letters_stay_apart() -> None:
    assert [t.text for t in tokens("il y a")] == ["il", "y", "a"]


def test_emoji_are_tokens() -> None:
    assert [t.text for t in tokens("Lola 🎀 ✈")] == ["lola", "🎀", "✈"]


def test_phrases_and_texts_meet_in_the_same_canonical_form() -> None:
    assert phrase_tokens("Première fois") == tuple(t.text for t in tokens("PREMIÈRE  F0IS"))


@given(st.text(max_size=200))
def test_token_offsets_always_quote_the_text(text: str) -> None:
    for t in tokens(text):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end].strip()
