"""Read-only, set-based SQL for programme reach: a fixed number of statements, whatever the size.

Every breakdown comes from one statement (the filtered completed enrolments read once as a
CTE and grouped several ways with UNION ALL); sessions come from a second, small one. Overall
and per region, SQL counts only distinct people (over distinct country-person pairs); countries,
hours and the last date are added up from the by-country rows, since each country lies in
exactly one region. Each COUNT(DISTINCT) over every enrolment costs a sort.

Definitions (the same on every page, export, the PDF, the API and the CLI):
a *completed enrolment* has Enrolment.completed IS TRUE in a session whose status is completed;
participants trained are distinct people with at least one; countries reached are distinct
Enrolment.country_code (the country of service at the time) on them; sessions delivered and host
countries come from completed sessions; training hours add up, for every completed enrolment,
the hours taught in its session: the hours on the session's agenda, or for a session without
one (imported history) its course version's delivery hours for the session's legal tradition,
alternative modules counted once (curriculum.models.delivered_modules, the rule transcripts
and certificates follow through TrainingSession.taught_modules).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from string import ascii_uppercase
from types import SimpleNamespace

from sqlalchemy import (
    Date,
    Float,
    Integer,
    LargeBinary,
    Select,
    String,
    cast,
    distinct,
    exists,
    extract,
    func,
    literal,
    select,
    union_all,
    values,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.curriculum.models import Course, CourseModule, delivered_modules
from app.enrolment.models import Enrolment, Participant
from app.extensions import db
from app.reporting.filters import ReachFilters
from app.reporting.models import TargetCountry
from app.scheduling.models import (
    AgendaItem,
    SessionStatus,
    TrainingSession,
    training_session_partners,
)
from app.shared.legal_traditions import LegalTradition
from app.shared.regions import NO_REGION, country_regions

# The API and `flask reports reach --json` print one document from these parts.
API_PARTS = (
    "totals",
    "sessions",
    "by_country",
    "by_region",
    "by_year",
    "sessions_by_year",
    "by_agency",
    "by_course",
)
DASHBOARD_PARTS = (*API_PARTS, "by_gender")

E = Enrolment.__table__
S = TrainingSession.__table__
P = Participant.__table__
C = Course.__table__
COMPLETED = SessionStatus.COMPLETED.value
UPCOMING = (SessionStatus.DRAFT.value, SessionStatus.OPEN.value, SessionStatus.IN_PROGRESS.value)


TRADITIONS = ("", *(tradition.value for tradition in LegalTradition))  # "": none recorded


def _delivery_hours():
    """Return a CTE of each course version's delivery hours under each legal tradition.

    The rule is curriculum's (one query reads every module); SQL only looks the figures up.
    """
    by_version: dict[int, list[CourseModule]] = defaultdict(list)
    for module in db.session.scalars(select(CourseModule)):
        by_version[module.course_version_id].append(module)
    rows = [
        (
            version_id,
            tradition,
            float(sum(m.hours for m in delivered_modules(modules, tradition or None))),
        )
        for version_id, modules in sorted(by_version.items())
        for tradition in TRADITIONS
    ] or [(0, "", 0.0)]  # VALUES needs a row
    return (
        values(
            column("course_version_id", Integer),
            column("tradition", String),
            column("hours", Float),
            name="delivery_hours",
            literal_binds=True,
        )
        .data(rows)
        .cte("delivery_hours")
    )


def _session_hours():
    """Return a CTE of the hours taught in each completed session: its agenda's, or planned."""
    agenda = AgendaItem.__table__
    on_agenda = (
        select(
            agenda.c.training_session_id.label("training_session_id"),
            cast(func.sum(agenda.c.hours), Float).label("hours"),
        )
        .group_by(agenda.c.training_session_id)
        .subquery("agenda_hours")
    )
    planned = _delivery_hours()
    return (
        select(
            S.c.id.label("training_session_id"),
            func.coalesce(on_agenda.c.hours, planned.c.hours, 0).label("hours"),
        )
        .select_from(
            S.outerjoin(on_agenda, on_agenda.c.training_session_id == S.c.id).outerjoin(
                planned,
                (planned.c.course_version_id == S.c.course_version_id)
                & (planned.c.tradition == func.coalesce(S.c.legal_tradition, "")),
            )
        )
        .where(S.c.status == COMPLETED)
        .cte("session_hours")
    )


