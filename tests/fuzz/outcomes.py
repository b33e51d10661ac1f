"""The allowed outcomes of the fuzzed targets, shared by the hypothesis suite and the atheris
harnesses: a check here fails with AssertionError, which either fuzzer reports as a crash.

No pytest and no hypothesis here: the atheris harnesses import this module in a process of
their own.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from crawlers.errors import SpecError
from pipeline.images import ImageRejected
from pipeline.types import Analysis

IMAGE_REASONS = frozenset({"too_big", "too_many_pixels", "format", "corrupt"})


def check_analysis(fields: Mapping[str, str], result: Analysis) -> None:
    """Every span quotes the field it names exactly; both scores are probabilities."""
    spans = [s for p in result.phones for s in p.spans]
    spans += [s for a in result.ages for s in a.spans]
    spans += [s for a in result.aliases for s in a.spans]
    spans += [s for i in result.indicators for s in i.spans]
    for s in spans:
        assert fields[s.field][s.start : s.end] == s.quote, (s, fields[s.field])
    assert 0.0 <= result.minor_score <= 1.0, result.minor_score
    assert 0.0 <= result.trafficking_score <= 1.0, result.trafficking_score


def check_spec_refusal(exc: SpecError, source: str) -> None:
    """A refused spec names its file on every line of the message (one line per problem)."""
    message = str(exc)
    assert message.strip(), "empty SpecError"
    for line in message.split("\n"):
        assert line.startswith(f"{source}: "), (source, message)


def check_image_hashes(hashes: tuple[str, str]) -> None:
    """An accepted image gives two 64-bit hashes as 16 lowercase hex digits."""
    assert len(hashes) == 2, hashes
    for h in hashes:
        assert len(h) == 16, hashes
        assert set(h) <= set(string.hexdigits.lower()), hashes


def check_image_refusal(exc: ImageRejected) -> None:
    """A refused image says why with one of the module's reason codes."""
    assert exc.reason in IMAGE_REASONS, exc.reason
