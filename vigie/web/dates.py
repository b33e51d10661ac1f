"""Date filters of the web forms: "YYYY-MM-DD" fields → an inclusive range of UTC instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta


def parse_day(value: str | None) -> date | None:
    """The day a form field names, or None when it is empty or not an ISO date."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class DayRange:
    """`since`..`until` as typed days (None when absent or invalid), both ends inclusive."""

    start: date | None
    end: date | None

    @classmethod
    def parse(cls, since: str | None, until: str | None) -> DayRange:
        return cls(parse_day(since), parse_day(until))

    @property
    def since(self) -> datetime | None:
        """The first instant of the first day."""
        return datetime.combine(self.start, time(), UTC) if self.start else None

    @property
    def until(self) -> datetime | None:
        """The first instant after the last day (an exclusive bound)."""
        if self.end is None or self.end == date.max:
            return None  # the day after the last representable one: no upper bound
        return datetime.combine(self.end, time(), UTC) + timedelta(days=1)