def _session_conditions(filters: ReachFilters) -> list[ColumnElement]:
    conditions = [S.c.status == COMPLETED]
    if filters.date_from:
        conditions.append(S.c.start_date >= filters.date_from)
    if filters.date_to:
        conditions.append(S.c.start_date <= filters.date_to)
    if filters.course_id:
        conditions.append(S.c.course_id == filters.course_id)
    if filters.host_country:
        conditions.append(S.c.host_country == filters.host_country)
    if filters.partner_id:
        partners = training_session_partners
        conditions.append(
            S.c.id.in_(
                select(partners.c.training_session_id).where(
                    partners.c.partner_id == filters.partner_id
                )
            )
        )
    return conditions


def _enrolment_conditions(filters: ReachFilters) -> list[ColumnElement]:
    conditions = [E.c.completed.is_(True)]
    if filters.country:
        conditions.append(E.c.country_code == filters.country)
    if filters.region:
        conditions.append(E.c.country_code.in_(sorted(filters.region.countries)))
    if filters.agency_type:
        conditions.append(E.c.agency_type == filters.agency_type)
    return conditions


def _people_figures(hours_col) -> list:
    return [
        func.count(distinct(E.c.participant_id)).label("participants_trained"),
        func.count(distinct(E.c.country_code)).label("countries_reached"),
        func.count(distinct(E.c.training_session_id)).label("sessions_attended"),
        func.coalesce(func.sum(hours_col), 0).label("training_hours"),
    ]


def _completed_source():
    """Join enrolments to their session and the hours taught in it (0 without modules)."""
    session_hours = _session_hours()
    source = E.join(S, S.c.id == E.c.training_session_id).outerjoin(
        session_hours, session_hours.c.training_session_id == S.c.id
    )
    return source, func.coalesce(session_hours.c.hours, 0)


def _year(column) -> ColumnElement:
    return cast(extract("year", column), Integer)


def sessions_statement(filters: ReachFilters, by_year: bool = False) -> Select:
    """Completed sessions and their host countries (per year on request)."""
    conditions = _session_conditions(filters)
    if filters.participant_level:
        conditions.append(
            exists(
                select(literal(1))
                .select_from(E)
                .where(E.c.training_session_id == S.c.id, *_enrolment_conditions(filters))
            )
        )
    columns = [
        func.count(S.c.id).label("sessions_delivered"),
        func.count(distinct(S.c.host_country)).label("host_countries"),
    ]
    if by_year:
        year = _year(S.c.start_date).label("year")
        return select(year, *columns).where(*conditions).group_by(year)
    return select(*columns).where(*conditions)


# Breakdowns computed by the one combined statement, and the attribute each row's key becomes.
BREAKDOWNS = {
    "totals": None,
    "by_country": "country_code",
    "by_region": "region_code",
    "by_year": "year",
    "by_agency": "agency_type",
    "by_gender": "gender",
    "by_course": "course_id",
}
# Rows run() folds into by_region: the sessions attended from each region.
REGION_SESSIONS = "region_sessions"


def _base(filters: ReachFilters, with_gender: bool):
    """Return the completed enrolments under the filters as a CTE, each with its hours."""
    source, hours = _completed_source()
    columns = [
        E.c.participant_id,
        E.c.country_code,
        E.c.training_session_id,
        E.c.agency_type,
        S.c.course_id,
        _year(S.c.start_date).label("year"),
        S.c.end_date,
        hours.label("hours"),
    ]
    if with_gender:
        source = source.join(P, P.c.id == E.c.participant_id)
        columns.append(P.c.gender)
    return (
        select(*columns)
        .select_from(source)
        .where(*_session_conditions(filters), *_enrolment_conditions(filters))
        .cte("reach_base")
    )


