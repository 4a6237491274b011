"""Read-only, set-based SQL for programme reach: one grouped query per table, whatever the size.

Definitions (the same on every page, export, the PDF, the API and the CLI):
a *completed enrolment* has Enrolment.completed IS TRUE in a session whose status is completed;
participants trained are distinct people with at least one; countries reached are distinct
Enrolment.country_code (the country of service at the time) on them; sessions delivered and host
countries come from completed sessions; training hours add up the course version's hours (the
sum of its modules, computed once per version) for every completed enrolment.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Float,
    Integer,
    Select,
    case,
    cast,
    distinct,
    exists,
    extract,
    func,
    literal,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from app.curriculum.models import Course, CourseModule
from app.enrolment.models import Enrolment, Participant
from app.extensions import db
from app.reporting.filters import ReachFilters
from app.reporting.models import TargetCountry
from app.reporting.regions import country_regions, regions
from app.scheduling.models import SessionStatus, TrainingSession, training_session_partners

E = Enrolment.__table__
S = TrainingSession.__table__
P = Participant.__table__
C = Course.__table__
COMPLETED = SessionStatus.COMPLETED.value
UPCOMING = (SessionStatus.DRAFT.value, SessionStatus.OPEN.value, SessionStatus.IN_PROGRESS.value)


def _version_hours():
    """Return a subquery of each course version's total hours (one GROUP BY, not per row)."""
    modules = CourseModule.__table__
    return (
        select(
            modules.c.course_version_id.label("course_version_id"),
            cast(func.sum(modules.c.hours), Float).label("hours"),
        )
        .group_by(modules.c.course_version_id)
        .subquery("version_hours")
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


def _with_hours(filters: ReachFilters, group_columns: list, extra: list | None = None) -> Select:
    """Build a grouped query over completed enrolments that also adds up training hours."""
    version_hours = _version_hours()
    source = E.join(S, S.c.id == E.c.training_session_id).outerjoin(
        version_hours, version_hours.c.course_version_id == S.c.course_version_id
    )
    stmt = (
        select(*group_columns, *_people_figures(version_hours.c.hours), *(extra or []))
        .select_from(source)
        .where(*_session_conditions(filters), *_enrolment_conditions(filters))
    )
    if group_columns:
        stmt = stmt.group_by(*group_columns)
    return stmt


def _year(column) -> ColumnElement:
    return cast(extract("year", column), Integer)


def totals_statement(filters: ReachFilters) -> Select:
    """Headline figures about people: trained, countries reached, training hours."""
    return _with_hours(filters, [])


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


def by_country_statement(filters: ReachFilters) -> Select:
    """Per country of service: people trained, sessions attended, last training date, hours."""
    return _with_hours(
        filters, [E.c.country_code], [func.max(S.c.end_date).label("last_training_date")]
    )


def _region_case(level: int) -> ColumnElement:
    """Map a country code to its M49 region (level 0) or sub-region (level 1) inside SQL."""
    groups: dict[str, list[str]] = {}
    for country, codes in country_regions().items():
        groups.setdefault(codes[level], []).append(country)
    whens = [(E.c.country_code.in_(sorted(members)), code) for code, members in groups.items()]
    return case(*whens, else_=literal(""))


def by_region_statement(filters: ReachFilters) -> Select:
    """Distinct people per M49 region and per sub-region (a person counts once in each)."""
    region = _region_case(0).label("region_code")
    sub_region = _region_case(1).label("region_code")
    return _with_hours(filters, [region]).union_all(_with_hours(filters, [sub_region]))


def by_year_statement(filters: ReachFilters) -> Select:
    """Per year of the session's start: people, countries, sessions attended, hours."""
    return _with_hours(filters, [_year(S.c.start_date).label("year")])


def by_agency_statement(filters: ReachFilters) -> Select:
    """Per agency type recorded on the enrolment (the agency at the time of training)."""
    return _with_hours(filters, [E.c.agency_type])


def by_gender_statement(filters: ReachFilters) -> Select:
    """Per gender recorded on the person (where recorded)."""
    version_hours = _version_hours()
    source = (
        E.join(S, S.c.id == E.c.training_session_id)
        .join(P, P.c.id == E.c.participant_id)
        .outerjoin(version_hours, version_hours.c.course_version_id == S.c.course_version_id)
    )
    return (
        select(P.c.gender, *_people_figures(version_hours.c.hours))
        .select_from(source)
        .where(*_session_conditions(filters), *_enrolment_conditions(filters))
        .group_by(P.c.gender)
    )


def by_course_statement(filters: ReachFilters) -> Select:
    """Per course: people trained, sessions, hours."""
    return _with_hours(filters, [S.c.course_id])


def statements(filters: ReachFilters, parts: tuple[str, ...]) -> dict[str, Select]:
    """Return the named aggregate statements a view needs (the bench runs them bare too)."""
    builders = {
        "totals": totals_statement,
        "sessions": sessions_statement,
        "sessions_by_year": lambda f: sessions_statement(f, by_year=True),
        "by_country": by_country_statement,
        "by_region": by_region_statement,
        "by_year": by_year_statement,
        "by_agency": by_agency_statement,
        "by_gender": by_gender_statement,
        "by_course": by_course_statement,
    }
    return {name: builders[name](filters) for name in parts}


def run(filters: ReachFilters, parts: tuple[str, ...]) -> dict[str, list]:
    """Execute the statements and return their rows by name."""
    return {
        name: db.session.execute(stmt).all() for name, stmt in statements(filters, parts).items()
    }


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
    return _with_hours(filters, [E.c.organisation, E.c.agency_type])


def region_names() -> dict[str, str]:
    """Return {code: name} of every M49 region and sub-region."""
    return {code: region.name for code, region in regions().items()}


def course_choices() -> list[tuple[str, str]]:
    """Return (slug, title) of every course, by title, for the filter form."""
    return [
        (row.slug, row.title)
        for row in db.session.execute(select(C.c.slug, C.c.title).order_by(C.c.title))
    ]


def api_token_owner_roles(token_hash: str) -> set[str] | None:
    """Return the roles of the active owner of an unrevoked token, or None if it is not valid."""
    from app.accounts.models import ApiToken, User

    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))
    if token is None or token.revoked_at is not None:
        return None
    owner = db.session.get(User, token.user_id)
    if owner is None or not owner.active:
        return None
    return owner.roles
