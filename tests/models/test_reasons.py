"""Reasons an investigator can check (issue #15, point 4): lexicon cues once each with their
span, learned words that are words — never digits of a phone, a price, a place or an alias —
and at most five learned reasons per flag."""

from __future__ import annotations

from collections import Counter

from pipeline.analyze import analyze
from pipeline.types import RawAd

AD = RawAd(
    "t",
    "1",
    "",
    "Nieuwe meisjes 24/7 in Schaerbeek",
    "Available 24/7, 24h/24, dag en nacht. Our girls from Romania, new girls every week, "
    "the driver brings them. Ask for Nikita. Call 0472 22 22 22, 22 € only. Schaerbeek, "
    "Ixelles, Bruxelles.",
    "Schaerbeek",
    "en",
)


def test_each_cue_once_and_learned_reasons_are_words() -> None:
    result = analyze(AD)
    assert "trafficking" in result.flags
    codes = [i.code for i in result.indicators]
    assert len(codes) == len(set(codes))
    spans = Counter(
        (i.category, s.field, s.start) for i in result.indicators for s in i.spans if s.field
    )
    assert max(spans.values()) == 1  # "24/7" in en, fr and nl lexicons is one cue
    learned = [i for i in result.indicators if i.category == "ngram"]
    for target in result.flags:
        assert len([i for i in learned if f".{target}." in i.code]) <= 5
    for i in learned:
        quote = " ".join(s.quote for s in i.spans)
        assert not any(c.isdigit() for c in quote), quote
        assert not {w.casefold() for w in quote.split()} & {
            "schaerbeek", "ixelles", "bruxelles", "nikita", "22"
        }, quote  # fmt: skip
        assert all(len(w) >= 3 for w in quote.split()), quote
