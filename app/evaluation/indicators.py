"""Level 4: the annual country indicators focal points and managers enter, declared once here.

Each indicator is a yes/no or a count for a country and a year, kept with the source it was
read from. The labels are gettext strings, so the form, the country page and the board report
speak the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.evaluation.models import CountryIndicator
from app.evaluation.services import EvaluationError
from app.extensions import db
from app.shared import clock

if TYPE_CHECKING:
    from app.accounts.models import User


class IndicatorKind(StrEnum):
    """How an indicator's value is given."""

    YES_NO = "yes_no"
    COUNT = "count"


@dataclass(frozen=True)
class Indicator:
    """One annual country indicator: a code kept in the database and its label."""

    code: str
    kind: IndicatorKind
    label: str
    help: str = ""


INDICATORS = (
    Indicator(
        "specialised_unit",
        IndicatorKind.YES_NO,
        _l("A specialised unit for crimes against children exists"),
        _l("A police or prosecution unit dedicated to child sexual exploitation and abuse."),
    ),
    Indicator(
        "cases_investigated",
        IndicatorKind.COUNT,
        _l("Cases investigated"),
        _l("Cases of child sexual exploitation or abuse opened for investigation in the year."),
    ),
    Indicator(
        "victims_identified",
        IndicatorKind.COUNT,
        _l("Victims identified"),
        _l("Child victims identified in the year, including from images and videos."),
    ),
    Indicator(
        "child_protection_referrals",
        IndicatorKind.COUNT,
        _l("Referrals to child protection"),
        _l("Children referred by law enforcement to child-protection services in the year."),
    ),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
FIRST_YEAR = 2000


def shown_value(indicator: Indicator, value: int) -> str:
    """Return a value as people read it: yes or no, or the count."""
    if indicator.kind is IndicatorKind.YES_NO:
        return str(_l("Yes") if value else _l("No"))
    return f"{value:,}"


# --- entering and reading them ------------------------------------------------------------


def valid_year(year: int) -> bool:
    """Return whether figures may be entered for the year (from FIRST_YEAR to this year)."""
    return FIRST_YEAR <= year <= clock.today_in(None).year


def entries_for(country_code: str, year: int) -> dict[str, CountryIndicator]:
    """Return the country's values of the year, by indicator code."""
    rows = db.session.scalars(
        select(CountryIndicator).where(
            CountryIndicator.country_code == country_code, CountryIndicator.year == year
        )
    )
    return {row.indicator: row for row in rows}


def save_indicators(
    country_code: str, year: int, values: dict[str, tuple[int | None, str]], user: User
) -> int:
    """Keep the year's values, each with its source; a value left empty removes it.

    Returns how many values the country has for the year afterwards.
    """
    if not valid_year(year):
        raise EvaluationError(
            _("Figures are entered for %(first)d to this year.", first=FIRST_YEAR)
        )
    kept = entries_for(country_code, year)
    for indicator in INDICATORS:
        value, source = values.get(indicator.code, (None, ""))
        source = (source or "").strip()
        row = kept.pop(indicator.code, None)
        if value is None:
            if row is not None:
                db.session.delete(row)
            continue
        if not source:
            raise EvaluationError(
                _("Give the source of “%(indicator)s”.", indicator=indicator.label)
            )
        if value < 0:
            raise EvaluationError(_("A count cannot be negative."))
        if row is None:
            row = CountryIndicator(country_code=country_code, year=year, indicator=indicator.code)
            db.session.add(row)
        row.value = int(value)
        row.source = source
        row.entered_by_id = user.id
        kept[indicator.code] = row
    db.session.flush()
    return len(kept)


@dataclass(frozen=True)
class YearFigures:
    """One country's indicators for one year: per code, the value as read and its source."""

    country_code: str
    year: int
    cells: dict[str, tuple[str, str]]


def _years(statement) -> list[YearFigures]:
    grouped: dict[tuple[str, int], dict[str, tuple[str, str]]] = {}
    for row in db.session.scalars(statement):
        indicator = BY_CODE.get(row.indicator)
        if indicator is not None:
            cells = grouped.setdefault((row.country_code, row.year), {})
            cells[row.indicator] = (shown_value(indicator, row.value), row.source)
    return [YearFigures(country, year, cells) for (country, year), cells in grouped.items()]


def country_history(country_code: str) -> list[YearFigures]:
    """Return a country's indicators by year, the latest first (for its country page)."""
    return _years(
        select(CountryIndicator)
        .where(CountryIndicator.country_code == country_code)
        .order_by(CountryIndicator.year.desc(), CountryIndicator.indicator)
    )


def latest_by_country(countries: frozenset[str] | None = None) -> list[YearFigures]:
    """Return each country's latest year of indicators (of these countries), by country code."""
    latest = (
        select(CountryIndicator.country_code, func.max(CountryIndicator.year).label("year"))
        .group_by(CountryIndicator.country_code)
        .subquery()
    )
    statement = (
        select(CountryIndicator)
        .join(
            latest,
            (latest.c.country_code == CountryIndicator.country_code)
            & (latest.c.year == CountryIndicator.year),
        )
        .order_by(CountryIndicator.country_code, CountryIndicator.indicator)
    )
    if countries is not None:
        statement = statement.where(CountryIndicator.country_code.in_(sorted(countries)))
    return _years(statement)


def entered_years(countries: frozenset[str] | None = None) -> list[tuple[str, int, int]]:
    """Return (country, year, values entered) for these countries (all for None), latest first."""
    statement = select(
        CountryIndicator.country_code, CountryIndicator.year, func.count(CountryIndicator.id)
    ).group_by(CountryIndicator.country_code, CountryIndicator.year)
    if countries is not None:
        statement = statement.where(CountryIndicator.country_code.in_(sorted(countries)))
    rows = db.session.execute(statement).all()
    return sorted(((c, y, n) for c, y, n in rows), key=lambda r: (-r[1], r[0]))
