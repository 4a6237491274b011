"""The one clock: what time it is, and which day it is where a session takes place."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def now() -> datetime:
    """Return the current moment in UTC (tests replace this one function to move time)."""
    return datetime.now(UTC)


def today_in(tz_name: str | None) -> date:
    """Return today's date in the named IANA zone, so a day starts at local midnight there."""
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now().astimezone(zone).date()