class _CodePoint(FunctionElement):
    """Return the code point of a one-letter string: unicode() on SQLite, ascii() on PostgreSQL."""

    type = Integer()
    inherit_cache = True


@compiles(_CodePoint)
def _code_point_default(element, compiler, **kw) -> str:
    return f"unicode({compiler.process(element.clauses, **kw)})"


@compiles(_CodePoint, "postgresql")
def _code_point_postgresql(element, compiler, **kw) -> str:
    return f"ascii({compiler.process(element.clauses, **kw)})"


def _region_expr(column, level: int) -> ColumnElement:
    """Map a country code to its M49 region (level 0), sub-region (1) or grouping (2) in SQL.

    The two letters index a fixed-width string of 26 x 26 nine-digit entries (region,
    sub-region and grouping; 000 for none): constant work per row, unlike a join or a long
    CASE. The string is bound as a BLOB because SQLite's substr() counts bytes in a BLOB but
    walks characters in TEXT, which made each lookup scan 4 KB.
    """
    known = country_regions()
    table = "".join(
        "".join(known.get(first + second, (NO_REGION,) * 3))
        for first in ascii_uppercase
        for second in ascii_uppercase
    )
    first = _CodePoint(func.substr(column, 1, 1)) - 65
    second = _CodePoint(func.substr(column, 2, 1)) - 65
    code = func.substr(
        literal(table.encode(), LargeBinary), first * 234 + second * 9 + 1 + 3 * level, 3
    )
    return cast(code, String)


def _region_map():
    """Return a small CTE mapping each country code to its M49 region, sub-region and grouping."""
    rows = [
        select(
            literal(country).label("country_code"),
            literal(codes[0]).label("region_code"),
            literal(codes[1]).label("sub_region_code"),
            literal(codes[2]).label("grouping_code"),
        )
        for country, codes in sorted(country_regions().items())
    ]
    return union_all(*rows).cte("m49")


# Breakdowns whose countries, hours and last date run() adds up from the by-country rows (each
# country lies in exactly one region), so that SQL only counts their distinct people.
ROLLED_UP = ("totals", "by_region")


def reach_statement(filters: ReachFilters, kinds: tuple[str, ...]) -> Select:
    """Build one statement for every breakdown, one row per (kind, key).

    The filtered completed enrolments are read once (a CTE) and grouped several ways.
    Totals and regions need the by-country rows too (run() completes them from those).
    """
    if "by_country" not in kinds and any(kind in ROLLED_UP for kind in kinds):
        raise ValueError("totals and by_region need by_country to add up their figures")
    base = _base(filters, with_gender="by_gender" in kinds)
    # Distinct (country, person) pairs, about half as many rows as the enrolments: enough to
    # count people overall and per region.
    pairs = select(base.c.country_code, base.c.participant_id).distinct().cte("reach_pairs")
    keys = {
        "totals": [literal("")],
        "by_country": [base.c.country_code],
        "by_year": [cast(base.c.year, String)],
        "by_agency": [base.c.agency_type],
        "by_gender": [base.c.gender] if "by_gender" in kinds else [],
        "by_course": [cast(base.c.course_id, String)],
    }
    source = {kind: pairs if kind in ROLLED_UP else base for kind in kinds}
    figures = {
        kind: _rolled_up_figures(pairs) if kind in ROLLED_UP else _figures(base, kind)
        for kind in kinds
    }
    if "by_region" in kinds:
        # PostgreSQL hash-joins a small mapping cheaply (while substr() on text walks it).
        region_map = _region_map() if db.engine.dialect.name == "postgresql" else None
        source["by_region"], keys["by_region"] = _by_region(pairs, region_map)
        # A session counts once per region however many of its people came from there, so
        # regions count distinct sessions over distinct (country, session) pairs: a few rows.
        sessions = (
            select(base.c.country_code, base.c.training_session_id)
            .distinct()
            .cte("reach_session_pairs")
        )
        kinds = (*kinds, REGION_SESSIONS)
        source[REGION_SESSIONS], keys[REGION_SESSIONS] = _by_region(sessions, region_map)
        figures[REGION_SESSIONS] = _region_session_figures(sessions)
    selects = []
    for kind in kinds:
        for key in keys[kind]:
            stmt = select(
                literal(kind).label("kind"),
                cast(key, String).label("key"),
                *figures[kind],
            ).select_from(source[kind])
            selects.append(stmt.group_by(key) if kind != "totals" else stmt)
    return union_all(*selects) if len(selects) > 1 else selects[0]


