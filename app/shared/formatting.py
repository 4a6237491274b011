"""Display helpers used as Jinja filters."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_date, format_datetime, format_decimal, format_percent


def date_range(start: date, end: date) -> str:
    """Format '3–7 March 2026', '28 March – 2 April 2026' or across years."""
    if start == end:
        return format_date(start, "d MMMM y")
    if start.year != end.year:
        return f"{format_date(start, 'd MMMM y')} – {format_date(end, 'd MMMM y')}"
    if start.month != end.month:
        return f"{format_date(start, 'd MMMM')} – {format_date(end, 'd MMMM y')}"
    return f"{start.day}–{format_date(end, 'd MMMM y')}"


def hours(value: Decimal | float | int | None) -> str:
    """Format a number of hours without useless decimals (7.5, 30)."""
    if value is None:
        return ""
    return format_decimal(Decimal(str(value)).normalize(), format="#,##0.##")


def percent(value: float | Decimal | None) -> str:
    """Format a share between 0 and 1 as a whole percentage."""
    if value is None:
        return "–"
    return format_percent(float(value), format="#,##0%")


def datetime_short(value: datetime | None) -> str:
    """Format a timestamp for tables and audit lines."""
    return format_datetime(value, "d MMM y, HH:mm") if value else ""


def date_long(value: date | None) -> str:
    """Format a date in full (3 March 2026)."""
    return format_date(value, "d MMMM y") if value else ""
