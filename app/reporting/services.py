"""Programme reach: figures and breakdowns from queries.py, the target list, exportable tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete

from app.enrolment.labels import agency_label, gender_label
from app.extensions import db
from app.reporting import freshness, queries
from app.reporting.filters import ReachFilters
from app.reporting.models import TargetCountry
from app.reporting.queries import DASHBOARD_PARTS
from app.shared.countries import country_choices, country_name, is_country
from app.shared.regions import (
    interpol_members,
    region_of,
    regions,
    sub_region_of,
    sub_regions_of,
    top_regions,
)
from app.shared.unit_of_work import DomainError

# The figures of each API breakdown row, after its key columns.
ROW_FIGURES = ("participants_trained", "countries_reached", "sessions_attended", "training_hours")
# Figures about sessions that a filter on the people (region, country, agency) changes in kind.
SESSION_FIGURES = ("sessions_delivered", "host_countries")


def figure_labels(filters: ReachFilters) -> dict[str, str]:
    """Name the headline figures; under a filter on people, sessions are those the group attended.

    Sessions are held anywhere: with a region filter, the sessions are those that trained
    someone from the region, not sessions held there (the host country filter says that).
    """
    group = filters.participant_level
    return {
        "participants_trained": _("Participants trained"),
        "countries_reached": _("Countries reached"),
        "sessions_delivered": (
            _("Sessions attended by this group") if group else _("Sessions delivered")
        ),
        "host_countries": (_("Host countries of those sessions") if group else _("Host countries")),
        "training_hours": _("Training hours delivered"),
    }


class ReportingError(DomainError, ValueError):
    """A reporting rule was broken; the message is shown to the user."""


@dataclass
class Reach:
    """The programme's reach under some filters: headline figures and breakdown tables."""

    filters: ReachFilters
    totals: dict = field(default_factory=dict)
    by_country: list[dict] = field(default_factory=list)
    by_region: list[dict] = field(default_factory=list)
    by_year: list[dict] = field(default_factory=list)
    by_agency: list[dict] = field(default_factory=list)
    by_gender: list[dict] = field(default_factory=list)
    by_course: list[dict] = field(default_factory=list)

    @property
    def labels(self) -> dict[str, str]:
        """Return the headline figures' labels under these filters."""
        return figure_labels(self.filters)

    def summary_json(self) -> dict:
        """Return the headline counts and the people trained by country."""
        return {
            "countries_reached": self.totals["countries_reached"],
            "participants_trained": self.totals["participants_trained"],
            "sessions_delivered": self.totals["sessions_delivered"],
            "host_countries": self.totals["host_countries"],
            "by_country": [
                {"country": row["country"], "participants_trained": row["participants_trained"]}
                for row in self.by_country
            ],
        }

    def api_json(self) -> dict:
        """Return the document of the API and of `flask reports reach --json`."""

        def rows(table: list[dict], *keys: str) -> list[dict]:
            return [{key: row[key] for key in keys} for row in table]

        return {
            **self.summary_json(),
            "training_hours": self.totals["training_hours"],
            "by_region": rows(self.by_region, "code", "name", "level", "parent", *ROW_FIGURES),
            "by_year": rows(
                self.by_year,
                "year",
                "participants_trained",
                "countries_reached",
                *SESSION_FIGURES,
                "training_hours",
            ),
            "by_agency": rows(self.by_agency, "agency_type", "label", *ROW_FIGURES),
            "by_course": rows(self.by_course, "course", "title", *ROW_FIGURES),
            "labels": self.labels,
            "filters": self.filters.as_json(),
        }


def _hours(value) -> float:
    return round(float(value or 0), 2)


def _figures(row) -> dict:
    return {
        "participants_trained": row.participants_trained,
        "countries_reached": row.countries_reached,
        "sessions_attended": row.sessions_attended,
        "training_hours": _hours(row.training_hours),
    }


