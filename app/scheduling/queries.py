"""What scheduling's pages read: the session list, the feeds, a session form's people and partners.

Read only; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ScalarSelect, Select, func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User, UserRole
from app.curriculum.models import Course
from app.curriculum.text import localised_title, reader_language
from app.extensions import db
from app.scheduling.models import (
    PartnerOrganisation,
    SessionStatus,
    TrainingSession,
    training_session_trainers,
)
from app.shared import clock
from app.shared.roles import RoleCode

PER_PAGE = 50


@dataclass(frozen=True)
class SessionFilters:
    """What the session list is narrowed to; None leaves a criterion out."""

    course: int | None = None
    country: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str | None = None  # a key of SORT_KEYS; None puts the sessions happening now first
    descending: bool = False


def _first_trainer_name():
    return (
        select(func.min(User.name))
        .join(training_session_trainers, training_session_trainers.c.user_id == User.id)
        .where(training_session_trainers.c.training_session_id == TrainingSession.id)
        .scalar_subquery()
    )


# The columns of the session list a visitor may sort by, each with its key.
SORT_KEYS = {
    "code": lambda: [TrainingSession.code],
    "course": lambda: [Course.title],
    "dates": lambda: [TrainingSession.start_date, TrainingSession.end_date],
    "place": lambda: [TrainingSession.host_country, TrainingSession.city],
    "status": lambda: [TrainingSession.status],
    "capacity": lambda: [TrainingSession.capacity],
    "trainers": lambda: [_first_trainer_name()],
}


def _conditions(filters: SessionFilters) -> list:
    """Return the WHERE conditions of the filters (a session in the date range counts)."""
    conditions = []
    if filters.course:
        conditions.append(TrainingSession.course_id == filters.course)
    if filters.country:
        conditions.append(TrainingSession.host_country == filters.country)
    if filters.status:
        conditions.append(TrainingSession.status == filters.status)
    if filters.date_from:
        conditions.append(TrainingSession.end_date >= filters.date_from)
    if filters.date_to:
        conditions.append(TrainingSession.start_date <= filters.date_to)
    return conditions


def _soonest_first(today: date) -> list[tuple]:
    """Split the default order into its parts, each (condition, order) an index can walk.

    Sessions in progress come first, then those to come (soonest first), then past ones
    (latest first): reading a page then takes the first rows of one or two parts instead of
    sorting every session.
    """
    in_progress = TrainingSession.status == SessionStatus.IN_PROGRESS
    return [
        (in_progress, [TrainingSession.start_date.desc(), TrainingSession.code]),
        (
            ~in_progress & (TrainingSession.start_date >= today),
            [TrainingSession.start_date, TrainingSession.code],
        ),
        (
            ~in_progress & (TrainingSession.start_date < today),
            [TrainingSession.start_date.desc(), TrainingSession.code],
        ),
    ]


def _part_sizes(conditions: list, today: date) -> tuple[int, int, int]:
    """Count the sessions in progress, to come and past in one statement of indexed counts.

    Each count is one an index answers (by status, by start date, all of them); one pass that
    tests every session against the three parts takes twenty times as long.
    """

    def count(*where) -> ScalarSelect:
        return (
            select(func.count())
            .select_from(TrainingSession)
            .where(*conditions, *where)
            .scalar_subquery()
        )

    in_progress = TrainingSession.status == SessionStatus.IN_PROGRESS
    from_today = TrainingSession.start_date >= today
    total, running, from_now, running_from_now = db.session.execute(
        select(count(), count(in_progress), count(from_today), count(in_progress, from_today))
    ).one()
    to_come = from_now - running_from_now
    return running, to_come, total - running - to_come


class SessionRow(NamedTuple):
    """One line of the session list: its columns read as plain values, not as ORM objects."""

    id: int
    code: str
    course: str  # the course's title in the session's language
    language: str
    start_date: date
    end_date: date
    city: str
    host_country: str
    status: str
    capacity: int
    trainers: tuple[str, ...]  # by name


def _trainer_names(ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Return each session's trainers' names, by name, read in one statement for all of them."""
    link = training_session_trainers.c
    names: dict[int, tuple[str, ...]] = {}
    for session_id, name in db.session.execute(
        select(link.training_session_id, User.name)
        .join(User, User.id == link.user_id)
        .where(link.training_session_id.in_(ids))
        .order_by(User.name)
    ):
        names[session_id] = (*names.get(session_id, ()), name)
    return names


# The columns a line of the list shows, read as plain values.
_LINE_COLUMNS = (
    "id", "code", "course_id", "language", "start_date", "end_date", "city", "host_country",
    "status", "capacity",
)  # fmt: skip