def _by_region(pairs, region_map) -> tuple:
    """Return the source and the region, sub-region and grouping keys of country pairs."""
    if region_map is not None:
        source = pairs.join(region_map, region_map.c.country_code == pairs.c.country_code)
        return source, [
            region_map.c.region_code,
            region_map.c.sub_region_code,
            region_map.c.grouping_code,
        ]
    return pairs, [_region_expr(pairs.c.country_code, level) for level in range(3)]


def _figures(base, kind: str) -> list[ColumnElement]:
    """Select a breakdown's figures; each COUNT(DISTINCT) costs a sort, so only those shown."""
    return [
        func.count(distinct(base.c.participant_id)).label("participants_trained"),
        (literal(1) if kind == "by_country" else func.count(distinct(base.c.country_code))).label(
            "countries_reached"
        ),
        (
            literal(0) if kind == "by_year" else func.count(distinct(base.c.training_session_id))
        ).label("sessions_attended"),
        cast(func.coalesce(func.sum(base.c.hours), 0), Float).label("training_hours"),
        func.max(base.c.end_date).label("last_training_date"),
    ]


def _region_session_figures(sessions) -> list[ColumnElement]:
    """Count the distinct sessions that trained someone from each region."""
    return [
        literal(0).label("participants_trained"),
        literal(0).label("countries_reached"),
        func.count(distinct(sessions.c.training_session_id)).label("sessions_attended"),
        literal(0.0, Float).label("training_hours"),
        literal(None, Date).label("last_training_date"),
    ]


def _rolled_up_figures(pairs) -> list[ColumnElement]:
    """Count distinct people; run() fills in the rest from the by-country rows."""
    return [
        func.count(distinct(pairs.c.participant_id)).label("participants_trained"),
        literal(0).label("countries_reached"),
        literal(0).label("sessions_attended"),
        literal(0.0, Float).label("training_hours"),
        literal(None, Date).label("last_training_date"),
    ]


def statements(filters: ReachFilters, parts: tuple[str, ...]) -> dict[str, Select]:
    """Return the aggregate statements a view needs (the bench runs them bare too)."""
    kinds = tuple(part for part in parts if part in BREAKDOWNS)
    result = {"reach": reach_statement(filters, kinds)}
    if "sessions" in parts:
        result["sessions"] = sessions_statement(filters)
    if "sessions_by_year" in parts:
        result["sessions_by_year"] = sessions_statement(filters, by_year=True)
    return result


def run(filters: ReachFilters, parts: tuple[str, ...]) -> dict[str, list]:
    """Execute the statements and return rows by part name (keys renamed per breakdown)."""
    found = {
        name: db.session.execute(stmt).all() for name, stmt in statements(filters, parts).items()
    }
    result: dict[str, list] = {part: [] for part in parts}
    for name in ("sessions", "sessions_by_year"):
        if name in found:
            result[name] = found[name]
    sessions_by_region = {}
    for row in found["reach"]:
        values = row._asdict()
        if values["kind"] == REGION_SESSIONS:
            sessions_by_region[values["key"]] = values["sessions_attended"]
            continue
        attribute = BREAKDOWNS[values["kind"]]
        if attribute == "year" or attribute == "course_id":
            values[attribute] = int(values["key"])
        elif attribute:
            values[attribute] = values["key"]
        result[values["kind"]].append(SimpleNamespace(**values))
    _roll_up(result)
    for row in result.get("by_region", []):
        row.sessions_attended = sessions_by_region.get(row.key, 0)
    return result


