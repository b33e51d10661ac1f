"""Bounded time on adversarial input: a megabyte of each kind, through each text extractor
(the searches read a bounded prefix and have no quadratic step)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from pipeline.ages import find_ages
from pipeline.aliases import find_aliases
from pipeline.places import find_places, resolve_place
from pipeline.text import NormText, normalise

_MEGABYTES = {
    "digits-and-separators": "0470 12.34-56/" * 75_000,
    "look-alikes": "OolI|SB " * 125_000,
    "capitals": "ABC DEF " * 125_000,
    "triggers": "je suis ik ben I'm " * 55_000,
    "names-and": "Lola et Mia & " * 75_000,
    "ages": "22 ans 19 jaar 21yo " * 50_000,
    "places": "1050 Ixelles, à Forest " * 45_000,
    "hyphens": "a-" * 500_000,
}

_EXTRACTORS: dict[str, Callable[[NormText], object]] = {
    "ages": lambda doc: find_ages(doc, "text"),
    "aliases": lambda doc: find_aliases(doc, "title"),
    "places": lambda doc: resolve_place(find_places(doc, "text")),
}


@pytest.mark.parametrize("extract", list(_EXTRACTORS.values()), ids=list(_EXTRACTORS))
@pytest.mark.parametrize("text", list(_MEGABYTES.values()), ids=list(_MEGABYTES))
def test_a_megabyte_is_read_in_bounded_time(
    text: str, extract: Callable[[NormText], object]
) -> None:
    doc = normalise(text)
    start = time.process_time()  # CPU time: a busy machine does not inflate it
    extract(doc)
    assert time.process_time() - start < 2.0
