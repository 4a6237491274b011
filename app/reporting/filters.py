"""The one parser of reach filters, shared by pages, exports, the PDF, the API and the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.curriculum.models import Course
from app.enrolment.labels import agency_label
from app.enrolment.models import AgencyType
from app.extensions import db
from app.scheduling.models import PartnerOrganisation
from app.shared.converters import is_record_id
from app.shared.countries import country_name, lookup_country
from app.shared.regions import Region, find_region

# Query parameter names, in the order they are shown.
FILTER_KEYS = (
    "from",
    "to",
    "course",
    "region",
    "agency_type",
    "partner",
    "host_country",
    "country",
)


class FilterError(ValueError):
    """A filter value could not be understood; `field` names the query parameter."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class ReachFilters:
    """Validated filters; an empty instance means the whole programme."""

    date_from: date | None = None
    date_to: date | None = None
    course_id: int | None = None
    course_slug: str | None = None
    course_title: str | None = None
    region: Region | None = None
    agency_type: str | None = None
    partner_id: int | None = None
    partner_name: str | None = None
    host_country: str | None = None
    country: str | None = None
    raw: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def session_level(self) -> bool:
        """Return whether a filter narrows the sessions (dates, course, partner, host)."""
        return any(
            (self.date_from, self.date_to, self.course_id, self.partner_id, self.host_country)
        )

    @property
    def participant_level(self) -> bool:
        """Return whether a filter narrows the people (country of service, region, agency)."""
        return any((self.region, self.agency_type, self.country))

    @property
    def active(self) -> bool:
        """Return whether any filter is set."""
        return self.session_level or self.participant_level

    def query_args(self) -> dict[str, str]:
        """Return the canonical query parameters, for links to exports and other views."""
        args = {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "course": self.course_slug,
            "region": self.region.code if self.region else None,
            "agency_type": self.agency_type,
            "partner": str(self.partner_id) if self.partner_id else None,
            "host_country": self.host_country,
            "country": self.country,
        }
        return {key: value for key, value in args.items() if value}

    def as_json(self) -> dict[str, str | None]:
        """Return the applied filters for the API (every key, null when unset)."""
        args = self.query_args()
        return {key: args.get(key) for key in FILTER_KEYS}

    def describe(self) -> list[tuple[str, str]]:
        """Return (label, value) pairs naming the applied filters for people and files."""
        labels = filter_labels()
        pairs = []
        if self.date_from:
            pairs.append((labels["from"], self.date_from.isoformat()))
        if self.date_to:
            pairs.append((labels["to"], self.date_to.isoformat()))
        if self.course_slug:
            pairs.append((labels["course"], f"{self.course_title} ({self.course_slug})"))
        if self.region:
            pairs.append((labels["region"], f"{self.region.name} (M49 {self.region.code})"))
        if self.agency_type:
            pairs.append((labels["agency_type"], str(agency_label(self.agency_type))))
        if self.partner_id:
            pairs.append((labels["partner"], self.partner_name or str(self.partner_id)))
        if self.host_country:
            pairs.append(
                (labels["host_country"], f"{country_name(self.host_country)} ({self.host_country})")
            )
        if self.country:
            pairs.append((labels["country"], f"{country_name(self.country)} ({self.country})"))
        return pairs

    def describe_text(self) -> str:
        """Return the filters as one line ('none' for the whole programme)."""
        pairs = self.describe()
        if not pairs:
            return _("none (whole programme)")
        return "; ".join(f"{label}: {value}" for label, value in pairs)


def filter_labels() -> dict[str, str]:
    """Return the human label of each filter parameter."""
    return {
        "from": _("From"),
        "to": _("To"),
        "course": _("Course"),
        "region": _("Region"),
        "agency_type": _("Agency type"),
        "partner": _("Partner organisation"),
        "host_country": _("Host country"),
        "country": _("Country of service"),
    }


def _parse_date(key: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(
            key,
            _("%(field)s: %(value)s is not a date (use YYYY-MM-DD).", field=key, value=value),
        ) from None


def _parse_country(key: str, value: str) -> str:
    code = lookup_country(value)
    if code is None:
        raise FilterError(
            key, _("%(field)s: %(value)s is not a known country.", field=key, value=value)
        )
    return code


def parse_filters(args: Mapping[str, str]) -> ReachFilters:
    """Validate query parameters into ReachFilters or raise FilterError naming the field."""
    raw = {key: (args.get(key) or "").strip() for key in FILTER_KEYS}
    raw = {key: value for key, value in raw.items() if value}
    values: dict = {"raw": raw}
    if "from" in raw:
        values["date_from"] = _parse_date("from", raw["from"])
    if "to" in raw:
        values["date_to"] = _parse_date("to", raw["to"])
    if (
        values.get("date_from")
        and values.get("date_to")
        and values["date_to"] < values["date_from"]
    ):
        raise FilterError("to", _("to: the end date is before the start date."))
    if "course" in raw:
        course = db.session.execute(
            select(Course.id, Course.slug, Course.title).where(Course.slug == raw["course"].lower())
        ).first()
        if course is None:
            raise FilterError(
                "course", _("course: there is no course %(value)s.", value=raw["course"])
            )
        values.update(course_id=course.id, course_slug=course.slug, course_title=course.title)
    if "region" in raw:
        region = find_region(raw["region"])
        if region is None:
            raise FilterError(
                "region",
                _(
                    "region: %(value)s is not a UN M49 region, grouping or sub-region.",
                    value=raw["region"],
                ),
            )
        values["region"] = region
    if "agency_type" in raw:
        agency = raw["agency_type"].lower()
        if agency not in {member.value for member in AgencyType}:
            raise FilterError(
                "agency_type",
                _("agency_type: %(value)s is not an agency type.", value=raw["agency_type"]),
            )
        values["agency_type"] = agency
    if "partner" in raw:
        condition = (
            PartnerOrganisation.id == int(raw["partner"])
            if is_record_id(raw["partner"])
            else PartnerOrganisation.name.ilike(raw["partner"])
        )
        partner = db.session.execute(
            select(PartnerOrganisation.id, PartnerOrganisation.name).where(condition)
        ).first()
        if partner is None:
            raise FilterError(
                "partner",
                _("partner: there is no partner organisation %(value)s.", value=raw["partner"]),
            )
        values.update(partner_id=partner.id, partner_name=partner.name)
    if "host_country" in raw:
        values["host_country"] = _parse_country("host_country", raw["host_country"])
    if "country" in raw:
        values["country"] = _parse_country("country", raw["country"])
    return ReachFilters(**values)
