"""ISO 3166-1 countries from pycountry: lookup by code or name, names in the reader's language."""

from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from flask import has_app_context
from markupsafe import Markup
from pyuca import Collator

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


def _reader_language(language: str | None) -> str:
    """Return the language to name countries in: the one given, else the page's, else English."""
    if language:
        return language
    if has_app_context():
        from flask_babel import get_locale

        return str(get_locale() or "en")
    return "en"


def country_name(code: str | None, language: str | None = None) -> str:
    """Return the country's short name in the language (the page's by default).

    English keeps pycountry's common names ("Bolivia", not "Bolivia, Plurinational State of");
    other languages take CLDR's names from Babel, and English where CLDR has none.
    """
    if not code:
        return ""
    return _name(code, _reader_language(language))


def country_label(code: str | None) -> Markup:
    """Return a country's name marked with its code (its tooltip), or nothing without a code."""
    if not code:
        return Markup("")
    return _label(code, _reader_language(None))


@cache
def _label(code: str, language: str) -> Markup:
    """Write a country's label once per language: a list of fifty people writes fifty."""
    return Markup('<span class="country" title="{}">{}</span>').format(code, _name(code, language))


@cache
def _name(code: str, language: str) -> str:
    if language != "en":
        try:
            localised = Locale.parse(language).territories.get(code)
        except (ValueError, UnknownLocaleError):
            localised = None
        if localised:
            return localised
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Return (code, name) pairs for select fields, named and sorted for the page's language."""
    return list(_choices(_reader_language(language)))


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    # The Unicode Collation Algorithm's default order, not code points: "Égypte" sorts with
    # the E's in French, "Österreich" with the O's, and Arabic names by their letters.
    key = _collator().sort_key
    codes = [country.alpha_2 for country in pycountry.countries] + ["XK"]
    pairs = ((code, _name(code, language)) for code in codes)
    return tuple(sorted(pairs, key=lambda pair: key(pair[1].casefold())))


@cache
def _collator() -> Collator:
    return Collator()


def is_country(code: str | None) -> bool:
    """Return whether the value is a known alpha-2 code."""
    return bool(code) and code in dict(_choices("en"))
