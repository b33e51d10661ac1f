"""Hostile input: generated inputs never crash or hang the analysis, the spec loader or hashing.

Budget: 3,000 ads + 1,000 site specs + 6,000 byte strings as images + 300 truncated images,
over 10,000 generated inputs in every CI run (derandomized: the same inputs each run).
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from crawlers.errors import SpecError
from crawlers.sitespec import parse_spec
from pipeline.analyze import analyze
from pipeline.images import ImageRejected, hash_image
from pipeline.types import RawAd
from tests.fuzz.outcomes import (
    check_analysis,
    check_image_hashes,
    check_image_refusal,
    check_spec_refusal,
)

# Text that looks like ads: digits, separators, look-alikes, number words, emoji, odd Unicode.
PIECES = st.sampled_from(
    [
        "0470",
        " ",
        ".",
        "-",
        "/",
        "+32",
        "(0)",
        "O",
        "l",
        "I",
        "|",
        "S",
        "B",
        "zéro",
        "septante",
        "nul",
        "vier",
        "twenty",
        "ans",
        "jaar",
        "yo",
        "24/7",
        "10h-22h",
        "1m65",
        "€",
        "Lola",
        "je m'appelle",
        "ik ben",
        "I'm",
        "Ixelles",
        "1040",
        "Gare du Midi",
        "\u200b",
        "\u00ad",
        "4\ufe0f\u20e3",
        "🎀",
        "＠",
        "①",
        "𝟕",
        "\x00",
        "\ud7ff",
        "‮",
        "wa.me/",
        "tel:",
        "@",
        "dot",
        "at",
    ]
)
ADLIKE = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=60).map("".join)
ANY_TEXT = st.one_of(ADLIKE, st.text(max_size=400))

FUZZ = settings(
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@FUZZ
@given(title=ANY_TEXT, text=ANY_TEXT, location=ANY_TEXT, contact=ANY_TEXT)
def test_analyze_never_raises_and_evidence_quotes_the_input(
    title: str, text: str, location: str, contact: str
) -> None:
    raw = RawAd("fuzz", "1", "", title, text, location, None, contact_text=contact)
    result = analyze(raw)
    fields = {"title": title, "text": text, "location": location, "contact": contact}
    check_analysis(fields, result)


SPEC_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
SPEC_KEYS = st.sampled_from(
    ["name", "render", "base_url", "start_urls", "listing", "ad", "limits", "description", "x"]
)


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(doc=st.one_of(st.dictionaries(SPEC_KEYS, SPEC_VALUES, max_size=8), SPEC_VALUES))
def test_spec_parser_accepts_or_refuses_with_a_spec_error(doc: object) -> None:
    try:
        parse_spec(doc, source="fuzzed.yaml")
    except SpecError as exc:
        check_spec_refusal(exc, "fuzzed.yaml")


@settings(max_examples=6000, deadline=None, derandomize=True)
@given(data=st.binary(max_size=2048))
def test_image_hashing_refuses_garbage_without_crashing(data: bytes) -> None:
    try:
        hashes = hash_image(data)
    except ImageRejected as exc:
        check_image_refusal(exc)
    else:
        check_image_hashes(hashes)


def _noisy_png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.frombytes("L", (width, height), bytes(range(256)) * (width * height // 256)).save(
        buf, format="PNG", compress_level=0
    )
    return buf.getvalue()


NOISY = _noisy_png(64, 64)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(cut=st.integers(min_value=0, max_value=len(NOISY) - 64))
def test_images_truncated_inside_their_pixel_data_are_refused(cut: int) -> None:
    # Cut before the end of the pixel data (the last 64 bytes hold the final IDAT CRC and IEND).
    with pytest.raises(ImageRejected):
        hash_image(NOISY[:cut])
