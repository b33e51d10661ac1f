"""A spec with a huge number of problems (100,000 unknown keys) is refused in linear time, with a
short, clear error: the first problems, then how many more (issue #17, point 11)."""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest

import crawlers.specerrors
from crawlers.errors import SpecError
from crawlers.sitespec import parse_spec
from crawlers.specerrors import MAX_PROBLEMS

MINIMAL = {
    "name": "x",
    "base_url": "http://127.0.0.1:8000",
    "listing": {"ad_links": "a.ad::attr(href)"},
    "ad": {"id": {"url_regex": r"/ad/(\w+)"}, "title": "h1", "text": "div.body"},
}


def _with_unknown_keys(n: int) -> dict[str, Any]:
    return {**MINIMAL, **{f"unknown_{i}": i for i in range(n)}}


def _error(data: dict[str, Any]) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec(data, source="x.yaml")
    return caught.value


def _lines_run_formatting(n: int) -> int:
    """How many lines of crawlers/specerrors.py run (loop iterations included) to report a spec
    with `n` unknown keys: a count of operations that no machine load changes."""
    source = crawlers.specerrors.__file__
    count = 0

    def trace(frame: FrameType, event: str, _arg: object) -> Any:
        nonlocal count
        if frame.f_code.co_filename != source:
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        _error(_with_unknown_keys(n))
    finally:
        sys.settrace(None)
    return count


def test_reporting_unknown_keys_takes_linear_work() -> None:
    small, large = _lines_run_formatting(300), _lines_run_formatting(3000)
    # linear: ~10× the work for 10× the keys; the quadratic filter it replaces did ~100×.
    assert large < 20 * small, (small, large)


def test_100000_unknown_keys_are_refused_with_a_short_clear_error() -> None:
    error = _error(_with_unknown_keys(100_000))
    lines = str(error).splitlines()
    assert lines[0].startswith("x.yaml: unknown_0: unknown field (expected one of: name, ")
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1] == f"x.yaml: … and {100_000 - MAX_PROBLEMS:,} more problems"


def test_a_few_problems_are_all_listed() -> None:
    error = _error(_with_unknown_keys(3))
    assert [line.split(": ")[1] for line in str(error).splitlines()] == [
        "unknown_0",
        "unknown_1",
        "unknown_2",
    ]
