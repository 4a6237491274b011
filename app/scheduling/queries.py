"""What scheduling's pages read: the session list, the feeds, a session form's people and partners.

Read only; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User, UserRole
from app.curriculum.models import Course
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


def _soonest_first(today: date) -> list:
    """Order sessions in progress first, then those to come (soonest first), then past ones."""
    in_progress = TrainingSession.status == SessionStatus.IN_PROGRESS
    to_come = TrainingSession.start_date >= today
    group = case((in_progress, 0), (to_come, 1), else_=2)
    upcoming_day = case((to_come & ~in_progress, TrainingSession.start_date), else_=None)
    return [group, upcoming_day, TrainingSession.start_date.desc(), TrainingSession.code]


def session_page(filters: SessionFilters, page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """Return one page of the sessions that match, sorted (a session in range counts).

    Without a sort, sessions in progress come first, then those about to start, then the past
    ones latest first: the session a trainer is at is at the top of the list. Each page's
    courses and trainers are read in one statement each, not once per row.
    """
    statement = (
        select(TrainingSession)
        .join(Course, TrainingSession.course_id == Course.id)
        .options(selectinload(TrainingSession.course), selectinload(TrainingSession.trainers))
    )
    if filters.sort in SORT_KEYS:
        keys = SORT_KEYS[filters.sort]()
        order = [key.desc() if filters.descending else key.asc() for key in keys]
        statement = statement.order_by(*order, TrainingSession.code)
    else:
        statement = statement.order_by(*_soonest_first(clock.today_in("UTC")))
    if filters.course:
        statement = statement.where(TrainingSession.course_id == filters.course)
    if filters.country:
        statement = statement.where(TrainingSession.host_country == filters.country)
    if filters.status:
        statement = statement.where(TrainingSession.status == filters.status)
    if filters.date_from:
        statement = statement.where(TrainingSession.end_date >= filters.date_from)
    if filters.date_to:
        statement = statement.where(TrainingSession.start_date <= filters.date_to)
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


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
