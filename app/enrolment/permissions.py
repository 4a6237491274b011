"""Who may see and change which people: the directory roles everyone, trainers their own."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, select, true

from app.accounts.models import RoleCode, User
from app.accounts.permissions import can_manage_directory
from app.enrolment.models import Enrolment, EnrolmentStatus, Participant
from app.extensions import db
from app.scheduling.models import training_session_trainers

# A declined request or a withdrawal ends a trainer's view of the person.
_GONE = (EnrolmentStatus.DECLINED, EnrolmentStatus.WITHDRAWN)


def trains(user: User):
    """Return a condition true for enrolments, still standing, in a session the user trains."""
    return and_(
        Enrolment.training_session_id == training_session_trainers.c.training_session_id,
        training_session_trainers.c.user_id == user.id,
        Enrolment.status.not_in(_GONE),
    )


def _trained_by(user: User):
    """Return a condition true for participants enrolled in a session the user trains."""
    return exists().where(Enrolment.participant_id == Participant.id, trains(user))


def can_manage_participant(user: User | None, participant: Participant) -> bool:
    """Let the directory roles, and trainers of one of the person's sessions, open and edit them."""
    if can_manage_directory(user):
        return True
    if user is None or not user.is_authenticated or RoleCode.TRAINER not in user.roles:
        return False
    return bool(
        db.session.scalar(select(_trained_by(user)).where(Participant.id == participant.id))
    )


def visible_to(user: User) -> ColumnElement[bool]:
    """Return the condition on participants the user may see (trainers: their sessions')."""
    return true() if can_manage_directory(user) else _trained_by(user)