def _roll_up(result: dict[str, list]) -> None:
    """Complete totals and regions with countries, hours and last date from the by-country rows."""
    known = country_regions()
    groups: dict[str, list] = {"": []}
    for row in result.get("by_country", []):
        groups[""].append(row)
        for code in set(known.get(row.country_code, ())):
            groups.setdefault(code, []).append(row)
    for row in result.get("totals", []) + result.get("by_region", []):
        countries = groups.get(row.key, [])  # the totals' key is ""
        row.countries_reached = len(countries)
        row.training_hours = sum(country.training_hours for country in countries)
        row.last_training_date = max(
            (country.last_training_date for country in countries), default=None
        )


def course_names() -> dict[int, tuple[str, str]]:
    """Return {course id: (slug, title)} for every course (one query)."""
    return {
        row.id: (row.slug, row.title)
        for row in db.session.execute(select(C.c.id, C.c.slug, C.c.title))
    }


def partner_choices() -> list[tuple[int, str]]:
    """Return (id, name) of every partner organisation, by name."""
    from app.scheduling.models import PartnerOrganisation

    table = PartnerOrganisation.__table__
    return [
        tuple(row)
        for row in db.session.execute(select(table.c.id, table.c.name).order_by(table.c.name))
    ]


def target_codes() -> list[str]:
    """Return the programme's target country codes."""
    return list(db.session.scalars(select(TargetCountry.country_code)))


def nearest_upcoming_sessions(today: date, course_id: int | None = None) -> dict[str, dict]:
    """Return the nearest upcoming session per host country (one query with a window)."""
    rank = (
        func.row_number()
        .over(partition_by=S.c.host_country, order_by=(S.c.start_date, S.c.id))
        .label("rank")
    )
    conditions = [S.c.status.in_(UPCOMING), S.c.start_date >= today]
    if course_id:
        conditions.append(S.c.course_id == course_id)
    ranked = (
        select(
            S.c.id,
            S.c.code,
            S.c.host_country,
            S.c.city,
            S.c.start_date,
            S.c.end_date,
            S.c.status,
            C.c.title.label("course_title"),
            rank,
        )
        .select_from(S.join(C, C.c.id == S.c.course_id))
        .where(*conditions)
        .subquery()
    )
    rows = db.session.execute(select(ranked).where(ranked.c.rank == 1)).mappings().all()
    return {row["host_country"]: dict(row) for row in rows}


def country_sessions(country_code: str, filters: ReachFilters) -> list:
    """Return the sessions held in a country (any status but cancelled), newest first."""
    conditions = [S.c.host_country == country_code, S.c.status != SessionStatus.CANCELLED.value]
    session_conditions = _session_conditions(filters)[1:]  # every filter but 'completed'
    people = (
        select(func.count(E.c.id))
        .where(E.c.training_session_id == S.c.id, E.c.completed.is_(True))
        .scalar_subquery()
        .label("completed_count")
    )
    return db.session.execute(
        select(
            S.c.id,
            S.c.code,
            S.c.city,
            S.c.start_date,
            S.c.end_date,
            S.c.status,
            C.c.title.label("course_title"),
            people,
        )
        .select_from(S.join(C, C.c.id == S.c.course_id))
        .where(*conditions, *session_conditions)
        .order_by(S.c.start_date.desc())
    ).all()


def by_organisation_statement(filters: ReachFilters) -> Select:
    """Per organisation and agency type recorded on the enrolment (for a country page)."""
    source, hours = _completed_source()
    group = [E.c.organisation, E.c.agency_type]
    return (
        select(*group, *_people_figures(hours))
        .select_from(source)
        .where(*_session_conditions(filters), *_enrolment_conditions(filters))
        .group_by(*group)
    )


def course_choices() -> list[tuple[str, str]]:
    """Return (slug, title) of every course, by title, for the filter form."""
    return [
        (row.slug, row.title)
        for row in db.session.execute(select(C.c.slug, C.c.title).order_by(C.c.title))
    ]
