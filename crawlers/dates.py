"""Posting dates as sites write them, resolved against the fetch time.

ISO 8601 first (`<time datetime>`, JSON-LD, `<meta>`; without an offset, in the site's time
zone), then dateparser for absolute and relative
dates in French, Dutch and English ("il y a 2 heures", "gisteren 14:30", "3 days ago",
"Geplaatst op 3 december 2026"), read in the site's time zone (Europe/Brussels by default) with
day-before-month order, and returned in UTC. Leading words that are not part of the date
("Publié", "Posted") are dropped. A date that cannot be read, or that lies after the fetch (by
more than 12 hours) or before 2000, is None — the spider counts it as unreadable and stores none.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

LANGUAGES = ("fr", "nl", "en")
TIMEZONE = "Europe/Brussels"
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
MAX_LEADING_WORDS = 4
FUTURE_TOLERANCE = timedelta(hours=12)  # clocks and time zones of sites are not exact
MAX_CHARS = 200  # a posting date is short: a longer text is not one (and dateparser is slow)


def _iso(value: str, timezone: str) -> datetime | None:
    """An ISO 8601 date-time; without an offset it is the site's local time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(UTC)


@lru_cache(maxsize=1)
def _parser() -> Any:
    import dateparser  # noqa: PLC0415 — 0.5 s to import: only when a date is not ISO 8601

    return dateparser


def parse_posted(
    value: str | None, *, fetched_at: datetime, timezone: str = TIMEZONE, date_order: str = "DMY"
) -> datetime | None:
    """The posting date in `value` as an aware UTC datetime, or None (see the module's doc)."""
    if not value or not value.strip():
        return None
    text = " ".join(value.split())[:MAX_CHARS]
    moment = _iso(text, timezone)
    if moment is None:
        local = fetched_at.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
        settings = {
            "RELATIVE_BASE": local,
            "TIMEZONE": timezone,
            "TO_TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "past",
            "DATE_ORDER": date_order,
        }
        words = text.split(" ")
        for start in range(min(len(words), MAX_LEADING_WORDS + 1)):
            moment = _parser().parse(
                " ".join(words[start:]), languages=list(LANGUAGES), settings=settings
            )
            if moment is not None:
                break
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    if moment < EARLIEST or moment > fetched_at.astimezone(UTC) + FUTURE_TOLERANCE:
        return None
    return moment
