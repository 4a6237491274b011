"""What scheduling's pages read: the session list, the feeds, a session form's people and partners.

Read only; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from app.accounts.models import User, UserRole
from app.extensions import db
from app.scheduling.models import PartnerOrganisation, SessionStatus, TrainingSession
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


def session_page(filters: SessionFilters, page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """Return one page of the sessions that match, latest first (a session in range counts)."""
    statement = select(TrainingSession).order_by(
        TrainingSession.start_date.desc(), TrainingSession.code
    )
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
        .order_by(TrainingSession.start_date)
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
