"""Times as a person in Brussels reads them: Europe/Brussels, the zone named (CET or CEST).

Vigie stores and exchanges UTC; every time shown to a person (CLI tables, the scheduler's lines)
goes through here. Machine output (`--json`, exports) stays in UTC, ISO 8601.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def in_brussels(at: datetime) -> datetime:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(BRUSSELS)


def local_time(at: datetime) -> str:
    """'2026-07-01 12:00 CEST'."""
    return f"{in_brussels(at):%Y-%m-%d %H:%M %Z}"


def local_day(at: datetime) -> str:
    """'2026-07-01' (the day in Brussels)."""
    return f"{in_brussels(at):%Y-%m-%d}"
