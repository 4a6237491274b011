"""IANA time zones for sessions, and a default guessed from the host country (no pytz)."""

from __future__ import annotations

import zoneinfo
from functools import cache
from pathlib import Path

# Countries spanning several zones: the capital's zone, not zone.tab's first line.
CAPITAL_ZONES = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CD": "Africa/Kinshasa",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "ID": "Asia/Jakarta",
    "KZ": "Asia/Almaty",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",
    "UZ": "Asia/Tashkent",
    "XK": "Europe/Belgrade",
}


@cache
def timezone_names() -> list[str]:
    """Return the IANA zone names this system knows, sorted."""
    return sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")


@cache
def _zone_table() -> dict[str, str]:
    """Read zone.tab from the tz database on disk: country code -> its first listed zone."""
    table: dict[str, str] = {}
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / "zone.tab"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) >= 3:
                table.setdefault(parts[0], parts[2])
        break
    return table


def default_timezone(country_code: str | None) -> str:
    """Guess the zone a session in this country runs on; 'UTC' when nothing is known."""
    if not country_code:
        return "UTC"
    names = set(timezone_names())
    for guess in (CAPITAL_ZONES.get(country_code), _zone_table().get(country_code)):
        if guess and guess in names:
            return guess
    return "UTC"