def compute_reach(filters: ReachFilters, parts: tuple[str, ...] = DASHBOARD_PARTS) -> Reach:
    """Shape the tables from the grouped queries' rows, cached until the data changes."""
    rows = freshness.reach_rows(filters, parts)
    reach = Reach(filters=filters)
    totals = rows["totals"][0]
    sessions = rows["sessions"][0]
    reach.totals = {
        "participants_trained": totals.participants_trained,
        "countries_reached": totals.countries_reached,
        "sessions_delivered": sessions.sessions_delivered,
        "host_countries": sessions.host_countries,
        "training_hours": _hours(totals.training_hours),
    }
    reach.by_country = sorted(
        (
            {
                "country": row.country_code,
                "country_name": country_name(row.country_code),
                "region": (region_of(row.country_code) or _none_region()).name,
                "sub_region": (sub_region_of(row.country_code) or _none_region()).name,
                "participants_trained": row.participants_trained,
                "sessions_attended": row.sessions_attended,
                "last_training_date": row.last_training_date,
                "training_hours": _hours(row.training_hours),
            }
            for row in rows["by_country"]
        ),
        key=lambda item: (-item["participants_trained"], item["country"]),
    )
    if "by_region" in rows:
        reach.by_region = _shape_regions(rows["by_region"])
    if "by_year" in rows:
        sessions_by_year = {row.year: row for row in rows.get("sessions_by_year", [])}
        years = sorted({row.year for row in rows["by_year"]} | set(sessions_by_year))
        people = {row.year: row for row in rows["by_year"]}
        reach.by_year = [
            {
                "year": year,
                **(_figures(people[year]) if year in people else _zero_figures()),
                "sessions_delivered": getattr(sessions_by_year.get(year), "sessions_delivered", 0),
                "host_countries": getattr(sessions_by_year.get(year), "host_countries", 0),
            }
            for year in years
            if year is not None
        ]
    if "by_agency" in rows:
        reach.by_agency = sorted(
            (
                {"agency_type": row.agency_type, "label": agency_label(row.agency_type)}
                | _figures(row)
                for row in rows["by_agency"]
            ),
            key=lambda item: (-item["participants_trained"], item["label"]),
        )
    if "by_gender" in rows:
        unrecorded = _("Not recorded")
        reach.by_gender = sorted(
            (
                {"gender": row.gender or "", "label": gender_label(row.gender) or unrecorded}
                | _figures(row)
                for row in rows["by_gender"]
            ),
            key=lambda item: (item["gender"] == "", -item["participants_trained"]),
        )
    if "by_course" in rows:
        names = queries.course_names()
        reach.by_course = sorted(
            (
                {
                    "course": names.get(row.course_id, ("", ""))[0],
                    "title": names.get(row.course_id, ("", ""))[1],
                }
                | _figures(row)
                for row in rows["by_course"]
            ),
            key=lambda item: (-item["participants_trained"], item["title"]),
        )
    return reach


def _zero_figures() -> dict:
    return {
        "participants_trained": 0,
        "countries_reached": 0,
        "sessions_attended": 0,
        "training_hours": 0.0,
    }


class _NoRegion:
    name = ""


def _none_region() -> _NoRegion:
    return _NoRegion()


def _shape_regions(rows: Iterable) -> list[dict]:
    """Order regions with their groupings and sub-regions under them, as regions() does."""
    found = {row.region_code: row for row in rows}
    return [
        _region_row(region, found[region.code])
        for region in regions().values()
        if region.code in found
    ]


def _region_row(region, row) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": region.parent,
        **_figures(row),
    }


# --- Target countries -------------------------------------------------------------------------


def ensure_targets() -> list[str]:
    """Return the target list, seeding it with INTERPOL's members when the table is empty."""
    codes = queries.target_codes()
    if not codes:
        codes = reset_targets()
    return codes


def reset_targets() -> list[str]:
    """Replace the target list with the shipped INTERPOL member list."""
    return set_targets(interpol_members())


def set_targets(codes: Iterable[str]) -> list[str]:
    """Replace the target list with these alpha-2 codes; unknown codes are refused."""
    wanted = sorted({code.strip().upper() for code in codes if code.strip()})
    unknown = [code for code in wanted if not is_country(code)]
    if unknown:
        raise ReportingError(_("Unknown country code: %(codes)s.", codes=", ".join(unknown)))
    db.session.execute(delete(TargetCountry))
    db.session.add_all(TargetCountry(country_code=code) for code in wanted)
    db.session.flush()
    return wanted


