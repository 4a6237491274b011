"""What each role's home page reads: a trainer's day, a manager's reach, the next training.

Read only; the home pages gather what the domains below already know.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.attendance import services as attendance
from app.attendance.models import AttendanceRecord
from app.certificates.models import Certificate
from app.enrolment import services as enrolment
from app.enrolment.models import Enrolment, EnrolmentStatus, Participant
from app.extensions import db
from app.reporting import services as reporting
from app.reporting.filters import ReachFilters
from app.scheduling.models import SessionStatus, TrainingSession
from app.shared import clock

WEEK = timedelta(days=7)
# A place the participant still holds or waits for: their session page is theirs to see.
HELD = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.REQUESTED)


@dataclass
class SessionCard:
    """One of a trainer's sessions this week, with its counts and whether the roll is open today."""

    training_session: TrainingSession
    today: date
    enrolled: int
    waitlisted: int
    requested: int
    present_today: int | None  # None when today is not a day of the session

    @property
    def runs_today(self) -> bool:
        """Return whether today is one of the session's days (its roll call is open)."""
        return self.present_today is not None


@dataclass
class ActionItem:
    """A session that waits for its trainer, and what it waits for."""

    training_session: TrainingSession
    reasons: list[str] = field(default_factory=list)


def _taught(user: User):
    return (
        select(TrainingSession)
        .where(TrainingSession.trainers.any(User.id == user.id))
        .where(TrainingSession.status != SessionStatus.CANCELLED)
        .options(selectinload(TrainingSession.course))
        .order_by(TrainingSession.start_date, TrainingSession.code)
    )


def _card(training_session: TrainingSession) -> SessionCard:
    today = clock.today_in(training_session.timezone)
    by_status = enrolment.counts(training_session)["by_status"]
    present = None
    if training_session.start_date <= today <= training_session.end_date:
        present = attendance.day_counts(training_session, today).attended
    return SessionCard(
        training_session,
        today,
        enrolled=by_status[EnrolmentStatus.ENROLLED],
        waitlisted=by_status[EnrolmentStatus.WAITLISTED],
        requested=by_status[EnrolmentStatus.REQUESTED],
        present_today=present,
    )


def trainer_week(user: User) -> list[SessionCard]:
    """Return the trainer's sessions running today or within the week, today's first."""
    today = clock.today_in("UTC")
    # A day's margin either side: each session's "today" is the day where it is held.
    statement = _taught(user).where(
        TrainingSession.end_date >= today - timedelta(days=1),
        TrainingSession.start_date <= today + WEEK,
        TrainingSession.status != SessionStatus.COMPLETED,
    )
    cards = [_card(ts) for ts in db.session.scalars(statement)]
    cards = [card for card in cards if card.training_session.end_date >= card.today]
    cards.sort(key=lambda card: (not card.runs_today, card.training_session.start_date))
    return cards


def _certificates_due(user: User) -> set[int]:
    """Return the ids of the trainer's completed sessions with completers still without one."""
    issued = select(Certificate.id).where(
        Certificate.enrolment_id == Enrolment.id, Certificate.revoked_at.is_(None)
    )
    statement = (
        select(Enrolment.training_session_id)
        .join(TrainingSession, Enrolment.training_session_id == TrainingSession.id)
        .where(
            TrainingSession.trainers.any(User.id == user.id),
            TrainingSession.status == SessionStatus.COMPLETED,
            Enrolment.completed.is_(True),
            ~issued.exists(),
        )
        .distinct()
    )
    return set(db.session.scalars(statement))


