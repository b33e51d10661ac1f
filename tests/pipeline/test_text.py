from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("０４７０", "0470"),  # fullwidth
        ("𝟎𝟒𝟕𝟎", "0470"),  # mathematical bold
        ("⓪④⑦⓪", "0470"),  # circled
        ("❹➆⓿", "470"),  # dingbat and negative circled, which NFKC leaves alone
        ("٠٤٧٠", "0470"),  # Arabic-Indic
        ("0\ufe0f\u20e34\ufe0f\u20e3", "04"),  # emoji keycaps
        ("04\u200b70\u00ad12", "047012"),  # zero-width space, soft hyphen
        ("a\u00a0b\u2009c\td", "a b c d"),  # no-break, thin space, tab
        ("e\u0301te\u0301", "été"),  # combining accents compose
    ],
)
def test_folds_what_a_reader_sees(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


def test_normal_text_keeps_the_identity_map() -> None:
    for raw in ("Tél 0470 12 34 56", "café à Ixelles"):
        doc = normalise(raw)
        assert doc.text == raw
        assert doc.index is None


def test_spans_quote_the_original() -> None:
    raw = "Tél\u00a0: ０４７０\u200b12"
    doc = normalise(raw)
    start = doc.text.index("047012")
    span = doc.span("text", start, start + 6)
    assert span.quote == "０４７０\u200b12"
    assert raw[span.start : span.end] == span.quote


def test_keycap_span_covers_the_whole_emoji() -> None:
    raw = "x 4\ufe0f\u20e37\ufe0f\u20e3 y"
    doc = normalise(raw)
    span = doc.span("text", 2, 4)
    assert span.quote == "4\ufe0f\u20e37\ufe0f\u20e3"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_maps_back_inside_the_original(raw: str) -> None:
    doc = normalise(raw)
    n = len(doc.text)
    if doc.index is not None:
        assert len(doc.index) == n + 1
        assert all(a <= b for a, b in zip(doc.index, doc.index[1:], strict=False))
    for start in range(0, n + 1, max(1, n // 7)):
        o_start, o_end = doc.to_original(start, n)
        assert 0 <= o_start <= o_end <= len(raw)
    assert all(c.isascii() for c in doc.text if c.isdecimal())



@pytest.mark.parametrize(
    "text",
    [
        "0470 12.34-56/" * 75_000,  # a megabyte of ASCII: copied whole
        "OolI|SB " * 125_000,
        "0\u200b4\ufe0f\u20e3\uff17\u24ea " * 20_000,  # 100,000 characters to fold one by one
        "".join(chr(random.Random(7).randrange(0x20, 0x2FFF)) for _ in range(100_000)),
    ],
    ids=["ascii-digits", "ascii-look-alikes", "obfuscated-digits", "random-unicode"],
)
def test_normalisation_is_linear(text: str) -> None:
    start = time.process_time()  # CPU time: a busy machine does not inflate it
    doc = normalise(text)
    assert time.process_time() - start < 2.0
    assert doc.to_original(0, len(doc.text)) == (0, len(text))