@dataclass(frozen=True)
class TargetChoices:
    """The target form's countries, grouped by region and sub-region, and the chosen ones."""

    groups: list[dict]  # [{region, sub_regions: [{region, countries}]}]
    unplaced: list[str]  # countries in no M49 region (Kosovo, Taiwan)
    selected: set[str]


def _by_name(codes: Iterable[str]) -> list[str]:
    return sorted(codes, key=country_name)


def target_choices() -> TargetChoices:
    """Return every country by region for the target form, with the current targets marked."""
    groups = [
        {
            "region": top,
            "sub_regions": [
                {"region": sub, "countries": _by_name(sub.countries)}
                for sub in sub_regions_of(top.code)
            ],
        }
        for top in top_regions()
    ]
    placed = set().union(*(region.countries for region in regions().values()))
    unplaced = _by_name({code for code, _name in country_choices()} - placed)
    return TargetChoices(groups=groups, unplaced=unplaced, selected=set(queries.target_codes()))


@dataclass
class TargetProgress:
    """How many target countries are reached, and those not yet, grouped by region."""

    total: int
    reached: int
    not_reached: list[dict]  # [{region, name, nearest, countries: [{country, name, upcoming}]}]

    @property
    def not_reached_rows(self) -> list[dict]:
        """Return one flat row per country not yet reached (for exports)."""
        return [
            {**country, "region": group["name"]}
            for group in self.not_reached
            for country in group["countries"]
        ]


def target_progress(reach: Reach, targets: list[str], today: date) -> TargetProgress:
    """Compare the reached countries with the targets (narrowed to a region/country filter)."""
    filters = reach.filters
    wanted = set(targets)
    if filters.region:
        wanted &= filters.region.countries
    if filters.country:
        wanted &= {filters.country}
    reached = {row["country"] for row in reach.by_country}
    missing = wanted - reached
    upcoming = freshness.cached(
        f"upcoming:{today.isoformat()}:{filters.course_id or ''}",
        lambda: queries.nearest_upcoming_sessions(today, filters.course_id),
    )
    groups: dict[str, dict] = {}
    for code in missing:
        region = region_of(code)
        key = region.code if region else "000"
        group = groups.setdefault(
            key,
            {
                "region": key,
                "name": region.name if region else _("No M49 region"),
                "countries": [],
                "nearest": None,
            },
        )
        sub = sub_region_of(code)
        group["countries"].append(
            {
                "country": code,
                "country_name": country_name(code),
                "sub_region": sub.name if sub else "",
                "upcoming": upcoming.get(code),
            }
        )
    for key, group in groups.items():
        group["countries"].sort(key=lambda item: item["country_name"])
        region = regions().get(key)
        in_region = [
            session
            for country, session in upcoming.items()
            if region is not None and country in region.countries
        ]
        if in_region:
            group["nearest"] = min(in_region, key=lambda s: (s["start_date"], s["id"]))
    return TargetProgress(
        total=len(wanted),
        reached=len(wanted & reached),
        not_reached=sorted(groups.values(), key=lambda g: g["name"]),
    )


# --- Country page ------------------------------------------------------------------------------


@dataclass
class CountryReach:
    """What the programme did in and for one country."""

    country: str
    reach: Reach
    sessions: list
    organisations: list[dict]


def country_reach(country_code: str, filters: ReachFilters) -> CountryReach:
    """Gather sessions held in a country and the (counted, unnamed) people trained from it."""
    from dataclasses import replace

    scoped = replace(filters, country=country_code)
    reach = compute_reach(
        scoped,
        (
            "totals",
            "sessions",
            "by_country",
            "by_year",
            "sessions_by_year",
            "by_agency",
            "by_course",
        ),
    )
    organisations = [
        {
            "organisation": row.organisation or _("Not recorded"),
            "agency_type": row.agency_type,
            "label": agency_label(row.agency_type),
            **_figures(row),
        }
        for row in db.session.execute(queries.by_organisation_statement(scoped)).all()
    ]
    organisations.sort(key=lambda item: (-item["participants_trained"], item["organisation"]))
    return CountryReach(
        country=country_code,
        reach=reach,
        sessions=queries.country_sessions(country_code, filters),
        organisations=organisations,
    )