def trainer_actions(user: User) -> list[ActionItem]:
    """Return the trainer's sessions that wait for a decision, an agenda or certificates."""
    due = _certificates_due(user)
    today = clock.today_in("UTC")
    statement = _taught(user).where(
        (TrainingSession.end_date >= today - timedelta(days=1)) | TrainingSession.id.in_(due)
    )
    items = []
    for training_session in db.session.scalars(statement):
        item = ActionItem(training_session)
        if not training_session.is_closed:
            requests = enrolment.counts(training_session)["by_status"][EnrolmentStatus.REQUESTED]
            if requests:
                item.reasons.append(
                    ngettext("%(num)d request to decide", "%(num)d requests to decide", requests)
                )
            if not training_session.agenda_items:
                item.reasons.append(_("Agenda missing"))
        if training_session.id in due:
            item.reasons.append(_("Certificates due"))
        if item.reasons:
            items.append(item)
    return items


@dataclass
class Changes:
    """What happened in the programme since a moment."""

    since: datetime
    sessions_planned: int
    enrolments: int
    attendance_marked: int
    certificates_issued: int


def _count(model, column, since: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(column > since)) or 0


def changes_since(since: datetime | None) -> Changes:
    """Count new sessions, enrolments, roll-call marks and certificates since `since`.

    A first visit looks back one week.
    """
    since = since or clock.now() - WEEK
    return Changes(
        since=since,
        sessions_planned=_count(TrainingSession, TrainingSession.created_at, since),
        enrolments=_count(Enrolment, Enrolment.created_at, since),
        attendance_marked=_count(AttendanceRecord, AttendanceRecord.recorded_at, since),
        certificates_issued=_count(Certificate, Certificate.issued_at, since),
    )


def headline_reach() -> reporting.Reach:
    """Return the whole programme's headline figures (the reach dashboard's first row)."""
    return reporting.compute_reach(ReachFilters())


def next_training(user: User) -> Enrolment | None:
    """Return the participant's soonest place or request in a session not yet over."""
    statement = (
        select(Enrolment)
        .join(TrainingSession, Enrolment.training_session_id == TrainingSession.id)
        .join(Participant, Enrolment.participant_id == Participant.id)
        .where(
            Participant.user_id == user.id,
            Enrolment.status.in_(HELD),
            TrainingSession.status.in_(
                (SessionStatus.OPEN, SessionStatus.IN_PROGRESS, SessionStatus.DRAFT)
            ),
            TrainingSession.end_date >= clock.today_in("UTC") - timedelta(days=1),
        )
        .options(selectinload(Enrolment.training_session).selectinload(TrainingSession.course))
        .order_by(TrainingSession.start_date)
    )
    return db.session.scalars(statement).first()


@dataclass
class OwnPlace:
    """What a participant may read about a session they hold a place in: nobody else's data."""

    enrolment: Enrolment
    attendance: list[tuple[date, str | None]]


def own_place(user: User, training_session: TrainingSession) -> OwnPlace | None:
    """Return the user's own enrolment in the session and their attendance day by day."""
    own = db.session.scalars(
        select(Enrolment)
        .join(Participant, Enrolment.participant_id == Participant.id)
        .where(
            Enrolment.training_session_id == training_session.id,
            Participant.user_id == user.id,
        )
    ).first()
    if own is None:
        return None
    marked = dict(
        db.session.execute(
            select(AttendanceRecord.day, AttendanceRecord.status).where(
                AttendanceRecord.enrolment_id == own.id
            )
        ).all()
    )
    return OwnPlace(own, [(day, marked.get(day)) for day in training_session.days])


def calendar_sessions(user: User) -> list[TrainingSession]:
    """Return what the user's calendar feed lists: sessions they teach or hold a place in."""
    holds = (
        select(Enrolment.training_session_id)
        .join(Participant, Enrolment.participant_id == Participant.id)
        .where(Participant.user_id == user.id, Enrolment.status.in_(HELD))
    )
    statement = (
        select(TrainingSession)
        .where(TrainingSession.trainers.any(User.id == user.id) | TrainingSession.id.in_(holds))
        .options(selectinload(TrainingSession.course))
        .order_by(TrainingSession.start_date, TrainingSession.code)
    )
    return list(db.session.scalars(statement))