def _columns() -> Select:
    return select(*(getattr(TrainingSession, name) for name in _LINE_COLUMNS))


def _lines(found: list, courses: Mapping[int, Course]) -> list[SessionRow]:
    """Give the page's rows their course titles and trainers (one statement for all trainers).

    Each course's title is worked out once per language, not once per line.
    """
    if not found:
        return []
    titles = {
        (course_id, language): localised_title(courses[course_id], language or reader_language())
        for course_id, language in {(row.course_id, row.language) for row in found}
    }
    trainers = _trainer_names([row.id for row in found])
    # The columns come in _LINE_COLUMNS' order: id, code, course_id, language, ...
    return [
        SessionRow(
            row_id,
            code,
            titles[course_id, language],
            language,
            *rest,
            trainers=trainers.get(row_id, ()),
        )
        for row_id, code, course_id, language, *rest in found
    ]


class SessionPage(Pagination):
    """A page of the session list: its rows in order, then their courses and trainers."""

    def _query_items(self) -> list[SessionRow]:
        found = self._query_args["rows"](self._query_offset, self.per_page)
        return _lines(found, self._query_args["courses"])

    def _query_count(self) -> int:
        return self._query_args["total"]


def session_page(
    filters: SessionFilters,
    page: int = 1,
    per_page: int = PER_PAGE,
    courses: Iterable[Course] | None = None,
) -> Pagination:
    """Return one page of the sessions that match, sorted (a session in range counts).

    Without a sort, sessions in progress come first, then those about to start, then the past
    ones latest first: the session a trainer is at is at the top of the list. The page is read
    as plain columns (no ORM objects), its trainers in one statement. `courses` are every
    course, when the caller has read them already (the list's course filter has).
    """
    if courses is None:
        courses = db.session.scalars(select(Course))
    by_id = {course.id: course for course in courses}
    conditions = _conditions(filters)
    rows = _columns().where(*conditions)
    if filters.sort in SORT_KEYS:
        keys = SORT_KEYS[filters.sort]()
        order = [key.desc() if filters.descending else key.asc() for key in keys]
        if filters.sort == "course":
            rows = rows.join(Course, TrainingSession.course_id == Course.id)
        rows = rows.order_by(*order, TrainingSession.code)
        total = db.session.scalar(
            select(func.count()).where(*conditions).select_from(TrainingSession)
        )

        def sorted_rows(offset: int, limit: int) -> list:
            return list(db.session.execute(rows.offset(offset).limit(limit)))

        return SessionPage(
            page=page, per_page=per_page, total=total, rows=sorted_rows, courses=by_id
        )
    today = clock.today_in("UTC")
    parts = _soonest_first(today)
    sizes = _part_sizes(conditions, today)

    def soonest_rows(offset: int, limit: int) -> list:
        found: list = []
        for (part, order), size in zip(parts, sizes, strict=True):
            if offset >= size:
                offset -= size
                continue
            wanted = limit - len(found)
            found += db.session.execute(
                rows.where(part).order_by(*order).offset(offset).limit(wanted)
            )
            offset = 0
            if len(found) >= limit:
                break
        return found

    return SessionPage(
        page=page, per_page=per_page, total=sum(sizes), rows=soonest_rows, courses=by_id
    )


def open_sessions() -> list[TrainingSession]:
    """Return every session open for enrolment, soonest first."""
    statement = (
        select(TrainingSession)
        .where(TrainingSession.status == SessionStatus.OPEN)
        .options(selectinload(TrainingSession.course))
        .order_by(TrainingSession.start_date, TrainingSession.code)
    )
    return list(db.session.scalars(statement))


def sessions_taught_by(user: User) -> list[TrainingSession]:
    """Return every session the user is a trainer of, cancelled ones included, soonest first."""
    statement = (
        select(TrainingSession)
        .where(TrainingSession.trainers.any(User.id == user.id))
        .order_by(TrainingSession.start_date)
    )
    return list(db.session.scalars(statement))


def trainer_candidates(extra: Iterable[User] = ()) -> list[User]:
    """Return active users who may teach (trainers and administrators), by name, plus `extra`.

    `extra` keeps a session's current trainers on its form after their role or account changed.
    """
    users = list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.role_links.any(UserRole.role.in_([RoleCode.TRAINER, RoleCode.ADMIN])),
            )
            .order_by(User.name)
        )
    )
    known = {user.id for user in users}
    return users + [user for user in extra if user.id not in known]


def partner_organisations() -> list[PartnerOrganisation]:
    """Return every partner organisation, by name."""
    return list(db.session.scalars(select(PartnerOrganisation).order_by(PartnerOrganisation.name)))
