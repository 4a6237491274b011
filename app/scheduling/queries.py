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


class SessionPage(Pagination):
    """A page of the session list: ids in order first, then those sessions' rows."""

    def _query_items(self) -> list[TrainingSession]:
        ids = self._query_args["ids"](self._query_offset, self.per_page)
        loaded = {
            session.id: session
            for session in db.session.scalars(
                select(TrainingSession)
                .where(TrainingSession.id.in_(ids))
                .options(
                    selectinload(TrainingSession.course), selectinload(TrainingSession.trainers)
                )
            )
        }
        return [loaded[session_id] for session_id in ids]

    def _query_count(self) -> int:
        return self._query_args["total"]


def session_page(filters: SessionFilters, page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """Return one page of the sessions that match, sorted (a session in range counts).

    Without a sort, sessions in progress come first, then those about to start, then the past
    ones latest first: the session a trainer is at is at the top of the list. The page's
    sessions, their courses and trainers are read in one statement each, not once per row.
    """
    conditions = _conditions(filters)
    ids = select(TrainingSession.id).where(*conditions)
    if filters.sort in SORT_KEYS:
        keys = SORT_KEYS[filters.sort]()
        order = [key.desc() if filters.descending else key.asc() for key in keys]
        if filters.sort == "course":
            ids = ids.join(Course, TrainingSession.course_id == Course.id)
        ids = ids.order_by(*order, TrainingSession.code)
        total = db.session.scalar(
            select(func.count()).where(*conditions).select_from(TrainingSession)
        )

        def page_ids(offset: int, limit: int) -> list[int]:
            return list(db.session.scalars(ids.offset(offset).limit(limit)))

        return SessionPage(page=page, per_page=per_page, total=total, ids=page_ids)
    parts = _soonest_first(clock.today_in("UTC"))
    sizes = db.session.execute(
        select(*(func.count(case((part, 1))) for part, _order in parts)).where(*conditions)
    ).one()

    def page_ids(offset: int, limit: int) -> list[int]:
        found: list[int] = []
        for (part, order), size in zip(parts, sizes, strict=True):
            if offset >= size:
                offset -= size
                continue
            wanted = limit - len(found)
            found += db.session.scalars(
                ids.where(part).order_by(*order).offset(offset).limit(wanted)
            )
            offset = 0
            if len(found) >= limit:
                break
        return found

    return SessionPage(page=page, per_page=per_page, total=sum(sizes), ids=page_ids)


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
