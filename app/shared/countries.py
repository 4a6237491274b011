"""ISO 3166-1 countries from pycountry: lookup by code or name, display names and flags."""

from functools import cache

import pycountry

# pycountry names a few states in a way our users would not search for; add common names.
EXTRA_NAMES = {
    "ivory coast": "CI",
    "turkey": "TR",
    "russia": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "laos": "LA",
    "vietnam": "VN",
    "bolivia": "BO",
    "venezuela": "VE",
    "iran": "IR",
    "syria": "SY",
    "tanzania": "TZ",
    "moldova": "MD",
    "czech republic": "CZ",
    "united states of america": "US",
    "usa": "US",
    "uk": "GB",
    "great britain": "GB",
    "palestine": "PS",
    "taiwan": "TW",
    "micronesia": "FM",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "republic of the congo": "CG",
    "cape verde": "CV",
    "swaziland": "SZ",
    "macedonia": "MK",
    "brunei": "BN",
}


@cache
def _index() -> dict[str, str]:
    """Map lower-cased alpha-2, alpha-3, names and common names to alpha-2 codes."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for value in (
            country.alpha_2,
            country.alpha_3,
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ):
            if value:
                index.setdefault(value.casefold(), code)
    index.update(EXTRA_NAMES)
    # Kosovo is not in ISO 3166 but is an INTERPOL member; XK is the code in common use.
    index.update({"xk": "XK", "xkx": "XK", "kosovo": "XK"})
    return index


def lookup_country(value: str | None) -> str | None:
    """Return the alpha-2 code for an alpha-2, alpha-3 or English name, or None if unknown."""
    if not value:
        return None
    return _index().get(" ".join(value.split()).casefold())


@cache
def country_name(code: str | None) -> str:
    """Return the English short name shown to users (the common name where ISO's is formal)."""
    if not code:
        return ""
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@cache
def country_choices() -> list[tuple[str, str]]:
    """Return (code, name) pairs sorted by name, for select fields."""
    codes = [country.alpha_2 for country in pycountry.countries] + ["XK"]
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])


def is_country(code: str | None) -> bool:
    """Return whether the value is a known alpha-2 code."""
    return bool(code) and code in dict(country_choices())
