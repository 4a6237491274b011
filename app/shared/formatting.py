"""Display helpers used as Jinja filters."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from gettext import NullTranslations

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_skeleton
from flask_babel import (
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_timezone,
    get_translations,
)
from markupsafe import Markup, escape


def _date_locale() -> Locale:
    """Return the reader's locale for dates; plain English reads day-first."""
    return _dates_in(str(get_locale() or "en"))


@lru_cache(maxsize=64)
def _dates_in(locale: str) -> Locale:
    parsed = Locale.parse(locale)
    return Locale.parse("en_GB") if parsed.language == "en" and not parsed.territory else parsed


def _long(value: date, locale: Locale) -> str:
    """Format a date the locale's long way ('3 March 2026', '3 de marzo de 2026')."""
    return babel_format_date(value, "long", locale=locale)


def date_range(start: date, end: date) -> str:
    """Format '3–7 March 2026' or '28 March – 2 April 2026' as the reader's language writes."""
    return _date_range(start, end, _date_locale())


@lru_cache(maxsize=4096)
def _date_range(start: date, end: date, locale: Locale) -> str:
    """Format a range once per language: a list page shows the same ranges on every visit."""
    if start == end:
        return _long(start, locale)
    if start.year != end.year:
        return f"{_long(start, locale)} – {_long(end, locale)}"
    if start.month != end.month:
        return f"{format_skeleton('MMMMd', start, locale=locale)} – {_long(end, locale)}"
    return f"{start.day}–{_long(end, locale)}"


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


SHORT_DATETIME = "d MMM y, HH:mm"


def datetime_short(value: datetime | None) -> str:
    """Format a timestamp for tables and audit lines."""
    return format_datetime(value, SHORT_DATETIME) if value else ""


def short_datetimes() -> Callable[[datetime | None], str]:
    """Return datetime_short bound to the reader's locale and time zone, looked up once.

    A list of fifty rows formats fifty or a hundred timestamps; looking the locale and the
    zone up for each took twice as long as the formatting.
    """
    locale, zone = get_locale(), get_timezone()

    def short(value: datetime | None) -> str:
        return (
            babel_format_datetime(value, SHORT_DATETIME, tzinfo=zone, locale=locale)
            if value
            else ""
        )

    return short


def date_long(value: date | None) -> str:
    """Format a date in full (3 March 2026)."""
    return _long(value, _date_locale()) if value else ""


def place_line(*parts: str | None, separator: Markup | None = None) -> Markup:
    """Join the parts of a place (venue, city, country) with the reader's comma, skipping blanks.

    Arabic writes its own comma (،); a missing venue leaves no dash behind. Parts that are
    already markup (a country macro) are kept, plain text is escaped. A list passes the
    `separator` it fetched once for the page (place_separator).
    """
    return (separator or place_separator()).join(part for part in parts if part)


def place_separator() -> Markup:
    """Return the reader's comma between the parts of a place (a list fetches it once a page)."""
    return _separator(get_translations())


@lru_cache(maxsize=32)
def _separator(translations: NullTranslations) -> Markup:
    """Translate the comma once per catalogue: a list page writes a place on every row."""
    return escape(translations.pgettext("between the parts of a place: venue, city, country", ", "))


def select_options(choices: Iterable[tuple[object, str]], selected: object = None) -> Markup:
    """Render a select's <option>s in one string: a template loop over 250 countries is slow."""
    return Markup(  # noqa: S704 - _options escaped every value and label
        "".join(
            option.replace(">", " selected>", 1) if value == selected else option
            # str(): a lazy label would compare equal in any language and hit another's memo.
            for value, option in _options(tuple((value, str(label)) for value, label in choices))
        )
    )


@lru_cache(maxsize=64)
def _options(choices: tuple[tuple[object, str], ...]) -> tuple[tuple[object, str], ...]:
    """Escape each option once per list of choices (a list of countries is the same each time)."""
    return tuple(
        (value, f'<option value="{escape(value)}">{escape(label)}</option>')
        for value, label in choices
    )
