from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from vigie.web.dates import DayRange, parse_day


@pytest.mark.parametrize("value", ["", None, "2025-13-01", "yesterday", "01/02/2025"])
def test_parse_day_ignores_empty_and_invalid_fields(value: str | None) -> None:
    assert parse_day(value) is None


def test_day_range_includes_the_whole_last_day() -> None:
    days = DayRange.parse("2025-03-01", "2025-03-02")
    assert (days.start, days.end) == (date(2025, 3, 1), date(2025, 3, 2))
    assert days.since == datetime(2025, 3, 1, tzinfo=UTC)
    assert days.until == datetime(2025, 3, 3, tzinfo=UTC)


def test_day_range_open_ends_are_none() -> None:
    days = DayRange.parse("", "not a date")
    assert (days.since, days.until) == (None, None)
